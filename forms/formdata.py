"""Convert between posted form data and answers (see forms.answers and forms.naming)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from wtforms import Form
from wtforms.fields.core import Field

from forms.answers import (
    NOT_APPLICABLE,
    ROW_ID,
    Answers,
    is_answered,
    is_row_id,
    new_row_id,
    table_rows,
)
from forms.fields import NO, YES
from forms.model import Definition, FieldType, Question, members
from forms.naming import OPERATION_FIELD, ROW_ID_FIELD, entry_name, field_name, member_name
from forms.options import operations


class FormData(dict[str, list[str]]):
    """Multi-valued form data (name -> list of strings) that WTForms accepts as formdata."""

    def getlist(self, key: str) -> list[str]:
        return list(self.get(key, []))


def section_question_ids(definition: Definition, section_id: str) -> set[str]:
    """The answer keys a section owns."""
    return {q.id for q in members(definition.section(section_id).questions)}


def merge_section_answers(
    definition: Definition,
    section_id: str,
    answers: Mapping[str, Any],
    section_answers: Mapping[str, Any],
) -> Answers:
    """All answers, with those of one section replaced by `section_answers`."""
    owned = section_question_ids(definition, section_id)
    merged = {key: value for key, value in answers.items() if key not in owned}
    merged.update({key: value for key, value in section_answers.items() if key in owned})
    return merged


# --- answers -> form data ----------------------------------------------------------


def answers_to_formdata(
    definition: Definition, section_id: str, answers: Mapping[str, Any]
) -> FormData:
    """The form data that shows a section's stored answers (hidden ones included)."""
    data = FormData()
    for question in members(definition.section(section_id).questions):
        _emit(
            definition, question, field_name(question.id), answers.get(question.id), answers, data
        )
    return data


def _emit(
    definition: Definition,
    question: Question,
    name: str,
    value: object,
    answers: Mapping[str, Any],
    data: FormData,
) -> None:
    if question.is_table:
        for index, row in enumerate(table_rows(value)):
            entry = entry_name(name, index)
            data[member_name(entry, ROW_ID_FIELD)] = [row[ROW_ID]]
            for column in question.columns:
                _emit(
                    definition,
                    column,
                    member_name(entry, column.id),
                    row.get(column.id),
                    answers,
                    data,
                )
    elif question.is_repeated:
        instances = value if isinstance(value, dict) else {}
        for index, operation in enumerate(operations(definition, question, answers)):
            entry = entry_name(name, index)
            data[member_name(entry, OPERATION_FIELD)] = [operation.value]
            instance = instances.get(operation.value)
            instance = instance if isinstance(instance, dict) else {}
            for child in members(question.questions):
                child_name = member_name(entry, field_name(child.id))
                _emit(definition, child, child_name, instance.get(child.id), answers, data)
    else:
        strings = value_to_strings(question, value)
        if strings:
            data[name] = strings


def value_to_strings(question: Question, value: object) -> list[str]:
    """The posted strings that stand for a stored value."""
    if not is_answered(value):
        return []
    if question.type in (FieldType.YESNO, FieldType.YESNO_NA):
        if value is True:
            return [YES]
        if value is False:
            return [NO]
        return [NOT_APPLICABLE] if value == NOT_APPLICABLE else []
    if question.type is FieldType.MULTICHOICE:
        return [str(v) for v in value] if isinstance(value, list) else []
    return [str(value)]


# --- form -> answers ---------------------------------------------------------------


def form_to_answers(definition: Definition, section_id: str, form: Form) -> Answers:
    """The answers of one section as posted. Rows without a valid id get a new one.

    New row ids are written back into the form, so a form shown again keeps them.
    """
    taken: set[str] = set()
    result: Answers = {}
    for question in members(definition.section(section_id).questions):
        value = _read(question, form[field_name(question.id)], taken)
        if is_answered(value):
            result[question.id] = value
    return result


def _read(question: Question, field: Field, taken: set[str]) -> object:
    if question.is_table:
        rows = []
        for entry in field.entries:
            row_id = entry.form[ROW_ID_FIELD].data
            if not is_row_id(row_id) or row_id in taken:
                row_id = new_row_id(taken)
                entry.form[ROW_ID_FIELD].data = row_id
            taken.add(row_id)
            row: dict[str, Any] = {ROW_ID: row_id}
            for column in question.columns:
                cell = field_value(column, entry.form[column.id])
                if is_answered(cell):
                    row[column.id] = cell
            rows.append(row)
        return rows
    if question.is_repeated:
        instances: dict[str, Answers] = {}
        for entry in field.entries:
            operation_id = entry.form[OPERATION_FIELD].data
            if not is_row_id(operation_id) or operation_id in instances:
                continue
            instance: Answers = {}
            for child in members(question.questions):
                value = _read(child, entry.form[field_name(child.id)], taken)
                if is_answered(value):
                    instance[child.id] = value
            instances[operation_id] = instance
        return {op: instance for op, instance in instances.items() if instance}
    return field_value(question, field)


def field_value(question: Question, field: Field) -> object:
    """The stored value of a single-value field, None when empty."""
    data = field.data
    if question.type in (FieldType.YESNO, FieldType.YESNO_NA):
        return {YES: True, NO: False, NOT_APPLICABLE: NOT_APPLICABLE}.get(data)
    if question.type is FieldType.MULTICHOICE:
        return list(data) if data else None
    if question.type is FieldType.DATE:
        return data.isoformat() if isinstance(data, datetime.date) else None
    if question.type is FieldType.NUMBER:
        return data if isinstance(data, int | float) and not isinstance(data, bool) else None
    return data if isinstance(data, str) and data != "" else None
