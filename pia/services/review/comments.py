"""Remarks per section or question: threads, replies, resolving."""

from __future__ import annotations

from sqlalchemy import func, select

from forms.formdata import section_question_ids
from pia.extensions import db
from pia.models import (
    Assessment,
    Comment,
    Questionnaire,
    User,
)
from pia.models.types import utcnow
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, claim_write
from pia.services.questionnaires import definition_for
from pia.services.review.machine import link
from pia.services.review.people import may_comment
from pia.services.review.record import authors, current_review, latest_version, organisation_fgs

COMMENT_LIMIT = 10_000


def comments(assessment: Assessment, section_id: str | None = None) -> list[Comment]:
    """Thread starters (replies hang below them), oldest first."""
    query = select(Comment).where(
        Comment.assessment_id == assessment.id, Comment.parent_id.is_(None)
    )
    if section_id is not None:
        query = query.where(Comment.section_id == section_id)
    return list(db.session.scalars(query.order_by(Comment.id)))


def open_comment_counts(assessment: Assessment) -> dict[str, int]:
    """Unresolved threads per section id."""
    rows = db.session.execute(
        select(Comment.section_id, func.count(Comment.id))
        .where(
            Comment.assessment_id == assessment.id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
        .group_by(Comment.section_id)
    )
    return dict(rows.all())


def _comment_target(assessment: Assessment, section_id: str, question_id: str | None) -> None:
    dpia = definition_for(assessment, Questionnaire.DPIA)
    try:
        section = dpia.section(section_id)
    except KeyError:
        raise AssessmentError("Onbekend onderdeel.") from None
    if section.is_workflow:  # §19/§20 are the procedure's record, not the drafters' text
        raise AssessmentError("Bij dit onderdeel kunnen geen opmerkingen worden geplaatst.")
    known = {q.id for q in dpia.section(section_id).questions}
    if question_id and question_id not in known | section_question_ids(dpia, section_id):
        raise AssessmentError("Deze vraag hoort niet bij dit onderdeel.", "question_id")


def add_comment(
    assessment: Assessment,
    actor: User,
    section_id: str,
    question_id: str | None,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new thread on a section or question, or a reply in a thread."""
    if not may_comment(actor, assessment):
        raise AssessmentError("U kunt bij deze DPIA geen opmerkingen plaatsen.")
    body = body.strip()
    if not body:
        raise AssessmentError("Schrijf een opmerking.", "body")
    if len(body) > COMMENT_LIMIT:
        raise AssessmentError(
            f"Een opmerking mag hoogstens {COMMENT_LIMIT:,} tekens lang zijn.".replace(",", "."),
            "body",
        )
    if parent is not None:
        if parent.assessment_id != assessment.id or parent.parent_id is not None:
            raise AssessmentError("Onbekende opmerking.")
        section_id, question_id = parent.section_id, parent.question_id
        if parent.is_resolved:
            parent.resolved_at, parent.resolved_by_id = None, None
    else:
        _comment_target(assessment, section_id, question_id or None)
    claim_write(assessment)
    last = latest_version(assessment)
    comment = Comment(
        assessment_id=assessment.id,
        section_id=section_id,
        question_id=question_id or None,
        parent_id=parent.id if parent else None,
        version_number=last.number if last else None,
        body=body,
        author_id=actor.id,
    )
    db.session.add(comment)
    db.session.flush()
    where = f"vraag {question_id}" if question_id else f"onderdeel {section_id}"
    audit.record(
        "assessment.comment",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Opmerking bij {where} van “{assessment.title}”",
        details={"comment_id": comment.id, "parent_id": comment.parent_id, "body": body[:2000]},
    )
    review = current_review(assessment)
    if review is not None and review.is_open and review.claimed_by is None:
        fg = organisation_fgs(assessment)  # not claimed yet: every FG who may pick it up
    else:
        fg = [review.claimed_by] if review and review.claimed_by else []
    thread = [parent.author] + [r.author for r in parent.replies] if parent else []
    notify.send(
        [u for u in authors(assessment) + fg + thread if u.id != actor.id],  # send() dedupes
        assessment,
        "comment",
        f"{actor.name} plaatste een opmerking bij {where} van “{assessment.title}”.",
        link(assessment, "review.comments", section_id=section_id, _anchor=f"c{comment.id}"),
        bundle=notify.Bundle(
            f"{{count}} nieuwe opmerkingen bij “{assessment.title}”, de laatste van "
            f"{actor.name} bij {where}.",
            link(assessment, "review.all_comments"),
        ),
    )
    return comment


def set_resolved(assessment: Assessment, actor: User, comment: Comment, resolved: bool) -> None:
    """Mark a thread resolved (or open it again)."""
    if not may_comment(actor, assessment) or comment.parent_id is not None:
        raise AssessmentError("U kunt deze opmerking niet afhandelen.")
    if resolved == comment.is_resolved:
        return
    claim_write(assessment)
    comment.resolved_at, comment.resolved_by_id = (utcnow(), actor.id) if resolved else (None, None)
    audit.record(
        "assessment.comment_resolved" if resolved else "assessment.comment_reopened",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Opmerking {'afgehandeld' if resolved else 'heropend'} bij {_where(comment)}",
        details={"comment_id": comment.id},
    )


def _where(comment: Comment) -> str:
    if comment.question_id:
        return f"vraag {comment.question_id}"
    return f"onderdeel {comment.section_id}"
