"""The app served by a real WSGI server on 127.0.0.1, on a fresh SQLite database with the demo."""

import hashlib
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.conftest import BASE_CONFIG, PASSWORD, make_user

# The e2e tests share one server and thus one client address: the per-address login
# limit (20 failures per 15 minutes) would otherwise lock out later tests.
LIVE_CONFIG = {"LOGIN_MAX_FAILURES_PER_ADDRESS": 1000}


@dataclass(frozen=True)
class Account:
    """A user created for one test (plain values, usable outside the app context)."""

    id: int
    email: str
    name: str
    password: str


class _QuietHandler(WSGIRequestHandler):
    """No access log per request; errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


class _ErrorLog(logging.Handler):
    """Keeps the app's ERROR log records (e.g. the 500 handler's traceback)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        self.records.append(self.format(record))


@dataclass
class LiveServer:
    """The running app. `url` for the browser; `app_context()` to reach its database."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread
    error_log: _ErrorLog = field(default_factory=_ErrorLog)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def app_context(self):
        """`with live_server.app_context(): db.session...` — the live server's own database."""
        return self.app.app_context()

    def create_user(self, *roles, password: str = PASSWORD, **kwargs) -> Account:
        """A fresh account (tests.conftest.make_user) in the live database."""
        with self.app_context():
            user = make_user(*roles, password=password, **kwargs)
            return Account(id=user.id, email=user.email, name=user.name, password=password)

    def session_token_hash(self, page) -> str:
        """The `UserSession.token_hash` of the browser context that `page` belongs to."""
        cookie = next(c for c in page.context.cookies() if c["name"] == "pia_session")
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        token = serializer.loads(cookie["value"])["sid"]
        return hashlib.sha256(token.encode()).hexdigest()


def start_live_server(tmp_dir: Path, config: dict | None = None, port: int = 0) -> LiveServer:
    """Migrate and seed a new database, serve it, wait until /health answers.

    `config` adds settings (e.g. an OpenID provider); `port` 0 means any free port."""
    from flask_migrate import upgrade

    from pia import create_app
    from pia.demo import seed_demo
    from pia.extensions import db

    app = create_app(
        {**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_dir / 'e2e.sqlite3'}", **LIVE_CONFIG}
        | (config or {})
    )
    app.instance_path = str(tmp_dir / "instance")
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()

    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    live = LiveServer(app=app, server=server, thread=thread)
    app.logger.addHandler(live.error_log)
    try:
        _wait_until_healthy(live.url + "/health")
    except BaseException:
        stop_live_server(live)
        raise
    return live


def _wait_until_healthy(url: str, timeout: float = 10.0) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    deadline = time.monotonic() + timeout
    while True:
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"The live server does not answer on {url}")
        time.sleep(0.05)


def stop_live_server(live: LiveServer) -> None:
    """Stop serving, close the socket, release the database."""
    from pia.extensions import db

    live.server.shutdown()
    live.server.server_close()
    live.thread.join(timeout=5)
    live.app.logger.removeHandler(live.error_log)
    with live.app.app_context():
        db.session.remove()
        db.engine.dispose()
