"""Server-side sessions: idle and absolute timeouts (from config) and the cookie's flags."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from pia.extensions import db
from pia.models import UserSession
from pia.models.types import utcnow
from pia.roles import Role
from tests.conftest import PASSWORD, audit_events, make_user, text_of, user_sessions

IDLE_MESSAGE = "U was te lang niet actief"
ABSOLUTE_MESSAGE = "maximale duur bereikt"


def age_session(user, *, idle: timedelta | None = None, age: timedelta | None = None) -> None:
    """Pretend the user's sessions were last used `idle` ago and started `age` ago."""
    values = {}
    if idle is not None:
        values["last_seen_at"] = utcnow() - idle
    if age is not None:
        values["created_at"] = utcnow() - age
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(values))
    db.session.commit()


def assert_sent_to_login_with(client, response, message: str) -> None:
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert message in text_of(page)
    assert client.get("/").status_code == 302, "still logged out afterwards"


def test_idle_session_survives_just_under_the_default_timeout(client, login):
    user = make_user(Role.FG)
    login(user)
    age_session(user, idle=timedelta(minutes=29))
    assert client.get("/").status_code == 200


def test_idle_session_expires_after_the_default_30_minutes(client, login):
    user = make_user(Role.FG)
    login(user)
    age_session(user, idle=timedelta(minutes=31))
    assert_sent_to_login_with(client, client.get("/"), IDLE_MESSAGE)
    (row,) = user_sessions(user)
    assert row.ended_at is not None
    assert row.end_reason == "idle"
    (event,) = audit_events("session.expired")
    assert event.actor_id == user.id
    assert event.details == {"reason": "idle"}


@pytest.mark.parametrize("app_config", [{"IDLE_TIMEOUT_MINUTES": 5}])
def test_idle_timeout_comes_from_config(client, login):
    user = make_user(Role.FG)
    login(user)
    age_session(user, idle=timedelta(minutes=4))
    assert client.get("/").status_code == 200
    age_session(user, idle=timedelta(minutes=6))
    assert_sent_to_login_with(client, client.get("/"), IDLE_MESSAGE)


def test_activity_keeps_the_session_alive(client, login):
    user = make_user(Role.FG)
    login(user)
    age_session(user, idle=timedelta(minutes=20), age=timedelta(minutes=20))
    assert client.get("/").status_code == 200
    (row,) = user_sessions(user)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1), "activity is recorded"
    # 20 more quiet minutes: 40 since login, but only 20 since the last request.
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == row.id)
        .values(last_seen_at=row.last_seen_at - timedelta(minutes=20))
    )
    db.session.commit()
    assert client.get("/").status_code == 200


def test_session_ends_after_the_absolute_lifetime_of_12_hours_despite_activity(client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    age_session(user, idle=timedelta(minutes=1), age=timedelta(hours=11, minutes=58))
    assert client.get("/").status_code == 200
    age_session(user, idle=timedelta(minutes=1), age=timedelta(hours=12, minutes=1))
    assert_sent_to_login_with(client, client.get("/"), ABSOLUTE_MESSAGE)
    (row,) = user_sessions(user)
    assert row.end_reason == "absolute"


@pytest.mark.parametrize("app_config", [{"ABSOLUTE_TIMEOUT_HOURS": 1}])
def test_absolute_lifetime_comes_from_config(client, login):
    user = make_user(Role.PROJECTLEIDER)
    login(user)
    age_session(user, idle=timedelta(minutes=1), age=timedelta(minutes=61))
    assert_sent_to_login_with(client, client.get("/"), ABSOLUTE_MESSAGE)


def test_expired_session_cannot_be_revived(app, client, login):
    user = make_user(Role.FG)
    login(user)
    cookie = client.get_cookie("pia_session").value
    age_session(user, idle=timedelta(hours=1))
    assert client.get("/").status_code == 302
    # Moving the clock back does not bring an ended session back to life.
    age_session(user, idle=timedelta(0), age=timedelta(0))
    other = app.test_client()
    other.set_cookie("pia_session", cookie)
    assert other.get("/").status_code == 302


def _set_cookie_headers(response, name: str = "pia_session") -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def test_session_cookie_is_httponly_and_samesite_lax_but_not_secure_over_http(client, login):
    page = client.get("/inloggen")
    response = login(make_user(Role.FG))
    for cookie in _set_cookie_headers(page) + _set_cookie_headers(response):
        attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
        assert "httponly" in attributes, cookie
        assert "samesite=lax" in attributes, cookie
        assert "secure" not in attributes, cookie
    assert _set_cookie_headers(response), "login sets the session cookie"


@pytest.mark.parametrize("app_config", [{"PREFERRED_URL_SCHEME": "https"}])
def test_session_cookie_is_secure_over_https(client):
    page = client.get("/inloggen")
    assert page.request.scheme == "https"
    user = make_user(Role.FG)
    response = client.post_form(
        "/inloggen",
        {"email": user.email, "password": PASSWORD},
        # Over https Flask-WTF also checks that the form came from this site.
        headers={"Referer": "https://localhost/inloggen"},
    )
    assert response.status_code == 302
    cookies = _set_cookie_headers(page) + _set_cookie_headers(response)
    assert len(cookies) == 2
    for cookie in cookies:
        attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
        assert "secure" in attributes, cookie
        assert "httponly" in attributes, cookie
        assert "samesite=lax" in attributes, cookie
    assert client.get("/").status_code == 200
