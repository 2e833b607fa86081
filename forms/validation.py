"""Validate a section form: formats and limits always, required questions only when strict.

A draft save accepts incomplete input (strict=False): only wrong formats, unknown
choices and too long texts or too many rows are errors. A final save (strict=True)
also marks every required question that is shown and still empty, and every empty
required cell of a table row. Visibility is judged on the answers as they would be
after this post: pass the stored answers merged with form_to_answers(...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import FieldList, Form
from wtforms.fields.core import Field

from forms.answers import ROW_ID, is_answered, table_rows
from forms.conditions import Scope, effective_answers, is_visible
from forms.fields import REQUIRED, ROWS_REQUIRED
from forms.model import Definition, Question
from forms.naming import OPERATION_FIELD, ROW_ID_FIELD
from forms.risk import RISK_LEVEL_REASON, RISKS, assess_risks


def validate_section(
    form: Form, definition: Definition, answers: Mapping[str, Any], *, strict: bool = False
) -> bool:
    """Run the form's validators and, when strict, the required checks; True if no errors.

    A risk level chosen against the matrix needs its reason on every save, draft or not.
    """
    valid = form.validate()
    overrides = _require_override_reasons(form, definition, answers)
    if overrides:
        _refresh_errors(form)
    valid = valid and overrides == 0
    if not strict:
        return valid
    effective = effective_answers(definition, answers)
    added = 0
    for name, question in form.form_questions.items():
        added += _require(question, form[name], Scope(effective), effective)
    if added:
        _refresh_errors(form)
    return valid and added == 0


OVERRIDE_REASON = (
    "U koos een ander risiconiveau dan de risicomatrix geeft. Leg hier uit waarom, of maak "
    "de keuze voor een ander niveau leeg."
)


def _require_override_reasons(
    form: Form, definition: Definition, answers: Mapping[str, Any]
) -> int:
    """Mark every risk whose level differs from the matrix without a reason."""
    name = next((n for n, q in form.form_questions.items() if q.id == RISKS), None)
    if name is None:
        return 0
    missing = {
        risk.row_id
        for risk in assess_risks(answers, definition)
        if risk.overridden and not str(risk.reason or "").strip()
    }
    added = 0
    for entry in form[name].entries:
        if entry.form[ROW_ID_FIELD].data in missing and RISK_LEVEL_REASON in entry.form:
            added += _add_error(entry.form[RISK_LEVEL_REASON], OVERRIDE_REASON)
    return added


def _refresh_errors(form: Form) -> None:
    """Recompute the error summaries that WTForms cached during validate()."""
    form._errors = None  # BaseForm caches form.errors; the fields now hold more
    for field in form:
        if isinstance(field, FieldList):
            own = [error for error in field.errors if isinstance(error, str)]
            for entry in field.entries:
                _refresh_errors(entry.form)
            per_entry = [entry.errors for entry in field.entries]
            field.errors = (per_entry if any(per_entry) else []) + own


def _add_error(field: Field, message: str) -> int:
    field.errors = [*field.errors, message]
    return 1


def _require(question: Question, field: Field, scope: Scope, values: Mapping[str, Any]) -> int:
    """Mark missing required answers on the field; return the number of errors added."""
    if not is_visible(question, scope):
        return 0
    if question.is_repeated:
        return _require_group(question, field, scope)
    if question.is_table:
        return _require_table(question, field, scope, values.get(question.id))
    if question.required and not is_answered(values.get(question.id)):
        return _add_error(field, REQUIRED)
    return 0


def _require_group(group: Question, field: Field, scope: Scope) -> int:
    instances = scope.answers.get(group.id, {})
    added = 0
    for entry in field.entries:
        instance = instances.get(entry.form[OPERATION_FIELD].data, {})
        entry_scope = Scope(scope.answers, instance)
        for name, child in entry.form.form_questions.items():
            added += _require(child, entry.form[name], entry_scope, instance)
    return added


def _require_table(table: Question, field: Field, scope: Scope, value: object) -> int:
    rows = {row[ROW_ID]: row for row in table_rows(value)}
    added = 0
    if table.required and not rows:
        added += _add_error(field, ROWS_REQUIRED)
    for entry in field.entries:
        row = rows.get(entry.form[ROW_ID_FIELD].data, {})
        row_scope = Scope(scope.answers, scope.group, row)
        for column in table.columns:
            if (
                column.required
                and is_visible(column, row_scope)
                and not is_answered(row.get(column.id))
            ):
                added += _add_error(entry.form[column.id], REQUIRED)
    return added
