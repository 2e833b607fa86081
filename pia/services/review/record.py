"""What the procedure has recorded: versions, submissions, advice, signatures, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from forms.diff import AnswersDiff, diff_answers
from pia.extensions import db
from pia.models import (
    Advice,
    ApConsultation,
    Assessment,
    AssessmentRole,
    AssessmentVersion,
    Comment,
    Conclusion,
    Controller,
    Questionnaire,
    Response,
    Review,
    ReviewOutcome,
    Signature,
    User,
    VersionReason,
)
from pia.models.types import utcnow
from pia.roles import Role
from pia.services.assessments import load_answers, wrote_in
from pia.services.questionnaires import definition_for
from workflows import terms

AUTHOR_ROLES = (AssessmentRole.OWNER, AssessmentRole.EDITOR)


def is_author(user: User, assessment: Assessment) -> bool:
    """Owner or co-editor now."""
    return assessment.role_of(user) in AUTHOR_ROLES


def took_part(user: User, assessment: Assessment) -> bool:
    """Author now, or wrote answers before (a revoked co-editor): never its FG or controller.

    Authorship is recorded on every answer write (services.assessments.store_answers).
    """
    return is_author(user, assessment) or wrote_in(user, assessment)


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    """Today in the Netherlands: one clock for every term and date of the procedure."""
    return utcnow().astimezone(AMSTERDAM).date()


def local_date(moment: datetime) -> date:
    """The date in the Netherlands of a stored moment (stored in UTC): a version frozen at
    00:30 Amsterdam time is of that day, not of the day before."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).date()


def due_on(submitted: date) -> date:
    """The FG's response date for a submission made on `submitted`."""
    return terms.deadline(submitted, int(current_app.config["FG_RESPONSE_WEEKS"]))


def default_review_date(start: date | None = None) -> date:
    """The default re-assessment date: REASSESSMENT_MONTHS after `start` (today)."""
    months = int(current_app.config["REASSESSMENT_MONTHS"])
    return terms.add_months(start or today(), months)


def was_submitted(assessment: Assessment) -> bool:
    """True once the assessment has been submitted to the FG at least once."""
    return (
        db.session.scalar(select(Review.id).where(Review.assessment_id == assessment.id).limit(1))
        is not None
    )


def controllers(assessment: Assessment) -> list[Controller]:
    """The designated controllers, in the order they were added."""
    return list(
        db.session.scalars(
            select(Controller)
            .where(Controller.assessment_id == assessment.id)
            .order_by(Controller.id)
        )
    )


def is_controller(user: User, assessment: Assessment) -> bool:
    """Designated to adopt and sign this assessment."""
    return (
        db.session.scalar(
            select(Controller.id).where(
                Controller.assessment_id == assessment.id, Controller.user_id == user.id
            )
        )
        is not None
    )


def versions(assessment: Assessment) -> list[AssessmentVersion]:
    """Every frozen version, oldest first."""
    return list(
        db.session.scalars(
            select(AssessmentVersion)
            .where(AssessmentVersion.assessment_id == assessment.id)
            .order_by(AssessmentVersion.number)
        )
    )


def version(assessment: Assessment, number: int) -> AssessmentVersion | None:
    """One frozen version by its number."""
    return db.session.scalar(
        select(AssessmentVersion).where(
            AssessmentVersion.assessment_id == assessment.id, AssessmentVersion.number == number
        )
    )


def latest_version(assessment: Assessment) -> AssessmentVersion | None:
    vs = versions(assessment)
    return vs[-1] if vs else None


def current_review(assessment: Assessment) -> Review | None:
    """The latest submission of the current round."""
    return db.session.scalar(
        select(Review)
        .where(Review.assessment_id == assessment.id, Review.round == assessment.round)
        .order_by(Review.id.desc())
        .limit(1)
    )


def reviews(assessment: Assessment) -> list[Review]:
    """Every submission, newest first."""
    return list(
        db.session.scalars(
            select(Review).where(Review.assessment_id == assessment.id).order_by(Review.id.desc())
        )
    )


def current_advice(assessment: Assessment) -> Advice | None:
    """The latest advice of the current round."""
    return db.session.scalar(
        select(Advice)
        .where(Advice.assessment_id == assessment.id, Advice.round == assessment.round)
        .order_by(Advice.id.desc())
        .limit(1)
    )


def advices(assessment: Assessment) -> list[Advice]:
    """Every advice given on this assessment, oldest first."""
    return list(
        db.session.scalars(
            select(Advice).where(Advice.assessment_id == assessment.id).order_by(Advice.id)
        )
    )


def signatures(assessment: Assessment) -> list[Signature]:
    """The signatures on the version on offer (the latest) in the current round.

    When a controller sends the DPIA back and a new version is offered, everyone signs
    again: a signature is for one version, never for the next.
    """
    latest = latest_version(assessment)
    if latest is None:
        return []
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.assessment_id == assessment.id,
                Signature.round == assessment.round,
                Signature.version_id == latest.id,
            )
            .order_by(Signature.id)
        )
    )


def ap_consultation(assessment: Assessment) -> ApConsultation | None:
    """The latest prior consultation of the AP in the current round, if any.

    After a controller sends the DPIA back, the owner may consult the AP again on the new
    version; the latest request (and its answer) is the one that counts.
    """
    return db.session.scalar(
        select(ApConsultation)
        .where(
            ApConsultation.assessment_id == assessment.id,
            ApConsultation.round == assessment.round,
        )
        .order_by(ApConsultation.id.desc())
        .limit(1)
    )


def open_fg_remarks(assessment: Assessment, review: Review | None) -> int:
    """Open threads the claimed FG started (a reason to send the DPIA back)."""
    if review is None or review.claimed_by_id is None:
        return 0
    return db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.assessment_id == assessment.id,
            Comment.author_id == review.claimed_by_id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
    )


def deviates(advice: Advice | None) -> bool:
    """The drafters did not adopt every recommendation, or the advice is negative."""
    if advice is None:
        return False
    if advice.conclusion == Conclusion.NEGATIVE:
        return True
    return any(r.response == Response.NOT_ADOPTED for r in advice.recommendations)


def authors(assessment: Assessment) -> list[User]:
    """Owner and co-editors."""
    return [m.user for m in assessment.members if m.role in AUTHOR_ROLES and m.user.active]


def organisation_fgs(assessment: Assessment) -> list[User]:
    """The active FGs of the organisation, except the authors of this assessment."""
    from pia.models import UserRole

    users = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(
            User.organisation_id == assessment.organisation_id,
            User.active.is_(True),
            UserRole.role == Role.FG.value,
        )
        .order_by(User.name)
    )
    return [u for u in users if not took_part(u, assessment)]


def controller_users(assessment: Assessment) -> list[User]:
    return [c.user for c in controllers(assessment) if c.user.active]


def freeze(assessment: Assessment, reason: VersionReason, actor: User) -> AssessmentVersion:
    """Snapshot every answer as the next numbered version."""
    last = db.session.scalar(
        select(func.max(AssessmentVersion.number)).where(
            AssessmentVersion.assessment_id == assessment.id
        )
    )
    frozen = AssessmentVersion(
        assessment_id=assessment.id,
        number=(last or 0) + 1,
        round=assessment.round,
        reason=reason.value,
        prescan=load_answers(assessment, Questionnaire.PRESCAN),
        dpia=load_answers(assessment, Questionnaire.DPIA) if assessment.has_dpia else {},
        created_by_id=actor.id,
    )
    db.session.add(frozen)
    db.session.flush()
    return frozen


def compare(assessment: Assessment, old: AssessmentVersion, new: AssessmentVersion) -> AnswersDiff:
    """Field-by-field changes in the DPIA from one version to another."""
    return diff_answers(definition_for(assessment, Questionnaire.DPIA), old.dpia, new.dpia)


def compare_prescan(
    assessment: Assessment, old: AssessmentVersion, new: AssessmentVersion
) -> AnswersDiff:
    """Field-by-field changes in the pre-scan from one version to another."""
    return diff_answers(definition_for(assessment, Questionnaire.PRESCAN), old.prescan, new.prescan)


def last_reviewed_version(
    assessment: Assessment, review: Review, fg: User | None = None
) -> AssessmentVersion | None:
    """The version the FG last reviewed before this submission (theirs first, else anyone's)."""
    closed = [
        r
        for r in reviews(assessment)
        if r.id < review.id
        and r.outcome in (ReviewOutcome.CHANGES_REQUESTED, ReviewOutcome.ADVICE_GIVEN)
    ]
    if fg is not None:
        mine = [r for r in closed if r.closed_by_id == fg.id]
        if mine:
            return mine[0].version
    return closed[0].version if closed else None


def advice_follow_up(advice: Advice) -> list[dict[str, str]]:
    """The recommendations with what was done with them, as document rows."""
    return [
        {
            "nummer": str(r.number),
            "tekst": r.text,
            "advies": r.text,
            "opvolging": r.response_label,
            "toelichting": r.explanation,
        }
        for r in advice.recommendations
    ]


def mark_processed(assessment: Assessment, actor: User) -> AssessmentVersion:
    """Freeze the version that processed the advice (§19) and link it to the advice."""
    frozen = freeze(assessment, VersionReason.PROCESSED, actor)
    advice = current_advice(assessment)
    if advice is not None:
        advice.processed_version_id = frozen.id
    return frozen
