"""The register of processing activities (art. 30 AVG): one row per processing operation
of every adopted DPIA version, computed from the frozen answers (pia/services/register.py)."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.assessments import Assessment
from pia.models.organisations import Organisation
from pia.models.types import UTCDateTime, utcnow


class RegisterRecord(db.Model):
    """One processing operation (§3) of one adopted version. `current` marks the newest
    adopted version of a DPIA that was not withdrawn; earlier versions stay as history.
    Every text field holds one entry per line."""

    __tablename__ = "register_records"
    __table_args__ = (UniqueConstraint("version_id", "operation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    version_number: Mapped[int]
    round: Mapped[int] = mapped_column(default=1)
    adopted_on: Mapped[date] = mapped_column(Date, index=True)
    current: Mapped[bool] = mapped_column(default=True, index=True)
    position: Mapped[int] = mapped_column(default=1)
    operation_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    controllers: Mapped[str] = mapped_column(Text, default="")
    controller_contact: Mapped[str] = mapped_column(Text, default="")
    fg_contact: Mapped[str] = mapped_column(Text, default="")
    purposes: Mapped[str] = mapped_column(Text, default="")
    data_subjects: Mapped[str] = mapped_column(Text, default="")
    data_categories: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    third_country: Mapped[bool] = mapped_column(default=False, index=True)
    transfers: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    security: Mapped[str] = mapped_column(Text, default="")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
