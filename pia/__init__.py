"""pia: privacy impact assessments for the Rijksdienst."""

import logging
import os
import secrets
from pathlib import Path

import flask_sqlalchemy.session
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from pia.config import DEFAULTS, FLASK_SETTINGS, WEAK_SECRETS
from pia.extensions import csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in routes, limited to what an INTEGER column holds (PostgreSQL casts a
    parameter to ::INTEGER: a larger id was a 500 there, not a 404)."""

    # The range is in the pattern too: Werkzeug compares the method before it converts, so a
    # path that only a converter refuses answered 405 where a GET and a POST rule share it.
    regex = (
        r"(?:\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}"
        r"|21474[0-7]\d{4}|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])"
    )

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - Werkzeug's signature
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, security."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    from pia.formkit import CleanRequest

    app.request_class = CleanRequest
    app.config.update(FLASK_SETTINGS)
    app.config.update(DEFAULTS)
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("PIA")
    if test_config:
        app.config.update(test_config)

    _configure_logging(app)
    _configure_secret_key(app)
    _configure_database(app)
    _configure_mail_backend(app)
    from pia import settings_check

    settings_check.check(app)
    if int(app.config["PROXY_COUNT"]) > 0:
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    login_manager.init_app(app)

    from pia import cli, errors, fast_html, security, templating
    from pia.services import figures
    from pia.views import register_blueprints

    # Lists and dashboards read stored figures; every commit keeps them current.
    figures.install(flask_sqlalchemy.session.Session)

    # An id beyond the database's integer range is simply not found (instead of a 500).
    app.url_map.converters["int"] = DatabaseIntConverter
    security.init_app(app)
    templating.init_app(app)
    fast_html.install()
    errors.init_app(app)
    register_blueprints(app)
    from pia import api

    api.init_app(app)  # after errors.init_app: problem+json under /api/, the pages unchanged
    cli.init_app(app)
    _configure_mail(app)
    _share_evaluations(app)
    return app


def _share_evaluations(app: Flask) -> None:
    """A page (GET) evaluates each answer set once, however often its parts ask."""
    from flask import g, request

    from forms.conditions import shared_evaluation

    @app.before_request
    def _enter() -> None:
        if request.method in ("GET", "HEAD"):
            g.pia_shared_evaluation = shared_evaluation()
            g.pia_shared_evaluation.__enter__()

    @app.teardown_request
    def _leave(exc: BaseException | None) -> None:
        block = g.pop("pia_shared_evaluation", None)
        if block is not None:
            block.__exit__(None, None, None)


def _configure_mail(app: Flask) -> None:
    """Queued mail goes out after each response (and with `flask send-mail`)."""
    if not app.config.get("MAIL_FOLDER"):
        app.config["MAIL_FOLDER"] = str(Path(app.instance_path) / "mail")
    if app.config.get("MAIL_SEND_AFTER_REQUEST", True):
        from pia.services.notify import after_commit_dispatch

        app.after_request(after_commit_dispatch)
        app.wsgi_app = CloseOnDevelopmentServer(app.wsgi_app)


class CloseOnDevelopmentServer:
    """Under Werkzeug's development server (`make run`, the browser tests), close the
    response before the server writes it.

    Mail queued by a request goes out when the server closes the response (PEP 3333:
    `close()` is always called; gunicorn does). Werkzeug's development server skips it
    when the browser drops the connection right after a redirect, so a password link
    would wait for the next `flask send-mail`. There the body is read and closed first,
    which costs the user the few milliseconds of writing to the mail folder.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        body = self.wsgi_app(environ, start_response)
        if not str(environ.get("SERVER_SOFTWARE", "")).startswith("Werkzeug/"):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()


def _configure_mail_backend(app: Flask) -> None:
    """Unset: development writes .eml files (readable in the demo), production logs only
    that a message went out (never its text) and warns that nothing is delivered."""
    if not app.config.get("MAIL_BACKEND"):
        app.config["MAIL_BACKEND"] = "folder" if app.config["ENV"] == "development" else "log"


def _configure_logging(app: Flask) -> None:
    level = str(app.config["LOG_LEVEL"]).upper()
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(level)


def _configure_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if app.config["ENV"] == "production" and not app.testing:
        if not key or str(key).lower() in WEAK_SECRETS or len(str(key)) < 32:
            raise ConfigurationError(
                "PIA_SECRET_KEY ontbreekt of is te zwak (minstens 32 tekens). "
                "Zet een willekeurige geheime sleutel in de omgeving, bijvoorbeeld met: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'. "
                "Voor lokaal gebruik: PIA_ENV=development."
            )
        return
    if not key:
        # Development: one random key per installation, kept under instance/.
        path = Path(app.instance_path) / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        app.config["SECRET_KEY"] = path.read_text().strip()


def _configure_database(app: Flask) -> None:
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'pia.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we ship.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
