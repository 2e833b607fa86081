"""The add-row and remove-row buttons of tables, as pure functions on answers."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from forms.answers import ROW_ID, Answers, is_empty_row, new_row_id, row_ids
from forms.model import Definition
from forms.naming import RowButton, parse_row_button
from forms.options import operations


def pressed_row_button(formdata: Iterable[str]) -> RowButton | None:
    """The add/remove row button in posted form data (iterating it gives the names)."""
    for name in formdata:
        button = parse_row_button(name)
        if button is not None:
            return button
    return None


def apply_row_button(
    definition: Definition, answers: Mapping[str, Any], button: RowButton
) -> Answers:
    """New answers with a row added (with a fresh id) or removed.

    Unknown tables, operations and rows, and adding beyond a table's maximum number
    of rows, leave the answers as they are.
    """
    result: Answers = copy.deepcopy(dict(answers))
    if not definition.has_question(button.table_id):
        return result
    table = definition.question(button.table_id)
    if not table.is_table or table.is_column:
        return result
    group = definition.repeated_parent(table.id)
    if button.action == "add":
        rows = _rows_for_adding(definition, result, table.id, group, button.operation_id)
        if rows is not None and len(rows) < (table.max_rows or 0):
            rows.append({ROW_ID: new_row_id(row_ids(answers))})
        return result
    for rows in _all_rows(result, table.id, group.id if group else None):
        rows[:] = [
            row for row in rows if not (isinstance(row, dict) and row.get(ROW_ID) == button.row_id)
        ]
    return _without_empty(result, table.id, group.id if group else None)


def handle_row_buttons(
    definition: Definition, answers: Mapping[str, Any], formdata: Iterable[str]
) -> tuple[Answers, RowButton | None]:
    """Apply the pressed row button, if any: (new answers, the button or None)."""
    button = pressed_row_button(formdata)
    if button is None:
        return dict(answers), None
    return apply_row_button(definition, answers, button), button


def _rows_for_adding(
    definition: Definition,
    answers: Answers,
    table_id: str,
    group: Any,
    operation_id: str | None,
) -> list[Any] | None:
    if group is None:
        if not isinstance(answers.get(table_id), list):
            answers[table_id] = []
        return answers[table_id]
    known = {o.value for o in operations(definition, group, answers)}
    if operation_id not in known:
        return None
    if not isinstance(answers.get(group.id), dict):
        answers[group.id] = {}
    instances = answers[group.id]
    if not isinstance(instances.get(operation_id), dict):
        instances[operation_id] = {}
    instance = instances[operation_id]
    if not isinstance(instance.get(table_id), list):
        instance[table_id] = []
    return instance[table_id]


def _all_rows(answers: Answers, table_id: str, group_id: str | None) -> list[list[Any]]:
    if group_id is None:
        value = answers.get(table_id)
        return [value] if isinstance(value, list) else []
    instances = answers.get(group_id)
    if not isinstance(instances, dict):
        return []
    found = []
    for instance in instances.values():
        if isinstance(instance, dict) and isinstance(instance.get(table_id), list):
            found.append(instance[table_id])
    return found


def _without_empty(answers: Answers, table_id: str, group_id: str | None) -> Answers:
    """Drop a table emptied by removing its last row: unanswered means absent."""
    if group_id is None:
        if answers.get(table_id) == []:
            del answers[table_id]
        return answers
    instances = answers.get(group_id)
    if isinstance(instances, dict):
        for operation_id, instance in list(instances.items()):
            if isinstance(instance, dict) and instance.get(table_id) == []:
                del instance[table_id]
                if not instance:
                    del instances[operation_id]
        if not instances:
            del answers[group_id]
    return answers


def drop_empty_rows(definition: Definition, answers: Mapping[str, Any]) -> Answers:
    """The answers without table rows nobody typed in: an added row is stored once filled."""
    result: Answers = {}
    for key, value in answers.items():
        question = definition.question(key) if definition.has_question(key) else None
        if question is not None and question.is_table and isinstance(value, list):
            kept = [row for row in value if not (isinstance(row, dict) and is_empty_row(row))]
            if kept:
                result[key] = kept
        elif question is not None and question.is_group and isinstance(value, dict):
            instances = {
                op: (drop_empty_rows(definition, inst) if isinstance(inst, dict) else inst)
                for op, inst in value.items()
            }
            instances = {op: i for op, i in instances.items() if i}
            if instances:
                result[key] = instances
        else:
            result[key] = value
    return result
