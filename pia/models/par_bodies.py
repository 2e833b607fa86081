"""The interdepartmental bodies that approve a rijksbreed privacyadvies (data, not code)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow


class ParBody(db.Model):
    """An interdepartmental body (e.g. the CIO-beraad), managed by the beheerder.

    Never deleted: a trajectory and a decision keep the name they were recorded under
    (ParTrajectory.bodies, ParDecision.body), so renaming one changes no record."""

    __tablename__ = "par_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    # As long as ParDecision.body, which stores it.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __str__(self) -> str:
        return self.name
