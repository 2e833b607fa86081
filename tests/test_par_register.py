"""The PAR register through its service: the days of every step from known dates, the
running step, the year and state filters, and the figures (advices per year, medians)."""

from datetime import date

import pytest

from pia.roles import Role
from pia.services.par import register
from pia.services.par.register_figures import ALL_YEARS, figures, median_words
from tests.conftest import make_user
from tests.par_helpers import people
from tests.par_register_helpers import date_it, walk

TODAY = date(2026, 12, 3)


@pytest.fixture
def p(app):
    found = people()
    found["owner"] = make_user(Role.PROJECTLEIDER, org="BZK")
    return found


def dated(app, p):
    """Three established advices (two started in 2026, one in 2025), one running."""
    first = walk(app, p, "Rijksbrede werkplek")
    date_it(
        first,
        submitted=date(2026, 1, 5),
        sent=date(2026, 1, 10),
        consulted=date(2026, 2, 9),  # 30 days of consultation
        offered=date(2026, 2, 19),  # 10 days of consolidation
        approvals={"ICBR": date(2026, 3, 1), "CIO-beraad": date(2026, 3, 6)},  # 15 days
        consented=date(2026, 3, 26),  # 20 days for the GOR Rijk
        established=date(2026, 4, 1),  # 86 days in all
    )
    second = walk(app, p, "Rijksbreed roosteren")
    date_it(
        second,
        submitted=date(2026, 5, 1),
        sent=date(2026, 5, 1),
        consulted=date(2026, 6, 10),  # 40
        offered=date(2026, 6, 30),  # 20
        approvals={"ICBR": date(2026, 7, 15), "CIO-beraad": date(2026, 7, 10)},  # 15
        consented=date(2026, 8, 14),  # 30
        established=date(2026, 8, 20),  # 111
    )
    older = walk(app, p, "Rijksbrede reisadministratie", consent=False)
    date_it(
        older,
        submitted=date(2025, 11, 3),
        sent=date(2025, 11, 4),
        consulted=date(2025, 12, 4),  # 30
        offered=date(2025, 12, 8),  # 4
        approvals={"ICBR": date(2026, 1, 20), "CIO-beraad": date(2026, 1, 20)},  # 43
        established=date(2026, 1, 22),  # 80, and no consent was needed
    )
    running = walk(app, p, "Rijksbreed parkeren", "fg_consultation")
    date_it(running, submitted=date(2026, 11, 20), sent=date(2026, 11, 23))
    return first, second, older, running


def by_title(rows):
    return {r.title: r for r in rows}


def test_the_days_of_every_step_come_from_the_dates(app, p):
    dated(app, p)
    rows = by_title(register.rows(p["par"], register.Filters(None), TODAY))
    first = rows["Rijksbrede werkplek"]
    assert first.year == 2026 and first.state == "established"
    assert first.days == {
        "consultation": 30,
        "consolidation": 10,
        "approval": 15,
        "consent": 20,
        "total": 86,
    }
    assert first.dates["offered"] == date(2026, 2, 19)
    assert first.dates["established"] == date(2026, 4, 1)
    assert first.running is None and first.openable
    older = rows["Rijksbrede reisadministratie"]
    assert older.year == 2025
    assert older.days["consent"] is None and not older.consent_needed
    assert older.days["total"] == 80
    running = rows["Rijksbreed parkeren"]
    assert running.days == dict.fromkeys(running.days)  # no step has ended
    assert running.running == ("consultation", 10)


def test_the_register_filters_by_year_and_state(app, p):
    dated(app, p)
    titles = lambda f: [r.title for r in register.rows(p["par"], f, TODAY)]  # noqa: E731
    assert titles(register.Filters(2025)) == ["Rijksbrede reisadministratie"]
    assert titles(register.Filters(2026)) == [
        "Rijksbreed parkeren",
        "Rijksbreed roosteren",
        "Rijksbrede werkplek",
    ]
    assert titles(register.Filters(2026, "fg_consultation")) == ["Rijksbreed parkeren"]
    assert titles(register.Filters(2024)) == []
    assert register.years(p["par"]) == [2026, 2025]
    assert register.parse({"jaar": "2025", "stap": "established"}, 2026) == register.Filters(
        2025, "established"
    )
    assert register.parse({"jaar": "alle"}, 2026) == register.Filters(None)
    assert register.parse({"jaar": "x'; --", "stap": "kwijt"}, 2026) == register.Filters(2026)


def test_the_figures_count_advices_per_year_and_take_medians_of_ended_steps(app, p):
    dated(app, p)
    found = {f.year: f for f in figures(p["par"])}
    assert list(found) == [2026, 2025, ALL_YEARS]
    assert (found[2026].started, found[2026].established) == (3, 3)  # 2025's ended in 2026
    assert (found[2025].started, found[2025].established) == (1, 0)
    assert found[2026].medians == {
        "consultation": (35.0, 2),
        "consolidation": (15.0, 2),
        "approval": (15.0, 2),
        "consent": (25.0, 2),
        "total": (98.5, 2),
    }
    assert found[ALL_YEARS].medians["consultation"] == (30.0, 3)
    assert found[ALL_YEARS].medians["consent"] == (25.0, 2)  # none needed in 2025
    assert "consent" not in found[2025].medians
    assert median_words(found[2026].medians["total"]) == "98,5"
    assert median_words(None) == "–"


def test_a_list_is_a_fixed_number_of_queries(app, p):
    """Not one query per trajectory: one more trajectory, the same number of queries."""
    from sqlalchemy import event

    from pia.extensions import db

    def queries() -> int:
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            shown = register.rows(p["par"], register.Filters(None), TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return len(shown), len(statements)

    dated(app, p)
    shown, before = queries()
    walk(app, p, "Nog een traject", "consolidation")
    assert queries() == (shown + 1, before)


@pytest.mark.parametrize("role", [Role.FG, Role.PROJECTLEIDER, Role.BEHEERDER, Role.CPO])
def test_others_get_an_empty_register(app, p, role):
    dated(app, p)
    other = make_user(role, org="BZK")
    assert register.rows(other, register.Filters(None), TODAY) == []
    assert figures(other) == []
