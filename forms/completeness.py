"""What is still missing, and progress per section and overall.

Counted are the required questions that are shown now (see forms.conditions), each
once, and each member of a per-operation group once per operation. A table counts
as answered when it has at least one complete row: every required column that is
shown in that row is filled. Optional questions ("aanvullende informatie", links)
are not counted. Sections filled by the review workflow are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import Row, is_answered, is_empty_row, table_rows
from forms.conditions import Scope, effective_answers, is_visible
from forms.formdata import section_question_ids
from forms.model import Definition, Question
from forms.naming import entry_name, field_name, member_name
from forms.options import operations


@dataclass(frozen=True)
class MissingItem:
    """A required question without an answer; `anchor` is the HTML id of its field."""

    question_id: str
    label: str
    section_id: str
    anchor: str
    group_label: str | None = None
    operation_id: str | None = None
    operation_label: str | None = None

    @property
    def description(self) -> str:
        """A Dutch line for a "what is still missing" list."""
        text = f"Vraag {self.question_id}: {self.label}"
        if self.group_label and self.group_label != self.label:
            text = f"{self.group_label} – {text}"
        if self.operation_label:
            text += f" (verwerking: {self.operation_label})"
        return text


def _percent(answered: int, required: int) -> int:
    # rounded down, so 100% means really complete
    return 100 if required == 0 else answered * 100 // required


@dataclass(frozen=True)
class SectionProgress:
    """Answered and required counts of one section, and what is missing."""

    section_id: str
    title: str
    answered: int
    required: int
    missing: tuple[MissingItem, ...]
    started: bool = False  # something is stored in it, complete or not

    @property
    def percent(self) -> int:
        return _percent(self.answered, self.required)

    @property
    def complete(self) -> bool:
        return self.answered == self.required

    @property
    def status(self) -> str:
        """The section's state in words, as the side navigation and lists show it."""
        if self.required == 0:
            return "Geen verplichte vragen"
        if self.complete:
            return "Compleet"
        if self.answered == 0:
            return "Begonnen, nog niets compleet" if self.started else "Nog niet begonnen"
        return f"{self.answered} van {self.required} ingevuld"


@dataclass(frozen=True)
class Progress:
    """Progress over all sections the user fills in."""

    sections: tuple[SectionProgress, ...]

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def required(self) -> int:
        return sum(s.required for s in self.sections)

    @property
    def percent(self) -> int:
        return _percent(self.answered, self.required)

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.sections)

    @property
    def missing(self) -> tuple[MissingItem, ...]:
        return tuple(item for s in self.sections for item in s.missing)

    def section(self, section_id: str) -> SectionProgress:
        return next(s for s in self.sections if s.section_id == section_id)


def progress(definition: Definition, answers: Mapping[str, Any]) -> Progress:
    """Progress of every user section."""
    effective = effective_answers(definition, answers)
    return Progress(tuple(_section(definition, s.id, effective) for s in definition.user_sections))


def section_progress(
    definition: Definition, section_id: str, answers: Mapping[str, Any]
) -> SectionProgress:
    """Progress of one section."""
    return _section(definition, section_id, effective_answers(definition, answers))


def is_complete_row(table: Question, row: Row, scope: Scope) -> bool:
    """Whether every required column shown in this row is filled."""
    row_scope = Scope(scope.answers, scope.group, row)
    return all(
        is_answered(row.get(column.id))
        for column in table.columns
        if column.required and is_visible(column, row_scope)
    )


def _section(
    definition: Definition, section_id: str, effective: Mapping[str, Any]
) -> SectionProgress:
    section = definition.section(section_id)
    counter = _Counter(definition, section_id, effective)
    for question in section.questions:
        counter.visit(question, Scope(effective), effective, None)
    started = any(
        _has_content(effective.get(qid)) for qid in section_question_ids(definition, section_id)
    )
    return SectionProgress(
        section_id,
        section.title,
        counter.answered,
        counter.required,
        tuple(counter.missing),
        started=started,
    )


def _has_content(value: Any) -> bool:
    if isinstance(value, list):
        return any(not isinstance(r, dict) or not is_empty_row(r) for r in value)
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    return is_answered(value)


@dataclass
class _Operation:
    id: str
    label: str
    index: int
    group: Question


class _Counter:
    def __init__(
        self, definition: Definition, section_id: str, effective: Mapping[str, Any]
    ) -> None:
        self.definition = definition
        self.section_id = section_id
        self.effective = effective
        self.answered = 0
        self.required = 0
        self.missing: list[MissingItem] = []

    def visit(
        self,
        question: Question,
        scope: Scope,
        values: Mapping[str, Any],
        operation: _Operation | None,
        group_label: str | None = None,
    ) -> None:
        if not is_visible(question, scope):
            return
        if question.is_group and question.per is None:
            for child in question.questions:
                self.visit(child, scope, values, operation, question.label)
        elif question.is_group:
            self.visit_repeated(question)
        elif question.required:
            value = values.get(question.id)
            if question.is_table:
                done = any(is_complete_row(question, row, scope) for row in table_rows(value))
            else:
                done = is_answered(value)
            self.count(question, done, operation, group_label)

    def visit_repeated(self, group: Question) -> None:
        found = operations(self.definition, group, self.effective)
        if not found:
            assert group.per is not None
            label = f"{group.label}: vul eerst vraag {group.per.table_id} in"
            self.count(group, False, None, None, label=label)
            return
        instances = self.effective.get(group.id, {})
        for index, option in enumerate(found):
            instance = instances.get(option.value, {})
            operation = _Operation(option.value, option.label, index, group)
            for child in group.questions:
                self.visit(child, Scope(self.effective, instance), instance, operation)

    def count(
        self,
        question: Question,
        done: bool,
        operation: _Operation | None,
        group_label: str | None,
        label: str | None = None,
    ) -> None:
        self.required += 1
        if done:
            self.answered += 1
            return
        anchor = field_name(question.id)
        if operation is not None:
            entry = entry_name(field_name(operation.group.id), operation.index)
            anchor = member_name(entry, anchor)
        self.missing.append(
            MissingItem(
                question_id=question.id,
                label=label or question.label,
                section_id=self.section_id,
                anchor=anchor,
                group_label=group_label or (operation.group.label if operation else None),
                operation_id=operation.id if operation else None,
                operation_label=operation.label if operation else None,
            )
        )
