"""The review procedure: frozen versions, submissions to the FG, comments, advice, adoption."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.assessments import Assessment
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in enum)


class VersionReason(StrEnum):
    """Why a version was frozen."""

    SUBMITTED = "submitted"
    PROCESSED = "processed"

    @property
    def label(self) -> str:
        return {
            "submitted": "Ingediend voor FG-advies",
            "processed": "Advies verwerkt, ter vaststelling",
        }[self.value]


class AssessmentVersion(db.Model):
    """A numbered, frozen snapshot of every answer of an assessment."""

    __tablename__ = "assessment_versions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "number"),
        CheckConstraint(f"reason IN ({_values(VersionReason)})", name="known_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    number: Mapped[int]
    round: Mapped[int] = mapped_column(default=1)
    reason: Mapped[str] = mapped_column(String(20))
    prescan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dpia: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(lazy="joined")

    @property
    def reason_label(self) -> str:
        return VersionReason(self.reason).label


class ReviewOutcome(StrEnum):
    """How a submission to the FG ended."""

    CHANGES_REQUESTED = "changes_requested"
    ADVICE_GIVEN = "advice_given"
    RETRACTED = "retracted"
    WITHDRAWN = "withdrawn"


class Review(db.Model):
    """One submission of a version to the FGs of the organisation."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(
            f"outcome IS NULL OR outcome IN ({_values(ReviewOutcome)})", name="known_outcome"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    round: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The FG's summary when sending the DPIA back for changes.
    message: Mapped[str] = mapped_column(Text, default="")
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[AssessmentVersion] = relationship(lazy="joined")
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id], lazy="joined")
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        return self.outcome is None


class Comment(db.Model):
    """A remark on a section or one question; replies point at the first comment of a thread."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    section_id: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[str | None] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comments.id"))
    # The latest frozen version when the comment was written (None before any submission).
    version_number: Mapped[int | None]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    replies: Mapped[list["Comment"]] = relationship(
        order_by="Comment.id", lazy="selectin", join_depth=1
    )

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Conclusion(StrEnum):
    """The FG's conclusion (values as workflows.outcome.Verdict)."""

    POSITIVE = "positive"
    CONDITIONAL = "conditional"
    NEGATIVE = "negative"

    @property
    def label(self) -> str:
        return {
            "positive": "Positief",
            "conditional": "Positief met voorwaarden",
            "negative": "Negatief",
        }[self.value]


class Advice(db.Model):
    """The FG's written advice on one submitted version."""

    __tablename__ = "fg_advices"
    __table_args__ = (
        CheckConstraint(f"conclusion IN ({_values(Conclusion)})", name="known_conclusion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    round: Mapped[int] = mapped_column(default=1)
    fg_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    fg_name: Mapped[str] = mapped_column(String(200))
    fg_function: Mapped[str] = mapped_column(String(200), default="")
    conclusion: Mapped[str] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text)
    # Optional findings per section: section id → text.
    findings: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The version in which the drafters processed the advice (§19 of the model).
    processed_version_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_versions.id"))

    version: Mapped[AssessmentVersion] = relationship(foreign_keys=[version_id], lazy="joined")
    processed_version: Mapped[AssessmentVersion | None] = relationship(
        foreign_keys=[processed_version_id]
    )
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="advice",
        order_by="Recommendation.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def conclusion_label(self) -> str:
        return Conclusion(self.conclusion).label

    @property
    def all_processed(self) -> bool:
        return all(r.response for r in self.recommendations)


class Response(StrEnum):
    """What the drafters did with one recommendation."""

    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"

    @property
    def label(self) -> str:
        return {"adopted": "Overgenomen", "not_adopted": "Niet overgenomen"}[self.value]


class Recommendation(db.Model):
    """A numbered recommendation or condition of an advice, with the drafters' response."""

    __tablename__ = "fg_recommendations"
    __table_args__ = (
        UniqueConstraint("advice_id", "number"),
        CheckConstraint(
            f"response IS NULL OR response IN ({_values(Response)})", name="known_response"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    advice_id: Mapped[int] = mapped_column(ForeignKey("fg_advices.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    advice: Mapped[Advice] = relationship(back_populates="recommendations")
    responded_by: Mapped[User | None] = relationship()

    @property
    def response_label(self) -> str:
        return Response(self.response).label if self.response else "Nog niet verwerkt"


class Controller(db.Model):
    """A controller (verwerkingsverantwoordelijke) designated to adopt and sign."""

    __tablename__ = "assessment_controllers"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    function: Mapped[str] = mapped_column(String(200), default="")
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Signature(db.Model):
    """A controller's adoption and signature of one version (§20 of the model)."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("assessment_id", "version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why the controller deviates from the FG's advice, when they do.
    deviation_reason: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[AssessmentVersion] = relationship(lazy="joined")


class ApConsultation(db.Model):
    """Prior consultation of the Autoriteit Persoonsgegevens (art. 36 AVG, §17 of the model)."""

    __tablename__ = "ap_consultations"
    __table_args__ = (UniqueConstraint("assessment_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    version_id: Mapped[int] = mapped_column(ForeignKey("assessment_versions.id"))
    request_sent_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200), default="")
    extended: Mapped[bool] = mapped_column(default=False)
    answer_received_on: Mapped[date | None] = mapped_column(Date)
    answer_summary: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    version: Mapped[AssessmentVersion] = relationship(lazy="joined")


class Notification(db.Model):
    """An in-app message for one user."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many events this one notice stands for (remarks in a short window are bundled).
    bundled: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment | None] = relationship()


class OutgoingMail(db.Model):
    """A queued e-mail: written in the same transaction as its cause, sent after it."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failed: Mapped[bool] = mapped_column(default=False)
    last_error: Mapped[str] = mapped_column(String(500), default="")
