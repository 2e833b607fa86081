"""Choices taken from earlier answers (`options_from`) and the operations of `per` groups.

An option taken from a table row has the row's "_id" as value and the row's text in
the named column as label. Rows with an empty text are left out, and rows with the
same text (ignoring case) give one option, valued with the first such row's id.
A source table inside a per-operation group gives the rows of the same operation
when the asking question is in a group repeated over the same table; otherwise the
rows of all operations together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.answers import ROW_ID, Row, table_rows
from forms.model import Definition, Option, Question


def operations(
    definition: Definition, group: Question, answers: Mapping[str, Any]
) -> tuple[Option, ...]:
    """The rows a repeated group is repeated for (value = row id), in table order."""
    assert group.per is not None, f"{group.id} is not a repeated group"
    result = []
    for number, row in enumerate(table_rows(answers.get(group.per.table_id)), start=1):
        text = row.get(group.per.column_id)
        label = text.strip() if isinstance(text, str) and text.strip() else ""
        result.append(Option(row[ROW_ID], label or f"Verwerking {number} (nog zonder naam)"))
    return tuple(result)


def owner_id(question: Question) -> str:
    """The id to look up a question's place by: its table's id for a column."""
    return question.parent_id if question.is_column and question.parent_id else question.id


def source_rows(
    definition: Definition,
    asker: Question,
    table_id: str,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group_answers: Mapping[str, Any] | None = None,
) -> list[Row]:
    """The rows of a source table as seen from the asking question."""
    source_group = definition.repeated_parent(table_id)
    if source_group is None:
        return table_rows(answers.get(table_id))
    asking_group = definition.repeated_parent(owner_id(asker))
    if (
        asking_group is not None
        and asking_group.id == source_group.id
        and group_answers is not None
    ):
        return table_rows(group_answers.get(table_id))
    instances = answers.get(source_group.id)
    if not isinstance(instances, dict):
        return []
    same_operations = asking_group is not None and asking_group.per == source_group.per
    if same_operations and operation_id is not None:
        instance = instances.get(operation_id)
        return table_rows(instance.get(table_id)) if isinstance(instance, dict) else []
    rows: list[Row] = []
    for operation in operations(definition, source_group, answers):
        instance = instances.get(operation.value)
        if isinstance(instance, dict):
            rows.extend(table_rows(instance.get(table_id)))
    return rows


def question_options(
    definition: Definition,
    question: Question,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group_answers: Mapping[str, Any] | None = None,
    cache: OptionCache | None = None,
) -> tuple[Option, ...]:
    """The options of a choice question now: its own, or those taken from earlier rows."""
    if question.options_from is None:
        return question.options
    if cache is not None:
        return cache.options(
            definition, question, answers, operation_id=operation_id, group_answers=group_answers
        )
    return _options_from_rows(definition, question, answers, operation_id, group_answers)


def _options_from_rows(
    definition: Definition,
    question: Question,
    answers: Mapping[str, Any],
    operation_id: str | None,
    group_answers: Mapping[str, Any] | None,
) -> tuple[Option, ...]:
    ref = question.options_from
    assert ref is not None
    rows = source_rows(
        definition,
        question,
        ref.table_id,
        answers,
        operation_id=operation_id,
        group_answers=group_answers,
    )
    options: list[Option] = []
    seen: set[str] = set()
    for row in rows:
        text = row.get(ref.column_id)
        if not isinstance(text, str) or not text.strip():
            continue
        label = " ".join(text.split())
        if label.casefold() in seen:
            continue
        seen.add(label.casefold())
        options.append(Option(row[ROW_ID], label))
    return tuple(options)


class OptionCache:
    """Options of `options_from` questions, computed once per source table.

    Evaluating a 500-row table asks the same column's options 500 times; without this
    every ask walks the whole source table again (quadratic). An entry is keyed by the
    identity of the source rows it was made from and keeps those objects alive, so a
    source that is replaced (a table evaluated later) gives a new entry, never a stale one.
    Meant for one evaluation of one answer set: do not keep it across changes to the
    answers in place.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[object, tuple[Option, ...], frozenset[str], dict]] = {}

    def _key(
        self,
        definition: Definition,
        question: Question,
        answers: Mapping[str, Any],
        operation_id: str | None,
        group_answers: Mapping[str, Any] | None,
    ) -> tuple[tuple, object]:
        ref = question.options_from
        assert ref is not None
        table_id = ref.table_id
        source_group = definition.repeated_parent(table_id)
        if source_group is None:
            source = answers.get(table_id)
            return (question.id, "top", id(source)), source
        asking_group = definition.repeated_parent(owner_id(question))
        if (
            asking_group is not None
            and asking_group.id == source_group.id
            and group_answers is not None
        ):
            source = group_answers.get(table_id)
            return (question.id, "group", id(source)), source
        instances = answers.get(source_group.id)
        same_operations = asking_group is not None and asking_group.per == source_group.per
        if same_operations and operation_id is not None:
            return (question.id, "operation", id(instances), operation_id), instances
        operation_rows = answers.get(source_group.per.table_id) if source_group.per else None
        source = (instances, operation_rows)
        return (question.id, "all", id(instances), id(operation_rows)), source

    def _entry(self, definition, question, answers, operation_id, group_answers):
        key, source = self._key(definition, question, answers, operation_id, group_answers)
        entry = self._entries.get(key)
        if entry is None:
            options = _options_from_rows(definition, question, answers, operation_id, group_answers)
            entry = (
                source,
                options,
                frozenset(o.value for o in options),
                {o.value: o.label for o in options},
            )
            self._entries[key] = entry
        return entry

    def options(
        self,
        definition: Definition,
        question: Question,
        answers: Mapping[str, Any],
        *,
        operation_id: str | None = None,
        group_answers: Mapping[str, Any] | None = None,
    ) -> tuple[Option, ...]:
        """The options of an `options_from` question (see question_options)."""
        return self._entry(definition, question, answers, operation_id, group_answers)[1]

    def values(
        self,
        definition: Definition,
        question: Question,
        answers: Mapping[str, Any],
        *,
        operation_id: str | None = None,
        group_answers: Mapping[str, Any] | None = None,
    ) -> frozenset[str]:
        """The option values of a choice question (its own options or from rows)."""
        if question.options_from is None:
            return frozenset(o.value for o in question.options)
        return self._entry(definition, question, answers, operation_id, group_answers)[2]

    def labels(
        self,
        definition: Definition,
        question: Question,
        answers: Mapping[str, Any],
        *,
        operation_id: str | None = None,
        group_answers: Mapping[str, Any] | None = None,
    ) -> dict[str, str]:
        """Option value → label of a choice question (its own options or from rows)."""
        if question.options_from is None:
            return {o.value: o.label for o in question.options}
        return self._entry(definition, question, answers, operation_id, group_answers)[3]

    def operation_labels(
        self, definition: Definition, group: Question, answers: Mapping[str, Any]
    ) -> dict[str, str]:
        """Row id → operation name of a repeated group's table (see operations())."""
        assert group.per is not None
        source = answers.get(group.per.table_id)
        key = (group.id, "operations", id(source))
        entry = self._entries.get(key)
        if entry is None:
            found = operations(definition, group, answers)
            entry = (source, found, frozenset(), {o.value: o.label for o in found})
            self._entries[key] = entry
        return entry[3]
