"""What waits for whom: the lists behind the dashboards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from pia.extensions import db
from pia.models import (
    Advice,
    Assessment,
    AssessmentMember,
    AssessmentRole,
    AssessmentVersion,
    Controller,
    Recommendation,
    Review,
    Signature,
    User,
)
from pia.permissions import fg_assessments
from pia.roles import Role
from pia.services.review.record import local_date
from workflows import departmental
from workflows.terms import dutch_date

REASSESSMENT_WARNING_DAYS = 30


@dataclass
class Item:
    """One line on a dashboard: an assessment, why it is listed, and where to go."""

    assessment: Assessment
    note: str = ""
    due: date | None = None
    overdue: bool = False
    endpoint: str = "review.index"


PANEL_SIZE = 10


@dataclass
class Panel:
    """At most PANEL_SIZE items of a dashboard panel, how many there are in all, and the
    list page (its query parameters) that shows them all."""

    items: list[Item] = field(default_factory=list)
    total: int = 0
    more: dict | None = None

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass
class FgInbox:
    new: Panel = field(default_factory=Panel)
    mine: Panel = field(default_factory=Panel)
    overdue: Panel = field(default_factory=Panel)
    others: Panel = field(default_factory=Panel)
    advised: Panel = field(default_factory=Panel)


def fg_queue(user: User, today: date):
    """Per open review of an assessment this user reviews as FG, which panel it is in:
    overdue first (whoever has it), then new (unclaimed), mine, or at a colleague."""
    return case(
        (Review.due_on < today, "te_laat"),
        (Review.claimed_by_id.is_(None), "nieuw"),
        (Review.claimed_by_id == user.id, "bij_mij"),
        else_="bij_collega",
    )


def _fg_open_reviews(user: User):
    return (
        select(Review, Assessment)
        .join(Assessment, Assessment.id == Review.assessment_id)
        .where(Review.outcome.is_(None), fg_assessments(user))
    )


def fg_inbox(user: User, today: date) -> FgInbox:
    """An FG's view: new submissions, what they claimed, overdue ones, advice given; each
    panel a bounded query, with the total from one grouped count."""
    inbox = FgInbox()
    if not user.has_role(Role.FG):
        return inbox
    queue = fg_queue(user, today)
    totals = dict(
        db.session.execute(
            select(queue, func.count(Review.id))
            .join(Assessment, Assessment.id == Review.assessment_id)
            .where(Review.outcome.is_(None), fg_assessments(user))
            .group_by(queue)
        ).all()
    )
    panels = {"nieuw": inbox.new, "bij_mij": inbox.mine, "te_laat": inbox.overdue}
    panels["bij_collega"] = inbox.others
    for name, panel in panels.items():
        panel.total = totals.get(name, 0)
        panel.more = {"behandeling": name}
        if not panel.total:
            continue
        rows = db.session.execute(
            _fg_open_reviews(user)
            .where(queue == name)
            .order_by(Review.due_on, Review.id)
            .limit(PANEL_SIZE)
        ).all()
        for item, assessment in rows:
            version = f"versie {item.version.number}"
            if item.claimed_by_id is None:
                note = f"{version}, nog door niemand opgepakt"
            elif item.claimed_by_id == user.id:
                note = f"{version}, bij u in behandeling"
            else:
                note = f"{version}, bij {item.claimed_by.name}"
            overdue = item.due_on < today
            panel.items.append(Item(assessment, note, item.due_on, overdue))
    advices = db.session.execute(
        select(Advice, Assessment)
        .join(Assessment, Assessment.id == Advice.assessment_id)
        .where(Advice.fg_id == user.id)
        .order_by(Advice.id.desc())
        .limit(PANEL_SIZE)
    ).all()
    inbox.advised = Panel(
        [
            Item(
                assessment, f"{advice.conclusion_label}, {dutch_date(local_date(advice.given_at))}"
            )
            for advice, assessment in advices
        ],
        db.session.scalar(select(func.count(Advice.id)).where(Advice.fg_id == user.id)) or 0,
    )
    return inbox


@dataclass
class LeadInbox:
    by_state: list[tuple[str, int]] = field(default_factory=list)
    waiting: Panel = field(default_factory=Panel)
    total: int = 0


def _authored_condition(user: User):
    return Assessment.id.in_(
        select(AssessmentMember.assessment_id).where(
            AssessmentMember.user_id == user.id,
            AssessmentMember.role.in_([AssessmentRole.OWNER.value, AssessmentRole.EDITOR.value]),
        )
    )


def waiting_condition(user: User, today: date):
    """A SQL condition: the assessments this user wrote that wait for their action (changes
    asked, advice to process or offer, the AP's answer, a re-assessment due)."""
    horizon = today + timedelta(days=REASSESSMENT_WARNING_DAYS)
    return and_(
        _authored_condition(user),
        or_(
            Assessment.state.in_(
                [
                    departmental.CHANGES_REQUESTED.value,
                    departmental.ADVICE_GIVEN.value,
                    departmental.AP_CONSULTATION.value,
                ]
            ),
            and_(
                Assessment.state.in_(departmental.FINAL.values),
                Assessment.review_due_on.is_not(None),
                Assessment.review_due_on <= horizon,
            ),
        ),
    )


def lead_inbox(user: User, today: date) -> LeadInbox:
    """A drafter's view: assessments per state (one grouped count), and what waits for them
    (a bounded query)."""
    inbox = LeadInbox()
    authored = _authored_condition(user)
    counts = dict(
        db.session.execute(
            select(Assessment.state, func.count(Assessment.id))
            .where(authored)
            .group_by(Assessment.state)
        ).all()
    )
    inbox.total = sum(counts.values())
    inbox.by_state = [(s.value, counts[s.value]) for s in departmental.STATES if s.value in counts]
    waiting = waiting_condition(user, today)
    total = db.session.scalar(select(func.count(Assessment.id)).where(waiting)) or 0
    mine = db.session.scalars(
        select(Assessment).where(waiting).order_by(Assessment.updated_at.desc()).limit(PANEL_SIZE)
    ).all()
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
    items = []
    for a in mine:
        if a.state == departmental.CHANGES_REQUESTED.value:
            items.append(Item(a, "De FG vraagt aanpassingen"))
        elif a.state == departmental.ADVICE_GIVEN.value and a.id in unprocessed:
            items.append(Item(a, "Aanbevelingen van de FG verwerken", endpoint="review.follow_up"))
        elif a.state == departmental.ADVICE_GIVEN.value:
            items.append(Item(a, "Advies verwerkt: aanbieden ter vaststelling"))
        elif a.state == departmental.AP_CONSULTATION.value:
            items.append(Item(a, "Wacht op het antwoord van de AP"))
        else:
            items.append(Item(a, "Herbeoordeling nodig", a.review_due_on, a.review_due_on < today))
    inbox.waiting = Panel(items, total, {"wacht": "ja"})
    return inbox


def to_sign(user: User) -> Panel:
    """Assessments offered for adoption that this controller has not signed yet (the
    version on offer: after a re-offer everyone signs again)."""
    signed = (
        select(Signature.id)
        .where(
            Signature.assessment_id == Assessment.id,
            Signature.user_id == user.id,
            Signature.round == Assessment.round,
            Signature.version_id == _offered_version(),
        )
        .correlate(Assessment)
        .exists()
    )
    condition = and_(
        Controller.user_id == user.id,
        Assessment.state == departmental.AWAITING_ADOPTION.value,
        ~signed,
    )
    base = select(Assessment).join(Controller, Controller.assessment_id == Assessment.id)
    total = db.session.scalar(
        select(func.count(Assessment.id))
        .join(Controller, Controller.assessment_id == Assessment.id)
        .where(condition)
    )
    rows = db.session.scalars(
        base.where(condition).order_by(Assessment.updated_at.desc()).limit(PANEL_SIZE)
    ).all()
    items = [
        Item(a, "Wacht op uw vaststelling en handtekening", endpoint="review.sign") for a in rows
    ]
    return Panel(items, total or 0, {"status": departmental.AWAITING_ADOPTION.value})


def _offered_version():
    """The version on offer: the newest frozen version (highest number) of the assessment."""
    newest = aliased(AssessmentVersion)
    return (
        select(newest.id)
        .where(newest.assessment_id == Assessment.id)
        .order_by(newest.number.desc())
        .limit(1)
        .correlate(Assessment)
        .scalar_subquery()
    )


def reassessments_due(today: date, organisation_id: int | None = None) -> Panel:
    """Adopted DPIAs whose re-assessment date is near or past (for auditors and FGs)."""
    horizon = today + timedelta(days=REASSESSMENT_WARNING_DAYS)
    condition = and_(
        Assessment.state.in_(departmental.FINAL.values),
        Assessment.review_due_on.is_not(None),
        Assessment.review_due_on <= horizon,
    )
    if organisation_id is not None:
        condition = and_(condition, Assessment.organisation_id == organisation_id)
    total = db.session.scalar(select(func.count(Assessment.id)).where(condition)) or 0
    rows = db.session.scalars(
        select(Assessment).where(condition).order_by(Assessment.review_due_on).limit(PANEL_SIZE)
    )
    items = [
        Item(a, "Herbeoordeling nodig", a.review_due_on, a.review_due_on < today) for a in rows
    ]
    return Panel(items, total, {"termijn": "herbeoordeling"})
