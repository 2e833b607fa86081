"""Command-line tasks: create-admin, seed-demo (idempotent), verify-audit."""

import pytest
from sqlalchemy import func, select

from pia.extensions import db
from pia.models import Organisation, User
from pia.roles import Role
from tests.conftest import PASSWORD, audit_events, count, log_in, text_of

MINISTRIES = {
    "AZ",
    "AenM",
    "BZ",
    "BZK",
    "Def",
    "EZ",
    "Fin",
    "IenW",
    "JenV",
    "KGG",
    "LVVN",
    "OCW",
    "SZW",
    "VRO",
    "VWS",
}


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def ministry_abbreviations() -> set[str]:
    return set(
        db.session.scalars(
            select(Organisation.abbreviation).where(Organisation.is_ministry.is_(True))
        )
    )


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def admin(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_create_admin_on_an_empty_database(app, client):
    assert count(Organisation) == 0
    result = run(
        app,
        "create-admin",
        "--email",
        "Bea.Beheer@MinBZK.nl",
        "--name",
        "Bea Beheer",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert "Beheerder Bea.Beheer@MinBZK.nl is aangemaakt." in result.output
    assert ministry_abbreviations() == MINISTRIES, "the ministries come along"

    user = admin("bea.beheer@minbzk.nl")
    assert user.roles == {Role.BEHEERDER}
    assert user.organisation.abbreviation == "BZK"
    assert not user.must_change_password
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert [e.summary for e in audit_events("user.created")] == [
        "Gebruiker Bea Beheer <bea.beheer@minbzk.nl> aangemaakt"
    ]

    log_in(client, user)
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_create_admin_refuses_a_weak_password_and_leaves_nothing_behind(app):
    result = run(
        app, "create-admin", "--email", "bea@minbzk.nl", "--name", "Bea", "--password", "kort"
    )
    assert result.exit_code == 1
    assert "minstens 12 tekens" in result.output
    assert count(User) == 0
    assert count(Organisation) == 0, "the seeded ministries are rolled back too"

    result = run(
        app,
        "create-admin",
        "--email",
        "bea@minbzk.nl",
        "--name",
        "Bea",
        "--password",
        "welkom123456",
    )
    assert result.exit_code == 1
    assert "te voorspelbaar" in result.output
    assert count(User) == 0


def test_create_admin_asks_for_the_password_when_not_given(app):
    result = run(
        app,
        "create-admin",
        "--email",
        "bea@minbzk.nl",
        "--name",
        "Bea",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output, "the typed password is not echoed"
    assert admin("bea@minbzk.nl") is not None


def test_create_admin_twice_does_not_duplicate(app):
    args = ["create-admin", "--name", "Bea", "--password", PASSWORD, "--organisation", "JenV"]
    assert run(app, *args, "--email", "bea@minbzk.nl").exit_code == 0
    assert run(app, *args, "--email", "bob@minbzk.nl").exit_code == 0
    assert count(Organisation) == len(MINISTRIES)
    assert admin("bob@minbzk.nl").organisation.abbreviation == "JenV"

    again = run(app, *args, "--email", "BEA@minbzk.nl")
    assert again.exit_code == 1
    assert "Er bestaat al een gebruiker met dit e-mailadres." in again.output
    assert count(User) == 2


def test_create_admin_with_an_unknown_organisation(app):
    result = run(
        app,
        "create-admin",
        "--email",
        "bea@minbzk.nl",
        "--name",
        "Bea",
        "--password",
        PASSWORD,
        "--organisation",
        "XYZ",
    )
    assert result.exit_code != 0
    assert "Onbekende organisatie: XYZ" in result.output
    assert count(User) == 0


def test_seed_demo_is_refused_against_production(app):
    assert app.config["ENV"] == "production"
    result = run(app, "seed-demo")
    assert result.exit_code == 1
    assert "alleen met PIA_ENV=development" in result.output
    assert count(User) == count(Organisation) == 0


@pytest.mark.parametrize("app_config", [{"ENV": "development"}])
def test_seed_demo_is_complete_and_idempotent(app, client):
    first = run(app, "seed-demo")
    assert first.exit_code == 0, first.output
    assert ministry_abbreviations() == MINISTRIES
    users = db.session.scalars(select(User)).all()
    for role in Role:
        assert any(role in u.roles for u in users), f"no demo user with role {role}"
    counts = row_counts()

    second = run(app, "seed-demo")
    assert second.exit_code == 0, second.output
    assert "0 organisaties" in second.output
    assert row_counts() == counts, "the second run added something"

    from pia.demo import DEMO_PASSWORD

    beheerder = next(u for u in users if Role.BEHEERDER in u.roles)
    # The demo beheerder has a second factor with the documented secret: the login asks
    # for a code, which log_in makes from it.
    from pia.demo_sign_in import DEMO_TOTP_SECRET
    from pia.models import SecondFactor

    assert db.session.get(SecondFactor, beheerder.id).secret == DEMO_TOTP_SECRET
    first_step = client.post_form(
        "/inloggen", {"email": beheerder.email, "password": DEMO_PASSWORD}
    )
    assert first_step.headers["Location"] == "/inloggen/code"
    log_in(client, beheerder, DEMO_PASSWORD)
    assert "Welkom" in text_of(client.get("/"))


def test_verify_audit_on_an_empty_log(app):
    result = run(app, "verify-audit")
    assert result.exit_code == 0
    assert "intact" in result.output
