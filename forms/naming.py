"""Names and ids of form fields in HTML, and of the add/remove row buttons.

Question ids contain dots ("0.5.2"), which are awkward in HTML ids and CSS, so a
field is named "q_" + the id with dots replaced by underscores; question ids never
contain underscores, so the name maps back. WTForms gives each field the same id
as its name. Tables and per-operation groups are WTForms FieldLists of FormFields:

    question "0.5.2"                  q_0_5_2
    table "2", row i, column c        q_2-<i>-row_id  (hidden: the row's "_id")
                                      q_2-<i>-<c>
    per-operation group "5", entry i  q_5-<i>-operation  (hidden: the operation's row id)
                                      q_5-<i>-q_5_1-<j>-doel  (table "5.1" inside it)
    add a row                         add_row__<table id>  or
                                      add_row__<table id>__<operation row id>
    remove a row                      remove_row__<table id>__<row id>

The row index i only orders the rows in one post; the hidden row_id carries the
identity, so rows keep their "_id" whatever their order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forms.answers import is_row_id

PREFIX = "q_"
ROW_ID_FIELD = "row_id"
OPERATION_FIELD = "operation"
ADD_ROW = "add_row"
REMOVE_ROW = "remove_row"
_SEPARATOR = "__"


def field_name(question_id: str) -> str:
    """The HTML name (and id) of a question's field: "0.5.2" -> "q_0_5_2"."""
    return PREFIX + question_id.replace(".", "_")


def question_id_of(name: str) -> str:
    """The question id of a field name: "q_0_5_2" -> "0.5.2"."""
    if not name.startswith(PREFIX):
        raise ValueError(f"{name!r} is not a question field name")
    return name[len(PREFIX) :].replace("_", ".")


def entry_name(list_name: str, index: int) -> str:
    """The name of entry `index` of a table or group field."""
    return f"{list_name}-{index}"


def member_name(entry: str, name: str) -> str:
    """The name of a field inside a table row or group entry."""
    return f"{entry}-{name}"


def add_row_button(table_id: str, operation_id: str | None = None) -> str:
    """The name of the submit button that adds a row to a table."""
    parts = [ADD_ROW, table_id] + ([operation_id] if operation_id else [])
    return _SEPARATOR.join(parts)


def remove_row_button(table_id: str, row_id: str) -> str:
    """The name of the submit button that removes a row from a table."""
    return _SEPARATOR.join([REMOVE_ROW, table_id, row_id])


@dataclass(frozen=True)
class RowButton:
    """A pressed add-row or remove-row button."""

    action: Literal["add", "remove"]
    table_id: str
    operation_id: str | None = None
    row_id: str | None = None


def parse_row_button(name: str) -> RowButton | None:
    """The row button a posted name stands for, or None."""
    parts = name.split(_SEPARATOR)
    if parts[0] == ADD_ROW and len(parts) in (2, 3):
        operation_id = parts[2] if len(parts) == 3 else None
        if operation_id is not None and not is_row_id(operation_id):
            return None
        return RowButton("add", parts[1], operation_id=operation_id)
    if parts[0] == REMOVE_ROW and len(parts) == 3 and is_row_id(parts[2]):
        return RowButton("remove", parts[1], row_id=parts[2])
    return None
