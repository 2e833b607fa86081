"""The PAR procedure: one government-wide privacy advice from the FGs of all ministries."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.organisations import Organisation
from pia.models.review import AssessmentVersion
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User
from workflows.outcome import ADVICE_LABELS, DECISION_LABELS, POSITION_LABELS, Verdict

_VERDICTS = ", ".join(f"'{v.value}'" for v in Verdict)


class RoundOutcome(StrEnum):
    """How one consultation round ended."""

    CONSOLIDATED = "consolidated"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"


class DecisionKind(StrEnum):
    """An interdepartmental body's approval, or the GOR Rijk's consent."""

    APPROVAL = "approval"
    CONSENT = "consent"


CONSENT_LABELS = {
    Verdict.POSITIVE: "instemming",
    Verdict.CONDITIONAL: "instemming met voorwaarden",
    Verdict.NEGATIVE: "geen instemming",
}
GOR_RIJK = "GOR Rijk"


class ParTrajectory(db.Model):
    """The PAR facts of one government-wide assessment (its state is Assessment.state)."""

    __tablename__ = "par_trajectories"
    __table_args__ = (
        CheckConstraint(
            f"advice_conclusion IS NULL OR advice_conclusion IN ({_VERDICTS})",
            name="known_conclusion",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The initiator's correction of "employees' data is processed" (None: derived).
    employee_data_override: Mapped[bool | None]
    employee_data_reason: Mapped[str] = mapped_column(Text, default="")
    # The interdepartmental bodies that approve, chosen per trajectory.
    bodies: Mapped[list[str]] = mapped_column(JSON, default=list)
    # +1 each time the advice is offered for approval; decisions belong to one offer.
    offer: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the advice was last offered for approval (the PAR register's lead times).
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    advice_summary: Mapped[str] = mapped_column(Text, default="")
    advice_conclusion: Mapped[str | None] = mapped_column(String(20))
    advice_risks: Mapped[str] = mapped_column(Text, default="")
    # Numbered conditions: [{"text": ..., "ministries": ["BZK", ...]}].
    advice_conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    advice_drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    advice_drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    established_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    established_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the initiator did with each condition after establishment, by its number:
    # {"1": {"response": "adopted" | "not_adopted", "explanation": ...}} (None: nothing yet).
    condition_follow_up: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @property
    def conclusion_label(self) -> str:
        return ADVICE_LABELS[Verdict(self.advice_conclusion)] if self.advice_conclusion else ""


class ParRound(db.Model):
    """One consultation round: a frozen version sent to the FGs of some ministries."""

    __tablename__ = "par_rounds"
    __table_args__ = (
        UniqueConstraint("assessment_id", "number"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ("
            + ", ".join(f"'{o.value}'" for o in RoundOutcome)
            + ")",
            name="known_outcome",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    number: Mapped[int]
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    # The coordinator's remarks when sending the DPIA back to the initiator.
    message: Mapped[str] = mapped_column(Text, default="")
    # The reminders about the FGs' term, each sent once (`flask send-reminders`).
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[AssessmentVersion] = relationship(lazy="joined")
    participants: Mapped[list["ParParticipant"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def organisation_ids(self) -> list[int]:
        return [p.organisation_id for p in self.participants]


class ParParticipant(db.Model):
    """A ministry whose FGs are consulted in one round."""

    __tablename__ = "par_participants"

    round_id: Mapped[int] = mapped_column(ForeignKey("par_rounds.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ParPosition(db.Model):
    """A ministry's position in one round, given by one of its FGs."""

    __tablename__ = "par_positions"
    __table_args__ = (
        UniqueConstraint("round_id", "organisation_id"),
        CheckConstraint(f"verdict IN ({_VERDICTS})", name="known_verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("par_rounds.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text, default="")
    given_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    given_by: Mapped[User] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        return POSITION_LABELS[Verdict(self.verdict)]


class ParDecision(db.Model):
    """A body's decision on the advice (approval), or the GOR Rijk's (consent)."""

    __tablename__ = "par_decisions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "offer", "body"),
        CheckConstraint(f"verdict IN ({_VERDICTS})", name="known_verdict"),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k.value}'" for k in DecisionKind) + ")", name="known_kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    offer: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(100))
    verdict: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200))
    remarks: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        labels = CONSENT_LABELS if self.kind == DecisionKind.CONSENT else DECISION_LABELS
        return labels[Verdict(self.verdict)]
