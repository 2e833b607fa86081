"""Logging in and out, what the header shows, redirects after login, changing one's password."""

from urllib.parse import urlsplit

from pia.models import UserSession
from pia.roles import Role
from tests.conftest import (
    PASSWORD,
    client_with_cookie,
    count,
    header_text,
    input_value,
    log_in,
    make_org,
    make_user,
    session_cookie,
    text_of,
    user_sessions,
)

FAILURE = "Het e-mailadres of het wachtwoord klopt niet"


def test_login_shows_name_organisation_and_roles_in_header(client, login):
    make_org("JenV", "Justitie en Veiligheid")
    user = make_user(Role.FG, Role.AUDITOR, name="Joost Verbeek", org="JenV")

    anonymous = client.get("/inloggen")
    assert "Joost Verbeek" not in header_text(anonymous)

    response = login(user)
    assert response.headers["Location"] == "/"
    header = header_text(client.get("/"))
    assert "Joost Verbeek" in header
    assert "Justitie en Veiligheid" in header
    assert "Functionaris gegevensbescherming" in header
    assert "Auditor" in header
    assert "Beheerder" not in header
    assert "Projectleider" not in header


def test_email_is_matched_case_insensitively_and_trimmed(client):
    user = make_user(Role.PROJECTLEIDER, email="pieter@pia.test")
    response = client.post_form("/inloggen", {"email": "  Pieter@PIA.test ", "password": PASSWORD})
    assert response.status_code == 302
    assert len(user_sessions(user)) == 1


def test_failed_logins_look_identical_for_unknown_wrong_and_deactivated(app):
    make_user(Role.FG, email="bestaat@pia.test")
    make_user(Role.FG, email="uit@pia.test", active=False)
    cases = {
        "unknown account": ("onbekend@pia.test", PASSWORD),
        "wrong password": ("bestaat@pia.test", "een-ander-wachtwoord-99"),
        "deactivated, right password": ("uit@pia.test", PASSWORD),
    }
    pages = {}
    for case, (email, password) in cases.items():
        client = app.test_client()
        response = client.post_form("/inloggen", {"email": email, "password": password})
        assert response.status_code == 200, case
        assert FAILURE in text_of(response), case
        assert input_value(response, "email") == email, f"{case}: typed e-mail is kept"
        assert not input_value(response, "password"), f"{case}: password is not echoed"
        assert password not in response.get_data(as_text=True), case
        pages[case] = text_of(response).replace(email, "<e-mail>")
        assert client.get("/").status_code == 302, f"{case}: not logged in"
    assert count(UserSession) == 0
    assert len(set(pages.values())) == 1, "the pages differ, so they reveal which accounts exist"


def test_session_identifier_changes_at_login(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    client.get("/inloggen")
    before = session_cookie(client)
    assert before, "the login page sets a (pre-login) session cookie"

    login(user)
    after = session_cookie(client)
    assert after and after != before
    assert client.get("/").status_code == 200

    # Someone holding the pre-login cookie (session fixation) is not logged in.
    fixed = client_with_cookie(app, before)
    response = fixed.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")


def test_database_stores_only_a_hash_of_the_session_token(app, client, login):
    from pia.models import UserSession

    user = make_user(Role.PROJECTLEIDER)
    login(user)
    data = app.session_interface.get_signing_serializer(app).loads(session_cookie(client))
    token = data["sid"]
    assert len(token) >= 32
    (row,) = user_sessions(user)
    stored = [str(getattr(row, c.key)) for c in UserSession.__table__.columns]
    assert not any(token in value for value in stored)


def test_logout_ends_the_session_on_the_server(app, client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    copied = session_cookie(client)
    assert client_with_cookie(app, copied).get("/").status_code == 200

    response = client.post_form("/uitloggen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/inloggen"
    assert "U bent uitgelogd." in text_of(client.get("/inloggen"))
    assert client.get("/").status_code == 302

    replay = client_with_cookie(app, copied).get("/")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/inloggen")
    (row,) = user_sessions(user)
    assert row.ended_at is not None
    assert row.end_reason == "logout"


def test_logout_needs_a_post(client, login):
    login(make_user(Role.PROJECTLEIDER))
    assert client.get("/uitloggen").status_code == 405
    assert client.get("/").status_code == 200, "a link or image cannot log the user out"


def test_after_login_the_user_returns_to_the_page_asked_for(client):
    user = make_user(Role.BEHEERDER)
    response = client.get("/beheer/gebruikers/?q=bea")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/inloggen?next=")
    assert "Log in om verder te gaan." in text_of(client.get(login_url))

    response = client.post_form(login_url, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/gebruikers/?q=bea"


ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


def test_login_never_redirects_to_another_site(app):
    user = make_user(Role.PROJECTLEIDER)
    for target in ELSEWHERE:
        response = app.test_client().post_form(
            "/inloggen", {"email": user.email, "password": PASSWORD}, query_string={"next": target}
        )
        assert response.status_code == 302
        location = response.headers["Location"]
        parts = urlsplit(location)
        assert not parts.scheme and not parts.netloc, (target, location)
        assert location.startswith("/") and not location.startswith("//"), (target, location)
        assert "\\" not in location, (target, location)


def test_logged_in_user_on_login_page_goes_to_dashboard(client, login):
    login(make_user(Role.FG))
    response = client.get("/inloggen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_user_must_change_password_before_anything_else(client, login):
    from pia.services.passwords import verify_password

    user = make_user(Role.BEHEERDER, must_change_password=True)
    login(user)
    for url in ("/", "/beheer/gebruikers/", "/auditlog/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/wachtwoord", url
    page = client.get("/account/wachtwoord")
    assert page.status_code == 200
    assert "Gebruikers" not in header_text(page), "no menu while the password must change"

    new = "paarse-olifant-fietst-langzaam"
    response = client.post_form(
        "/account/wachtwoord",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert client.get("/beheer/gebruikers/").status_code == 200
    assert not user.must_change_password
    assert verify_password(user.password_hash, new)

    client.post_form("/uitloggen")
    other = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert other.status_code == 200, "the old password no longer works"
    log_in(client, user, new)


REFUSED_CHANGES = [
    ("fout-huidig-wachtwoord", "paarse-olifant-fietst", "paarse-olifant-fietst", "klopt niet"),
    (PASSWORD, "paarse-olifant-fietst", "paarse-olifant-loopt", "niet gelijk"),
    (PASSWORD, PASSWORD, PASSWORD, "ander wachtwoord dan het huidige"),
    (PASSWORD, "kort-1", "kort-1", "minstens 12 tekens"),
]


def test_refused_password_change_says_why_and_changes_nothing(client, login):
    from pia.services.passwords import verify_password

    user = make_user(Role.FG)
    login(user)
    for current, new, confirm, message in REFUSED_CHANGES:
        response = client.post_form(
            "/account/wachtwoord",
            {"current_password": current, "new_password": new, "confirm_password": confirm},
        )
        assert response.status_code == 200, message
        assert message in text_of(response)
        assert verify_password(user.password_hash, PASSWORD), message


def test_changing_the_password_logs_out_the_other_sessions(app, client, login):
    user = make_user(Role.FG)
    elsewhere = app.test_client()
    log_in(elsewhere, user)
    login(user)
    new = "paarse-olifant-fietst-langzaam"
    response = client.post_form(
        "/account/wachtwoord",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200, "the session that changed it stays"
    assert elsewhere.get("/").status_code == 302, "a session elsewhere (stolen?) ends"
    assert sorted(s.end_reason or "open" for s in user_sessions(user)) == [
        "open",
        "password_changed",
    ]
