"""Login throttling per account and per address; the counters live in the database."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import LoginAttempt
from pia.roles import Role
from tests.conftest import PASSWORD, audit_events, make_user, text_of, user_sessions

WRONG = "niet-het-goede-wachtwoord"
THROTTLED = "te veel mislukte inlogpogingen"


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post_form(
        "/inloggen",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client, email: str, times: int, address: str = "127.0.0.1") -> None:
    for n in range(times):
        response = attempt(client, email, WRONG, address)
        assert response.status_code == 200, f"failure {n + 1} is not throttled yet"
        assert "klopt niet" in text_of(response)


def assert_throttled(response, window_minutes: int = 15) -> None:
    assert response.status_code == 429
    assert THROTTLED in text_of(response)
    assert "minuten" in text_of(response) or "minuut" in text_of(response)
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window_minutes * 60


def move_attempts_back(minutes: int) -> None:
    """Pretend every recorded attempt happened `minutes` earlier."""
    for attempt_row in db.session.scalars(select(LoginAttempt)):
        attempt_row.attempted_at -= timedelta(minutes=minutes)
    db.session.commit()


def test_sixth_attempt_is_refused_even_with_the_right_password(client):
    user = make_user(Role.FG)
    fail(client, user.email, 5)
    response = attempt(client, user.email, PASSWORD)
    assert_throttled(response)
    assert user_sessions(user) == [], "no session while throttled"
    assert client.get("/").status_code == 302
    assert [e.summary for e in audit_events("login.throttled")] == [
        f"Inlogpoging geweigerd (te veel pogingen): {user.email}"
    ]


def test_throttling_applies_to_unknown_accounts_alike(client):
    fail(client, "niemand@pia.test", 5)
    assert_throttled(attempt(client, "niemand@pia.test", WRONG))


def test_other_accounts_are_not_affected(client):
    victim = make_user(Role.FG)
    other = make_user(Role.FG)
    fail(client, victim.email, 5)
    assert attempt(client, other.email, PASSWORD).status_code == 302


def test_throttle_lifts_after_the_window(client):
    user = make_user(Role.FG)
    fail(client, user.email, 5)
    assert_throttled(attempt(client, user.email, PASSWORD))
    move_attempts_back(14)
    assert_throttled(attempt(client, user.email, PASSWORD))
    move_attempts_back(2)
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert len(user_sessions(user)) == 1


def test_only_failures_within_the_window_count(client):
    user = make_user(Role.FG)
    fail(client, user.email, 4)
    move_attempts_back(16)
    fail(client, user.email, 4)
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_retry_after_tells_when_the_oldest_failure_leaves_the_window(client):
    user = make_user(Role.FG)
    fail(client, user.email, 5)
    move_attempts_back(10)
    response = attempt(client, user.email, PASSWORD)
    assert_throttled(response)
    assert 4 * 60 <= int(response.headers["Retry-After"]) <= 5 * 60
    assert "5 minuten" in text_of(response)


def test_a_successful_login_resets_the_account_counter(client):
    user = make_user(Role.FG)
    fail(client, user.email, 4)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post_form("/uitloggen")
    fail(client, user.email, 4)
    assert attempt(client, user.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_MAX_FAILURES_PER_ADDRESS": 3}])
def test_many_failures_from_one_address_across_accounts_are_throttled(client):
    users = [make_user(Role.FG) for _ in range(4)]
    for user in users[:3]:
        fail(client, user.email, 1, address="198.51.100.7")
    # One failure per account, well below the account limit: the address gives it away.
    assert_throttled(attempt(client, users[3].email, PASSWORD, address="198.51.100.7"))
    assert attempt(client, users[3].email, PASSWORD, address="198.51.100.8").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_MAX_FAILURES_PER_ACCOUNT": 2}])
def test_account_limit_comes_from_config(client):
    user = make_user(Role.FG)
    fail(client, user.email, 2)
    assert_throttled(attempt(client, user.email, PASSWORD))


def test_forwarded_for_header_cannot_dodge_the_address_limit(app, make_app):
    spoofing = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3).test_client()
    for n in range(3):
        response = spoofing.post_form(
            "/inloggen",
            {"email": f"iemand{n}@pia.test", "password": WRONG},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        assert response.status_code == 200
    response = spoofing.post_form(
        "/inloggen",
        {"email": "nog-iemand@pia.test", "password": WRONG},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert response.status_code == 429


def test_counters_are_shared_between_app_instances(client, make_app):
    user = make_user(Role.FG)
    fail(client, user.email, 5)
    second_worker = make_app().test_client()
    assert_throttled(attempt(second_worker, user.email, PASSWORD))


def test_varying_the_case_of_the_email_does_not_dodge_the_limit(client):
    user = make_user(Role.FG, email="joost@pia.test")
    for variant in ("Joost@pia.test", "JOOST@PIA.TEST", " joost@pia.test", "joost@Pia.Test"):
        attempt(client, variant, WRONG)
    attempt(client, "jOOst@pia.test", WRONG)
    assert_throttled(attempt(client, user.email, PASSWORD))
