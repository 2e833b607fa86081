"""Response terms: FG advice, AP prior consultation (8 + 6 weeks), overdue checks."""

from datetime import date

import pytest

from workflows.terms import add_months, ap_terms, days_left, deadline, dutch_date, is_overdue


def test_fg_deadline_defaults_to_four_weeks() -> None:
    assert deadline(date(2025, 1, 6)) == date(2025, 2, 3)
    assert deadline(date(2025, 1, 6), weeks=6) == date(2025, 2, 17)
    with pytest.raises(ValueError):
        deadline(date(2025, 1, 6), weeks=-1)


@pytest.mark.parametrize(
    ("today", "overdue", "left"),
    [(date(2025, 2, 2), False, 1), (date(2025, 2, 3), False, 0), (date(2025, 2, 4), True, -1)],
)
def test_overdue_only_after_the_due_day(today: date, overdue: bool, left: int) -> None:
    due = deadline(date(2025, 1, 6))
    assert is_overdue(due, today) is overdue
    assert days_left(due, today) == left


def test_ap_answer_within_eight_weeks_extendable_by_six() -> None:
    terms = ap_terms(date(2025, 1, 6))
    assert terms.answer_due == date(2025, 3, 3)
    assert terms.extended_answer_due == date(2025, 4, 14)
    assert terms.extension_notice_by == date(2025, 2, 6)
    assert terms.due() == terms.answer_due
    assert terms.due(extended=True) == terms.extended_answer_due
    assert (terms.extended_answer_due - terms.request_sent_on).days == 14 * 7


def test_ap_terms_across_a_leap_day_and_a_short_month() -> None:
    terms = ap_terms(date(2024, 1, 31))
    assert terms.answer_due == date(2024, 3, 27)
    assert terms.extension_notice_by == date(2024, 2, 29)
    assert terms.extended_answer_due == date(2024, 5, 8)


def test_ap_terms_stand_still_while_the_ap_waits_for_information() -> None:
    terms = ap_terms(date(2025, 1, 6), suspended_days=10)
    assert terms.answer_due == date(2025, 3, 13)
    assert terms.extended_answer_due == date(2025, 4, 24)
    assert terms.extension_notice_by == date(2025, 2, 16)
    with pytest.raises(ValueError):
        ap_terms(date(2025, 1, 6), suspended_days=-1)


def test_ap_terms_summary_in_dutch() -> None:
    terms = ap_terms(date(2025, 1, 6))
    assert terms.summary() == (
        "Antwoord van de AP uiterlijk 3 maart 2025; bij verlenging met 6 weken uiterlijk "
        "14 april 2025 (verlenging moet vóór 6 februari 2025 gemeld zijn)."
    )
    assert terms.summary(extended=True).endswith("uiterlijk 14 april 2025.")
    assert "opgeschort" in ap_terms(date(2025, 1, 6), suspended_days=3).summary()


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: date, months: int, result: date) -> None:
    assert add_months(day, months) == result


def test_dutch_date() -> None:
    assert dutch_date(date(2025, 12, 1)) == "1 december 2025"
