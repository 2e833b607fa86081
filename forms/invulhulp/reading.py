"""Their answers (assessment output v2) to ours, with a note for everything without a place.

Nested rows: their file keeps no link from a row to the processing operation (§3) it
belongs to. A row of a per-operation task belongs to the operation whose row in their 3.1
has the same _index (their tool reconciles by shared index); otherwise to the operation
with the highest _index below the row's, and to the first operation when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import ROW_ID, new_row_id
from forms.export import answer_problems
from forms.invulhulp import (
    FormMapping,
    column_of,
    operation_group,
    target_table,
)
from forms.invulhulp.result import Note, Reading, ordered, present
from forms.invulhulp.values import Unmappable, option_to_ours, read_image, shown, to_ours
from forms.model import Definition, Question
from forms.values import value_problem


@dataclass
class _Pending:
    row: dict[str, Any]
    column: Question
    source: str
    texts: list[str]
    operation: str | None
    where: str


def _sort_key(task_id: str) -> list[tuple[int, str]]:
    return [(int(p), "") if p.isdigit() else (1 << 30, p) for p in re.split(r"[.\[]", task_id)]


class _Reader:
    def __init__(self, mapping: FormMapping, definition: Definition, part: str) -> None:
        self.mapping = mapping
        self.definition = definition
        self.part = part
        self.out = Reading()
        self.pending: list[_Pending] = []
        self.operations: dict[int, str] = {}
        self.taken: set[str] = set()

    def cell_where(self, key: str, number: int, child: str) -> str:
        return f"{self.mapping.label(key)}, regel {number}: {self.mapping.label(child)}"

    def note(self, where: str, value: Any, reason: str) -> None:
        self.out.notes.append(Note(self.part, where, shown(value), reason))

    def read(self, answers: Mapping[str, Any]) -> Reading:
        first = self.mapping.operations_task
        for key in sorted(answers, key=lambda k: (k != first, _sort_key(k))):
            self.entry(key, answers[key])
        for pending in self.pending:
            self.resolve(pending)
        self.out.problems += [
            f"{self.part}: {p}" for p in answer_problems(self.definition, self.out.answers)
        ]
        return self.out

    def entry(self, key: str, item: Any) -> None:
        spec = self.mapping.spec(key)
        where = self.mapping.label(key)
        if spec is None:
            self.unplaced(key, item, "deze vraag staat niet in deze versie van de Invulhulp")
        elif "not_mappable" in spec:
            self.unplaced(key, item, str(spec["not_mappable"]))
        elif "group" in spec:
            self.unplaced(key, item, "dit is een groep vragen zonder eigen antwoord")
        elif self.mapping.is_repeating(key) != isinstance(item, list):
            self.unplaced(key, item, "de vorm past niet: hoort wel of juist niet te herhalen")
        elif isinstance(item, list):
            self.rows(key, item)
        elif "question" in spec:
            question = self.definition.question(spec["question"])
            value = self.value(spec, question, item["value"], where)
            if value is not None:
                self.out.answers[question.id] = value
        else:
            self.unplaced(key, item, "dit antwoord hoort in een herhalende groep")

    def unplaced(self, key: str, item: Any, reason: str) -> None:
        """Note every answer inside an item (one answer or a repeating group's rows)."""
        if isinstance(item, list):
            for number, element in enumerate(ordered(item), start=1):
                for child, cell in element.items():
                    if child != "_index" and isinstance(cell, Mapping):
                        where = self.cell_where(key, number, child)
                        if present(cell.get("value")):
                            self.note(where, cell.get("value"), reason)
        elif present(item.get("value")):
            self.note(self.mapping.label(key), item.get("value"), reason)

    def value(self, spec: Mapping[str, Any], question: Question, raw: Any, where: str) -> Any:
        """Our value for one answer of theirs, or None (with a note when it had content)."""
        if not present(raw):
            return None
        if spec.get("kind") == "multichoice":
            items = raw if isinstance(raw, list) else [raw]
            chosen: list[str] = []
            for item in items:
                try:
                    value = option_to_ours(spec, item)
                except Unmappable as why:
                    self.note(where, item, str(why))
                    continue
                if value not in chosen:
                    chosen.append(value)
            return chosen or None
        try:
            value = to_ours(spec, raw)
        except Unmappable as why:
            self.note(where, raw, str(why))
            return None
        allowed = {o.value for o in question.options}
        problem = value_problem(question, value, allowed)
        if problem:
            self.note(where, raw, f"PIA Rijk neemt dit zo niet over: {problem}")
            return None
        return value

    def rows(self, key: str, elements: list[Mapping[str, Any]]) -> None:
        spec = self.mapping.tasks[key]
        if "join" in spec:
            self.join(key, spec, elements)
            return
        table = target_table(self.mapping, self.definition, key)
        if table is None:  # one slot per operation; its rows are in the nested task
            for number, element in enumerate(ordered(elements), start=1):
                self.cells_unplaced(key, number, element, "hoort niet bij deze groep")
            return
        group_id = operation_group(self.mapping, key)
        placed = 0
        for number, element in enumerate(ordered(elements), start=1):
            row = self.row(key, number, element)
            if row is None:
                continue
            if group_id is None:
                self.out.answers.setdefault(table.id, []).append(row)
            else:
                operation = self.operation_for(element["_index"])
                if operation is None:
                    self.cells_unplaced(
                        key,
                        number,
                        element,
                        "hoort bij een verwerking, maar het bestand "
                        "noemt geen gegevensverwerkingen (vraag 3.1)",
                    )
                    continue
                groups = self.out.answers.setdefault(group_id, {})
                groups.setdefault(operation, {}).setdefault(table.id, []).append(row)
            placed += 1
            if spec.get("operations"):
                self.operations[element["_index"]] = row[ROW_ID]
        if placed and spec.get("flattened"):
            self.note(self.mapping.label(key), f"{placed} regel(s)", str(spec["flattened"]))

    def row(self, key: str, number: int, element: Mapping[str, Any]) -> dict[str, Any] | None:
        row_id = new_row_id(self.taken)
        self.taken.add(row_id)
        row: dict[str, Any] = {ROW_ID: row_id}
        operation = (
            self.operation_for(element["_index"]) if operation_group(self.mapping, key) else None
        )
        for child, cell in element.items():
            if child == "_index" or not isinstance(cell, Mapping):
                continue
            where = self.cell_where(key, number, child)
            spec = self.mapping.spec(child)
            if spec is None or self.mapping.parent(child) != key:
                if present(cell.get("value")):
                    self.note(where, cell.get("value"), "deze vraag hoort niet bij deze groep")
                continue
            if "not_mappable" in spec:
                if present(cell.get("value")):
                    self.note(where, cell.get("value"), str(spec["not_mappable"]))
                continue
            column = column_of(self.mapping, self.definition, child)
            assert column is not None
            raw = cell.get("value")
            if spec.get("image"):
                self.image(row, spec, column, raw, where)
            elif "source" in spec:
                if present(raw):
                    texts = raw if isinstance(raw, list) else [raw]
                    self.pending.append(
                        _Pending(row, column, spec["source"], texts, operation, where)
                    )
            else:
                value = self.value(spec, column, raw, where)
                if value is not None:
                    row[column.id] = value
                    row.update(spec.get("also") or {})
        has_pending = any(p.row is row for p in self.pending)
        return row if len(row) > 1 or has_pending else None

    def image(self, row: dict, spec: Mapping, column: Question, raw: Any, where: str) -> None:
        if not present(raw):
            return
        try:
            image = read_image(raw)
        except Unmappable as why:
            self.note(where, raw, str(why))
            return
        self.out.images.append((where, image, row[ROW_ID]))
        number = len(self.out.images)
        row[column.id] = (image.title or image.description or f"Afbeelding {number}")[:200]
        link = spec.get("link_column")
        if link:
            row[link] = (image.source or f"Afbeelding {number} bij de importnotities")[:200]

    def cells_unplaced(self, key: str, number: int, element: Mapping, reason: str) -> None:
        for child, cell in element.items():
            if child != "_index" and isinstance(cell, Mapping) and present(cell.get("value")):
                where = self.cell_where(key, number, child)
                self.note(where, cell.get("value"), reason)

    def join(self, key: str, spec: Mapping[str, Any], elements: list[Mapping[str, Any]]) -> None:
        question = self.definition.question(spec["join"])
        texts = []
        for number, element in enumerate(ordered(elements), start=1):
            for child, cell in element.items():
                if child == "_index" or not isinstance(cell, Mapping):
                    continue
                child_spec = self.mapping.spec(child) or {}
                where = self.cell_where(key, number, child)
                if not child_spec.get("joined") or self.mapping.parent(child) != key:
                    if present(cell.get("value")):
                        self.note(where, cell.get("value"), "deze vraag hoort niet bij deze groep")
                    continue
                value = self.value(child_spec, question, cell.get("value"), where)
                if value:
                    texts.append(value)
        if texts:
            joined = "; ".join(texts)
            problem = value_problem(question, joined)
            if problem:
                self.note(
                    self.mapping.label(key), joined, f"PIA Rijk neemt dit zo niet over: {problem}"
                )
            else:
                self.out.answers[question.id] = joined

    def operation_for(self, index: int) -> str | None:
        if not self.operations:
            return None
        if index in self.operations:
            return self.operations[index]
        lower = [i for i in self.operations if i < index]
        return self.operations[max(lower) if lower else min(self.operations)]

    def resolve(self, pending: _Pending) -> None:
        """Their checkbox values name rows by their text; we store those rows' ids."""
        table_id, column_id = pending.source.rsplit(".", 1)
        candidates = self.source_rows(table_id, pending.operation)
        chosen: list[str] = []
        for text in pending.texts:
            match = next(
                (r[ROW_ID] for r in candidates if _same_text(r.get(column_id), text)),
                None,
            )
            if match is None:
                self.note(
                    pending.where,
                    text,
                    f"verwijst naar iets dat niet in het bestand staat "
                    f"(bij ‘{self.definition.resolve(pending.source).label}’)",
                )
            elif match not in chosen:
                chosen.append(match)
        if chosen:
            single = pending.column.type.value == "choice"
            pending.row[pending.column.id] = chosen[0] if single else chosen
            for extra in chosen[1:] if single else []:
                self.note(pending.where, extra, "PIA Rijk kiest hier één antwoord")

    def source_rows(self, table_id: str, operation: str | None) -> list[dict[str, Any]]:
        parent = self.definition.parent(table_id)
        if parent is None or parent.per is None:
            return list(self.out.answers.get(table_id, []))
        groups = self.out.answers.get(parent.id, {})
        order = [operation] if operation in groups else []
        order += [op for op in groups if op != operation]
        return [row for op in order for row in groups[op].get(table_id, [])]


def _same_text(ours: Any, theirs: Any) -> bool:
    """A checkbox of theirs names a row by its text (as our options do: case ignored)."""
    if not isinstance(ours, str) or not isinstance(theirs, str):
        return False
    return ours.strip().casefold() == theirs.strip().casefold()


def read_answers(
    mapping: FormMapping, definition: Definition, answers: Mapping[str, Any], part: str
) -> Reading:
    """Convert their (shape-checked) answers of one form to ours, noting what does not fit."""
    return _Reader(mapping, definition, part).read(answers)
