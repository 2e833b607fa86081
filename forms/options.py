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
) -> tuple[Option, ...]:
    """The options of a choice question now: its own, or those taken from earlier rows."""
    if question.options_from is None:
        return question.options
    ref = question.options_from
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
