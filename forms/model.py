"""The questionnaire model: immutable dataclasses that the loader builds from YAML."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Literal


class DefinitionError(ValueError):
    """A questionnaire definition is malformed or cannot be found."""


class FieldType(StrEnum):
    """The kinds of question a definition can hold."""

    TEXT = "text"
    TEXTAREA = "textarea"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    YESNO = "yesno"
    YESNO_NA = "yesno_na"
    DATE = "date"
    NUMBER = "number"
    TABLE = "table"
    GROUP = "group"


CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTICHOICE})
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
CONTAINER_TYPES = frozenset({FieldType.TABLE, FieldType.GROUP})


class FilledBy(StrEnum):
    """Who provides the answers of a section."""

    USER = "user"
    WORKFLOW = "workflow"


@dataclass(frozen=True)
class Option:
    """One choice of a choice question: stable machine value and Dutch label."""

    value: str
    label: str
    help: str = ""
    exclusive: bool = False  # e.g. "geen van deze": cannot be combined with other choices


@dataclass(frozen=True)
class ColumnRef:
    """A column of a table question, written `<table id>.<column id>` in YAML."""

    table_id: str
    column_id: str

    def __str__(self) -> str:
        return f"{self.table_id}.{self.column_id}"


@dataclass(frozen=True)
class Compare:
    """Compare one answer (a question, or a column of the current table row) with a value."""

    ref: str
    scope: Literal["question", "column"]
    op: Literal["equals", "in", "any_of", "answered"]
    value: object


@dataclass(frozen=True)
class AllOf:
    """True when every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the condition does not hold."""

    condition: Condition


Condition = Compare | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Question:
    """A question, a table column (parent_id = table id) or a group of questions."""

    id: str
    type: FieldType
    label: str
    section_id: str
    help: str = ""
    required: bool = True
    options: tuple[Option, ...] = ()
    options_from: ColumnRef | None = None
    show_if: Condition | None = None
    columns: tuple[Question, ...] = ()
    questions: tuple[Question, ...] = ()
    per: ColumnRef | None = None
    max_length: int | None = None
    max_rows: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    allow_no: bool = True
    filled_by: FilledBy = FilledBy.USER
    parent_id: str | None = None  # the table of a column, the group of a group member
    is_column: bool = False

    @property
    def is_table(self) -> bool:
        return self.type is FieldType.TABLE

    @property
    def is_group(self) -> bool:
        return self.type is FieldType.GROUP

    @property
    def is_repeated(self) -> bool:
        """A group repeated once per row of another table (per processing operation)."""
        return self.type is FieldType.GROUP and self.per is not None

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    def column(self, column_id: str) -> Question:
        """Return a column of this table by id."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(f"{self.id} has no column {column_id!r}")

    def option(self, value: str) -> Option | None:
        """Return the static option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Section:
    """A numbered section of a questionnaire."""

    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    part: str | None = None
    filled_by: FilledBy = FilledBy.USER

    @property
    def is_workflow(self) -> bool:
        return self.filled_by is FilledBy.WORKFLOW


@dataclass(frozen=True)
class Part:
    """A part of the model (A–D) grouping sections."""

    id: str
    title: str
    section_ids: tuple[str, ...]


@dataclass(frozen=True)
class CarryOver:
    """Which answers of another questionnaire pre-fill or are shown beside questions here."""

    source_id: str
    source_version: str
    mapping: Mapping[str, str]  # source question id -> target question id or `table.column`


@dataclass(frozen=True, eq=False)
class Definition:
    """A loaded questionnaire: sections with questions, glossary and carry-over mapping."""

    id: str
    version: str
    title: str
    source: str
    sections: tuple[Section, ...]
    description: str = ""
    parts: tuple[Part, ...] = ()
    glossary: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    carry_over: CarryOver | None = None
    _index: Mapping[str, Question] = field(default_factory=lambda: MappingProxyType({}))
    _parents: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"{self.id} {self.version} has no section {section_id!r}")

    @property
    def user_sections(self) -> tuple[Section, ...]:
        """Sections the user fills in (not those filled by the review workflow)."""
        return tuple(s for s in self.sections if not s.is_workflow)

    @cached_property
    def workflow_filled_ids(self) -> frozenset[str]:
        """Every question id the procedure fills (a workflow section's, or one declared so).

        Nobody stores answers under these ids; the app builds them from its own record.
        """
        ids: set[str] = set()

        def walk(questions: Iterable[Question], inherited: bool) -> None:
            for question in questions:
                filled = inherited or question.filled_by is FilledBy.WORKFLOW
                if filled:
                    ids.add(question.id)
                walk(question.questions, filled)

        for section in self.sections:
            walk(section.questions, section.is_workflow)
        return frozenset(ids)

    def is_workflow_filled(self, question_id: str) -> bool:
        return question_id in self.workflow_filled_ids

    def question(self, question_id: str) -> Question:
        try:
            return self._index[question_id]
        except KeyError:
            raise KeyError(f"{self.id} {self.version} has no question {question_id!r}") from None

    def has_question(self, question_id: str) -> bool:
        return question_id in self._index

    def parent(self, question_id: str) -> Question | None:
        """The group a question sits in, if any."""
        parent_id = self._parents.get(question_id)
        return self._index[parent_id] if parent_id else None

    def repeated_parent(self, question_id: str) -> Question | None:
        """The per-operation group a question sits in, if any."""
        parent = self.parent(question_id)
        while parent is not None and not parent.is_repeated:
            parent = self.parent(parent.id)
        return parent

    def column(self, ref: ColumnRef) -> Question:
        return self.question(ref.table_id).column(ref.column_id)

    def resolve(self, target: str) -> Question:
        """Resolve a question id or a `table.column` reference."""
        if target in self._index:
            return self._index[target]
        table_id, _, column_id = target.rpartition(".")
        return self.question(table_id).column(column_id)

    def questions(self) -> Iterator[Question]:
        """Every question (groups and their members, not table columns) in document order."""
        return iter(self._index.values())


def members(questions: Iterable[Question]) -> Iterator[Question]:
    """The questions that hold answers of their own: members of plain groups, not the group."""
    for question in questions:
        if question.is_group and question.per is None:
            yield from members(question.questions)
        else:
            yield question
