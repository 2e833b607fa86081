"""The PAR register: every trajectory of a year with its state, dates and lead time per step,
and the figures (advices per year, median days per step). One query for the list, a few
grouped ones for the figures: never a query per trajectory. The day arithmetic is SQL
(pia.services.aggregates), so the list and the medians count the same days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, case, func, select, type_coerce

from pia.extensions import db
from pia.formkit import parse_int
from pia.models import (
    Assessment,
    DecisionKind,
    Organisation,
    ParDecision,
    ParRound,
    ParTrajectory,
    RoundOutcome,
    User,
)
from pia.permissions import par_register_assessments, visible_assessments
from pia.services import aggregates
from pia.services.par.overview import STEPS
from workflows import par

LIMIT = 1000
ALL = "alle"
# (key, label): the steps whose lead time the register shows, in the order they happen.
LEAD_TIMES = (
    ("consultation", "Raadpleging FG's"),
    ("consolidation", "Consolidatie"),
    ("approval", "Goedkeuring"),
    ("consent", "Instemming GOR Rijk"),
    ("total", "Totaal"),
)
STATE_LABELS = {s.value: s.label for s in STEPS}
_CONSULTING = (par.SUBMITTED.value, par.FG_CONSULTATION.value, par.CHANGES_REQUESTED.value)
# The states in which a step has not ended yet (it runs, or comes later).
_NOT_ENDED = {
    "consultation": _CONSULTING,
    "consolidation": (*_CONSULTING, par.CONSOLIDATION.value),
    "approval": (*_CONSULTING, par.CONSOLIDATION.value, par.APPROVAL.value),
    "consent": (*_CONSULTING, par.CONSOLIDATION.value, par.APPROVAL.value, par.CONSENT.value),
}


@dataclass(frozen=True)
class Filters:
    """The year (None: every year) and the state ("" : every state), from the URL."""

    year: int | None
    state: str = ""

    def args(self) -> dict[str, str | int]:
        values = {"jaar": self.year or ALL, "stap": self.state}
        return {k: v for k, v in values.items() if v}


def parse(args, this_year: int) -> Filters:
    """Filters from request.args; unknown values fall back to this year and every state."""
    state = args.get("stap", "")
    wanted = args.get("jaar", "")
    year = None if wanted == ALL else parse_int(wanted, low=2000, high=2999) or this_year
    return Filters(year, state if state in STATE_LABELS else "")


def _day(column):
    return type_coerce(aggregates.day(column), Date)


def _span(start, end):
    """Whole days from start to end, never below zero (a meeting date may precede the
    moment the advice was offered in the app)."""
    days = aggregates.days_between(start, end)
    return case((days < 0, 0), else_=days)


def steps_query():
    """One row per trajectory: its dates, and the days of each step that has ended."""
    rounds = (
        select(
            ParRound.assessment_id,
            func.min(ParRound.submitted_at).label("submitted"),
            func.min(ParRound.sent_at).label("sent"),
            func.max(
                case((ParRound.outcome == RoundOutcome.CONSOLIDATED.value, ParRound.closed_at))
            ).label("consulted"),
            func.count(ParRound.id).label("rounds"),
        )
        .group_by(ParRound.assessment_id)
        .subquery()
    )

    def last_meeting(kind: DecisionKind, label: str):
        return (
            select(ParDecision.assessment_id, func.max(ParDecision.decided_on).label(label))
            .join(ParTrajectory, ParTrajectory.assessment_id == ParDecision.assessment_id)
            .where(ParDecision.kind == kind.value, ParDecision.offer == ParTrajectory.offer)
            .group_by(ParDecision.assessment_id)
            .subquery()
        )

    approved = last_meeting(DecisionKind.APPROVAL, "approved")
    consented = last_meeting(DecisionKind.CONSENT, "consented")
    dates = {
        "submitted": _day(rounds.c.submitted),
        "sent": _day(rounds.c.sent),
        "consulted": _day(rounds.c.consulted),
        "offered": _day(ParTrajectory.offered_at),
        "approved": approved.c.approved,
        "consented": consented.c.consented,
        "established": _day(ParTrajectory.established_at),
    }
    state = Assessment.state

    def ended(step: str, end):
        return end.is_not(None) & state.not_in(_NOT_ENDED[step])

    days = {
        "consultation": case(
            (ended("consultation", dates["consulted"]), _span(dates["sent"], dates["consulted"]))
        ),
        "consolidation": case(
            (
                ended("consolidation", dates["offered"]) & (dates["offered"] >= dates["consulted"]),
                _span(dates["consulted"], dates["offered"]),
            )
        ),
        "approval": case(
            (
                ended("approval", dates["approved"])
                & (state != par.WITHDRAWN.value)
                & dates["offered"].is_not(None),
                _span(dates["offered"], dates["approved"]),
            )
        ),
        "consent": case(
            (
                ended("consent", dates["consented"]) & state.in_(sorted(par.FINAL.values)),
                _span(dates["approved"], dates["consented"]),
            )
        ),
        "total": case(
            (state.in_(sorted(par.FINAL.values)), _span(dates["submitted"], dates["established"]))
        ),
    }
    return (
        select(
            Assessment.id.label("assessment_id"),
            Assessment.title,
            state.label("state"),
            Organisation.abbreviation.label("organisation"),
            ParTrajectory.advice_conclusion.label("conclusion"),
            rounds.c.rounds,
            aggregates.year(rounds.c.submitted).label("year"),
            *(v.label(k) for k, v in dates.items()),
            *(v.label(f"{k}_days") for k, v in days.items()),
        )
        .select_from(Assessment)
        .join(rounds, rounds.c.assessment_id == Assessment.id)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .outerjoin(ParTrajectory, ParTrajectory.assessment_id == Assessment.id)
        .outerjoin(approved, approved.c.assessment_id == Assessment.id)
        .outerjoin(consented, consented.c.assessment_id == Assessment.id)
        .where(Assessment.government_wide)
    )


@dataclass
class Row:
    """One trajectory in the register."""

    assessment_id: int
    title: str
    state: str
    organisation: str
    conclusion: str | None
    rounds: int
    year: int
    dates: dict[str, date | None]
    days: dict[str, int | None]
    running: tuple[str, int] | None = None
    openable: bool = False

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def consent_needed(self) -> bool:
        """False once it was established (and maybe adopted since) without the GOR Rijk."""
        return not (self.state in par.FINAL.values and self.dates["consented"] is None)


_DATE_KEYS = ("submitted", "sent", "consulted", "offered", "approved", "consented", "established")
# Where the running step of a trajectory in this state started.
_RUNNING = {
    par.FG_CONSULTATION.value: ("consultation", "sent"),
    par.CHANGES_REQUESTED.value: ("consultation", "sent"),
    par.CONSOLIDATION.value: ("consolidation", "consulted"),
    par.APPROVAL.value: ("approval", "offered"),
    par.CONSENT.value: ("consent", "approved"),
}


def _row(found, today: date) -> Row:
    dates = {k: getattr(found, k) for k in _DATE_KEYS}
    row = Row(
        assessment_id=found.assessment_id,
        title=found.title,
        state=found.state,
        organisation=found.organisation,
        conclusion=found.conclusion,
        rounds=found.rounds,
        year=found.year,
        dates=dates,
        days={k: getattr(found, f"{k}_days") for k, _ in LEAD_TIMES},
    )
    step, since = _RUNNING.get(found.state, (None, None))
    if step is None and found.state == par.SUBMITTED.value and dates["sent"]:
        step, since = "consultation", "sent"  # resubmitted after changes
    if step is not None and dates[since] is not None:
        row.running = (step, max(0, (today - dates[since]).days))
    return row


def _selection(user: User, filters: Filters):
    steps = steps_query().where(par_register_assessments(user)).subquery()
    query = select(steps)
    if filters.year is not None:
        query = query.where(steps.c.year == filters.year)
    if filters.state:
        query = query.where(steps.c.state == filters.state)
    return query.order_by(steps.c.submitted.desc(), steps.c.assessment_id.desc())


def rows(user: User, filters: Filters, today: date, limit: int = LIMIT) -> list[Row]:
    """The trajectories of the selection, newest first; which of them this user may open."""
    found = [_row(r, today) for r in db.session.execute(_selection(user, filters).limit(limit))]
    ids = [r.assessment_id for r in found]
    openable = set(
        db.session.scalars(
            select(Assessment.id).where(Assessment.id.in_(ids), visible_assessments(user))
        )
        if ids
        else ()
    )
    for row in found:
        row.openable = row.assessment_id in openable
    return found


def years(user: User) -> list[int]:
    """The years in which trajectories started, newest first (for the year filter)."""
    steps = steps_query().where(par_register_assessments(user)).subquery()
    return list(db.session.scalars(select(steps.c.year).distinct().order_by(steps.c.year.desc())))
