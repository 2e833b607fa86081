"""The register page: the permission as a query, search and filters in the URL, pages, and
the same selection for the CSV and .xlsx downloads. Reads only stored register records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select

from pia.extensions import db
from pia.formkit import MAX_PAGE, parse_int
from pia.models import Assessment, Organisation, RegisterRecord, User
from pia.permissions import sees_every_organisation, visible_assessments, visible_register
from pia.services.listing import PER_PAGE, _like, _text
from pia.services.register import FIELDS
from workflows.terms import dutch_date

SEARCHED = ("name", "description", "purposes", "data_subjects", "data_categories", "recipients")
TRANSFER_CHOICES = {"ja": "Met doorgifte buiten de EER", "nee": "Zonder doorgifte buiten de EER"}
EXPORT_LIMIT = 50_000
EXPORT_HEADER = (
    "Organisatie",
    "DPIA",
    "Versie",
    "Vastgesteld op",
    "Geldend",
    *(label for _, label in FIELDS),
)


@dataclass(frozen=True)
class Filters:
    """What the user asked for; every value comes from (and goes back into) the URL."""

    search: str = ""
    organisation: int | None = None
    transfer: str = ""
    history: bool = False
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.search or self.organisation or self.transfer or self.history)

    def args(self, **changes) -> dict[str, str | int]:
        """The query parameters for a link to this selection with some values changed."""
        f = replace(self, **changes)
        values = {
            "q": f.search,
            "organisatie": f.organisation or "",
            "doorgifte": f.transfer,
            "historie": "ja" if f.history else "",
            "pagina": f.page if f.page > 1 else "",
        }
        return {k: v for k, v in values.items() if v not in ("", None)}


def parse(args) -> Filters:
    """Filters from request.args; unknown or malformed values fall back to the default."""
    transfer = args.get("doorgifte", "")
    return Filters(
        search=_text(args.get("q")),
        organisation=parse_int(args.get("organisatie")),
        transfer=transfer if transfer in TRANSFER_CHOICES else "",
        history=args.get("historie") == "ja",
        page=parse_int(args.get("pagina"), high=MAX_PAGE) or 1,
    )


@dataclass
class Page:
    """One page of register records, the total, and which DPIAs this user may open."""

    rows: list[tuple[RegisterRecord, str]]
    total: int
    page: int
    pages: int
    openable: set[int] = field(default_factory=set)
    filters: Filters = field(default_factory=Filters)


def _conditions(user: User, filters: Filters) -> list:
    conditions = [visible_register(user)]
    if not filters.history:
        conditions.append(RegisterRecord.current.is_(True))
    if filters.organisation:
        conditions.append(RegisterRecord.organisation_id == filters.organisation)
    if filters.transfer:
        conditions.append(RegisterRecord.third_country.is_(filters.transfer == "ja"))
    if filters.search:
        like = _like(filters.search)
        columns = [getattr(RegisterRecord, name) for name in SEARCHED] + [Assessment.title]
        conditions.append(or_(*(func.lower(c).like(like, escape="\\") for c in columns)))
    return conditions


def _query(user: User, filters: Filters):
    return (
        select(RegisterRecord, Assessment.title)
        .join(Assessment, Assessment.id == RegisterRecord.assessment_id)
        .where(*_conditions(user, filters))
        .order_by(
            func.lower(Assessment.title),
            RegisterRecord.assessment_id,
            RegisterRecord.version_number.desc(),
            RegisterRecord.position,
        )
    )


def list_records(user: User, filters: Filters) -> Page:
    """One page of the register records this user may see, with the filters applied."""
    total = db.session.scalar(
        select(func.count(RegisterRecord.id))
        .join(Assessment, Assessment.id == RegisterRecord.assessment_id)
        .where(*_conditions(user, filters))
    )
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    query = _query(user, filters).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    rows = [(record, title) for record, title in db.session.execute(query).all()]
    ids = {record.assessment_id for record, _ in rows}
    openable = set(
        db.session.scalars(
            select(Assessment.id).where(Assessment.id.in_(ids), visible_assessments(user))
        )
        if ids
        else ()
    )
    return Page(rows, total, page, pages, openable, replace(filters, page=page))


def export_rows(user: User, filters: Filters) -> Iterator[list[object]]:
    """Every selected record (not one page) as a row of EXPORT_HEADER."""
    query = _query(user, filters).limit(EXPORT_LIMIT)
    for record, title in db.session.execute(query).yield_per(500):
        yield [
            record.organisation.abbreviation,
            title,
            record.version_number,
            dutch_date(record.adopted_on),
            "ja" if record.current else "nee (eerdere versie)",
            *(getattr(record, name) for name, _ in FIELDS),
        ]


def organisations(user: User) -> list[Organisation]:
    """For the organisation filter (only for those who see every organisation)."""
    if not sees_every_organisation(user):
        return []
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
