"""What lists and dashboards show of an assessment, stored so they need not compute it."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pia.extensions import db
from pia.models.types import UTCDateTime, utcnow

# Residual risk levels from low to high, for sorting and "highest".
RISK_ORDER = ("laag", "midden", "hoog")


class AssessmentFigures(db.Model):
    """Derived from the answers and the procedure's record; written in the same transaction
    as the change that moves them (pia/services/figures.py), recomputable from scratch."""

    __tablename__ = "assessment_figures"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    # "prescan" until the DPIA is started, then "dpia"
    phase: Mapped[str] = mapped_column(String(10), default="prescan")
    percent: Mapped[int] = mapped_column(default=0, index=True)
    prescan_complete: Mapped[bool] = mapped_column(default=False)
    # verplicht / aanbevolen / niet_nodig (forms.prescan.Dpia); None until complete
    prescan_outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    # laag / midden / hoog: the highest residual risk of §16; None without rated risks
    highest_residual_risk: Mapped[str | None] = mapped_column(String(10), index=True)
    prior_consultation: Mapped[bool] = mapped_column(default=False, index=True)
    open_remarks: Mapped[int] = mapped_column(default=0)
    # the response term of the open FG review, if any
    fg_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
