"""Beheer of users: create, edit, reset a password, (de)activate; never delete.

A beheerder never knows a user's password: new accounts and resets get a one-time link
by mail, which the user opens to choose their own (tests/test_password_links.py).
"""

from pia.models import OutgoingMail, User
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
    password_link_token,
    selected_option,
    text_of,
    user_sessions,
)

CHOSEN = "zelf-gekozen-wachtwoord-2026"


def user_form(org, **overrides) -> dict:
    form = {
        "name": "Fatima Gerritsen",
        "email": "f.gerritsen@minjenv.nl",
        "function": "Privacy officer",
        "organisation_id": str(org.id),
        "roles": ["fg", "projectleider"],
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


def account_mails(user) -> list[OutgoingMail]:
    from sqlalchemy import select

    from pia.extensions import db

    return db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.to_address == user.email, OutgoingMail.notification_id.is_(None))
        .order_by(OutgoingMail.id)
    ).all()


def choose_password(browser, token: str, password: str = CHOSEN):
    return browser.post_form(
        f"/wachtwoord-instellen/{token}",
        {"new_password": password, "confirm_password": password},
    )


def test_beheerder_creates_a_user_who_chooses_their_own_password(app, client, login):
    jenv = make_org("JenV", "Justitie en Veiligheid")
    admin = make_user(Role.BEHEERDER)
    login(admin)
    page = client.get("/beheer/gebruikers/nieuw")
    assert page.status_code == 200
    assert 'type="password"' not in page.get_data(as_text=True), "the beheerder sets none"

    response = client.post_form(
        "/beheer/gebruikers/nieuw", user_form(jenv, email="  F.Gerritsen@MinJenV.nl ")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/gebruikers/"
    listing = text_of(client.get(response.headers["Location"]))
    assert "Gebruiker Fatima Gerritsen is aangemaakt" in listing
    assert "24 uur geldig" in listing
    assert "f.gerritsen@minjenv.nl" in listing
    assert "/wachtwoord-instellen/" not in client.get("/beheer/e-mail").get_data(as_text=True)

    user = find_user("f.gerritsen@minjenv.nl")
    assert user.name == "Fatima Gerritsen"
    assert user.function == "Privacy officer"
    assert user.organisation_id == jenv.id
    assert user.roles == {Role.FG, Role.PROJECTLEIDER}
    assert not user.must_change_password
    assert user.password_hash.startswith("$argon2id$")
    (welcome,) = account_mails(user)
    assert "Er is een account voor u aangemaakt" in welcome.body
    assert [e.action for e in audit_events() if e.object_id == str(user.id)] == [
        "user.created",
        "user.invited",
    ]

    newcomer = app.test_client()
    assert choose_password(newcomer, password_link_token(user)).status_code == 302
    log_in(newcomer, user, CHOSEN)
    assert newcomer.get("/").status_code == 200, "no forced change: the password is their own"


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
    assert count(User) == users_before
    assert count(OutgoingMail) == 0


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


def test_password_reset_mails_a_link_the_beheerder_never_sees(app, client, login):
    user = make_user(Role.FG)
    own_browser = app.test_client()
    log_in(own_browser, user)
    old_hash = user.password_hash
    login(make_user(Role.BEHEERDER))

    response = client.post_form(f"/beheer/gebruikers/{user.id}/wachtwoord")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "krijgt een e-mail met een link" in text_of(page)
    token = password_link_token(user)
    for url in (response.headers["Location"], "/beheer/e-mail", "/auditlog/"):
        assert token not in client.get(url).get_data(as_text=True), url
    assert token not in str([(e.summary, e.details) for e in audit_events()])

    # Until the link is used nothing changes: a beheerder cannot lock anyone out with it.
    assert user.password_hash == old_hash
    assert own_browser.get("/").status_code == 200
    assert [e.action for e in audit_events("user.password_link_sent")] == [
        "user.password_link_sent"
    ]

    assert choose_password(app.test_client(), token).status_code == 302
    assert user.password_hash != old_hash
    kicked_out = own_browser.get("/")
    assert kicked_out.status_code == 302
    assert "Uw sessie is beëindigd" in text_of(own_browser.get(kicked_out.headers["Location"]))
    assert [s.end_reason for s in user_sessions(user)] == ["password_reset"]
    assert (
        own_browser.post_form("/inloggen", {"email": user.email, "password": PASSWORD}).status_code
        == 200
    ), "the old password no longer works"
    log_in(own_browser, user, CHOSEN)
    assert own_browser.get("/").status_code == 200


def test_the_beheerder_has_no_way_to_set_a_password(app, client, login):
    user = make_user(Role.FG)
    login(make_user(Role.BEHEERDER))
    old_hash = user.password_hash
    response = client.post_form(
        f"/beheer/gebruikers/{user.id}/wachtwoord",
        {"reset-password": "door-de-beheerder-gekozen-2026", "password": "ook-niet-dit-2026"},
    )
    assert response.status_code == 302
    assert user.password_hash == old_hash
    edit_page = client.get(f"/beheer/gebruikers/{user.id}").get_data(as_text=True)
    assert 'type="password"' not in edit_page


def test_a_new_link_revokes_the_older_one(app, client, login):
    user = make_user(Role.FG)
    login(make_user(Role.BEHEERDER))
    client.post_form(f"/beheer/gebruikers/{user.id}/wachtwoord")
    first = password_link_token(user)
    client.post_form(f"/beheer/gebruikers/{user.id}/wachtwoord")
    second = password_link_token(user)
    assert first != second
    browser = app.test_client()
    assert choose_password(browser, first).status_code == 404
    assert choose_password(browser, second).status_code == 302


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


def test_beheerder_cannot_give_themselves_a_role_or_another_organisation(client, login):
    admin = make_user(Role.BEHEERDER, org="BZK")
    jenv = make_org("JenV")
    login(admin)
    for overrides, message in (
        ({"roles": ["beheerder", "fg"]}, "U kunt uzelf geen rol geven"),
        ({"roles": ["beheerder", "auditor"]}, "U kunt uzelf geen rol geven"),
        ({"organisation_id": str(jenv.id)}, "U kunt uzelf niet naar een andere organisatie"),
    ):
        response = client.post_form(f"/beheer/gebruikers/{admin.id}", edit_form(admin, **overrides))
        assert response.status_code == 200, overrides
        assert message in text_of(response)
    assert admin.roles == {Role.BEHEERDER}
    assert admin.organisation.abbreviation == "BZK"
    assert audit_events("user.roles_changed") == audit_events("user.updated") == []

    # Another beheerder may.
    other = make_user(Role.BEHEERDER)
    second = client.application.test_client()
    log_in(second, other)
    response = second.post_form(
        f"/beheer/gebruikers/{admin.id}", edit_form(admin, roles=["beheerder", "fg"])
    )
    assert response.status_code == 302
    assert admin.roles == {Role.BEHEERDER, Role.FG}


def test_every_role_change_is_mailed_to_the_user_and_audited(client, login):
    user = make_user(Role.PROJECTLEIDER, email="pieter@pia.test")
    admin = make_user(Role.BEHEERDER, name="Bea Beheer")
    jenv = make_org("JenV")
    login(admin)

    client.post_form(f"/beheer/gebruikers/{user.id}", edit_form(user, roles=["fg"]))
    (mail,) = account_mails(user)
    assert "Bea Beheer (beheerder) heeft uw account in pia gewijzigd." in mail.body
    assert "Uw rollen: nu Functionaris gegevensbescherming (was: Projectleider)." in mail.body
    (event,) = audit_events("user.roles_changed")
    assert event.details == {"changes": {"roles": [["projectleider"], ["fg"]]}}

    client.post_form(f"/beheer/gebruikers/{user.id}", edit_form(user, organisation_id=str(jenv.id)))
    assert "Uw organisatie: nu JenV (was: BZK)." in account_mails(user)[-1].body

    client.post_form(f"/beheer/gebruikers/{user.id}", edit_form(user, function="Jurist"))
    assert len(account_mails(user)) == 2, "a new function is no change of access"


def test_an_email_change_tells_the_old_address_and_revokes_open_links(app, client, login):
    user = make_user(Role.FG, email="oud@pia.test")
    login(make_user(Role.BEHEERDER))
    client.post_form(f"/beheer/gebruikers/{user.id}/wachtwoord")
    token = password_link_token(user)

    client.post_form(f"/beheer/gebruikers/{user.id}", edit_form(user, email="nieuw@pia.test"))
    from sqlalchemy import select

    from pia.extensions import db

    to_old = db.session.scalars(
        select(OutgoingMail.body).where(OutgoingMail.to_address == "oud@pia.test")
    ).all()
    assert any("Uw e-mailadres: nu nieuw@pia.test (was: oud@pia.test)." in b for b in to_old)
    assert any("nieuw@pia.test" in m.body for m in account_mails(user))
    assert choose_password(app.test_client(), token).status_code == 404
