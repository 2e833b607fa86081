"""Password rules (Dutch messages) and argon2id hashing."""

import pytest
from argon2 import Type, extract_parameters

from pia.roles import Role
from pia.services.passwords import hash_password, password_problems, verify_password
from tests.conftest import BASE_CONFIG, PASSWORD, make_user, text_of

TOO_SHORT = "minstens 12 tekens"
IS_EMAIL = "mag niet gelijk zijn aan uw e-mailadres"
IS_NAME = "mag niet gelijk zijn aan uw naam"
PREDICTABLE = "te voorspelbaar"
EMAIL = "fatima.gerritsen@minbzk.nl"
NAME = "Fatima Gerritsen"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kort-1!", TOO_SHORT),
        ("elf-tekens!", TOO_SHORT),
        (EMAIL, IS_EMAIL),
        (" Fatima.Gerritsen@MINBZK.nl ", IS_EMAIL),
        ("fatima.gerritsen", IS_EMAIL),
        ("fatima gerritsen", IS_NAME),
        ("wachtwoord123", PREDICTABLE),
        ("Welkom123456", PREDICTABLE),
        ("PASSWORD123456", PREDICTABLE),
        ("aaaaaaaaaaaaaaaa", PREDICTABLE),
        ("abababababababab", PREDICTABLE),
        ("abcdefghijklmnop", PREDICTABLE),
        ("9876543210987", PREDICTABLE),
        ("qwertyuiopasdf", PREDICTABLE),
        ("x" * 257 + "yz", "hoogstens 256 tekens"),
    ],
)
def test_refused_passwords_say_why_in_dutch(password, message):
    problems = password_problems(password, email=EMAIL, name=NAME)
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    "password",
    ["paarse olifant fietst langzaam", "Zaaksysteem-Vergunningen-2026!", "twaalf-tekens"],
)
def test_good_passwords_pass(password):
    assert password_problems(password, email=EMAIL, name=NAME) == []


def test_exactly_twelve_characters_is_enough_and_eleven_is_not():
    assert password_problems("kr8tig-wacht") == []
    assert any(TOO_SHORT in p for p in password_problems("kr8tig-wach"))


def test_change_password_page_explains_the_rules(client, login):
    user = make_user(Role.FG, email=EMAIL, name=NAME)
    login(user)
    for new, message in (
        ("kort-maar", TOO_SHORT),
        ("wachtwoord123", PREDICTABLE),
        (EMAIL, IS_EMAIL),
    ):
        response = client.post_form(
            "/account/wachtwoord",
            {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        )
        assert response.status_code == 200
        assert message in text_of(response)
        assert verify_password(user.password_hash, PASSWORD), "the password did not change"


def test_hashes_are_salted_argon2id(app):
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    for hashed in (first, second):
        assert hashed.startswith("$argon2id$")
        assert PASSWORD not in hashed
        assert extract_parameters(hashed).type is Type.ID
    assert first != second, "each hash has its own salt"
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("geen-hash", PASSWORD)


def test_production_cost_meets_the_owasp_minimum(tmp_path):
    """OWASP: argon2id with at least 19 MiB memory and 2 iterations."""
    from pia import create_app
    from pia.extensions import db

    testing_cost = {k for k in BASE_CONFIG if k.startswith("ARGON2_")}
    config = {k: v for k, v in BASE_CONFIG.items() if k not in testing_cost}
    app = create_app({**config, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context():
        parameters = extract_parameters(hash_password(PASSWORD))
        db.engine.dispose()
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2


def test_an_unreadable_stored_hash_fails_the_login_quietly(client):
    from pia.extensions import db

    user = make_user(Role.FG)
    user.password_hash = "md5:5f4dcc3b5aa765d61d8327deb882cf99"
    db.session.commit()
    response = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "klopt niet" in text_of(response)


def test_a_hash_made_at_an_older_cost_is_upgraded_at_login(app, client):
    from argon2 import PasswordHasher

    from pia.extensions import db
    from tests.conftest import log_in

    user = make_user(Role.FG)
    # Made when the configured cost was lower (time 1, memory 512 KiB).
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash

    log_in(client, user)
    db.session.refresh(user)
    assert user.password_hash != old
    params = extract_parameters(user.password_hash)
    assert (params.time_cost, params.memory_cost) == (
        BASE_CONFIG["ARGON2_TIME_COST"],
        BASE_CONFIG["ARGON2_MEMORY_COST"],
    )
    assert verify_password(user.password_hash, PASSWORD)

    current = user.password_hash
    client.post_form("/uitloggen")
    log_in(client, user)
    db.session.refresh(user)
    assert user.password_hash == current, "a hash at today's cost is left alone"


def test_a_failed_login_does_not_rehash(app, client):
    from argon2 import PasswordHasher

    from pia.extensions import db

    user = make_user(Role.FG)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash
    client.post_form("/inloggen", {"email": user.email, "password": "fout-wachtwoord-123"})
    db.session.refresh(user)
    assert user.password_hash == old
