"""What changed between two answer sets of one definition, in words (for the FG review).

Leaf answers are compared by their words, so what the reader would see decides: a
choice from earlier answers whose source text was renamed shows as changed where it
is used as well. Table rows are matched by "_id": a row that only moved is unchanged.
Per-operation groups are compared per operation (a §3 row), member by member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import ROW_ID, Row, table_rows
from forms.conditions import effective_answers
from forms.diff_text import ADDED, CHANGED, REMOVED, DiffCounts, Kind, answer_words
from forms.model import TEXT_TYPES, Definition, FieldType, Question, members
from forms.options import operations

REMOVED_OPERATION = "(verwijderde verwerking)"
_ROW_LABEL_LENGTH = 60


@dataclass(frozen=True)
class CellChange:
    """A changed cell of a table row: the column, and its old and new value in words."""

    column_id: str
    label: str
    type: FieldType
    kind: Kind
    old: str
    new: str

    @property
    def is_long(self) -> bool:
        return self.type is FieldType.TEXTAREA


@dataclass(frozen=True)
class RowChange:
    """A table row added, removed or changed, with its changed cells."""

    row_id: str
    label: str  # "regel 2: Naam"
    kind: Kind
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Change:
    """A changed question: old and new in words, or its row or per-operation changes."""

    question_id: str
    label: str
    type: FieldType
    kind: Kind
    old: str = ""
    new: str = ""
    rows: tuple[RowChange, ...] = ()
    operations: tuple[OperationChange, ...] = ()

    @property
    def is_long(self) -> bool:
        return self.type is FieldType.TEXTAREA


@dataclass(frozen=True)
class OperationChange:
    """The changes of a per-operation group for one processing operation (a §3 row)."""

    operation_id: str
    name: str
    kind: Kind
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SectionDiff:
    """The changed questions of one section, in document order."""

    id: str
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class AnswersDiff:
    """The changes between two answer sets: only sections with changes, in document order."""

    sections: tuple[SectionDiff, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.sections

    @property
    def counts(self) -> DiffCounts:
        counter: Counter[tuple[str, Kind]] = Counter()
        for section in self.sections:
            _count(section.changes, counter)
        return DiffCounts(
            questions_changed=counter["q", CHANGED],
            questions_added=counter["q", ADDED],
            questions_removed=counter["q", REMOVED],
            rows_added=counter["r", ADDED],
            rows_changed=counter["r", CHANGED],
            rows_removed=counter["r", REMOVED],
        )

    @property
    def summary(self) -> str:
        return self.counts.summary


@dataclass(frozen=True)
class _Side:
    """One answer set as seen from where the comparison is: top level or a group instance."""

    answers: Mapping[str, Any]
    values: Mapping[str, Any]
    operation_id: str | None = None

    @property
    def group(self) -> Mapping[str, Any] | None:
        return self.values if self.operation_id is not None else None

    def words(self, definition: Definition, question: Question, value: object) -> str:
        return answer_words(
            definition,
            question,
            value,
            self.answers,
            operation_id=self.operation_id,
            group=self.group,
        )


def diff_answers(
    definition: Definition, old: Mapping[str, Any], new: Mapping[str, Any], *, raw: bool = False
) -> AnswersDiff:
    """The changes from old to new; only answers that count unless raw=True."""
    if not raw:
        old, new = effective_answers(definition, old), effective_answers(definition, new)
    sections = []
    for section in definition.sections:
        changes = _changes(definition, section.questions, _Side(old, old), _Side(new, new))
        if changes:
            sections.append(SectionDiff(section.id, section.title, changes))
    return AnswersDiff(tuple(sections))


def _changes(
    definition: Definition, questions: Iterable[Question], old: _Side, new: _Side
) -> tuple[Change, ...]:
    found = (_change(definition, question, old, new) for question in members(questions))
    return tuple(change for change in found if change is not None)


def _change(definition: Definition, question: Question, old: _Side, new: _Side) -> Change | None:
    if question.is_repeated:
        return _group_change(definition, question, old, new)
    if question.is_table:
        return _table_change(definition, question, old, new)
    before = old.words(definition, question, old.values.get(question.id))
    after = new.words(definition, question, new.values.get(question.id))
    kind = _kind(before, after)
    if kind is None:
        return None
    return Change(question.id, question.label, question.type, kind, before, after)


def _kind(before: str, after: str) -> Kind | None:
    if before == after:
        return None
    return ADDED if not before else REMOVED if not after else CHANGED


def _presence(had: bool, has: bool) -> Kind:
    return ADDED if not had else REMOVED if not has else CHANGED


def _table_change(definition: Definition, table: Question, old: _Side, new: _Side) -> Change | None:
    before = _numbered(table_rows(old.values.get(table.id)))
    after = _numbered(table_rows(new.values.get(table.id)))
    changed: dict[str, RowChange] = {}
    for row_id, (number, row) in after.items():
        old_row = before[row_id][1] if row_id in before else {}
        cells = _cell_changes(definition, table, old_row, row, old, new)
        if row_id not in before or cells:
            kind = CHANGED if row_id in before else ADDED
            changed[row_id] = RowChange(row_id, _row_label(table, number, row), kind, cells)
    removed = {
        row_id: RowChange(
            row_id,
            _row_label(table, number, row),
            REMOVED,
            _cell_changes(definition, table, row, {}, old, new),
        )
        for row_id, (number, row) in before.items()
        if row_id not in after
    }
    rows = _in_order(list(before), list(after), changed, removed)
    if not rows:
        return None
    kind = _presence(bool(before), bool(after))
    return Change(table.id, table.label, table.type, kind, rows=rows)


def _numbered(rows: list[Row]) -> dict[str, tuple[int, Row]]:
    """Rows by id with their number in the table; the first of rows sharing an id wins."""
    result: dict[str, tuple[int, Row]] = {}
    for number, row in enumerate(rows, start=1):
        result.setdefault(row[ROW_ID], (number, row))
    return result


def _cell_changes(
    definition: Definition, table: Question, old_row: Row, new_row: Row, old: _Side, new: _Side
) -> tuple[CellChange, ...]:
    cells = []
    for column in table.columns:
        before = old.words(definition, column, old_row.get(column.id))
        after = new.words(definition, column, new_row.get(column.id))
        kind = _kind(before, after)
        if kind is not None:
            cells.append(CellChange(column.id, column.label, column.type, kind, before, after))
    return tuple(cells)


def _row_label(table: Question, number: int, row: Row) -> str:
    """'regel <number>', followed by the row's first answered text column, shortened."""
    for column in table.columns:
        text = row.get(column.id)
        if column.type in TEXT_TYPES and isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            if len(text) > _ROW_LABEL_LENGTH:
                text = text[:_ROW_LABEL_LENGTH].rsplit(" ", 1)[0] + " …"
            return f"regel {number}: {text}"
    return f"regel {number}"


def _in_order(
    old_ids: list[str],
    new_ids: list[str],
    changed: Mapping[str, RowChange],
    removed: Mapping[str, RowChange],
) -> tuple[RowChange, ...]:
    """Rows in the new order; a removed row follows the row it followed before."""
    kept = set(new_ids)
    following: dict[str | None, list[RowChange]] = {}
    anchor: str | None = None
    for row_id in old_ids:
        if row_id in removed:
            following.setdefault(anchor, []).append(removed[row_id])
        elif row_id in kept:
            anchor = row_id
    ordered = list(following.get(None, []))
    for row_id in new_ids:
        if row_id in changed:
            ordered.append(changed[row_id])
        ordered.extend(following.get(row_id, []))
    return tuple(ordered)


def _group_change(definition: Definition, group: Question, old: _Side, new: _Side) -> Change | None:
    before = _instances(old.values.get(group.id))
    after = _instances(new.values.get(group.id))
    old_names = {o.value: o.label for o in operations(definition, group, old.answers)}
    new_names = {o.value: o.label for o in operations(definition, group, new.answers)}
    names = {**old_names, **new_names}
    found = []
    for operation_id in dict.fromkeys([*new_names, *old_names, *after, *before]):
        if operation_id not in before and operation_id not in after:
            continue
        changes = _changes(
            definition,
            group.questions,
            _Side(old.answers, before.get(operation_id, {}), operation_id),
            _Side(new.answers, after.get(operation_id, {}), operation_id),
        )
        if changes:
            kind = _presence(operation_id in before, operation_id in after)
            name = names.get(operation_id, REMOVED_OPERATION)
            found.append(OperationChange(operation_id, name, kind, changes))
    if not found:
        return None
    kind = _presence(bool(before), bool(after))
    return Change(group.id, group.label, group.type, kind, operations=tuple(found))


def _instances(value: object) -> dict[str, Mapping[str, Any]]:
    """The non-empty instances of a stored per-operation group value."""
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, Mapping) and v}


def _count(changes: Iterable[Change], counter: Counter[tuple[str, Kind]]) -> None:
    for change in changes:
        if change.type is FieldType.TABLE:
            counter.update(("r", row.kind) for row in change.rows)
        elif change.operations:
            for operation in change.operations:
                _count(operation.changes, counter)
        else:
            counter["q", change.kind] += 1
