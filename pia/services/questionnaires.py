"""Filling in the pre-scan and the DPIA: definitions, section saves with conflict checks."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forms.carryover import prefill_answers
from forms.completeness import Progress, progress
from forms.formdata import section_question_ids
from forms.loader import get_definition
from forms.model import Definition
from forms.prescan import PrescanOutcome, evaluate
from forms.risk import RiskAssessment, assess_risks, needs_prior_consultation
from pia.extensions import db
from pia.models import Assessment, Questionnaire, SectionVersion, User
from pia.models.types import utcnow
from pia.services import audit
from pia.services.assessments import DPIA, AssessmentError, load_answers, store_answers

# Audit details keep text values up to this many characters: enough to see what changed in
# a save, no full copies of long texts (the answers table has them all). Privacy statement.
AUDIT_VALUE_LIMIT = 500


def definition_for(assessment: Assessment, questionnaire: Questionnaire) -> Definition:
    """The definition (and version) this assessment uses for a questionnaire."""
    if questionnaire is Questionnaire.PRESCAN:
        return get_definition(assessment.prescan_definition, assessment.prescan_version)
    if not assessment.has_dpia:
        raise AssessmentError("De DPIA is voor dit assessment nog niet gestart.")
    return get_definition(assessment.dpia_definition, assessment.dpia_version)


def section_version(assessment: Assessment, questionnaire: Questionnaire, section_id: str):
    """The saved version row of a section (None before its first save)."""
    return db.session.get(SectionVersion, (assessment.id, questionnaire.value, section_id))


@dataclass
class StaleSection(Exception):
    """Someone saved the section after this user opened it."""

    version: int
    updated_by: User | None
    updated_at: datetime | None


def _bump_version(
    assessment: Assessment, questionnaire: Questionnaire, section_id: str, base: int, actor: User
) -> int:
    """Move the section's version from `base` to base+1 atomically, or raise StaleSection."""
    now = utcnow()
    if base == 0:
        exists = section_version(assessment, questionnaire, section_id)
        if exists is None:
            db.session.add(
                SectionVersion(
                    assessment_id=assessment.id,
                    questionnaire=questionnaire.value,
                    section_id=section_id,
                    version=1,
                    updated_at=now,
                    updated_by_id=actor.id,
                )
            )
            try:
                with db.session.begin_nested():
                    db.session.flush()  # the primary key refuses a concurrent first save
            except IntegrityError:
                raise StaleSection(1, None, None) from None
            return 1
    result = db.session.execute(
        update(SectionVersion)
        .where(
            SectionVersion.assessment_id == assessment.id,
            SectionVersion.questionnaire == questionnaire.value,
            SectionVersion.section_id == section_id,
            SectionVersion.version == base,
        )
        .values(version=base + 1, updated_at=now, updated_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        current = section_version(assessment, questionnaire, section_id)
        if current is not None:
            db.session.refresh(current)
        raise StaleSection(
            current.version if current else 0,
            current.updated_by if current else None,
            current.updated_at if current else None,
        )
    return base + 1


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > AUDIT_VALUE_LIMIT:
        return value[:AUDIT_VALUE_LIMIT] + "…"
    return value


def _question_name(definition, question_id: str) -> str:
    """'vraag 2.1', or a question without a number by its label (never '16.aanvullend')."""
    if question_id.replace(".", "").isdigit() or not definition.has_question(question_id):
        return f"vraag {question_id}"
    return f"‘{definition.question(question_id).label}’"


def save_section(
    assessment: Assessment,
    questionnaire: Questionnaire,
    section_id: str,
    answers: dict[str, Any],
    *,
    base_version: int,
    actor: User,
) -> int:
    """Store a section's answers if nobody saved it since `base_version`; return the new version.

    `answers` is the whole answer set after this save; only this section's questions
    are written. Raises StaleSection when the section changed in the meantime.
    """
    definition = definition_for(assessment, questionnaire)
    ids = section_question_ids(definition, section_id)
    values = {qid: answers.get(qid) for qid in sorted(ids)}
    version = _bump_version(assessment, questionnaire, section_id, base_version, actor)
    changes = store_answers(assessment, questionnaire, values, actor=actor)
    if changes:
        audit.record(
            "assessment.answers_saved",
            actor=actor,
            object_type="assessment",
            object_id=assessment.id,
            summary=(
                f"{'Pre-scan' if questionnaire is Questionnaire.PRESCAN else 'DPIA'} "
                f"onderdeel {section_id} opgeslagen: "
                + ", ".join(_question_name(definition, qid) for qid in sorted(changes))
            ),
            details={
                "questionnaire": questionnaire.value,
                "section": section_id,
                "version": version,
                "changes": {k: [_short(o), _short(n)] for k, (o, n) in changes.items()},
            },
        )
    return version


def start_dpia(assessment: Assessment, *, actor: User) -> None:
    """Start the DPIA, pre-filled from the pre-scan where that is safe."""
    if assessment.has_dpia:
        return
    assessment.dpia_definition, assessment.dpia_version = DPIA
    assessment.dpia_started_at = utcnow()
    dpia = definition_for(assessment, Questionnaire.DPIA)
    prescan_answers = load_answers(assessment, Questionnaire.PRESCAN)
    prefilled = prefill_answers(dpia, prescan_answers)
    store_answers(assessment, Questionnaire.DPIA, prefilled, actor=actor)
    outcome = prescan_outcome(assessment, prescan_answers)
    audit.record(
        "assessment.dpia_started",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"DPIA gestart voor “{assessment.title}” (pre-scan: {outcome.dpia_label})",
        details={"prefilled": sorted(prefilled), "prescan_outcome": outcome.dpia},
    )


def prescan_outcome(assessment: Assessment, answers: dict | None = None) -> PrescanOutcome:
    """The pre-scan's outcome, computed from its answers by the rules of the definition."""
    definition = definition_for(assessment, Questionnaire.PRESCAN)
    if answers is None:
        answers = load_answers(assessment, Questionnaire.PRESCAN)
    return evaluate(answers, definition)


@dataclass(frozen=True)
class Status:
    """What the overview and lists show of an assessment."""

    prescan: PrescanOutcome
    prescan_progress: Progress
    dpia_progress: Progress | None
    prior_consultation: bool
    risks: tuple[RiskAssessment, ...] = ()

    @property
    def phase(self) -> str:
        return "DPIA" if self.dpia_progress is not None else "Pre-scan"

    @property
    def percent(self) -> int:
        current = self.dpia_progress or self.prescan_progress
        return current.percent


def status(assessment: Assessment) -> Status:
    """Outcome, progress and AP consultation need, computed from the stored answers.

    Within one request the result is kept per (assessment, last change): a page that asks
    three times computes it once, and a save in between (which moves updated_at) is seen.
    """
    cache = request.environ.setdefault("pia.status", {}) if has_request_context() else {}
    key = (assessment.id, assessment.updated_at, assessment.dpia_version)
    if key not in cache:
        cache[key] = compute_status(assessment)
    return cache[key]


def compute_status(assessment: Assessment) -> Status:
    """status() without the per-request cache: always from the stored answers."""
    prescan_def = definition_for(assessment, Questionnaire.PRESCAN)
    prescan_answers = load_answers(assessment, Questionnaire.PRESCAN)
    dpia_progress, consult, risks = None, False, ()
    if assessment.has_dpia:
        dpia_def = definition_for(assessment, Questionnaire.DPIA)
        dpia_answers = load_answers(assessment, Questionnaire.DPIA)
        dpia_progress = progress(dpia_def, dpia_answers)
        consult = needs_prior_consultation(dpia_answers, dpia_def)
        risks = assess_risks(dpia_answers, dpia_def)
    return Status(
        prescan=evaluate(prescan_answers, prescan_def),
        prescan_progress=progress(prescan_def, prescan_answers),
        dpia_progress=dpia_progress,
        prior_consultation=consult,
        risks=risks,
    )
