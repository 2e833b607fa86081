"""What the PAR pages show: the trajectories by step, the matrix of positions, terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Comment, Organisation, ParPosition, ParRound, User
from pia.permissions import visible_assessments
from pia.roles import Role
from pia.services.par.record import current_round, positions, rounds
from pia.services.review.comments import comments
from workflows import par, terms

STEPS = (
    par.SUBMITTED,
    par.FG_CONSULTATION,
    par.CONSOLIDATION,
    par.CHANGES_REQUESTED,
    par.APPROVAL,
    par.CONSENT,
    par.ESTABLISHED,
    par.AWAITING_ADOPTION,
    par.ADOPTED,
    par.WITHDRAWN,
)


def term_words(due: date | None, today: date) -> str:
    """A term in words: "nog 5 dagen", "vandaag", "3 dagen te laat"."""
    if due is None:
        return ""
    left = terms.days_left(due, today)
    if left < 0:
        return f"{-left} dag{'en' if left != -1 else ''} te laat"
    if left == 0:
        return "loopt vandaag af"
    return f"nog {left} dag{'en' if left != 1 else ''}"


@dataclass
class Row:
    """One trajectory on the coordinator's dashboard."""

    assessment: Assessment
    round: ParRound | None
    responded: int = 0
    expected: int = 0
    overdue: bool = False
    term: str = ""

    @property
    def progress(self) -> str:
        return f"{self.responded} van {self.expected} ministeries gereageerd"


def trajectories(user: User, today: date) -> list[tuple[par.State, list[Row]]]:
    """The government-wide trajectories this user may open, grouped by step."""
    found = db.session.scalars(
        select(Assessment)
        .where(Assessment.government_wide, visible_assessments(user))
        .where(Assessment.state.in_([s.value for s in STEPS]))
        .where(Assessment.id.in_(select(ParRound.assessment_id)))
        .order_by(Assessment.updated_at.desc())
    )
    by_state: dict[str, list[Row]] = {s.value: [] for s in STEPS}
    for assessment in found:
        current = current_round(assessment)
        row = Row(assessment, current)
        if current is not None and current.sent_at is not None:
            row.expected = len(current.participants)
            row.responded = len(positions(current))
            if assessment.state == par.FG_CONSULTATION.value:
                row.overdue = terms.is_overdue(current.due_on, today)
                row.term = term_words(current.due_on, today)
        by_state[assessment.state].append(row)
    return [(s, by_state[s.value]) for s in STEPS]


@dataclass
class Cell:
    """One ministry in the matrix: its position, or why there is none."""

    organisation: Organisation
    position: ParPosition | None
    status: str
    fgs: list[User] = field(default_factory=list)


def matrix(assessment: Assessment, of: ParRound | None, today: date) -> list[Cell]:
    """Ministry × position for one round: given, "nog niet gereageerd" or "te laat"."""
    if of is None or of.sent_at is None:
        return []
    given = positions(of)
    late = of.due_on is not None and terms.is_overdue(of.due_on, today)
    cells = []
    for participant in sorted(of.participants, key=lambda p: p.organisation.name):
        pos = given.get(participant.organisation_id)
        missing = "te laat" if late else "nog niet gereageerd"
        status = pos.label if pos is not None else missing
        cells.append(Cell(participant.organisation, pos, status))
    return cells


def sent_rounds(assessment: Assessment) -> list[ParRound]:
    return [r for r in rounds(assessment) if r.sent_at is not None]


def fg_remarks(assessment: Assessment) -> dict[str, list[Comment]]:
    """The remarks (thread starters) of every FG, grouped by section, in section order."""
    grouped: dict[str, list[Comment]] = {}
    for thread in comments(assessment):
        if Role.FG in thread.author.roles:
            grouped.setdefault(thread.section_id, []).append(thread)
    return dict(sorted(grouped.items(), key=lambda kv: _section_key(kv[0])))


def _section_key(section_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in section_id.split("."))


def fg_consultations(user: User, today: date) -> list:
    """An FG's open government-wide consultations: for their ministry, with the term, and
    whether their ministry already gave its position."""
    from pia.permissions import fg_assessments
    from pia.services.inbox import Item

    if not user.has_role(Role.FG):
        return []
    found = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.government_wide,
            Assessment.state == par.FG_CONSULTATION.value,
            fg_assessments(user),
        )
        .order_by(Assessment.updated_at.desc())
        .limit(20)
    )
    items = []
    for assessment in found:
        current = current_round(assessment)
        if current is None or user.organisation_id not in current.organisation_ids:
            continue
        mine = positions(current).get(user.organisation_id)
        note = f"standpunt {user.organisation.abbreviation}: " + (
            mine.label if mine else "nog niet gegeven"
        )
        late = mine is None and terms.is_overdue(current.due_on, today)
        items.append(Item(assessment, note, current.due_on, late, "par.index"))
    return items


def step_counts(user: User, today: date) -> list[tuple[par.State, int, int]]:
    """Per step: how many trajectories, and how many of them are past their term."""
    return [
        (state, len(rows), sum(1 for r in rows if r.overdue))
        for state, rows in trajectories(user, today)
        if rows
    ]
