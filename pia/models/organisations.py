"""Organisations: the ministries and other bodies users belong to."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    abbreviation: Mapped[str] = mapped_column(String(20), unique=True)
    is_ministry: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    # The beheerder's rule for a first OpenID sign-in: link it to the existing account of
    # this organisation with the same e-mail address, if the provider says it is verified.
    # Off: a first sign-in always makes a new account that a beheerder approves.
    sso_link_verified_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"
