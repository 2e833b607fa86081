"""One-time links to set a password: a new account's first one, or after a reset.

The mail holds a random token; only its SHA-256 is stored, so neither the database nor
the beheerder who asked for the link can use it. A link works once and expires.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


class PasswordLink(db.Model):
    __tablename__ = "password_links"
    __table_args__ = (CheckConstraint("purpose IN ('welcome', 'reset')", name="known_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the link was used, or revoked (a newer link, an e-mail change, deactivation).
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
