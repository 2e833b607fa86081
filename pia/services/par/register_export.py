"""The PAR register as CSV rows: every date and every step's days, one row per trajectory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pia.models import User
from pia.services.par.register import LEAD_TIMES, Filters, Row, rows
from workflows.outcome import ADVICE_LABELS, Verdict
from workflows.terms import dutch_date

EXPORT_LIMIT = 50_000
_DATES = (
    ("submitted", "Aangeboden op"),
    ("sent", "Verzonden aan de FG's op"),
    ("consulted", "Consolidatie vanaf"),
    ("offered", "Ter goedkeuring aangeboden op"),
    ("approved", "Laatste goedkeuring op"),
    ("consented", "Instemming GOR Rijk op"),
    ("established", "Vastgesteld op"),
)
EXPORT_HEADER = (
    "Jaar",
    "DPIA",
    "Initiatiefnemer",
    "Stap",
    "Conclusie advies",
    "Rondes",
    *(label for _, label in _DATES),
    *(f"Dagen {label.lower()}" for _, label in LEAD_TIMES),
    "Lopende stap",
    "Dagen lopende stap",
)
STEP_LABELS = dict(LEAD_TIMES)


def _row(row: Row) -> list[object]:
    step, days = row.running or ("", "")
    return [
        row.year,
        row.title,
        row.organisation,
        row.state_label,
        ADVICE_LABELS[Verdict(row.conclusion)] if row.conclusion else "",
        row.rounds,
        *(dutch_date(row.dates[key]) if row.dates[key] else "" for key, _ in _DATES),
        *("" if row.days[key] is None else row.days[key] for key, _ in LEAD_TIMES),
        STEP_LABELS.get(step, ""),
        days,
    ]


def export_rows(user: User, filters: Filters, today: date) -> Iterator[list[object]]:
    """Every trajectory of the selection as a row of EXPORT_HEADER."""
    for row in rows(user, filters, today, limit=EXPORT_LIMIT):
        yield _row(row)
