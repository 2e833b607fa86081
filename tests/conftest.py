"""Fixtures: an app per test on a fresh database (SQLite and PostgreSQL), a client, login."""

import contextvars
import itertools
import re
import shutil
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from html import unescape
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jinja2 import BytecodeCache
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing.rules import Rule

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
    # The tests log in through the password form only; the second factor that production
    # and the demo require for beheerders and FGs is tested with the rule switched on
    # (tests/test_second_factor.py, tests/e2e/test_sign_in_oidc.py).
    "MFA_REQUIRED_ROLES": "",
}


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by every app the tests create (keyed by source checksum)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedBytecodeCache()


@event.listens_for(Engine, "connect")
def _sqlite_no_fsync(dbapi_connection, connection_record) -> None:
    """Throwaway test databases need no durability; fsync per commit is most of SQLite's cost."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def _cache_url_builders() -> None:
    """Werkzeug compiles (ast + compile()) a URL builder for every rule of every new app:
    ~0.1 s per create_app(), most of an app-per-test suite's time. The builder's code
    depends only on the rule's parsed pattern, so apps with the same rules can share it."""
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "pia_cached", False):
        return
    cache: dict[tuple, object] = {}

    def cached(self, append_unknown: bool = True):
        trace = getattr(self, "_trace", None)
        if self.defaults or trace is None:  # defaults are folded into the code
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(trace), append_unknown)
        if key not in cache:
            cache[key] = compile_builder(self, append_unknown)
        return cache[key]

    cached.pia_cached = True
    Rule._compile_builder = cached


_cache_url_builders()


def _for_tests(app):
    app.test_client_class = PiaClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    return app


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


class DatabasePool:
    """Copies of the PostgreSQL template, made ahead in background threads.

    One CREATE DATABASE takes ~0.3 s, mostly waiting for a checkpoint; several at once
    share that wait, so a few copies in flight keep the suite fast.
    """

    def __init__(self, cluster: PostgresCluster, template: str, ahead: int = 6) -> None:
        self.cluster, self.template, self.ahead = cluster, template, ahead
        self.prefix = template.removesuffix("_template")
        self.executor = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="pia-db")
        self.coming: deque[Future] = deque()
        self.names = itertools.count()

    def _create(self, name: str) -> str:
        self.cluster.execute(f"CREATE DATABASE {name} TEMPLATE {self.template} STRATEGY FILE_COPY")
        return name

    def take(self) -> str:
        """The name of a fresh copy of the template."""
        while len(self.coming) <= self.ahead:
            name = f"{self.prefix}_test_{next(self.names)}"
            self.coming.append(self.executor.submit(self._create, name))
        return self.coming.popleft().result()

    def drop(self, name: str) -> None:
        self.executor.submit(self.cluster.execute, f"DROP DATABASE {name} WITH (FORCE)")

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _seed_demo(url: str) -> None:
    from pia import create_app
    from pia.demo import seed_demo
    from pia.extensions import db

    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        seed_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(db_template, tmp_path_factory):
    """The migrated template with the demo seeded into it, once per backend and process.

    Seeding the demo takes seconds; tests marked `demo` start from a copy of this instead
    of seeding their own (seed_demo() is idempotent, so a test may still call it)."""
    backend, source = db_template
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite-demo") / "demo.sqlite3"
        shutil.copy(source, path)
        _seed_demo(f"sqlite:///{path}")
        yield ("sqlite", path)
    else:
        source.execute("CREATE DATABASE pia_demo_template TEMPLATE pia_template")
        _seed_demo(source.url("pia_demo_template"))
        yield ("postgresql", source)


@pytest.fixture(scope="session")
def pg_pool(db_template):
    backend, cluster = db_template
    assert backend == "postgresql"
    pool = DatabasePool(cluster, "pia_template")
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def pg_demo_pool(demo_template):
    backend, cluster = demo_template
    assert backend == "postgresql"
    pool = DatabasePool(cluster, "pia_demo_template", ahead=2)
    yield pool
    pool.close()


@pytest.fixture
def database_url(request, db_template, tmp_path):
    demo = request.node.get_closest_marker("demo") is not None
    backend, source = request.getfixturevalue("demo_template") if demo else db_template
    if backend == "sqlite":
        path = tmp_path / "pia.sqlite3"
        shutil.copy(source, path)
        yield f"sqlite:///{path}"
    else:
        pool = request.getfixturevalue("pg_demo_pool" if demo else "pg_pool")
        name = pool.take()
        yield source.url(name)
        pool.drop(name)


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
    _for_tests(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class PiaClient(FlaskClient):
    """A test client that can post forms with a valid CSRF token, as a browser would.

    Every request runs in a fresh context, as it does in production: the test's own
    app context (pushed by the `app` fixture) would otherwise be reused, and with it
    `g` (where Flask-Login caches the user) and the database session, so a second
    client could silently act as the first one's user.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        from flask import has_app_context

        if has_app_context():
            from pia.extensions import db

            db.session.expire_all()  # the test reads what the request committed
        return response

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


def log_in(client, user, password: str = PASSWORD):
    """Log any client in through the real login form (and its code step, when the user has
    a second factor: the code is made from the stored secret, as the user's app would)."""
    response = client.post_form("/inloggen", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if response.headers["Location"] == "/inloggen/code":
        response = client.post_form("/inloggen/code", {"code": totp_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def totp_code(user, step: int | None = None) -> str:
    """A code the user's authenticator app shows: for `step`, or the first time step the
    server will still accept (codes are single-use, so each login needs a later step)."""
    import time

    import pyotp

    from pia.extensions import db
    from pia.models import SecondFactor

    db.session.expire_all()
    factor = db.session.get(SecondFactor, user.id)
    assert factor is not None, f"{user.email} has no second factor"
    now = int(time.time()) // 30
    if step is None:
        step = max(now - 1, factor.last_step + 1)
        assert step <= now + 1, "more than three logins of one user within 30 seconds"
    return pyotp.TOTP(factor.secret).generate_otp(step)


@pytest.fixture
def login(client):
    """login(user) logs the client in through the real login form."""

    def _login(user, password: str = PASSWORD):
        return log_in(client, user, password)

    return _login


@pytest.fixture
def backend(db_template) -> str:
    """The database backend of this run: "sqlite" or "postgresql"."""
    return db_template[0]


@pytest.fixture
def make_app(database_url):
    """make_app(**config): another instance of the app on the same database (a second worker)."""
    from pia import create_app
    from pia.extensions import db

    made = []

    def _make(**config):
        other = _for_tests(create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **config}))
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def session_cookie(client) -> str | None:
    """The value of the client's session cookie, or None."""
    cookie = client.get_cookie("pia_session")
    return cookie.value if cookie else None


def client_with_cookie(app, value: str):
    """A new client (another browser) that presents a copied session cookie."""
    other = app.test_client()
    other.set_cookie("pia_session", value)
    return other


def user_sessions(user):
    """The server-side sessions of a user, oldest first."""
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import UserSession

    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    ).all()


def audit_events(action: str | None = None):
    """Audit events, oldest first, optionally of one action."""
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import AuditEvent

    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query).all()


def count(model) -> int:
    """Rows of a model in the database."""
    from sqlalchemy import func, select

    from pia.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def input_value(response, name: str) -> str | None:
    """The value attribute of the <input name=...> in an HTML response (None if absent)."""
    html = response.get_data(as_text=True)
    tag = re.search(rf"<input\b[^>]*\bname=\"{re.escape(name)}\"[^>]*>", html)
    assert tag, f"no input named {name!r}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return None if value is None else unescape(value.group(1))


def checked_values(response, name: str) -> set[str]:
    """The values of the checked checkboxes/radio buttons named `name`."""
    html = response.get_data(as_text=True)
    values = set()
    for tag in re.findall(rf"<input\b[^>]*\bname=\"{re.escape(name)}\"[^>]*>", html):
        if re.search(r"\schecked\b", tag):
            values.add(unescape(re.search(r'\bvalue="([^"]*)"', tag).group(1)))
    return values


def selected_option(response, name: str) -> str | None:
    """The value of the selected option of <select name=...>, None if none is selected."""
    html = response.get_data(as_text=True)
    select = re.search(rf"<select\b[^>]*\bname=\"{re.escape(name)}\".*?</select>", html, re.S)
    assert select, f"no select named {name!r}"
    for tag in re.findall(r"<option\b[^>]*>", select.group(0)):
        if re.search(r"\sselected\b", tag):
            return unescape(re.search(r'\bvalue="([^"]*)"', tag).group(1))
    return None


def option_values(response, name: str) -> set[str]:
    """The values offered by <select name=...>."""
    html = response.get_data(as_text=True)
    select = re.search(rf"<select\b[^>]*\bname=\"{re.escape(name)}\".*?</select>", html, re.S)
    assert select, f"no select named {name!r}"
    return set(re.findall(r'<option\b[^>]*\bvalue="([^"]*)"', select.group(0)))


def header_text(response) -> str:
    """The visible text of the page's <header> landmark."""
    html = response.get_data(as_text=True)
    match = re.search(r"<header\b.*?</header>", html, flags=re.S)
    assert match, "page has no <header>"
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip())


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace folded (for assertions)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


ROOT = Path(__file__).resolve().parent.parent


# -- the axe summary when the suite runs in several processes (pytest-xdist) ---------------
# The browser tests report the pages axe checked as user properties; the controlling
# process collects them here (tests/e2e/conftest.py prints its own line when run alone).
_AXE_PAGES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        for name, value in report.user_properties:
            if name == "axe_checked":
                _AXE_PAGES.extend(value)


def pytest_terminal_summary(terminalreporter):
    workers = getattr(terminalreporter.config.option, "numprocesses", None)
    if workers and _AXE_PAGES:
        terminalreporter.write_line(
            f"e2e: axe-core checked {len(_AXE_PAGES)} pages "
            f"({len(set(_AXE_PAGES))} distinct URLs) in {workers} processes."
        )


def password_link_token(user) -> str:
    """The token of the newest one-time password link mailed to `user` (from the queued mail)."""
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import OutgoingMail

    bodies = db.session.scalars(
        select(OutgoingMail.body)
        .where(OutgoingMail.to_address == user.email, OutgoingMail.notification_id.is_(None))
        .order_by(OutgoingMail.id.desc())
    ).all()
    for body in bodies:
        found = re.search(r"/wachtwoord-instellen/([A-Za-z0-9_-]+)", body)
        if found:
            return found.group(1)
    raise AssertionError(f"no password link mailed to {user.email}")
