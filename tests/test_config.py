"""Configuration: safe defaults, a refusal without a real secret key, PIA_* and DATABASE_URL."""

import logging
import os
import secrets
import stat

import pytest
from flask import Flask

from pia import ConfigurationError, create_app
from pia.extensions import db
from pia.models import User
from pia.roles import Role
from tests.conftest import BASE_CONFIG, PASSWORD, audit_events, count, make_user


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No PIA_* or DATABASE_URL from the developer's shell; the instance folder in tmp."""
    for name in list(os.environ):
        if name.startswith("PIA_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))


@pytest.fixture
def made():
    """Apps created by a test; their engines are closed afterwards."""
    apps = []
    yield apps
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def start(made, config: dict | None = None):
    app = create_app(config)
    made.append(app)
    return app


@pytest.mark.parametrize(
    "key", [None, "", "changeme", "dev", "secret", "nog-geen-32-tekens-lang"], ids=repr
)
def test_production_refuses_to_start_without_a_strong_secret_key(made, tmp_path, key):
    config = {"SECRET_KEY": key, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    with pytest.raises(ConfigurationError) as refused:
        start(made, config)
    message = str(refused.value)
    assert "PIA_SECRET_KEY" in message
    assert "32 tekens" in message
    assert not (tmp_path / "instance" / "secret_key").exists(), "no key is invented"


def behind_a_proxy(monkeypatch) -> None:
    """The settings a production installation behind one TLS proxy has."""
    monkeypatch.setenv("PIA_BASE_URL", "https://pia.example.nl")
    monkeypatch.setenv("PIA_PROXY_COUNT", "1")
    monkeypatch.setenv("PIA_MAIL_BACKEND", "smtp")


def test_production_is_the_default_and_starts_with_a_strong_key(made, tmp_path, monkeypatch):
    key = secrets.token_urlsafe(48)
    monkeypatch.setenv("PIA_SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    behind_a_proxy(monkeypatch)
    app = start(made)
    assert app.config["ENV"] == "production"
    assert not app.testing
    assert not app.debug
    assert app.secret_key == key


def test_development_keeps_one_random_key_per_installation(made, tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    first = start(made)
    path = tmp_path / "instance" / "secret_key"
    assert first.secret_key == path.read_text().strip()
    assert len(first.secret_key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "only the owner may read the key"
    assert start(made).secret_key == first.secret_key, "sessions survive a restart"


def test_policy_defaults(made, tmp_path):
    app = start(made, {**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 30
    assert app.config["ABSOLUTE_TIMEOUT_HOURS"] == 12
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 5
    assert app.config["LOGIN_WINDOW_MINUTES"] == 15
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_pia_environment_variables_override_the_defaults(made, tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("PIA_IDLE_TIMEOUT_MINUTES", "15")
    monkeypatch.setenv("PIA_ABSOLUTE_TIMEOUT_HOURS", "8")
    monkeypatch.setenv("PIA_LOGIN_MAX_FAILURES_PER_ADDRESS", "50")
    monkeypatch.setenv("PIA_SECURITY_CONTACT", "mailto:cert@minbzk.nl")
    monkeypatch.setenv("PIA_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    behind_a_proxy(monkeypatch)
    app = start(made)
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 15
    assert app.config["ABSOLUTE_TIMEOUT_HOURS"] == 8
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 50
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert "Contact: mailto:cert@minbzk.nl" in app.test_client().get(
        "/.well-known/security.txt"
    ).get_data(as_text=True)


def test_an_environment_setting_changes_behaviour(app, make_app, monkeypatch):
    monkeypatch.setenv("PIA_LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")
    client = make_app().test_client()
    user = make_user(Role.FG)
    for _ in range(2):
        client.post_form("/inloggen", {"email": user.email, "password": "fout-fout-fout"})
    response = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429


def test_database_url_is_honoured(app, database_url, made, monkeypatch):
    make_user(Role.FG)
    monkeypatch.setenv("DATABASE_URL", database_url)
    other = start(made, dict(BASE_CONFIG))
    assert other.config["SQLALCHEMY_DATABASE_URI"] == database_url
    with other.app_context():
        assert count(User) == 1, "the second app reads the same database"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_heroku_style_postgres_urls_are_accepted(pg_cluster, made, monkeypatch, scheme):
    url = pg_cluster.url("postgres").replace("postgresql+psycopg://", f"{scheme}://")
    monkeypatch.setenv("DATABASE_URL", url)
    app = start(made, dict(BASE_CONFIG))
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(app, make_app):
    user = make_user(Role.FG)
    for proxies, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        client = make_app(PROXY_COUNT=proxies).test_client()
        before = len(audit_events())
        response = client.post_form(
            "/inloggen",
            {"email": user.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert response.status_code == 302
        (event,) = audit_events()[before:]
        assert event.action == "login.succeeded"
        assert event.ip_address == expected, f"PROXY_COUNT={proxies}"


def test_behind_a_proxy_https_is_recognised(app, make_app):
    client = make_app(PROXY_COUNT=1).test_client()
    response = client.get("/inloggen", headers={"X-Forwarded-Proto": "https"})
    assert response.headers.get("Strict-Transport-Security")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie


# --- production refuses unsafe or contradictory settings ----------------------------------


def production(tmp_path, **overrides) -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "BASE_URL": "https://pia.example.nl",
        "PROXY_COUNT": 1,
        "MAIL_BACKEND": "smtp",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"PROXY_COUNT": 0}, "PIA_PROXY_COUNT=1"),
        ({"PROXY_COUNT": "een"}, "geheel getal"),
        ({"PROXY_COUNT": -1}, "geheel getal"),
        ({"BASE_URL": "http://pia.example.nl"}, "https-adres"),
        ({"BASE_URL": "https://127.0.0.1:5000"}, "wijst naar deze machine"),
        ({"MAIL_BACKEND": "postduif"}, "PIA_MAIL_BACKEND"),
    ],
    ids=[
        "https-without-proxy-or-secure",
        "proxy-not-a-number",
        "proxy-negative",
        "http",
        "loopback",
        "unknown-mail-backend",
    ],
)
def test_production_refuses_unsafe_or_contradictory_settings(made, tmp_path, overrides, expected):
    with pytest.raises(ConfigurationError) as refused:
        start(made, production(tmp_path, **overrides))
    assert expected in str(refused.value)
    assert "pia start niet in productie" in str(refused.value)


def test_https_without_a_proxy_is_fine_when_cookies_are_secure(made, tmp_path):
    app = start(made, production(tmp_path, PROXY_COUNT=0, SESSION_COOKIE_SECURE=True))
    assert app.config["ENV"] == "production"


def test_the_default_base_url_is_refused_in_production(made, tmp_path):
    config = production(tmp_path)
    del config["BASE_URL"]
    with pytest.raises(ConfigurationError, match="PIA_BASE_URL"):
        start(made, config)


def test_warnings_for_sqlite_and_undelivered_mail_in_production(made, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="pia.config"):
        app = start(made, production(tmp_path, MAIL_BACKEND=None))
    assert app.config["MAIL_BACKEND"] == "log", "production's default logs metadata only"
    text = caplog.text
    assert "SQLite" in text
    assert "PIA_MAIL_BACKEND=log" in text


def test_an_operator_can_start_anyway_with_the_problems_in_the_log(made, tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="pia.config"):
        start(made, production(tmp_path, PROXY_COUNT=0, ALLOW_UNSAFE_SETTINGS=True))
    assert "PIA_PROXY_COUNT=1" in caplog.text


def test_development_defaults_to_readable_mail_in_a_folder(made, tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = start(made)
    assert app.config["MAIL_BACKEND"] == "folder"
