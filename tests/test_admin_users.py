"""Beheer of users: create, edit, reset a password, (de)activate; never delete."""

from pia.models import User
from pia.roles import Role
from tests.conftest import (
    PASSWORD,
    audit_events,
    checked_values,
    count,
    input_value,
    log_in,
    make_org,
    make_user,
    option_values,
    selected_option,
    text_of,
    user_sessions,
)

TEMPORARY = "tijdelijk-wachtwoord-2026"


def user_form(org, **overrides) -> dict:
    form = {
        "name": "Fatima Gerritsen",
        "email": "f.gerritsen@minjenv.nl",
        "function": "Privacy officer",
        "organisation_id": str(org.id),
        "roles": ["fg", "projectleider"],
        "password": TEMPORARY,
    }
    form.update(overrides)
    return form


def edit_form(user, **overrides) -> dict:
    form = {
        "name": user.name,
        "email": user.email,
        "function": user.function,
        "organisation_id": str(user.organisation_id),
        "roles": sorted(user.roles),
    }
    form.update(overrides)
    return form


def find_user(email: str) -> User | None:
    from sqlalchemy import select

    from pia.extensions import db

    return db.session.scalar(select(User).where(User.email == email))


def test_beheerder_creates_a_user_who_must_change_the_password(app, client, login):
    jenv = make_org("JenV", "Justitie en Veiligheid")
    login(make_user(Role.BEHEERDER))
    assert client.get("/beheer/gebruikers/nieuw").status_code == 200

    response = client.post_form(
        "/beheer/gebruikers/nieuw", user_form(jenv, email="  F.Gerritsen@MinJenV.nl ")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/gebruikers/"
    listing = text_of(client.get(response.headers["Location"]))
    assert "Gebruiker Fatima Gerritsen is aangemaakt." in listing
    assert "f.gerritsen@minjenv.nl" in listing

    user = find_user("f.gerritsen@minjenv.nl")
    assert user.name == "Fatima Gerritsen"
    assert user.function == "Privacy officer"
    assert user.organisation_id == jenv.id
    assert user.roles == {Role.FG, Role.PROJECTLEIDER}
    assert user.must_change_password
    assert user.password_hash.startswith("$argon2id$")

    newcomer = app.test_client()
    log_in(newcomer, user, TEMPORARY)
    response = newcomer.get("/")
    assert response.headers["Location"] == "/account/wachtwoord"


def test_a_refused_form_keeps_what_was_typed(client, login):
    jenv = make_org("JenV")
    login(make_user(Role.BEHEERDER))
    users_before = count(User)
    response = client.post_form(
        "/beheer/gebruikers/nieuw",
        user_form(jenv, email="geen-e-mailadres", roles=["auditor", "secretariaat"]),
    )
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in text_of(response)
    assert input_value(response, "name") == "Fatima Gerritsen"
    assert input_value(response, "email") == "geen-e-mailadres"
    assert input_value(response, "function") == "Privacy officer"
    assert selected_option(response, "organisation_id") == str(jenv.id)
    assert checked_values(response, "roles") == {"auditor", "secretariaat"}
    assert not input_value(response, "password"), "the password is not sent back"
    assert count(User) == users_before


def test_duplicate_email_is_refused_whatever_the_case(client, login):
    existing = make_user(Role.FG, email="bestaand@pia.test")
    login(make_user(Role.BEHEERDER))
    users_before = count(User)
    response = client.post_form(
        "/beheer/gebruikers/nieuw",
        user_form(existing.organisation, email="Bestaand@PIA.test"),
    )
    assert response.status_code == 200
    assert "Er bestaat al een gebruiker met dit e-mailadres." in text_of(response)
    assert count(User) == users_before

    other = make_user(Role.FG, email="ander@pia.test")
    response = client.post_form(
        f"/beheer/gebruikers/{other.id}", edit_form(other, email="BESTAAND@pia.test")
    )
    assert response.status_code == 200
    assert "Er bestaat al een gebruiker met dit e-mailadres." in text_of(response)
    assert other.email == "ander@pia.test"


def test_form_validation_messages_are_dutch(client, login):
    jenv = make_org("JenV")
    login(make_user(Role.BEHEERDER))
    response = client.post_form(
        "/beheer/gebruikers/nieuw",
        user_form(jenv, name="x" * 201, organisation_id="999999", roles=["koning"]),
    )
    assert response.status_code == 200
    text = text_of(response)
    for english in ("Not a valid choice", "Field cannot be longer", "not a valid choice"):
        assert english not in text
    assert "Ongeldige keuze" in text
    assert "200" in text, "the length limit is explained"


def test_deactivated_organisations_are_not_offered_for_new_users(client, login):
    closed = make_org("OUD", "Opgeheven ministerie", active=False)
    open_org = make_org("JenV")
    login(make_user(Role.BEHEERDER))
    offered = option_values(client.get("/beheer/gebruikers/nieuw"), "organisation_id")
    assert str(open_org.id) in offered
    assert str(closed.id) not in offered
    users_before = count(User)
    response = client.post_form("/beheer/gebruikers/nieuw", user_form(closed))
    assert response.status_code == 200
    assert count(User) == users_before


def test_beheerder_edits_name_organisation_and_roles(client, login):
    user = make_user(Role.PROJECTLEIDER, name="Pieter de Leeuw")
    jenv = make_org("JenV")
    login(make_user(Role.BEHEERDER))
    page = client.get(f"/beheer/gebruikers/{user.id}")
    assert page.status_code == 200
    assert input_value(page, "name") == "Pieter de Leeuw"
    assert checked_values(page, "roles") == {"projectleider"}
    assert selected_option(page, "organisation_id") == str(user.organisation_id)

    response = client.post_form(
        f"/beheer/gebruikers/{user.id}",
        edit_form(
            user,
            name="Pieter de Vos",
            function="Jurist",
            organisation_id=str(jenv.id),
            roles=["fg", "auditor"],
        ),
    )
    assert response.status_code == 302
    assert (user.name, user.function, user.organisation_id) == ("Pieter de Vos", "Jurist", jenv.id)
    assert user.roles == {Role.FG, Role.AUDITOR}

    response = client.post_form(f"/beheer/gebruikers/{user.id}", edit_form(user, roles=[]))
    assert response.status_code == 302
    assert user.roles == set(), "all roles can be taken away"


def test_password_reset_ends_sessions_and_forces_a_new_password(app, client, login):
    user = make_user(Role.FG)
    own_browser = app.test_client()
    log_in(own_browser, user)
    old_hash = user.password_hash
    login(make_user(Role.BEHEERDER))

    response = client.post_form(
        f"/beheer/gebruikers/{user.id}/wachtwoord", {"reset-password": TEMPORARY}
    )
    assert response.status_code == 302
    assert "opnieuw ingesteld" in text_of(client.get(response.headers["Location"]))
    assert user.must_change_password
    assert user.password_hash != old_hash

    kicked_out = own_browser.get("/")
    assert kicked_out.status_code == 302
    assert "Uw sessie is beëindigd" in text_of(own_browser.get(kicked_out.headers["Location"]))
    assert [s.end_reason for s in user_sessions(user)] == ["password_reset"]

    assert (
        own_browser.post_form("/inloggen", {"email": user.email, "password": PASSWORD}).status_code
        == 200
    ), "the old password no longer works"
    log_in(own_browser, user, TEMPORARY)
    assert own_browser.get("/").headers["Location"] == "/account/wachtwoord"


def test_weak_temporary_password_is_refused(app, client, login):
    user = make_user(Role.FG)
    own_browser = app.test_client()
    log_in(own_browser, user)
    old_hash = user.password_hash
    login(make_user(Role.BEHEERDER))
    response = client.post_form(
        f"/beheer/gebruikers/{user.id}/wachtwoord", {"reset-password": "wachtwoord123"}
    )
    assert response.status_code == 400
    assert "te voorspelbaar" in text_of(response)
    assert user.password_hash == old_hash
    assert not user.must_change_password
    assert own_browser.get("/").status_code == 200, "nothing happened, so the session lives on"


def test_deactivation_ends_sessions_and_blocks_login_but_keeps_the_account(app, client, login):
    user = make_user(Role.FG, name="Frank Goossens")
    own_browser = app.test_client()
    log_in(own_browser, user)
    own_browser.get("/")
    login(make_user(Role.BEHEERDER))

    response = client.post_form(f"/beheer/gebruikers/{user.id}/actief")
    assert response.status_code == 302
    assert not user.active
    assert [s.end_reason for s in user_sessions(user)] == ["deactivated"]
    kicked_out = own_browser.get("/")
    assert kicked_out.status_code == 302
    assert kicked_out.headers["Location"].startswith("/inloggen")

    refused = own_browser.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "klopt niet" in text_of(refused)

    listing = text_of(client.get("/beheer/gebruikers/?q=Goossens"))
    assert "Frank Goossens" in listing
    assert "Gedeactiveerd" in listing
    assert "gedeactiveerd" in text_of(client.get(f"/beheer/gebruikers/{user.id}"))
    assert [e.action for e in audit_events() if e.actor_id == user.id][:1] == ["login.succeeded"]

    assert client.post_form(f"/beheer/gebruikers/{user.id}/actief").status_code == 302
    assert user.active
    log_in(own_browser, user)
    assert own_browser.get("/").status_code == 200


def test_beheerder_cannot_deactivate_themselves(client, login):
    admin = make_user(Role.BEHEERDER)
    login(admin)
    response = client.post_form(f"/beheer/gebruikers/{admin.id}/actief")
    assert response.status_code == 302
    assert "U kunt uw eigen account niet deactiveren." in text_of(
        client.get(response.headers["Location"])
    )
    assert admin.active
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_beheerder_cannot_drop_their_own_beheerder_role(client, login):
    admin = make_user(Role.BEHEERDER, Role.FG)
    login(admin)
    response = client.post_form(
        f"/beheer/gebruikers/{admin.id}", edit_form(admin, roles=["fg"], name="Nieuwe Naam")
    )
    assert response.status_code == 200
    assert "U kunt uw eigen rol van beheerder niet intrekken." in text_of(response)
    assert admin.roles == {Role.BEHEERDER, Role.FG}
    assert admin.name != "Nieuwe Naam"
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_users_cannot_be_deleted(app, client, login):
    user = make_user(Role.FG)
    login(make_user(Role.BEHEERDER))
    for rule in app.url_map.iter_rules():
        assert "DELETE" not in rule.methods, rule
        assert not any(w in rule.endpoint for w in ("delete", "verwijder", "remove")), rule
    assert client.delete(f"/beheer/gebruikers/{user.id}").status_code == 405
    assert client.post_form(f"/beheer/gebruikers/{user.id}/verwijderen").status_code == 404
    assert find_user(user.email) is not None


def test_search_finds_users_by_name_email_and_organisation(client, login):
    make_org("JenV", "Justitie en Veiligheid")
    make_user(Role.FG, name="Joost Verbeek", email="joost@minjenv.nl", org="JenV")
    make_user(Role.FG, name="Fatima Gerritsen", email="fatima@minbzk.nl", org="BZK")
    login(make_user(Role.BEHEERDER, name="Bea Beheer"))
    for query, found, not_found in (
        ("verbeek", "Joost Verbeek", "Fatima Gerritsen"),
        ("FATIMA@minbzk", "Fatima Gerritsen", "Joost Verbeek"),
        ("jenv", "Joost Verbeek", "Fatima Gerritsen"),
    ):
        listing = text_of(client.get("/beheer/gebruikers/", query_string={"q": query}))
        assert found in listing, query
        assert not_found not in listing, query
