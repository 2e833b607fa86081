"""The portfolio for the privacy office: figures on every DPIA in scope, each from one
aggregate query (counts, medians with window functions), never by loading assessments.

Lead times count calendar days from the first submission of a round to the FG's advice in
that round, and to its adoption (the register's adoption date); a quarter is that of the
advice or the adoption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

import workflows
from pia.extensions import db
from pia.models import (
    Advice,
    ApConsultation,
    Assessment,
    AssessmentFigures,
    Organisation,
    RegisterRecord,
    Review,
    User,
)
from pia.permissions import portfolio_assessments, sees_every_organisation
from pia.services.aggregates import day as _day
from pia.services.aggregates import days_between as _days_between
from pia.services.aggregates import medians as _medians
from pia.services.aggregates import quarter as _quarter
from workflows import departmental

LIST_LIMIT = 100
OUTCOME_LABELS = {
    "verplicht": "DPIA verplicht",
    "aanbevolen": "DPIA aanbevolen",
    "niet_nodig": "Geen DPIA nodig",
    None: "Pre-scan niet af",
}
CONCLUSION_LABELS = {
    "positive": "Positief",
    "conditional": "Positief met voorwaarden",
    "negative": "Negatief",
}


@dataclass(frozen=True)
class Item:
    """One DPIA in a list of the portfolio."""

    assessment_id: int
    title: str
    organisation: str
    state: str
    on: date | None = None
    ap_sent_on: date | None = None
    ap_answered_on: date | None = None
    ap_extended: bool = False


@dataclass
class Portfolio:
    """Every figure of the page and the download."""

    organisations: dict[int, str]
    states: dict[tuple[int, str], int]  # (organisation, the state's label as users read it)
    outcomes: dict[tuple[int, str | None], int]
    conclusions: dict[tuple[str, str], int]
    high_risk: list[Item]
    high_risk_total: int
    overdue_terms: list[Item]
    overdue_terms_total: int
    overdue_reviews: list[Item]
    overdue_reviews_total: int
    to_advice_by_org: dict[int, tuple[float, int]]
    to_advice_by_quarter: dict[str, tuple[float, int]]
    to_adoption_by_org: dict[int, tuple[float, int]]
    to_adoption_by_quarter: dict[str, tuple[float, int]]
    openable: set[int] = field(default_factory=set)

    def state_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (_, state), n in self.states.items():
            totals[state] = totals.get(state, 0) + n
        return totals

    def outcome_totals(self) -> dict[str | None, int]:
        totals: dict[str | None, int] = {}
        for (_, outcome), n in self.outcomes.items():
            totals[outcome] = totals.get(outcome, 0) + n
        return totals

    def quarters(self) -> list[str]:
        found = {q for q, _ in self.conclusions} | set(self.to_advice_by_quarter)
        return sorted(found | set(self.to_adoption_by_quarter))


def _scope(user: User, organisation: int | None) -> list:
    conditions = [portfolio_assessments(user)]
    if organisation and sees_every_organisation(user):
        conditions.append(Assessment.organisation_id == organisation)
    return conditions


def _first_submissions():
    return (
        select(
            Review.assessment_id,
            Review.round,
            func.min(Review.submitted_at).label("submitted_at"),
        )
        .group_by(Review.assessment_id, Review.round)
        .subquery()
    )


def _lead_times(scope: list) -> tuple[dict, dict, dict, dict]:
    first = _first_submissions()
    advice_day = _day(Advice.given_at)
    latest_advice = (
        select(func.max(Advice.id)).group_by(Advice.assessment_id, Advice.round).scalar_subquery()
    )
    to_advice = (
        select(
            Assessment.organisation_id.label("org"),
            _quarter(advice_day).label("quarter"),
            _days_between(_day(first.c.submitted_at), advice_day).label("days"),
        )
        .join(Advice, Advice.assessment_id == Assessment.id)
        .join(
            first,
            and_(first.c.assessment_id == Advice.assessment_id, first.c.round == Advice.round),
        )
        .where(*scope, Advice.id.in_(latest_advice))
        .subquery()
    )
    adopted = (
        select(
            RegisterRecord.assessment_id,
            RegisterRecord.round,
            func.min(RegisterRecord.adopted_on).label("adopted_on"),
        )
        .group_by(RegisterRecord.assessment_id, RegisterRecord.round)
        .subquery()
    )
    to_adoption = (
        select(
            Assessment.organisation_id.label("org"),
            _quarter(adopted.c.adopted_on).label("quarter"),
            _days_between(_day(first.c.submitted_at), adopted.c.adopted_on).label("days"),
        )
        .join(adopted, adopted.c.assessment_id == Assessment.id)
        .join(
            first,
            and_(
                first.c.assessment_id == adopted.c.assessment_id, first.c.round == adopted.c.round
            ),
        )
        .where(*scope)
        .subquery()
    )
    return (
        _medians(to_advice, "org"),
        _medians(to_advice, "quarter"),
        _medians(to_adoption, "org"),
        _medians(to_adoption, "quarter"),
    )


def _items(query, limit: int = LIST_LIMIT) -> tuple[list[Item], int]:
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(limit)).all()
    return [Item(*row) for row in rows], total or 0


def compute(user: User, today: date, organisation: int | None = None) -> Portfolio:
    """The portfolio of the assessments this user's portfolio counts."""
    scope = _scope(user, organisation)
    figures = AssessmentFigures
    states = db.session.execute(
        select(
            Assessment.organisation_id,
            Assessment.government_wide,
            Assessment.state,
            func.count(Assessment.id),
        )
        .where(*scope)
        .group_by(Assessment.organisation_id, Assessment.government_wide, Assessment.state)
    ).all()
    outcomes = db.session.execute(
        select(Assessment.organisation_id, figures.prescan_outcome, func.count(Assessment.id))
        .outerjoin(figures, figures.assessment_id == Assessment.id)
        .where(*scope)
        .group_by(Assessment.organisation_id, figures.prescan_outcome)
    ).all()
    quarter = _quarter(_day(Advice.given_at)).label("quarter")
    conclusions = db.session.execute(
        select(quarter, Advice.conclusion, func.count(Advice.id))
        .join(Assessment, Assessment.id == Advice.assessment_id)
        .where(*scope)
        .group_by(quarter, Advice.conclusion)
    ).all()
    latest_ap = select(func.max(ApConsultation.id)).group_by(ApConsultation.assessment_id)
    base = (Assessment.id, Assessment.title, Organisation.abbreviation, Assessment.state)
    high_risk, high_total = _items(
        select(
            *base,
            ApConsultation.request_sent_on,
            ApConsultation.request_sent_on,
            ApConsultation.answer_received_on,
            ApConsultation.extended,
        )
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .join(figures, figures.assessment_id == Assessment.id)
        .outerjoin(
            ApConsultation,
            and_(
                ApConsultation.assessment_id == Assessment.id,
                ApConsultation.id.in_(latest_ap.scalar_subquery()),
            ),
        )
        .where(*scope, figures.highest_residual_risk == "hoog")
        .order_by(Organisation.abbreviation, func.lower(Assessment.title))
    )
    terms, terms_total = _items(
        select(*base, Review.due_on)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .join(Review, Review.assessment_id == Assessment.id)
        .where(*scope, Review.outcome.is_(None), Review.due_on < today)
        .order_by(Review.due_on)
    )
    reviews, reviews_total = _items(
        select(*base, Assessment.review_due_on)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(
            *scope,
            Assessment.state.in_(departmental.FINAL.values),
            Assessment.review_due_on < today,
        )
        .order_by(Assessment.review_due_on)
    )
    org_ids = {org for org, _, _, _ in states}
    # Counted per state as users read it: a government-wide DPIA by the PAR route's label.
    by_label: dict[tuple[int, str], int] = {}
    for org, government_wide, state, n in states:
        key = (org, workflows.state_label(state, government_wide))
        by_label[key] = by_label.get(key, 0) + n
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.abbreviation).where(Organisation.id.in_(org_ids))
        ).all()
        if org_ids
        else []
    )
    advice_org, advice_quarter, adoption_org, adoption_quarter = _lead_times(scope)
    return Portfolio(
        organisations=dict(sorted(names.items(), key=lambda kv: kv[1])),
        states=by_label,
        outcomes={(org, outcome): n for org, outcome, n in outcomes},
        conclusions={(q, c): n for q, c, n in conclusions},
        high_risk=high_risk,
        high_risk_total=high_total,
        overdue_terms=terms,
        overdue_terms_total=terms_total,
        overdue_reviews=reviews,
        overdue_reviews_total=reviews_total,
        to_advice_by_org=advice_org,
        to_advice_by_quarter=advice_quarter,
        to_adoption_by_org=adoption_org,
        to_adoption_by_quarter=adoption_quarter,
    )


def openable(user: User, ids: Sequence[int]) -> set[int]:
    """Which of these assessments this user may open (for links)."""
    from pia.permissions import visible_assessments

    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Assessment.id).where(Assessment.id.in_(set(ids)), visible_assessments(user))
        )
    )


def organisations(user: User) -> list[Organisation]:
    """For the organisation filter (only for those who see every organisation)."""
    if not sees_every_organisation(user):
        return []
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
