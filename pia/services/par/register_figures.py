"""The PAR register's figures: trajectories started and advices established per year, and
the median days of each step (over the steps that ended), computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal, select

from pia.extensions import db
from pia.models import User
from pia.permissions import par_register_assessments
from pia.services import aggregates
from pia.services.par.register import LEAD_TIMES, steps_query

ALL_YEARS = 0


@dataclass
class YearFigures:
    """One year (ALL_YEARS: every year together)."""

    year: int
    started: int = 0
    established: int = 0
    # step -> (median days, how many ended steps it is the median of)
    medians: dict[str, tuple[float, int]] = field(default_factory=dict)


def figures(user: User) -> list[YearFigures]:
    """Per year, newest first, then every year together."""
    steps = steps_query().where(par_register_assessments(user)).subquery()
    found: dict[int, YearFigures] = {}

    def of(year: int) -> YearFigures:
        return found.setdefault(year, YearFigures(year))

    started = select(steps.c.year, func.count()).group_by(steps.c.year)
    for year, n in db.session.execute(started):
        of(year).started = n
        of(ALL_YEARS).started += n
    when = aggregates.year(steps.c.established)
    established = select(when, func.count()).where(steps.c.established.is_not(None)).group_by(when)
    for year, n in db.session.execute(established):
        of(year).established = n
        of(ALL_YEARS).established += n
    for key, _ in LEAD_TIMES:
        days = steps.c[f"{key}_days"]
        for group in (steps.c.year, literal(ALL_YEARS)):
            ended = select(group.label("year"), days.label("days")).where(days.is_not(None))
            for year, value in aggregates.medians(ended.subquery(), "year").items():
                of(year).medians[key] = value
    every = found.pop(ALL_YEARS, None)
    ordered = [found[y] for y in sorted(found, reverse=True)]
    return ordered + ([every] if every and len(ordered) > 1 else [])


def median_words(value: tuple[float, int] | None) -> str:
    """A median in Dutch: "34", "34,5" (days), or "–" when no step ended."""
    if value is None:
        return "–"
    median = value[0]
    return str(int(median)) if median == int(median) else f"{median:.1f}".replace(".", ",")
