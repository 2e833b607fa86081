"""The assessment list: the permission as a query, filters and sorting in the URL, pages,
and counts per state from one grouped query. Reads only stored figures."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from pia.extensions import db
from pia.formkit import MAX_PAGE, parse_int
from pia.models import (
    Assessment,
    AssessmentFigures,
    AssessmentMember,
    AssessmentRole,
    Organisation,
    Review,
    User,
)
from pia.permissions import fg_assessments, visible_assessments
from pia.services import figures, inbox
from workflows import departmental

PER_PAGE = 25
SEARCH_LENGTH = 100
REASSESSMENT_HORIZON_DAYS = 30

OUTCOMES = {
    "verplicht": "DPIA verplicht",
    "aanbevolen": "DPIA aanbevolen",
    "niet_nodig": "Geen DPIA nodig",
    "onbekend": "Nog niet bekend (pre-scan niet af)",
}
TERMS = {
    "fg_lopend": "FG-termijn loopt",
    "fg_verlopen": "FG-termijn verstreken",
    "herbeoordeling": "Herbeoordeling binnen 30 dagen of te laat",
}
QUEUES = {
    "nieuw": "Nieuw ingediend (nog door niemand opgepakt)",
    "bij_mij": "Bij mij in behandeling",
    "bij_collega": "Bij een collega-FG",
    "te_laat": "FG-termijn verstreken",
}
SORTS = {
    "gewijzigd": "Laatst gewijzigd",
    "titel": "Titel",
    "status": "Status",
    "voortgang": "Voortgang",
    "termijn": "FG-termijn",
}


@dataclass(frozen=True)
class Filters:
    """What the user asked for; every value comes from (and goes back into) the URL."""

    search: str = ""
    state: str = ""
    organisation: int | None = None
    outcome: str = ""
    owner: str = ""
    term: str = ""
    queue: str = ""
    waiting: bool = False
    sort: str = "gewijzigd"
    descending: bool = True
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(
            self.search or self.state or self.organisation or self.outcome or self.owner
        ) or bool(self.term or self.queue or self.waiting)

    def args(self, **changes) -> dict[str, str | int]:
        """The query parameters for a link to this list with some values changed."""
        f = replace(self, **changes)
        values = {
            "q": f.search,
            "status": f.state,
            "organisatie": f.organisation or "",
            "uitkomst": f.outcome,
            "eigenaar": f.owner,
            "termijn": f.term,
            "behandeling": f.queue,
            "wacht": "ja" if f.waiting else "",
            "sorteer": f.sort if f.sort != "gewijzigd" else "",
            "richting": ("af" if f.descending else "op")
            if (f.sort, f.descending) != ("gewijzigd", True)
            else "",
            "pagina": f.page if f.page > 1 else "",
        }
        return {k: v for k, v in values.items() if v not in ("", None)}


def _text(value: str | None) -> str:
    """Search text from the URL: one line, no control characters or lone surrogates (which
    no database stores), at most SEARCH_LENGTH characters."""
    kept = "".join(c for c in (value or "") if unicodedata.category(c) not in ("Cc", "Cs", "Cf"))
    return " ".join(kept.split())[:SEARCH_LENGTH]


def parse(args) -> Filters:
    """Filters from request.args; unknown or malformed values fall back to the default."""
    state = args.get("status", "")
    outcome = args.get("uitkomst", "")
    term = args.get("termijn", "")
    queue = args.get("behandeling", "")
    sort = args.get("sorteer", "gewijzigd")
    direction = args.get("richting", "")
    sort = sort if sort in SORTS else "gewijzigd"
    return Filters(
        search=_text(args.get("q")),
        state=state if state in departmental.WORKFLOW.state_values else "",
        organisation=parse_int(args.get("organisatie")),
        outcome=outcome if outcome in OUTCOMES else "",
        owner=_text(args.get("eigenaar")),
        term=term if term in TERMS else "",
        queue=queue if queue in QUEUES else "",
        waiting=args.get("wacht") == "ja",
        sort=sort,
        descending=(direction == "af") if direction in ("op", "af") else sort != "titel",
        page=parse_int(args.get("pagina"), high=MAX_PAGE) or 1,
    )


@dataclass
class Listing:
    """One page of the list, the total, and counts per state (with the other filters)."""

    rows: list[tuple[Assessment, AssessmentFigures]]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def _conditions(user: User, filters: Filters, today: date) -> list:
    """Everything but the state filter (so the counts per state can use the rest)."""
    conditions = [visible_assessments(user)]
    if filters.search:
        conditions.append(func.lower(Assessment.title).like(_like(filters.search), escape="\\"))
    if filters.organisation:
        conditions.append(Assessment.organisation_id == filters.organisation)
    if filters.outcome == "onbekend":
        conditions.append(AssessmentFigures.prescan_outcome.is_(None))
    elif filters.outcome:
        conditions.append(AssessmentFigures.prescan_outcome == filters.outcome)
    if filters.owner:
        owners = (
            select(AssessmentMember.assessment_id)
            .join(User, User.id == AssessmentMember.user_id)
            .where(
                AssessmentMember.role == AssessmentRole.OWNER.value,
                or_(
                    func.lower(User.name).like(_like(filters.owner), escape="\\"),
                    func.lower(User.email).like(_like(filters.owner), escape="\\"),
                ),
            )
        )
        conditions.append(Assessment.id.in_(owners))
    if filters.term == "fg_lopend":
        conditions.append(AssessmentFigures.fg_due_on >= today)
    elif filters.term == "fg_verlopen":
        conditions.append(AssessmentFigures.fg_due_on < today)
    elif filters.term == "herbeoordeling":
        conditions.append(
            and_(
                Assessment.state.in_(departmental.FINAL.values),
                Assessment.review_due_on <= today + timedelta(days=REASSESSMENT_HORIZON_DAYS),
            )
        )
    if filters.queue:
        open_review = select(Review.assessment_id).where(
            Review.outcome.is_(None), inbox.fg_queue(user, today) == filters.queue
        )
        conditions += [fg_assessments(user), Assessment.id.in_(open_review)]
    if filters.waiting:
        conditions.append(inbox.waiting_condition(user, today))
    return conditions


def _order(filters: Filters):
    columns = {
        "gewijzigd": Assessment.updated_at,
        "titel": func.lower(Assessment.title),
        "status": Assessment.state,
        "voortgang": AssessmentFigures.percent,
        "termijn": AssessmentFigures.fg_due_on,
    }
    column = columns[filters.sort]
    first = column.desc() if filters.descending else column.asc()
    if filters.sort == "termijn":
        first = first.nulls_last()
    tie = Assessment.id.desc() if filters.descending else Assessment.id.asc()
    return (first, tie)


def list_assessments(user: User, filters: Filters, today: date) -> Listing:
    """One page of the assessments this user may open, with the filters applied."""
    _backfill(user)
    conditions = _conditions(user, filters, today)
    base = select(Assessment.state, func.count(Assessment.id)).outerjoin(
        AssessmentFigures, AssessmentFigures.assessment_id == Assessment.id
    )
    counts = dict(db.session.execute(base.where(*conditions).group_by(Assessment.state)).all())
    if filters.state:
        conditions.append(Assessment.state == filters.state)
    total = counts.get(filters.state, 0) if filters.state else sum(counts.values())
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    query = (
        select(Assessment, AssessmentFigures)
        .outerjoin(AssessmentFigures, AssessmentFigures.assessment_id == Assessment.id)
        .where(*conditions)
        .order_by(*_order(filters))
        .options(selectinload(Assessment.members))
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    rows = [(a, f) for a, f in db.session.execute(query).all()]
    return Listing(rows, total, page, pages, counts, replace(filters, page=page))


def _backfill(user: User, batch: int = 200) -> None:
    """Compute figures that are missing for visible assessments (data loaded in bulk, or
    from before the table existed): bounded per request, so a list never stalls."""
    missing = db.session.scalars(
        select(Assessment)
        .outerjoin(AssessmentFigures, AssessmentFigures.assessment_id == Assessment.id)
        .where(AssessmentFigures.assessment_id.is_(None), visible_assessments(user))
        .limit(batch)
    ).all()
    if missing:
        figures.ensure(list(missing))


def organisations() -> list[Organisation]:
    """For the organisation filter."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
