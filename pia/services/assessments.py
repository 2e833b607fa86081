"""Assessments: create, share, and read or store answers."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from forms.loader import get_definition
from forms.model import Definition
from pia.extensions import db
from pia.formkit import strip_control
from pia.models import (
    Answer,
    Assessment,
    AssessmentAuthor,
    AssessmentMember,
    AssessmentRole,
    Organisation,
    Questionnaire,
    User,
)
from pia.models.types import utcnow
from pia.services import audit, figures
from pia.services.accounts import AccountError, normalise_email

PRESCAN = ("prescan", "2.0")
DPIA = ("dpia", "3.0")


class AssessmentError(AccountError):
    """A change to an assessment that cannot be made; Dutch message for the user."""


class ConcurrentChange(AssessmentError):
    """Someone else changed the assessment since this request read it; nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            "Iemand anders heeft dit assessment zojuist gewijzigd. Er is niets opgeslagen; "
            "bekijk de nieuwe stand en probeer het zo nodig opnieuw."
        )


def claim_write(
    assessment: Assessment, *, same_revision: bool = False, new_state: str | None = None
) -> None:
    """Compare and set: the one gate every write to an assessment (or its record) passes.

    The write goes ahead only while the assessment is still in the state this request
    read (and, with `same_revision`, nobody wrote anything since: transitions, which act
    on what the actor saw); it moves the row version on (and the state to `new_state`) in
    the same statement. Otherwise ConcurrentChange; the caller's transaction is rolled back.
    """
    state, revision, now = assessment.state, assessment.revision, utcnow()
    if state is None or revision is None:  # not flushed yet: nobody else can see it
        return
    where = [Assessment.id == assessment.id, Assessment.state == state]
    if same_revision:
        where.append(Assessment.revision == revision)
    claimed = db.session.execute(
        update(Assessment)
        .where(*where)
        .values(
            revision=Assessment.revision + 1, updated_at=now, state=new_state or Assessment.state
        )
        .returning(Assessment.revision)
        .execution_options(synchronize_session=False)
    ).scalar()
    if claimed is None:
        raise ConcurrentChange()
    figures.touch(assessment.id)  # whatever this write changes, the list figures follow
    set_committed_value(assessment, "revision", claimed)
    if new_state is not None:
        set_committed_value(assessment, "state", new_state)
    set_committed_value(assessment, "updated_at", now)


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


def _definition(assessment: Assessment, questionnaire: Questionnaire) -> Definition | None:
    if questionnaire is Questionnaire.PRESCAN:
        return get_definition(assessment.prescan_definition, assessment.prescan_version)
    if assessment.dpia_definition is None:
        return None
    return get_definition(assessment.dpia_definition, assessment.dpia_version)


def load_answers(assessment: Assessment, questionnaire: Questionnaire) -> dict[str, Any]:
    """Every stored answer of one questionnaire, as question id → value.

    Never what the procedure fills (§19, §20): a row stored under such an id before the
    store refused them is not an answer, and nobody reads it. Without the characters no
    page can show, should an older release have stored any.
    """
    definition = _definition(assessment, Questionnaire(questionnaire))
    filled = definition.workflow_filled_ids if definition else frozenset()
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(
            Answer.assessment_id == assessment.id, Answer.questionnaire == questionnaire
        )
    )
    return {qid: strip_control(value) for qid, value in rows if qid not in filled}


def refuse_workflow_filled(definition: Definition, question_ids) -> None:
    """AssessmentError when any id is one the procedure fills (the definition says which)."""
    forged = sorted(q for q in question_ids if definition.is_workflow_filled(q))
    if forged:
        sections = sorted({definition.question(q).section_id for q in forged})
        raise AssessmentError(
            f"Onderdeel {' en '.join(sections)} vult PIA Rijk zelf uit de beoordeling en "
            f"vaststelling; daarin kan niemand antwoorden opslaan (vraag {', '.join(forged)}). "
            "Er is niets opgeslagen."
        )


def record_author(assessment: Assessment, user: User) -> None:
    """Note that this user wrote in the assessment (once; concurrent writers both pass)."""
    dialect = sqlite if db.engine.dialect.name == "sqlite" else postgresql
    db.session.execute(
        dialect.insert(AssessmentAuthor)
        .values(assessment_id=assessment.id, user_id=user.id, first_written_at=utcnow())
        .on_conflict_do_nothing()
    )


def wrote_in(user: User, assessment: Assessment) -> bool:
    """The user has written answers in this assessment (now or before losing access)."""
    written = db.session.scalar(
        select(AssessmentAuthor.user_id).where(
            AssessmentAuthor.assessment_id == assessment.id, AssessmentAuthor.user_id == user.id
        )
    )
    return written is not None


def store_answers(
    assessment: Assessment,
    questionnaire: Questionnaire,
    values: dict[str, Any],
    *,
    actor: User,
    authored: bool = True,
) -> dict[str, tuple[Any, Any]]:
    """Write the given answers (None removes one); return what changed: id → (old, new).

    Every answer write passes here. It refuses what the procedure fills (§19, §20),
    claims the assessment in the state the caller read (claim_write) and records the
    actor as an author — except for `authored=False`, a restore of text others wrote.
    """
    questionnaire = Questionnaire(questionnaire)
    definition = _definition(assessment, questionnaire)
    if definition is None:
        raise AssessmentError("De DPIA is voor dit assessment nog niet gestart.")
    refuse_workflow_filled(definition, values)
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
    changes = {
        qid: (existing[qid].value if qid in existing else None, value)
        for qid, value in values.items()
        if (existing[qid].value if qid in existing else None) != value
    }
    if not changes:
        return changes
    claim_write(assessment)
    if authored:
        record_author(assessment, actor)
    now = utcnow()
    for qid, (_old, value) in changes.items():
        row = existing.get(qid)
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
    return changes
