"""The OpenID providers the sign-in tests talk to, on free loopback ports.

* `NodeProvider`: the certified `oidc-provider` package from npm run by node
  (tests/oidc/provider.mjs), with a test client and test users: the real thing.
* `TokenProvider`: a few lines of Python that serve discovery, a JWKS and a token endpoint
  handing out whatever ID token the test signed itself, for the token-level refusals a
  correct provider never produces (another audience, expired, another key, a wrong nonce).
"""

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "pia-test"
CLIENT_SECRET = "pia-test-secret-that-is-long-enough"

# The provider's test users: (login, password, sub, e-mail, verified, name)
ACCOUNTS = [
    ("anna", "anna-wachtwoord", "sub-anna", "anna@pia.test", True, "Anna Aalders"),
    ("bert", "bert-wachtwoord", "sub-bert", "bert@pia.test", False, "Bert Bos"),
    ("carla", "carla-wachtwoord", "sub-carla", "carla@pia.test", True, "Carla Claes"),
    ("dirk", "dirk-wachtwoord", "sub-dirk", "dirk@pia.test", True, "Dirk Dam"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # never through a proxy
    return session


@dataclass
class NodeProvider:
    """oidc-provider on http://127.0.0.1:<port>, with one client for the given redirect URIs."""

    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    id_token_ttl: int = 3600
    process: subprocess.Popen | None = None
    port: int = 0

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "NodeProvider":
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
            raise RuntimeError(
                "node and the npm package oidc-provider are needed: run `npm ci` "
                "(or `make test-deps`)."
            )
        self.port = self.port or free_port()
        config = {
            "issuer": self.issuer,
            "port": self.port,
            "id_token_ttl": self.id_token_ttl,
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": self.redirect_uris,
                    "post_logout_redirect_uris": self.post_logout_redirect_uris,
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "client_secret_basic",
                }
            ],
            "accounts": [
                {"login": a, "password": p, "sub": s, "email": e, "email_verified": v, "name": n}
                for a, p, s, e, v, n in ACCOUNTS
            ],
        }
        env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config), "NODE_ENV": "test"}
        self.process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("{"):
            self.stop()
            raise RuntimeError(f"oidc-provider did not start: {line}{self.process.stderr.read()}")
        # Keep reading its output so that it never blocks on a full pipe.
        self._readers = [
            threading.Thread(target=stream.read, daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in getattr(self, "_readers", []):
            reader.join(timeout=5)  # the pipes reach their end once the process has gone
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def browser(self) -> requests.Session:
        """A fresh 'browser' (cookie jar) at the provider."""
        return _session()

    def sign_in(
        self, authorize_url: str, login: str, password: str, browser: requests.Session = None
    ) -> str:
        """Act as the browser at the provider: follow the authorisation request to the login
        page, sign in, and return the URL the provider sends the browser back to."""
        browser = browser or _session()
        url = authorize_url
        for _ in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "/interaction/" in url:
                break
            if response.status_code not in (302, 303):
                raise AssertionError(f"{url}: {response.status_code} {response.text[:500]}")
            url = requests.compat.urljoin(url, response.headers["Location"])
            if not url.startswith(self.issuer):
                return url
        response = browser.post(
            url, data={"login": login, "password": password}, allow_redirects=False, timeout=10
        )
        for _ in range(10):
            if response.status_code not in (302, 303):
                raise AssertionError(f"{url}: {response.status_code} {response.text[:500]}")
            url = requests.compat.urljoin(url, response.headers["Location"])
            if not url.startswith(self.issuer):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        raise AssertionError("the provider did not send the browser back")

    def refuses(self, authorize_url: str) -> str:
        """The provider's own answer to an authorisation request it refuses (its page)."""
        response = _session().get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 400, (response.status_code, response.headers)
        return response.text


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@dataclass
class TokenProvider:
    """A stand-in provider whose token endpoint returns the ID token the test signed."""

    client_id: str = CLIENT_ID
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "test-1"}))
    id_token: str = ""
    server: ThreadingHTTPServer | None = None
    token_requests: list[dict] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "TokenProvider":
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, value) -> None:
                body = json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    self._json(provider.metadata())
                elif self.path == "/jwks":
                    self._json(KeySet([provider.key]).as_dict(private=False))
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append({k: v[0] for k, v in form.items()})
                self._json(
                    {
                        "access_token": "test-access-token",
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token,
                    }
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def claims(self, nonce: str, **changes) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "sub-token",
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": "token@pia.test",
            "email_verified": True,
            "name": "Tessa Token",
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, key: RSAKey | None = None) -> str:
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
