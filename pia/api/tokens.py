"""Who calls the API: the bearer token, its scopes, its rate, and the audit record of each use.

Session cookies are ignored entirely: the user of an API request comes only from its token
(Flask-Login's `current_user` is set to that user for the request, so the services and the
access object see exactly this user)."""

import threading
import time
from dataclasses import dataclass

from flask import current_app, g, request
from flask_login import AnonymousUserMixin

from pia.api.problems import Problem
from pia.extensions import db
from pia.models.types import utcnow
from pia.services import api_tokens, audit

DEFAULT_RATE_PER_MINUTE = 120


@dataclass
class _Window:
    minute: int
    count: int


class RateLimiter:
    """A fixed window of one minute per token, in memory in this process (one per app)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}

    def hit(self, token_id: str, limit: int, now: float | None = None) -> int | None:
        """Count one request; None when allowed, else the seconds until the next window."""
        now = time.time() if now is None else now
        minute = int(now // 60)
        with self._lock:
            window = self._windows.get(token_id)
            if window is None or window.minute != minute:
                if len(self._windows) > 10_000:
                    self._windows.clear()
                window = self._windows[token_id] = _Window(minute, 0)
            window.count += 1
            if window.count > limit:
                return max(1, int((minute + 1) * 60 - now))
        return None


def authenticate() -> None:
    """before_request of the API: find the token (401 without a usable one), then the rate."""
    g._login_user = AnonymousUserMixin()  # never the session's user
    g.pia_api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Problem(
            401,
            "Geef een persoonlijk API-token mee: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="pia"'},
        )
    token = api_tokens.find_usable(secret.strip())
    if token is None:
        raise Problem(
            401,
            "Het token is onbekend, verlopen of ingetrokken, of het account is gedeactiveerd.",
            headers={"WWW-Authenticate": 'Bearer realm="pia", error="invalid_token"'},
        )
    g._login_user = token.user
    g.pia_api_token = token
    limit = int(current_app.config.get("API_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE))
    limiter = current_app.extensions.setdefault("pia_api_limiter", RateLimiter())
    wait = limiter.hit(token.token_hash, limit)
    if wait is not None:
        raise Problem(
            429,
            f"Maximaal {limit} verzoeken per minuut per token. Probeer het zo opnieuw.",
            headers={"Retry-After": str(wait)},
        )


def require_scope(scope: str) -> None:
    token = g.get("pia_api_token")
    if token is None or scope not in token.scope_set:
        raise Problem(403, f"Dit token heeft de bevoegdheid '{scope}' niet.")


def record_use(response):
    """after_request of the API: the token's last use and an audit event (never the token)."""
    token = g.get("pia_api_token")
    if token is None:
        return response
    try:
        token.last_used_at = utcnow()
        audit.record(
            "api.request",
            actor=token.user,
            object_type="api_token",
            object_id=token.id,
            summary=f"API {request.method} {request.path} → {response.status_code}",
            details={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "token_name": token.name,
            },
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 - the response is already decided; log and go on
        current_app.logger.exception("API use could not be recorded")
        db.session.rollback()
    return response
