"""Personal access tokens for the API: only a hash of the secret is stored."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User

# What a token may do, on top of (never beyond) its user's own rights.
SCOPE_READ = "lezen"
SCOPE_WRITE_ANSWERS = "antwoorden-schrijven"
SCOPE_REVIEW = "beoordelen"
SCOPES = (SCOPE_READ, SCOPE_WRITE_ANSWERS, SCOPE_REVIEW)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # sha256 (hex) of the whole token; the token itself is shown once and stored nowhere.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so the owner recognises a token in the list.
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active
