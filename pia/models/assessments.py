"""Assessments (a pre-scan and its DPIA), who works on them, and their answers."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.organisations import Organisation
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


class AssessmentRole(StrEnum):
    """A user's role on one assessment."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return {"owner": "Eigenaar", "editor": "Mede-opsteller", "viewer": "Lezer"}[self.value]


class Questionnaire(StrEnum):
    """The two questionnaires of an assessment."""

    PRESCAN = "prescan"
    DPIA = "dpia"


_MEMBER_ROLES = ", ".join(f"'{r.value}'" for r in AssessmentRole)
_QUESTIONNAIRES = ", ".join(f"'{q.value}'" for q in Questionnaire)


class Assessment(db.Model):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    government_wide: Mapped[bool] = mapped_column(default=False)
    # The workflow state (workflows/); "concept" until submitted.
    state: Mapped[str] = mapped_column(String(40), default="concept", index=True)
    # The definitions this assessment uses; never changed after creation.
    prescan_definition: Mapped[str] = mapped_column(String(40))
    prescan_version: Mapped[str] = mapped_column(String(20))
    dpia_definition: Mapped[str | None] = mapped_column(String(40))
    dpia_version: Mapped[str | None] = mapped_column(String(20))
    dpia_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The review round: 1 for the first DPIA, +1 for every re-assessment.
    round: Mapped[int] = mapped_column(default=1)
    # A re-assessment starts from this adopted version.
    reassessment_of_version: Mapped[int | None]
    # When the adopted DPIA must be re-assessed.
    review_due_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # Row version: every write to the assessment or its procedure moves it on, compared
    # and set (services.assessments.claim_write), so of two people acting at once one wins.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship()
    members: Mapped[list["AssessmentMember"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", lazy="selectin"
    )

    def role_of(self, user: User) -> AssessmentRole | None:
        """The user's role on this assessment, if any."""
        for member in self.members:
            if member.user_id == user.id:
                return AssessmentRole(member.role)
        return None

    @property
    def owner(self) -> User | None:
        return next((m.user for m in self.members if m.role == AssessmentRole.OWNER), None)

    @property
    def has_dpia(self) -> bool:
        return self.dpia_definition is not None


class AssessmentMember(db.Model):
    __tablename__ = "assessment_members"
    __table_args__ = (
        UniqueConstraint("assessment_id", "user_id"),
        CheckConstraint(f"role IN ({_MEMBER_ROLES})", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class Answer(db.Model):
    """One answer: (assessment, questionnaire, question id) → JSON value."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "questionnaire", "question_id"),
        CheckConstraint(f"questionnaire IN ({_QUESTIONNAIRES})", name="known_questionnaire"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    questionnaire: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SectionVersion(db.Model):
    """A counter per section: a save must name the version it started from."""

    __tablename__ = "section_versions"
    __table_args__ = (
        CheckConstraint(f"questionnaire IN ({_QUESTIONNAIRES})", name="known_questionnaire"),
    )

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    questionnaire: Mapped[str] = mapped_column(String(20), primary_key=True)
    section_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class AssessmentAuthor(db.Model):
    """Someone who wrote answers in this assessment: never its FG, never its controller.

    Filled on every answer write (services.assessments.store_answers); stays when the
    author's access is revoked.
    """

    __tablename__ = "assessment_authors"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    first_written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
