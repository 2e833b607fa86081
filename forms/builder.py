"""Build WTForms form classes from a section of a definition, once per definition version.

Field names are described in forms.naming. A typical edit view:

    form = make_section_form(definition, section_id, stored, formdata=request.form, base=FlaskForm)
    answers = merge_section_answers(definition, section_id, stored,
                                    form_to_answers(definition, section_id, form))
    answers, button = handle_row_buttons(definition, answers, request.form)
    if button:                       # add/remove row: save the draft, show the form again
        ...
    elif validate_section(form, definition, answers, strict=wants_final):
        ...                          # save
    form = make_section_form(definition, section_id, answers)  # to render again

Choices that come from earlier answers (options_from) are set per form instance by
bind_dynamic_choices; the class itself never changes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from wtforms import Form
from wtforms.fields import FormField, HiddenField
from wtforms.fields.core import Field, UnboundField

from forms.answers import MAX_ROWS
from forms.conditions import effective_answers
from forms.fields import MaxRows, RowList, choices_for, field_for
from forms.formdata import answers_to_formdata
from forms.model import Definition, DefinitionError, Question, members
from forms.naming import OPERATION_FIELD, ROW_ID_FIELD, field_name
from forms.options import OptionCache, operations, question_options

_classes: dict[tuple[str, str, str, type[Form]], type[Form]] = {}
_lock = threading.Lock()


def build_section_form(
    definition: Definition, section_id: str, base: type[Form] = Form
) -> type[Form]:
    """The form class of a section; built once per (definition, version, section, base)."""
    key = (definition.id, definition.version, section_id, base)
    with _lock:
        if key not in _classes:
            _classes[key] = _build(definition, section_id, base)
        return _classes[key]


def _build(definition: Definition, section_id: str, base: type[Form]) -> type[Form]:
    section = definition.section(section_id)
    if section.is_workflow:
        raise ValueError(f"section {section_id} of {definition.id} is filled by the workflow")
    questions = {field_name(q.id): q for q in members(section.questions)}
    attrs: dict[str, Any] = {
        "form_definition": definition,
        "form_section": section,
        "form_questions": questions,
    }
    for name, question in questions.items():
        attrs[name] = _unbound(definition, question)
    class_name = f"{definition.id}_{definition.version}_section_{section_id}".replace(".", "_")
    return type(class_name, (base,), attrs)


def _unbound(definition: Definition, question: Question) -> UnboundField:
    if question.is_table:
        maximum = question.max_rows or MAX_ROWS
        return RowList(
            FormField(_row_form(definition, question)),
            label=question.label,
            description=question.help,
            validators=[MaxRows(maximum)],
            max_entries=maximum + 1,  # one more than allowed, so MaxRows can tell
        )
    if question.is_repeated:
        return RowList(
            FormField(_group_form(definition, question)),
            label=question.label,
            description=question.help,
        )
    return field_for(question)


def _row_form(definition: Definition, table: Question) -> type[Form]:
    attrs: dict[str, Any] = {"form_table": table, ROW_ID_FIELD: HiddenField()}
    for column in table.columns:
        if hasattr(Form, column.id):
            raise DefinitionError(
                f"{definition.source}: question {table.id!r} column {column.id!r}: "
                "the column id clashes with a WTForms attribute"
            )
        attrs[column.id] = field_for(column)
    return type(f"{definition.id}_row_{field_name(table.id)}", (Form,), attrs)


def _group_form(definition: Definition, group: Question) -> type[Form]:
    children = {field_name(q.id): q for q in members(group.questions)}
    attrs: dict[str, Any] = {
        "form_group": group,
        "form_questions": children,
        OPERATION_FIELD: HiddenField(),
    }
    for name, child in children.items():
        attrs[name] = _unbound(definition, child)
    return type(f"{definition.id}_group_{field_name(group.id)}", (Form,), attrs)


def make_section_form(
    definition: Definition,
    section_id: str,
    answers: Mapping[str, Any],
    formdata: Any = None,
    base: type[Form] = Form,
    **kwargs: Any,
) -> Form:
    """A form instance: filled from posted formdata, or else from the stored answers."""
    form_class = build_section_form(definition, section_id, base)
    if formdata is None:
        formdata = answers_to_formdata(definition, section_id, answers)
    form = form_class(formdata=formdata, **kwargs)
    bind_dynamic_choices(form, definition, answers)
    return form


def bind_dynamic_choices(form: Form, definition: Definition, answers: Mapping[str, Any]) -> None:
    """Set the choices taken from earlier answers (options_from) on this form instance.

    Entries of per-operation groups also get `operation_label`, the operation's name.
    """
    effective = effective_answers(definition, answers)
    cache = OptionCache()
    for name, question in form.form_questions.items():
        _bind(definition, question, form[name], effective, None, None, cache)


def _bind(
    definition: Definition,
    question: Question,
    field: Field,
    effective: Mapping[str, Any],
    group: Mapping[str, Any] | None,
    operation_id: str | None,
    cache: OptionCache,
) -> None:
    if question.is_table:
        for entry in field.entries:
            for column in question.columns:
                if column.options_from is not None:
                    options = question_options(
                        definition,
                        column,
                        effective,
                        operation_id=operation_id,
                        group_answers=group,
                        cache=cache,
                    )
                    entry.form[column.id].choices = choices_for(options)
    elif question.is_repeated:
        labels = {o.value: o.label for o in operations(definition, question, effective)}
        instances = effective.get(question.id, {})
        for entry in field.entries:
            op_id = entry.form[OPERATION_FIELD].data
            entry.form.operation_label = labels.get(op_id, "")
            instance = instances.get(op_id, {})
            for name, child in entry.form.form_questions.items():
                _bind(definition, child, entry.form[name], effective, instance, op_id, cache)
    elif question.options_from is not None:
        options = question_options(
            definition,
            question,
            effective,
            operation_id=operation_id,
            group_answers=group,
            cache=cache,
        )
        field.choices = choices_for(options)
