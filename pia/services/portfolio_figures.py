"""The portfolio as figures: each a title, a table (header and rows) and the bars of its
chart, so the page, its charts and the .xlsx download show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import workflows
from pia.services.portfolio import CONCLUSION_LABELS, OUTCOME_LABELS, Item, Portfolio
from workflows.terms import ap_terms, dutch_date


@dataclass(frozen=True)
class Figure:
    """One figure of the portfolio."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]
    bars: list[tuple[str, float]]
    unit: str = ""
    sheet: str = ""


def _state_label(value: str) -> str:
    return workflows.state_label(value)


def _lead(key: str, title: str, first: str, values: dict, names: dict | None, sheet: str) -> Figure:
    keys = sorted(values, key=lambda k: names.get(k, "") if names else k)
    label = (lambda k: names.get(k, "?")) if names else str
    rows = [(label(k), round(values[k][0], 1), values[k][1]) for k in keys]
    return Figure(
        key,
        title,
        (first, "Mediaan (dagen)", "Aantal DPIA's"),
        rows,
        [(str(r[0]), float(r[1])) for r in rows],
        " dagen",
        sheet,
    )


def ap_status(item: Item, today: date) -> str:
    """Where the prior consultation of the AP stands, in words."""
    if item.ap_sent_on is None:
        return "Nog geen verzoek aan de AP"
    if item.ap_answered_on is not None:
        return f"Antwoord van de AP ontvangen op {dutch_date(item.ap_answered_on)}"
    due = ap_terms(item.ap_sent_on).due(item.ap_extended)
    late = " (termijn verstreken)" if due < today else ""
    return f"Verzoek verstuurd op {dutch_date(item.ap_sent_on)}, antwoord uiterlijk " + (
        f"{dutch_date(due)}{late}"
    )


def figures(p: Portfolio, today: date) -> list[Figure]:
    """Every figure of the page, in order."""
    states = [label for label in workflows.state_labels() if any(k[1] == label for k in p.states)]
    state_rows = [
        (
            name,
            *(p.states.get((org, s), 0) for s in states),
            sum(p.states.get((org, s), 0) for s in states),
        )
        for org, name in p.organisations.items()
    ]
    totals = p.state_totals()
    outcomes = [o for o in OUTCOME_LABELS if any(k[1] == o for k in p.outcomes)]
    outcome_totals = p.outcome_totals()
    quarters = sorted({q for q, _ in p.conclusions})
    conclusions = list(CONCLUSION_LABELS)
    ap_counts = {"Nog geen verzoek aan de AP": 0, "Wacht op antwoord": 0, "Antwoord ontvangen": 0}
    for item in p.high_risk:
        key = (
            "Nog geen verzoek aan de AP"
            if item.ap_sent_on is None
            else "Antwoord ontvangen"
            if item.ap_answered_on
            else "Wacht op antwoord"
        )
        ap_counts[key] += 1
    return [
        Figure(
            "status",
            "Assessments per status",
            ("Organisatie", *states, "Totaal"),
            state_rows,
            [(s, totals[s]) for s in states],
            sheet="Per status",
        ),
        Figure(
            "uitkomst",
            "Assessments per uitkomst van de pre-scan",
            ("Organisatie", *(OUTCOME_LABELS[o] for o in outcomes)),
            [
                (name, *(p.outcomes.get((org, o), 0) for o in outcomes))
                for org, name in p.organisations.items()
            ],
            [(OUTCOME_LABELS[o], outcome_totals[o]) for o in outcomes],
            sheet="Per uitkomst pre-scan",
        ),
        Figure(
            "advies",
            "Conclusie van het FG-advies per kwartaal",
            ("Kwartaal", *CONCLUSION_LABELS.values()),
            [(q, *(p.conclusions.get((q, c), 0) for c in conclusions)) for q in quarters],
            [
                (label, sum(p.conclusions.get((q, c), 0) for q in quarters))
                for c, label in CONCLUSION_LABELS.items()
            ],
            sheet="FG-advies per kwartaal",
        ),
        Figure(
            "restrisico",
            "DPIA's met een hoog restrisico: raadpleging van de AP",
            ("Stand", "Aantal DPIA's"),
            list(ap_counts.items()),
            [(k, v) for k, v in ap_counts.items()],
            sheet="Hoog restrisico en AP",
        ),
        Figure(
            "termijnen",
            "Verstreken termijnen",
            ("Termijn", "Aantal"),
            [
                ("FG-termijn verstreken", p.overdue_terms_total),
                ("Herbeoordeling te laat", p.overdue_reviews_total),
            ],
            [
                ("FG-termijn verstreken", p.overdue_terms_total),
                ("Herbeoordeling te laat", p.overdue_reviews_total),
            ],
            sheet="Verstreken termijnen",
        ),
        _lead(
            "advies-org",
            "Doorlooptijd van indienen tot FG-advies, per organisatie",
            "Organisatie",
            p.to_advice_by_org,
            p.organisations,
            "Tot advies per organisatie",
        ),
        _lead(
            "advies-kwartaal",
            "Doorlooptijd van indienen tot FG-advies, per kwartaal van het advies",
            "Kwartaal",
            p.to_advice_by_quarter,
            None,
            "Tot advies per kwartaal",
        ),
        _lead(
            "vaststelling-org",
            "Doorlooptijd van indienen tot vaststelling, per organisatie",
            "Organisatie",
            p.to_adoption_by_org,
            p.organisations,
            "Tot vaststelling per org.",
        ),
        _lead(
            "vaststelling-kwartaal",
            "Doorlooptijd van indienen tot vaststelling, per kwartaal van de vaststelling",
            "Kwartaal",
            p.to_adoption_by_quarter,
            None,
            "Tot vaststelling per kwartaal",
        ),
    ]


def item_rows(items: list[Item], today: date, *, ap: bool) -> list[tuple[object, ...]]:
    """A list of DPIAs for the download: organisation, title, state, and the date or AP."""
    return [
        (
            i.organisation,
            i.title,
            _state_label(i.state),
            ap_status(i, today) if ap else (dutch_date(i.on) if i.on else ""),
        )
        for i in items
    ]
