"""What waits for whom: the lists behind the dashboards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from pia.extensions import db
from pia.models import (
    Advice,
    Assessment,
    AssessmentMember,
    AssessmentRole,
    Controller,
    Recommendation,
    Review,
    User,
)
from pia.roles import Role
from pia.services import review
from workflows import departmental

REASSESSMENT_WARNING_DAYS = 30


@dataclass
class Item:
    """One line on a dashboard: an assessment, why it is listed, and where to go."""

    assessment: Assessment
    note: str = ""
    due: date | None = None
    overdue: bool = False
    endpoint: str = "review.index"


@dataclass
class FgInbox:
    new: list[Item] = field(default_factory=list)
    mine: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    others: list[Item] = field(default_factory=list)
    advised: list[Item] = field(default_factory=list)


def fg_inbox(user: User, today: date) -> FgInbox:
    """An FG's view: new submissions, what they claimed, overdue ones, advice given."""
    inbox = FgInbox()
    if not user.has_role(Role.FG):
        return inbox
    authored = select(AssessmentMember.assessment_id).where(
        AssessmentMember.user_id == user.id,
        AssessmentMember.role.in_([AssessmentRole.OWNER.value, AssessmentRole.EDITOR.value]),
    )
    rows = db.session.execute(
        select(Review, Assessment)
        .join(Assessment, Assessment.id == Review.assessment_id)
        .where(
            Review.outcome.is_(None),
            Assessment.organisation_id == user.organisation_id,
            Assessment.id.not_in(authored),
        )
        .order_by(Review.due_on)
    ).all()
    for item, assessment in rows:
        overdue = item.due_on < today
        version = f"versie {item.version.number}"
        if item.claimed_by_id is None:
            entry = Item(assessment, f"{version}, nog door niemand opgepakt", item.due_on, overdue)
            inbox.new.append(entry)
        elif item.claimed_by_id == user.id:
            entry = Item(assessment, f"{version}, bij u in behandeling", item.due_on, overdue)
            inbox.mine.append(entry)
        else:
            entry = Item(assessment, f"{version}, bij {item.claimed_by.name}", item.due_on, overdue)
            inbox.others.append(entry)
        if overdue:
            inbox.overdue.append(entry)
    advices = db.session.execute(
        select(Advice, Assessment)
        .join(Assessment, Assessment.id == Advice.assessment_id)
        .where(Advice.fg_id == user.id)
        .order_by(Advice.id.desc())
        .limit(10)
    ).all()
    inbox.advised = [
        Item(assessment, f"{advice.conclusion_label}, {advice.given_at:%d-%m-%Y}")
        for advice, assessment in advices
    ]
    return inbox


@dataclass
class LeadInbox:
    by_state: list[tuple[str, int]] = field(default_factory=list)
    waiting: list[Item] = field(default_factory=list)
    total: int = 0


def _authored(user: User):
    return (
        select(Assessment)
        .join(AssessmentMember)
        .where(
            AssessmentMember.user_id == user.id,
            AssessmentMember.role.in_([AssessmentRole.OWNER.value, AssessmentRole.EDITOR.value]),
        )
    )


def lead_inbox(user: User, today: date) -> LeadInbox:
    """A drafter's view: assessments per state, and what waits for them."""
    inbox = LeadInbox()
    mine = db.session.scalars(_authored(user).order_by(Assessment.updated_at.desc())).all()
    inbox.total = len(mine)
    counts: dict[str, int] = {}
    for a in mine:
        counts[a.state] = counts.get(a.state, 0) + 1
    inbox.by_state = [(s.value, counts[s.value]) for s in departmental.STATES if s.value in counts]
    ids = [a.id for a in mine]
    # Only the current advice of each assessment counts (earlier ones are history).
    later = aliased(Advice)
    unprocessed = set(
        db.session.scalars(
            select(Advice.assessment_id)
            .join(Recommendation)
            .join(Assessment, Assessment.id == Advice.assessment_id)
            .where(
                Advice.assessment_id.in_(ids),
                Advice.round == Assessment.round,
                Recommendation.response.is_(None),
                Advice.id
                == select(func.max(later.id))
                .where(later.assessment_id == Assessment.id, later.round == Assessment.round)
                .correlate(Assessment)
                .scalar_subquery(),
            )
        )
    )
    horizon = today + timedelta(days=REASSESSMENT_WARNING_DAYS)
    for a in mine:
        if a.state == departmental.CHANGES_REQUESTED.value:
            inbox.waiting.append(Item(a, "De FG vraagt aanpassingen"))
        elif a.state == departmental.ADVICE_GIVEN.value and a.id in unprocessed:
            inbox.waiting.append(
                Item(a, "Aanbevelingen van de FG verwerken", endpoint="review.follow_up")
            )
        elif a.state == departmental.ADVICE_GIVEN.value:
            inbox.waiting.append(Item(a, "Advies verwerkt: aanbieden ter vaststelling"))
        elif a.state == departmental.AP_CONSULTATION.value:
            inbox.waiting.append(Item(a, "Wacht op het antwoord van de AP"))
        elif (
            a.state in departmental.FINAL.values and a.review_due_on and a.review_due_on <= horizon
        ):
            inbox.waiting.append(
                Item(
                    a,
                    "Herbeoordeling nodig",
                    a.review_due_on,
                    a.review_due_on < today,
                )
            )
    return inbox


def to_sign(user: User) -> list[Item]:
    """Assessments offered for adoption that this controller has not signed yet."""
    rows = db.session.scalars(
        select(Assessment)
        .join(Controller, Controller.assessment_id == Assessment.id)
        .where(
            Controller.user_id == user.id,
            Assessment.state == departmental.AWAITING_ADOPTION.value,
        )
    ).all()
    items = []
    for a in rows:
        # A signature is for the version on offer; after a re-offer everyone signs again.
        if not any(s.user_id == user.id for s in review.signatures(a)):
            items.append(
                Item(a, "Wacht op uw vaststelling en handtekening", endpoint="review.sign")
            )
    return items


def reassessments_due(today: date, organisation_id: int | None = None) -> list[Item]:
    """Adopted DPIAs whose re-assessment date is near or past (for auditors and FGs)."""
    horizon = today + timedelta(days=REASSESSMENT_WARNING_DAYS)
    query = select(Assessment).where(
        Assessment.state.in_(departmental.FINAL.values),
        Assessment.review_due_on.is_not(None),
        Assessment.review_due_on <= horizon,
    )
    if organisation_id is not None:
        query = query.where(Assessment.organisation_id == organisation_id)
    return [
        Item(a, "Herbeoordeling nodig", a.review_due_on, a.review_due_on < today)
        for a in db.session.scalars(query.order_by(Assessment.review_due_on))
    ]
