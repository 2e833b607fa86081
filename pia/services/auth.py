"""Logging in and out: throttling, server-side sessions, timeouts."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import and_, func, select, text

from pia.extensions import db
from pia.models import LoginAttempt, User, UserSession
from pia.models.types import utcnow
from pia.services import audit
from pia.services.accounts import normalise_email
from pia.services.passwords import hash_password, needs_rehash, verify_password

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


def account_key(email: str) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key) of a normalised e-mail address.

    Login attempts are counted per account under this key instead of the typed address:
    the same for an existing account and for an address that has none, so the table holds
    no typed addresses and does not tell which accounts exist.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"login:" + normalise_email(email).encode(), hashlib.sha256).hexdigest()


def _limits(key: str, ip_address: str) -> list[tuple[object, timedelta, int]]:
    """(which attempts, window, how many failures) for each limit that applies.

    * per account *and* address: few failures, short window, cleared by a success from
      that address. This is the limit a guesser meets; it does not lock the account for
      anyone else.
    * per address, over all accounts: one address trying many accounts.
    * per account, over all addresses: many more failures, a longer window, cleared only by
      a success of the account itself. It stops a distributed guesser, and is so high that
      an anonymous attacker cannot casually lock someone out with it.
    """
    cfg = current_app.config
    window = _window()
    account = LoginAttempt.account_key == key
    address = LoginAttempt.ip_address == ip_address
    return [
        (and_(account, address), window, int(cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]), "pair"),
        (address, window, int(cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]), "address"),
        (
            account,
            timedelta(minutes=int(cfg["LOGIN_ACCOUNT_WINDOW_MINUTES"])),
            int(cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL"]),
            "account",
        ),
    ]


def _lock(key: str, ip_address: str) -> None:
    """Serialise checks of one account (and of one address) until the transaction ends,
    so that check-then-record is atomic: parallel guesses queue up behind each other
    and each sees the failures of the ones before it.

    PostgreSQL: transaction-level advisory locks, account first, then address (always in
    that order, so two requests never wait for each other in a circle). SQLite: the
    database write lock, taken now instead of at the first insert.
    """
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        for namespace, value in ((727275, key), (727276, ip_address)):
            digest = hashlib.sha256(value.encode()).digest()
            db.session.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :id)"),
                {"ns": namespace, "id": int.from_bytes(digest[:4], "big", signed=True)},
            )
    elif dialect == "sqlite":
        db.session.execute(text("UPDATE login_attempts SET id = id WHERE 0 = 1"))


def throttled_until(key: str, ip_address: str) -> datetime | None:
    """When password checks for this account key at this address may resume; None: now."""
    now = utcnow()
    until = None
    for condition, window, limit, scope in _limits(key, ip_address):
        since = now - window
        if scope != "address":
            # A success clears the account's counters: from its address for the pair, and
            # from anywhere for the account as a whole.
            success_where = [LoginAttempt.account_key == key, LoginAttempt.succeeded.is_(True)]
            if scope == "pair":
                success_where.append(LoginAttempt.ip_address == ip_address)
            last_success = db.session.scalar(
                select(func.max(LoginAttempt.attempted_at)).where(*success_where)
            )
            if last_success and last_success > since:
                since = last_success
        failures = db.session.scalars(
            select(LoginAttempt.attempted_at)
            .where(condition, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since)
            .order_by(LoginAttempt.attempted_at.desc())
            .limit(limit)
        ).all()
        if len(failures) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            candidate = failures[-1] + window
            until = max(until, candidate) if until else candidate
    return until


def _checked(key: str, user: User | None, password: str) -> tuple[bool, datetime | None]:
    """Throttle, check and record one password check (the caller commits)."""
    ip_address = audit.client_address()
    _lock(key, ip_address)
    until = throttled_until(key, ip_address)
    if until is not None:
        return False, until
    valid = verify_password(user.password_hash if user else None, password)
    ok = bool(user and valid and user.active)
    db.session.add(LoginAttempt(account_key=key, ip_address=ip_address, succeeded=ok))
    if ok and needs_rehash(user.password_hash):
        # The argon2 cost was raised since this hash was made: store it at today's cost.
        user.password_hash = hash_password(password)
    return valid, None


def attempt_login(email: str, password: str) -> LoginResult:
    """Check a login; record the attempt. Unknown accounts and wrong passwords look alike.

    The audit trail names the account when it exists; for an unknown one it keeps only a
    short keyed hash of what was typed, never the typed address itself.
    """
    email = normalise_email(email)
    key = account_key(email)
    user = db.session.scalar(select(User).where(User.email == email))
    valid, until = _checked(key, user, password)
    subject = email if user else "een onbekend account"
    ref = {} if user else {"account_key": key[:16]}
    if until is not None:
        audit.record(
            "login.throttled",
            actor=user,
            object_type="user" if user else "",
            object_id=user.id if user else "",
            summary=f"Inlogpoging geweigerd (te veel pogingen): {subject}",
            details=ref,
        )
        return LoginResult(throttled_until=until)
    if not (user and valid and user.active):
        reason = (
            "onbekend account" if user is None else ("gedeactiveerd" if valid else "wachtwoord")
        )
        audit.record(
            "login.failed",
            actor=user,
            object_type="user",
            object_id=user.id if user else "",
            summary=f"Mislukte inlogpoging voor {subject}",
            details={"reason": reason, **ref},
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


def check_current_password(user: User, password: str) -> LoginResult:
    """The current password on the change page: throttled and counted like a login, so a
    borrowed session cannot be used to guess it."""
    valid, until = _checked(account_key(user.email), user, password)
    if until is not None:
        audit.record(
            "password_check.throttled",
            actor=user,
            object_type="user",
            object_id=user.id,
            summary=f"Wachtwoordcontrole van {user.name} geweigerd (te veel pogingen)",
        )
        return LoginResult(throttled_until=until)
    if not valid:
        audit.record(
            "password_check.failed",
            actor=user,
            object_type="user",
            object_id=user.id,
            summary=f"Onjuist huidig wachtwoord bij wachtwoord wijzigen door {user.name}",
        )
        return LoginResult()
    return LoginResult(user=user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: User,
    *,
    method: str = "password",
    second_factor: bool = False,
    provider: str | None = None,
    id_token: str | None = None,
) -> str:
    """Create a new server-side session; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            ip_address=audit.client_address(),
            user_agent=(request.user_agent.string or "")[:300],
            method=method,
            second_factor=second_factor,
            provider=provider,
            id_token=id_token,
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
    sess.id_token = None


def end_session(token: str | None, user: User) -> tuple[str | None, str | None]:
    """Log out: end the server-side session so a copied cookie no longer works.

    Returns (provider, ID token) of an OpenID session, for ending the provider's session
    too; the token is not kept after this."""
    ended: tuple[str | None, str | None] = (None, None)
    if token:
        sess = db.session.scalar(
            select(UserSession).where(UserSession.token_hash == _hash_token(token))
        )
        if sess is not None and sess.ended_at is None:
            if sess.method == "oidc":
                ended = (sess.provider, sess.id_token)
            _end(sess, "logout")
    audit.record(
        "logout",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} is uitgelogd",
    )
    return ended


def mark_second_factor(token: str | None) -> None:
    """The user of this session has just set up a second factor (it counts as proven)."""
    sess, _ = current_session(token)
    if sess is not None:
        sess.second_factor = True


def end_all_sessions(user: User, reason: str, keep_token: str | None = None) -> None:
    """End every open session of a user (deactivation, password reset), except `keep_token`'s."""
    keep = _hash_token(keep_token) if keep_token else None
    for sess in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ):
        if sess.token_hash != keep:
            _end(sess, reason)
