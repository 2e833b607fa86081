"""Our answers to theirs (assessment output v2); what their form lacks is named, not sent.

Rows per processing operation: operation k (in the order of our §3) gets _index base_k in
their 3.1, and its rows in a per-operation task get base_k, base_k + 1, ...; the bases
leave room for the most rows any operation has. Their tool links the first row by the
shared index, and our import (reading.py) links every row back to its operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.answers import ROW_ID, is_answered, table_rows
from forms.invulhulp import FormMapping, column_of, operation_group, target_table
from forms.invulhulp.values import Unmappable, option_to_theirs, shown, to_theirs
from forms.model import Definition, Question

NOT_IN_THEIR_FORM = "de Invulhulp heeft deze vraag niet"


@dataclass(frozen=True)
class LeftOut:
    """An answer of ours that the file does not carry: where, the value, why."""

    where: str
    value: str
    reason: str


@dataclass
class Writing:
    answers: dict[str, Any] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(frozen=True)
class _Rows:
    task: str  # their repeating task whose elements are the rows
    slot: str | None  # their per-operation task holding one empty element per operation
    table: Question


class _Writer:
    def __init__(
        self,
        mapping: FormMapping,
        definition: Definition,
        edited_at: str | Mapping[str, str],
        images: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.mapping = mapping
        self.images = images
        self.definition = definition
        self.times = edited_at if isinstance(edited_at, Mapping) else {}
        self.default = (
            edited_at if isinstance(edited_at, str) else max(edited_at.values(), default="")
        )
        self.edited_at = self.default
        self.out = Writing()
        self.plain: dict[str, str] = {}
        self.joins: dict[str, str] = {}
        self.tables: dict[str, _Rows] = {}  # our table id or per-operation group id -> rows
        for task_id, spec in mapping.tasks.items():
            if "question" in spec:
                self.plain[str(spec["question"])] = task_id
            elif "join" in spec:
                self.joins[str(spec["join"])] = task_id
            elif "table" in spec:
                table = target_table(mapping, definition, task_id)
                assert table is not None
                group = operation_group(mapping, task_id)
                parent = mapping.parent(task_id)
                slot = parent if group and "per_operation" not in spec else None
                self.tables[group or table.id] = _Rows(task_id, slot, table)

    def answer(self, value: Any) -> dict[str, Any]:
        return {"value": value, "lastEditedAt": self.edited_at}

    def leave_out(self, where: str, value: Any, reason: str) -> None:
        self.out.left_out.append(LeftOut(where, shown(value), reason))

    def write(self, answers: Mapping[str, Any]) -> Writing:
        self.answers = answers
        self.bases = self.operation_bases(answers)
        for key in sorted(answers, key=_order):
            value = answers[key]
            if not is_answered(value):
                continue
            self.edited_at = self.times.get(key, self.default)
            if key in self.plain:
                self.single(key, value)
            elif key in self.joins:
                task = self.joins[key]
                child = self.mapping.children(task)[0]
                self.out.answers[task] = [{"_index": 0, child: self.answer(value)}]
            elif key in self.tables:
                self.rows(key, value)
            else:
                self.leave_out(self.our_label(key), _our_shown(value), NOT_IN_THEIR_FORM)
        return self.out

    def our_label(self, question_id: str) -> str:
        if self.definition.has_question(question_id):
            return f"{self.definition.question(question_id).label} (vraag {question_id})"
        return f"vraag {question_id}"

    def single(self, key: str, value: Any) -> None:
        task = self.plain[key]
        spec = self.mapping.tasks[task]
        try:
            converted = self.convert(spec, value, self.our_label(key))
        except Unmappable as why:
            self.leave_out(self.our_label(key), value, str(why))
            return
        if converted is not None:
            self.out.answers[task] = self.answer(converted)

    def convert(self, spec: Mapping[str, Any], value: Any, where: str) -> Any:
        """Their value for ours; items their form lacks are left out one by one."""
        if "source" in spec:
            ids = value if isinstance(value, list) else [value]
            texts = [t for t in (self.source_text(spec["source"], i) for i in ids) if t]
            if spec.get("kind") == "choice":
                return texts[0] if texts else None
            return texts or None
        if spec.get("kind") == "multichoice":
            items = []
            for item in value:
                try:
                    theirs = option_to_theirs(spec, item)
                except Unmappable as why:
                    self.leave_out(where, item, str(why))
                    continue
                if theirs not in items:
                    items.append(theirs)
            return items or None
        return to_theirs(spec, value)

    def source_text(self, source: str, row_id: Any) -> str | None:
        table_id, column_id = source.rsplit(".", 1)
        group = self.definition.repeated_parent(table_id)
        rows = table_rows(self.answers.get(table_id))
        if group is not None:
            instances = self.answers.get(group.id) or {}
            rows = [r for inst in instances.values() for r in table_rows(inst.get(table_id))]
        text = next((r.get(column_id) for r in rows if r[ROW_ID] == row_id), None)
        return text.strip() if isinstance(text, str) and text.strip() else None

    def operation_bases(self, answers: Mapping[str, Any]) -> dict[str, int]:
        operations = [row[ROW_ID] for row in table_rows(answers.get("3"))]
        bases, base = {}, 0
        for operation in operations:
            bases[operation] = base
            most = 1
            for group_id, rows in self.tables.items():
                if rows.slot is not None or operation_group(self.mapping, rows.task):
                    instance = (answers.get(group_id) or {}).get(operation) or {}
                    most = max(most, len(table_rows(instance.get(rows.table.id))))
            base += most
        return bases

    def rows(self, key: str, value: Any) -> None:
        target = self.tables[key]
        if operation_group(self.mapping, target.task) is None:
            operations = key == "3"
            elements = [
                self.element(target, row, self.bases[row[ROW_ID]] if operations else index)
                for index, row in enumerate(table_rows(value))
            ]
            self.out.answers[target.task] = [e for e in elements if len(e) > 1 or operations]
            return
        elements, slots = [], []
        for operation, instance in value.items():
            if operation not in self.bases:
                self.leave_out(
                    self.our_label(key),
                    _our_shown(instance),
                    "hoort bij een gegevensverwerking die niet meer in paragraaf 3 staat",
                )
                continue
            base = self.bases[operation]
            slots.append({"_index": base})
            for offset, row in enumerate(table_rows(instance.get(target.table.id))):
                element = self.element(target, row, base + offset)
                if len(element) > 1:
                    elements.append(element)
        if target.slot is not None:
            self.out.answers[target.slot] = sorted(slots, key=lambda e: e["_index"])
        if elements:
            self.out.answers[target.task] = sorted(elements, key=lambda e: e["_index"])

    def element(self, target: _Rows, row: Mapping[str, Any], index: int) -> dict[str, Any]:
        columns = {}
        for child in self.mapping.children(target.task):
            column = column_of(self.mapping, self.definition, child)
            if column is not None:
                columns[column.id] = child
        element: dict[str, Any] = {"_index": index}
        image_spec = next(
            (self.mapping.tasks[c] for c in columns.values() if self.mapping.tasks[c].get("image")),
            {},
        )
        for column_id, cell in row.items():
            if column_id == ROW_ID or not is_answered(cell):
                continue
            column = target.table.column(column_id)
            where = f"{target.table.label} (vraag {target.table.id}), {column.label}"
            child = columns.get(column_id)
            spec = self.mapping.tasks.get(child or "", {})
            if spec.get("image") and row.get(ROW_ID) in self.images:
                element[child] = self.answer(dict(self.images[row[ROW_ID]]))
                continue
            if column_id == image_spec.get("link_column") and row.get(ROW_ID) in self.images:
                continue  # the image's source, sent with the image
            if child is None or spec.get("image"):
                reason = "de Invulhulp vraagt hier een afbeelding" if spec else NOT_IN_THEIR_FORM
                self.leave_out(where, self.cell_shown(column, cell), reason)
                continue
            try:
                converted = self.convert(spec, cell, where)
            except Unmappable as why:
                self.leave_out(where, self.cell_shown(column, cell), str(why))
                continue
            if converted is not None:
                element[child] = self.answer(converted)
        return element

    def cell_shown(self, column: Question, cell: Any) -> Any:
        if column.options_from is not None:
            ids = cell if isinstance(cell, list) else [cell]
            texts = [self.source_text(str(column.options_from), i) or "?" for i in ids]
            return texts if isinstance(cell, list) else texts[0]
        return _our_shown(cell)


def _order(question_id: str) -> list[tuple[int, str]]:
    return [(int(p), "") if p.isdigit() else (1 << 30, p) for p in question_id.split(".")]


def _our_shown(value: Any) -> Any:
    if isinstance(value, list):
        return f"{len(value)} regel(s)" if value and isinstance(value[0], dict) else value
    if isinstance(value, dict):
        return "antwoorden per gegevensverwerking"
    if value is True or value is False:
        return "ja" if value else "nee"
    return value


def write_answers(
    mapping: FormMapping,
    definition: Definition,
    answers: Mapping[str, Any],
    edited_at: str | Mapping[str, str],
    images: Mapping[str, Mapping[str, str]] | None = None,
) -> Writing:
    """Their answers for ours, and what was left out (with the reason). `edited_at`: one
    time stamp for all, or one per question id of ours (when the answer was last saved).
    `images`: their image objects by the id of the row of ours that names the image."""
    return _Writer(mapping, definition, edited_at, images or {}).write(answers)
