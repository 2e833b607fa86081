"""Every POST endpoint refuses a form without a valid CSRF token, and changes nothing."""

from itsdangerous import URLSafeTimedSerializer

from pia.extensions import db
from pia.roles import Role
from tests.conftest import PASSWORD, log_in, make_org, make_user, text_of

NEW_PASSWORD = "paarse-olifant-fietst-langzaam"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, read on a fresh connection; without the session's
    last_seen_at, which every request may move forward (an idle time-out, not a change)."""
    with db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    table.select()
                    .with_only_columns(*(c for c in table.columns if c.name != "last_seen_at"))
                    .order_by(*table.primary_key.columns)
                )
            ]
            for table in db.metadata.sorted_tables
        }


def post_rules(app) -> list:
    return sorted(
        # The API takes bearer tokens only and ignores the session, so it has no CSRF to
        # refuse (tests/test_api_core.py: a session without a token is a 401).
        (
            rule
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/")
        ),
        # (De)activations late, logging out last: they change what the other posts need.
        key=lambda rule: (
            rule.endpoint == "auth.logout",
            rule.endpoint.endswith("toggle_active"),
            rule.endpoint,
        ),
    )


def scenario(app):
    """The objects the forms act on, and a meaningful, valid form for each POST endpoint."""
    admin = make_user(Role.BEHEERDER, name="Bea Beheer")
    target = make_user(Role.PROJECTLEIDER, org="JenV", name="Pieter de Leeuw")
    org = make_org("OCW", "Onderwijs, Cultuur en Wetenschap")
    colleague = make_user(Role.FG)
    ids = {"user_id": target.id, "org_id": org.id}
    payloads = {
        "auth.login": {"email": colleague.email, "password": PASSWORD},
        "auth.logout": {},
        "auth.change_password": {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        "admin_users.create": {
            "name": "Nieuwe Collega",
            "email": "nieuw@pia.test",
            "function": "Jurist",
            "organisation_id": str(target.organisation_id),
            "roles": ["fg"],
            "password": "tijdelijk-wachtwoord-2026",
        },
        "admin_users.edit": {
            "name": "Pieter de Vos",
            "email": target.email,
            "function": "",
            "organisation_id": str(org.id),
            "roles": ["projectleider", "fg"],
        },
        "admin_users.reset_password": {"reset-password": "tijdelijk-wachtwoord-2026"},
        "admin_users.toggle_active": {},
        "admin_organisations.create": {"name": "Raad van State", "abbreviation": "RvS"},
        "admin_organisations.edit": {
            "name": "Onderwijs en Wetenschap",
            "abbreviation": "OW",
            "is_ministry": "y",
        },
        "admin_organisations.toggle_active": {},
    }
    return admin, ids, payloads


def url_for_rule(app, rule, ids) -> str:
    # The token is checked before the view runs, so any id that matches the rule will do
    # for routes this test does not know objects for.
    return app.url_map.bind("localhost").build(
        rule.endpoint, {name: ids.get(name, 1) for name in rule.arguments}
    )


def bad_tokens(app, client) -> dict[str, str | None]:
    """Tokens that must be refused: none, garbage, another session's, another key's."""
    stranger = app.test_client()
    stranger.get("/inloggen")
    with client.session_transaction() as session:
        own_raw = session["csrf_token"]
    return {
        "missing": None,
        "garbage": "dit-is-geen-token",
        "another session's": stranger.csrf_token(),
        "signed with another key": URLSafeTimedSerializer(
            "een-andere-geheime-sleutel-van-32-tekens", salt="wtf-csrf-token"
        ).dumps(own_raw),
    }


def test_every_post_endpoint_refuses_a_form_without_a_valid_token(app):
    admin, ids, payloads = scenario(app)
    beheerder = app.test_client()
    log_in(beheerder, admin)
    beheerder.csrf_token()  # the session now holds a CSRF secret
    anonymous = app.test_client()
    anonymous.get("/inloggen")
    before = snapshot()

    for rule in post_rules(app):
        client = anonymous if rule.endpoint == "auth.login" else beheerder
        url = url_for_rule(app, rule, ids)
        for kind, token in bad_tokens(app, client).items():
            data = dict(payloads.get(rule.endpoint, {}))
            if token is not None:
                data["csrf_token"] = token
            response = client.post(url, data=data)
            where = f"POST {url} with {kind} token"
            assert response.status_code == 400, where
            assert '<html lang="nl"' in response.get_data(as_text=True), where
            assert "Dit formulier is verlopen of kwam niet van deze site" in text_of(response)
            assert snapshot() == before, f"{where} changed the database"

    assert beheerder.get("/").status_code == 200, "the refused logout did not log out"
    assert anonymous.get("/").status_code == 302, "the refused login did not log in"


def test_the_same_forms_with_a_valid_token_do_change_something(app):
    """The control for the test above: its forms are not harmless by themselves."""
    admin, ids, payloads = scenario(app)
    beheerder = app.test_client()
    log_in(beheerder, admin)
    anonymous = app.test_client()
    missing = set(payloads)
    for rule in post_rules(app):
        if rule.endpoint not in payloads:
            continue  # the refusal test above covers it with an empty form
        client = anonymous if rule.endpoint == "auth.login" else beheerder
        before = snapshot()
        response = client.post_form(url_for_rule(app, rule, ids), payloads.get(rule.endpoint))
        assert response.status_code == 302, f"{rule.endpoint}: {text_of(response)[:500]}"
        assert snapshot() != before, f"{rule.endpoint} changed nothing"
        missing.discard(rule.endpoint)
    assert not missing, f"payloads for endpoints that no longer exist: {missing}"
