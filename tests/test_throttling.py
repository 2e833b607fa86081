"""Login throttling per account and per address; the counters live in the database."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

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


# --- an anonymous attacker cannot lock a known account out ----------------------------


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(client, app):
    fg = make_user(Role.FG)
    fail(client, fg.email, 5, address="203.0.113.66")
    assert_throttled(attempt(client, fg.email, PASSWORD, address="203.0.113.66"))
    own_browser = app.test_client()
    response = attempt(own_browser, fg.email, PASSWORD, address="198.51.100.20")
    assert response.status_code == 302, "the FG logs in from their own address"


@pytest.mark.parametrize(
    "app_config", [{"LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL": 6, "LOGIN_ACCOUNT_WINDOW_MINUTES": 60}]
)
def test_many_addresses_together_meet_a_higher_account_limit(client):
    fg = make_user(Role.FG)
    for n in range(3):
        fail(client, fg.email, 2, address=f"203.0.113.{n}")
    assert_throttled(attempt(client, fg.email, PASSWORD, address="198.51.100.20"), 60)
    move_attempts_back(61)
    assert attempt(client, fg.email, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_account_limit_is_far_above_the_per_address_limit(app):
    assert (
        app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL"]
        >= 10 * (app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    )


def test_a_success_from_another_address_does_not_reset_the_guessers_counter(client, app):
    fg = make_user(Role.FG)
    fail(client, fg.email, 5, address="203.0.113.66")
    assert attempt(app.test_client(), fg.email, PASSWORD, address="198.51.100.20").status_code == (
        302
    )
    assert_throttled(attempt(client, fg.email, WRONG, address="203.0.113.66"))


def test_no_typed_email_is_stored_for_attempts(client):
    fail(client, "Niemand.Bijzonders@pia.test", 1)
    (row,) = db.session.scalars(select(LoginAttempt)).all()
    assert "niemand" not in row.account_key.lower()
    assert len(row.account_key) == 64
    (event,) = audit_events("login.failed")
    stored = f"{event.summary} {event.details} {event.object_id} {event.actor_label}".lower()
    assert "niemand" not in stored
    assert event.summary == "Mislukte inlogpoging voor een onbekend account"


# --- atomic: parallel guesses cannot slip through ----------------------------------------


def test_parallel_guesses_cannot_pass_the_limit(app, make_app):
    email = make_user(Role.FG).email
    workers = [make_app() for _ in range(2)]  # two app instances, like two gunicorn workers
    barrier = threading.Barrier(20)

    def guess(n: int) -> int:
        browser = workers[n % 2].test_client()
        token = browser.csrf_token()
        barrier.wait()
        return browser.post(
            "/inloggen",
            data={"email": email, "password": f"{WRONG}-{n}", "csrf_token": token},
        ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert statuses.count(200) == 5, statuses
    assert statuses.count(429) == 15, statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 5


# --- the current password on the change page -------------------------------------------


def test_the_current_password_check_is_throttled(client, login):
    user = make_user(Role.FG)
    login(user)
    for _ in range(5):
        response = client.post_form(
            "/account/wachtwoord",
            {
                "current_password": WRONG,
                "new_password": "een-nieuw-wachtwoord-2026",
                "confirm_password": "een-nieuw-wachtwoord-2026",
            },
        )
        assert response.status_code == 200
        assert "Het huidige wachtwoord klopt niet." in text_of(response)
    response = client.post_form(
        "/account/wachtwoord",
        {
            "current_password": PASSWORD,
            "new_password": "een-nieuw-wachtwoord-2026",
            "confirm_password": "een-nieuw-wachtwoord-2026",
        },
    )
    assert response.status_code == 429
    assert "te veel onjuiste wachtwoorden" in text_of(response)
    assert [e.action for e in audit_events() if e.action.startswith("password_check")] == [
        "password_check.failed"
    ] * 5 + ["password_check.throttled"]
    db.session.refresh(user)
    from pia.services.passwords import verify_password

    assert verify_password(user.password_hash, PASSWORD), "unchanged"
