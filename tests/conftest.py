"""Fixtures: an app per test on a fresh database (SQLite and PostgreSQL), a client, login."""

import itertools
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from tests.pg import PostgresCluster

SECRET = "test-secret-key-that-is-long-enough-1234567890"
PASSWORD = "een-lang-testwachtwoord-42"

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": SECRET,
    # Cheap hashing in tests; production keeps the strong defaults.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
}


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from pia import create_app

    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        from pia.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


_counter = itertools.count()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_template(request, tmp_path_factory):
    """A migrated template database per backend; each test gets a copy of it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield ("sqlite", path)
    else:
        cluster = request.getfixturevalue("pg_cluster")
        cluster.execute("CREATE DATABASE pia_template")
        _migrate(cluster.url("pia_template"))
        yield ("postgresql", cluster)


@pytest.fixture
def database_url(db_template, tmp_path):
    backend, source = db_template
    if backend == "sqlite":
        path = tmp_path / "pia.sqlite3"
        shutil.copy(source, path)
        yield f"sqlite:///{path}"
    else:
        name = f"pia_test_{next(_counter)}"
        source.execute(f"CREATE DATABASE {name} TEMPLATE pia_template")
        yield source.url(name)
        source.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def app_config():
    """Override in a test module to change the configuration."""
    return {}


@pytest.fixture
def app(database_url, app_config, tmp_path):
    from pia import create_app
    from pia.extensions import db

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **app_config})
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = PiaClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class PiaClient(FlaskClient):
    """A test client that can post forms with a valid CSRF token, as a browser would."""

    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.get("csrf_token")
            if raw is None:
                import secrets

                raw = sess["csrf_token"] = secrets.token_hex(20)
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def client(app) -> PiaClient:
    return app.test_client()


# --- factories: plain functions -------------------------------------------------------


def make_org(abbreviation: str = "BZK", name: str | None = None, active: bool = True):
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import Organisation

    org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == abbreviation))
    if org is None:
        org = Organisation(
            abbreviation=abbreviation, name=name or f"Ministerie {abbreviation}", active=active
        )
        db.session.add(org)
        db.session.commit()
    return org


def make_user(
    *roles,
    email: str | None = None,
    org: str = "BZK",
    name: str | None = None,
    password: str = PASSWORD,
    active: bool = True,
    must_change_password: bool = False,
):
    from pia.extensions import db
    from pia.models import User
    from pia.services.passwords import hash_password

    n = next(_counter)
    role_part = "-".join(str(r) for r in roles) or "geen-rol"
    user = User(
        email=email or f"{role_part}.{n}@pia.test",
        name=name or f"Test {role_part} {n}",
        organisation=make_org(org),
        password_hash=hash_password(password),
        active=active,
        must_change_password=must_change_password,
    )
    user.roles = set(roles)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def login(client):
    """login(user) logs the client in through the real login form."""

    def _login(user, password: str = PASSWORD):
        response = client.post_form("/inloggen", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    return _login


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded (for assertions)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


ROOT = Path(__file__).resolve().parent.parent
