"""Logging in and out: throttling, server-side sessions, timeouts."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import func, select

from pia.extensions import db
from pia.models import LoginAttempt, User, UserSession
from pia.models.types import utcnow
from pia.services import audit
from pia.services.accounts import normalise_email
from pia.services.passwords import verify_password

# Only touch last_seen_at when it is older than this, to spare the database.
LAST_SEEN_RESOLUTION = timedelta(seconds=30)


@dataclass(frozen=True)
class LoginResult:
    user: User | None = None
    throttled_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["LOGIN_WINDOW_MINUTES"]))


def throttled_until(email: str, ip_address: str) -> datetime | None:
    """When login attempts for this account or address may resume; None if they may now."""
    now = utcnow()
    since = now - _window()
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success else since
    limits = [
        (
            LoginAttempt.email == email,
            account_since,
            int(current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        ),
        (
            LoginAttempt.ip_address == ip_address,
            since,
            int(current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        ),
    ]
    until = None
    for condition, start, limit in limits:
        failures = db.session.scalars(
            select(LoginAttempt.attempted_at)
            .where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > start)
            .order_by(LoginAttempt.attempted_at.desc())
            .limit(limit)
        ).all()
        if len(failures) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            candidate = failures[-1] + _window()
            until = max(until, candidate) if until else candidate
    return until


def attempt_login(email: str, password: str) -> LoginResult:
    """Check a login; record the attempt. Unknown accounts and wrong passwords look alike."""
    email = normalise_email(email)
    ip_address = audit.client_address()
    until = throttled_until(email, ip_address)
    if until is not None:
        audit.record(
            "login.throttled", summary=f"Inlogpoging geweigerd (te veel pogingen): {email}"
        )
        return LoginResult(throttled_until=until)

    user = db.session.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    ok = bool(user and valid and user.active)
    db.session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=ok))
    if not ok:
        reason = (
            "onbekend account" if user is None else ("gedeactiveerd" if valid else "wachtwoord")
        )
        audit.record(
            "login.failed",
            actor=user,
            object_type="user",
            object_id=user.id if user else "",
            summary=f"Mislukte inlogpoging voor {email}",
            details={"reason": reason},
        )
        return LoginResult()
    audit.record(
        "login.succeeded",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} is ingelogd",
    )
    return LoginResult(user=user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Create a new server-side session; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            ip_address=audit.client_address(),
            user_agent=(request.user_agent.string or "")[:300],
        )
    )
    return token


def current_session(token: str | None) -> tuple[UserSession | None, str | None]:
    """The live session for a token, or (None, why it ended) if it is gone or expired."""
    if not token:
        return None, None
    sess = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == _hash_token(token))
    )
    if sess is None or sess.ended_at is not None:
        return None, "ended"
    now = utcnow()
    cfg = current_app.config
    if now - sess.last_seen_at > timedelta(minutes=float(cfg["IDLE_TIMEOUT_MINUTES"])):
        reason = "idle"
    elif now - sess.created_at > timedelta(hours=float(cfg["ABSOLUTE_TIMEOUT_HOURS"])):
        reason = "absolute"
    elif not sess.user.active:
        reason = "deactivated"
    else:
        if now - sess.last_seen_at > LAST_SEEN_RESOLUTION:
            sess.last_seen_at = now
        return sess, None
    _end(sess, reason)
    audit.record(
        "session.expired",
        actor=sess.user,
        object_type="user",
        object_id=sess.user_id,
        summary=f"Sessie van {sess.user.name} verlopen",
        details={"reason": reason},
    )
    return None, reason


def _end(sess: UserSession, reason: str) -> None:
    sess.ended_at = utcnow()
    sess.end_reason = reason


def end_session(token: str | None, user: User) -> None:
    """Log out: end the server-side session so a copied cookie no longer works."""
    if token:
        sess = db.session.scalar(
            select(UserSession).where(UserSession.token_hash == _hash_token(token))
        )
        if sess is not None and sess.ended_at is None:
            _end(sess, "logout")
    audit.record(
        "logout",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} is uitgelogd",
    )


def end_all_sessions(user: User, reason: str, keep_token: str | None = None) -> None:
    """End every open session of a user (deactivation, password reset), except `keep_token`'s."""
    keep = _hash_token(keep_token) if keep_token else None
    for sess in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ):
        if sess.token_hash != keep:
            _end(sess, reason)
