"""The stored figures of an assessment: computed from scratch in one function, written in
the same transaction as every change that can move them.

Any flush that adds, changes or deletes an assessment or a row that belongs to one (answers,
reviews, comments, versions, advice, controllers, signatures, AP consultations) marks that
assessment; just before the commit the figures of every marked assessment are computed
again. Writes that bypass the ORM (a compare-and-set UPDATE) call touch() themselves.
"""

from __future__ import annotations

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pia.extensions import db
from pia.models import (
    Advice,
    Answer,
    ApConsultation,
    Assessment,
    AssessmentFigures,
    AssessmentMember,
    AssessmentVersion,
    Comment,
    Controller,
    Review,
    Signature,
)
from pia.models.figures import RISK_ORDER
from pia.models.types import utcnow

WATCHED = (
    Answer,
    AssessmentMember,
    AssessmentVersion,
    Review,
    Comment,
    Advice,
    Controller,
    Signature,
    ApConsultation,
)
_TOUCHED = "pia.figures.touched"
FIELDS = (
    "phase",
    "percent",
    "prescan_complete",
    "prescan_outcome",
    "highest_residual_risk",
    "prior_consultation",
    "open_remarks",
    "fg_due_on",
)


def compute(assessment: Assessment) -> dict[str, object]:
    """The figures from the stored answers and the procedure's record, ignoring what is
    stored in assessment_figures."""
    from pia.services import questionnaires

    status = questionnaires.compute_status(assessment)
    levels = [r.residual_level or r.level for r in status.risks]
    ranked = [RISK_ORDER.index(level) for level in levels if level in RISK_ORDER]
    open_remarks = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.assessment_id == assessment.id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
    )
    fg_due_on = db.session.scalar(
        select(Review.due_on)
        .where(Review.assessment_id == assessment.id, Review.outcome.is_(None))
        .order_by(Review.id.desc())
        .limit(1)
    )
    return {
        "phase": "dpia" if status.dpia_progress is not None else "prescan",
        "percent": status.percent,
        "prescan_complete": status.prescan.complete,
        "prescan_outcome": status.prescan.dpia if status.prescan.complete else None,
        "highest_residual_risk": RISK_ORDER[max(ranked)] if ranked else None,
        "prior_consultation": status.prior_consultation,
        "open_remarks": open_remarks or 0,
        "fg_due_on": fg_due_on,
    }


def stored(assessment_id: int) -> dict[str, object] | None:
    """The stored figures as a dict (None when there are none yet)."""
    row = db.session.get(AssessmentFigures, assessment_id)
    return None if row is None else {name: getattr(row, name) for name in FIELDS}


def refresh(assessment: Assessment) -> AssessmentFigures:
    """Compute and store the figures of one assessment (in the caller's transaction)."""
    values = compute(assessment)
    row = db.session.get(AssessmentFigures, assessment.id)
    if row is None:
        row = AssessmentFigures(assessment_id=assessment.id)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.computed_at = utcnow()
    return row


def refresh_all(batch: int = 200) -> int:
    """Recompute the figures of every assessment; returns how many (a CLI command)."""
    done, last = 0, 0
    while True:
        ids = db.session.scalars(
            select(Assessment.id).where(Assessment.id > last).order_by(Assessment.id).limit(batch)
        ).all()
        if not ids:
            return done
        for assessment_id in ids:
            refresh(db.session.get(Assessment, assessment_id))
        db.session.commit()
        done += len(ids)
        last = ids[-1]


def ensure(assessments: list[Assessment]) -> dict[int, AssessmentFigures]:
    """The stored figures of these assessments; rows without any (bulk-loaded data, rows
    from before the table existed) are computed and stored now."""
    ids = [a.id for a in assessments]
    rows = {
        row.assessment_id: row
        for row in db.session.scalars(
            select(AssessmentFigures).where(AssessmentFigures.assessment_id.in_(ids))
        )
    }
    missing = [a for a in assessments if a.id not in rows]
    if missing:
        for assessment in missing:
            rows[assessment.id] = refresh(assessment)
        db.session.commit()
    return rows


def touch(assessment_id: int) -> None:
    """Mark an assessment whose figures must be recomputed before this transaction commits."""
    db.session.info.setdefault(_TOUCHED, set()).add(assessment_id)


def _after_flush(session: Session, flush_context) -> None:
    touched = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Assessment):
            if obj in session.deleted:
                touched.discard(obj.id)
            else:
                touched.add(obj.id)
        elif isinstance(obj, WATCHED) and obj.assessment_id is not None:
            touched.add(obj.assessment_id)


def _before_commit(session: Session) -> None:
    touched = session.info.get(_TOUCHED)
    if not touched:
        return
    session.flush()
    for _ in range(2):  # a refresh changes only figures; a second pass is a safety net
        pending, touched = set(touched), session.info.setdefault(_TOUCHED, set())
        touched.clear()
        for assessment_id in sorted(pending):
            assessment = session.get(Assessment, assessment_id)
            if assessment is not None:
                refresh(assessment)
        session.flush()
        if not touched:
            break
    touched.clear()


def _forget(session: Session, *args) -> None:
    session.info.pop(_TOUCHED, None)


def install(session_class: type[Session]) -> None:
    """Listen on the app's session class (called once from the app factory)."""
    if event.contains(session_class, "after_flush", _after_flush):
        return
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_rollback", _forget)
