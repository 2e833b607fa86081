"""Response terms: FG advice, prior consultation of the AP (art. 36 GDPR), re-assessment."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

FG_RESPONSE_WEEKS = 4
"""Default term for the FG's advice; a house rule, not law, so callers may pass another."""

AP_ANSWER_WEEKS = 8
AP_EXTENSION_WEEKS = 6
AP_EXTENSION_NOTICE_MONTHS = 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(submitted_on: date, weeks: int = FG_RESPONSE_WEEKS) -> date:
    """The date a response is due: `weeks` weeks after `submitted_on`."""
    if weeks < 0:
        raise ValueError("weeks must not be negative")
    return submitted_on + timedelta(weeks=weeks)


def is_overdue(due: date, today: date) -> bool:
    """True when `today` is past the due date (the due date itself is still on time)."""
    return today > due


def days_left(due: date, today: date) -> int:
    """Days until the due date; negative when overdue."""
    return (due - today).days


@dataclass(frozen=True)
class ApTerms:
    """The terms of a prior consultation of the Autoriteit Persoonsgegevens."""

    request_sent_on: date
    answer_due: date
    extension_notice_by: date
    extended_answer_due: date
    suspended_days: int = 0

    def due(self, extended: bool = False) -> date:
        """The answer date that applies, with or without the announced extension."""
        return self.extended_answer_due if extended else self.answer_due

    def summary(self, extended: bool = False) -> str:
        """Dutch text for the page, e.g. "Antwoord van de AP uiterlijk 3 maart 2025 …"."""
        text = f"Antwoord van de AP uiterlijk {dutch_date(self.answer_due)}"
        text += f"; bij verlenging met {AP_EXTENSION_WEEKS} weken uiterlijk "
        text += f"{dutch_date(self.extended_answer_due)}"
        if not extended:
            text += f" (verlenging moet vóór {dutch_date(self.extension_notice_by)} gemeld zijn)"
        if self.suspended_days:
            text += f"; termijn {self.suspended_days} dagen opgeschort"
        return text + "."


def ap_terms(request_sent_on: date, suspended_days: int = 0) -> ApTerms:
    """AP terms: answer within 8 weeks, extendable by 6 (announced within one month)."""
    # Art. 36(2) AVG: the terms stand still while the AP waits for information it asked
    # for; `suspended_days` is how long. The law counts from receipt; we use the sent date.
    if suspended_days < 0:
        raise ValueError("suspended_days must not be negative")
    pause = timedelta(days=suspended_days)
    answer_due = deadline(request_sent_on, AP_ANSWER_WEEKS) + pause
    return ApTerms(
        request_sent_on=request_sent_on,
        answer_due=answer_due,
        extension_notice_by=add_months(request_sent_on, AP_EXTENSION_NOTICE_MONTHS) + pause,
        extended_answer_due=answer_due + timedelta(weeks=AP_EXTENSION_WEEKS),
        suspended_days=suspended_days,
    )


_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day: date) -> str:
    """A date as Dutch text, e.g. "3 maart 2025"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
