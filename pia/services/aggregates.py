"""SQL that PostgreSQL and SQLite spell differently: days between dates, years, quarters, and a
median per group (window functions), so figures stay aggregate queries on both."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, cast, func, or_, select

from pia.extensions import db


def dialect() -> str:
    """The database in use: "sqlite" or "postgresql"."""
    return db.session.get_bind().dialect.name


def day(column):
    """A timestamp or date as a date (the day, UTC)."""
    return func.date(column) if dialect() == "sqlite" else cast(column, Date)


def days_between(start, end):
    """Whole days from start to end (both dates)."""
    if dialect() == "sqlite":
        return cast(func.julianday(end) - func.julianday(start), Integer)
    return end - start


def year(when):
    """The year of a date or timestamp, as a whole number."""
    if dialect() == "sqlite":
        return cast(func.strftime("%Y", when), Integer)
    return cast(func.extract("year", when), Integer)


def quarter(when):
    """'2026 K4' for a date."""
    if dialect() == "sqlite":
        month = cast(func.strftime("%m", when), Integer)
        return func.strftime("%Y", when) + " K" + cast((month + 2) // 3, String)
    year = cast(func.extract("year", when), Integer)
    number = cast(func.extract("quarter", when), Integer)
    return cast(year, String) + " K" + cast(number, String)


def medians(rows, group: str) -> dict:
    """Median of `days` per `group` of a subquery, in SQL: the middle row(s) by row number."""
    ranked = select(
        rows.c[group],
        rows.c.days,
        func.row_number().over(partition_by=rows.c[group], order_by=rows.c.days).label("rn"),
        func.count().over(partition_by=rows.c[group]).label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    query = (
        select(ranked.c[group], func.avg(ranked.c.days), func.max(ranked.c.n))
        .where(middle)
        .group_by(ranked.c[group])
    )
    return {key: (float(median), int(n)) for key, median, n in db.session.execute(query)}
