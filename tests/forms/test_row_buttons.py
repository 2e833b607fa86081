"""Add-row and remove-row buttons work without JavaScript, as pure functions."""

from __future__ import annotations

from typing import Any

import pytest

from forms.answers import MAX_ROWS, is_row_id
from forms.formdata import FormData, answers_to_formdata
from forms.loader import get_definition
from forms.naming import RowButton, add_row_button, parse_row_button, remove_row_button
from forms.rows import apply_row_button, handle_row_buttons, pressed_row_button

DPIA = get_definition("dpia", "3.0")
OP1, OP2 = "verwerk1", "verwerk2"
ANSWERS: dict[str, Any] = {
    "2": [{"_id": "rij00001", "persoonsgegeven": "Naam"}],
    "3": [{"_id": OP1, "naam": "Ontvangen"}, {"_id": OP2, "naam": "Besluiten"}],
    "5": {OP1: {"5.1": [{"_id": "doel0001", "doel": "Beoordelen"}]}},
}


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("add_row__2", RowButton("add", "2")),
        ("add_row__5.1__verwerk1", RowButton("add", "5.1", operation_id=OP1)),
        ("remove_row__2__rij00001", RowButton("remove", "2", row_id="rij00001")),
        ("remove_row__2", None),
        ("remove_row__2__kort", None),
        ("add_row__5.1__x", None),
        ("q_2-0-naam", None),
        ("opslaan", None),
    ],
)
def test_button_names(name: str, button: RowButton | None) -> None:
    assert parse_row_button(name) == button


def test_button_names_are_made_and_parsed_alike() -> None:
    assert parse_row_button(add_row_button("2")) == RowButton("add", "2")
    assert parse_row_button(add_row_button("5.1", OP2)) == RowButton("add", "5.1", OP2)
    assert parse_row_button(remove_row_button("16", "risico01")) == RowButton(
        "remove", "16", row_id="risico01"
    )


def test_add_a_row_to_a_table() -> None:
    result = apply_row_button(DPIA, ANSWERS, RowButton("add", "2"))
    assert len(result["2"]) == 2
    new_id = result["2"][1]["_id"]
    assert is_row_id(new_id) and new_id not in {"rij00001", OP1, OP2, "doel0001"}
    assert len(ANSWERS["2"]) == 1  # the input is not changed


def test_add_a_first_row() -> None:
    result = apply_row_button(DPIA, {}, RowButton("add", "16"))
    assert [list(row) for row in result["16"]] == [["_id"]]


def test_add_a_row_in_a_group_per_operation() -> None:
    result = apply_row_button(DPIA, ANSWERS, RowButton("add", "5.1", operation_id=OP2))
    assert len(result["5"][OP2]["5.1"]) == 1
    assert len(result["5"][OP1]["5.1"]) == 1


def test_remove_a_row() -> None:
    result = apply_row_button(DPIA, ANSWERS, RowButton("remove", "2", row_id="rij00001"))
    assert "2" not in result
    result = apply_row_button(DPIA, ANSWERS, RowButton("remove", "5.1", row_id="doel0001"))
    assert "5" not in result


@pytest.mark.parametrize(
    "button",
    [
        RowButton("add", "9.9"),
        RowButton("add", "1"),  # not a table
        RowButton("add", "5.1", operation_id="onbekend"),
        RowButton("add", "5.1"),  # a group table needs an operation
        RowButton("remove", "2", row_id="bestaatni"),
    ],
)
def test_unknown_targets_change_nothing(button: RowButton) -> None:
    assert apply_row_button(DPIA, ANSWERS, button) == ANSWERS


def test_no_more_rows_than_the_maximum() -> None:
    full = {"16": [{"_id": f"r{i:07d}"} for i in range(MAX_ROWS)]}
    assert len(apply_row_button(DPIA, full, RowButton("add", "16"))["16"]) == MAX_ROWS


def test_handle_row_buttons_from_posted_data() -> None:
    data = answers_to_formdata(DPIA, "2", ANSWERS)
    assert pressed_row_button(data) is None
    assert handle_row_buttons(DPIA, ANSWERS, data) == (ANSWERS, None)
    data = FormData(data, **{remove_row_button("2", "rij00001"): ["Verwijderen"]})
    answers, button = handle_row_buttons(DPIA, ANSWERS, data)
    assert button == RowButton("remove", "2", row_id="rij00001")
    assert "2" not in answers
