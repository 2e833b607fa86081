"""Assessments: create, share, and read or store answers."""

from typing import Any

from sqlalchemy import select

from pia.extensions import db
from pia.formkit import strip_control
from pia.models import (
    Answer,
    Assessment,
    AssessmentMember,
    AssessmentRole,
    Organisation,
    Questionnaire,
    User,
)
from pia.models.types import utcnow
from pia.services import audit
from pia.services.accounts import AccountError, normalise_email

PRESCAN = ("prescan", "2.0")
DPIA = ("dpia", "3.0")


class AssessmentError(AccountError):
    """A change to an assessment that cannot be made; Dutch message for the user."""


def create_assessment(
    *,
    title: str,
    description: str,
    organisation: Organisation,
    government_wide: bool,
    owner: User,
) -> Assessment:
    """Start an assessment with its pre-scan; the creator becomes its owner."""
    assessment = Assessment(
        title=title.strip(),
        description=description.strip(),
        organisation=organisation,
        government_wide=government_wide,
        prescan_definition=PRESCAN[0],
        prescan_version=PRESCAN[1],
        created_by=owner,
    )
    assessment.members.append(AssessmentMember(user=owner, role=AssessmentRole.OWNER))
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "assessment.created",
        actor=owner,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Assessment “{assessment.title}” aangemaakt",
        details={"organisation": organisation.abbreviation, "government_wide": government_wide},
    )
    return assessment


def active_user(email: str) -> User:
    """The active account with this e-mail address; AssessmentError (on "email") if none."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        raise AssessmentError(
            "Er is geen actieve gebruiker met dit e-mailadres. Controleer het adres, "
            "of vraag een beheerder een account aan te maken.",
            "email",
        )
    return user


def share(assessment: Assessment, email: str, role: AssessmentRole, *, actor: User) -> User:
    """Give a colleague access as editor or viewer (or change their role)."""
    if role is AssessmentRole.OWNER:
        raise AssessmentError("Een assessment heeft één eigenaar.", "role")
    user = active_user(email)
    if role is AssessmentRole.EDITOR and _reviews_it(user, assessment):
        raise AssessmentError(
            f"{user.name} beoordeelt deze DPIA als FG en kan haar daarom niet mee opstellen.",
            "email",
        )
    current = next((m for m in assessment.members if m.user_id == user.id), None)
    if current is not None and current.role == AssessmentRole.OWNER:
        raise AssessmentError("Dit is de eigenaar van het assessment.", "email")
    if current is None:
        assessment.members.append(AssessmentMember(user=user, role=role))
    elif current.role == role:
        return user
    else:
        current.role = role
    audit.record(
        "assessment.shared",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{user.name} is {role.label.lower()} van “{assessment.title}”",
        details={"user_id": user.id, "role": role.value},
    )
    return user


def _reviews_it(user: User, assessment: Assessment) -> bool:
    """The user has claimed an open submission of this assessment (or advised on it)."""
    from pia.models import Advice, Review

    claimed = db.session.scalar(
        select(Review.id).where(
            Review.assessment_id == assessment.id,
            Review.claimed_by_id == user.id,
            Review.outcome.is_(None),
        )
    )
    advised = db.session.scalar(
        select(Advice.id).where(Advice.assessment_id == assessment.id, Advice.fg_id == user.id)
    )
    return claimed is not None or advised is not None


def revoke(assessment: Assessment, member: AssessmentMember, *, actor: User) -> None:
    """Take a colleague's access away (the owner stays)."""
    if member.role == AssessmentRole.OWNER:
        raise AssessmentError("De eigenaar kan niet worden verwijderd.")
    assessment.members.remove(member)
    audit.record(
        "assessment.unshared",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Toegang van {member.user.name} tot “{assessment.title}” ingetrokken",
        details={"user_id": member.user_id, "role": member.role},
    )


def load_answers(assessment: Assessment, questionnaire: Questionnaire) -> dict[str, Any]:
    """Every stored answer of one questionnaire, as question id → value (without the
    characters no page can show, should an older release have stored any)."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(
            Answer.assessment_id == assessment.id, Answer.questionnaire == questionnaire
        )
    )
    return {qid: strip_control(value) for qid, value in rows}


def store_answers(
    assessment: Assessment,
    questionnaire: Questionnaire,
    values: dict[str, Any],
    *,
    actor: User,
) -> dict[str, tuple[Any, Any]]:
    """Write the given answers (None removes one); return what changed: id → (old, new)."""
    values = strip_control(values)
    existing = {
        a.question_id: a
        for a in db.session.scalars(
            select(Answer).where(
                Answer.assessment_id == assessment.id,
                Answer.questionnaire == questionnaire,
                Answer.question_id.in_(list(values)),
            )
        )
    }
    changes: dict[str, tuple[Any, Any]] = {}
    now = utcnow()
    for qid, value in values.items():
        row = existing.get(qid)
        old = row.value if row else None
        if old == value:
            continue
        changes[qid] = (old, value)
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                Answer(
                    assessment_id=assessment.id,
                    questionnaire=questionnaire,
                    question_id=qid,
                    value=value,
                    updated_by_id=actor.id,
                )
            )
        else:
            row.value, row.updated_at, row.updated_by_id = value, now, actor.id
    if changes:
        assessment.updated_at = now
    return changes
