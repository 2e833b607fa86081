"""Server-side login sessions and the login attempts used for throttling."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


class UserSession(db.Model):
    """One login. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    # How the user signed in: "password" (with or without a second factor) or "oidc".
    method: Mapped[str] = mapped_column(String(20), default="password", server_default="password")
    second_factor: Mapped[bool] = mapped_column(default=False, server_default=false())
    # OpenID sign-in: the provider and its ID token (for RP-initiated logout); kept here on
    # the server, never in the cookie. Access and refresh tokens are not kept at all.
    provider: Mapped[str | None] = mapped_column(String(40))
    id_token: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """Every password check (login, and the current password on the change page); failures
    within a window throttle further attempts.

    The typed e-mail address is not stored: `account_key` is a keyed hash of it (HMAC with
    the secret key, see services.auth.account_key), the same for an existing account and a
    mistyped or invented one, so the table tells nobody which addresses were tried.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_account_at", "account_key", "attempted_at"),
        Index("ix_login_attempts_ip_at", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(45))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)
