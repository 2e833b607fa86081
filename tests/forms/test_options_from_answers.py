"""Options taken from earlier answers: row ids as values, row texts as labels."""

from __future__ import annotations

from typing import Any

from forms.conditions import effective_answers
from forms.loader import get_definition
from forms.model import Option
from forms.options import operations, question_options

DPIA = get_definition("dpia", "3.0")

P1, P2, P3, P4 = "pgnaam01", "pgbsn002", "pgleeg03", "pgdubb04"
OP1, OP2 = "verwerk1", "verwerk2"

ANSWERS: dict[str, Any] = {
    "2": [
        {"_id": P1, "persoonsgegeven": "Naam", "categorie_betrokkene": "Burgers"},
        {"_id": P2, "persoonsgegeven": "BSN", "categorie_betrokkene": "Medewerkers"},
        {"_id": P3, "persoonsgegeven": "   ", "categorie_betrokkene": "burgers "},
        {"_id": P4, "persoonsgegeven": "naam", "categorie_betrokkene": "Kinderen"},
    ],
    "3": [{"_id": OP1, "naam": "Aanvraag ontvangen"}, {"_id": OP2}],
    "5": {
        OP1: {"5.1": [{"_id": "doelaaa1", "doel": "Aanvraag beoordelen"}]},
        OP2: {"5.1": [{"_id": "doelbbb2", "doel": "Besluit versturen"}]},
    },
    "6": {
        OP1: {"6.1": [{"_id": "partij01", "naam": "Ministerie"}]},
        OP2: {
            "6.1": [
                {"_id": "partij02", "naam": "Leverancier"},
                {"_id": "partij03", "naam": "ministerie"},
            ]
        },
    },
}


def test_values_are_row_ids_and_labels_row_texts() -> None:
    column = DPIA.question("3").column("persoonsgegevens")
    options = question_options(DPIA, column, ANSWERS)
    # empty texts are left out; equal texts (ignoring case) give one option, the first row's
    assert options == (Option(P1, "Naam"), Option(P2, "BSN"))


def test_categories_of_data_subjects_are_deduplicated() -> None:
    column = DPIA.question("6.1").column("betrokkenen")
    labels = [o.label for o in question_options(DPIA, column, ANSWERS)]
    assert labels == ["Burgers", "Medewerkers", "Kinderen"]


def test_options_from_a_group_table_follow_the_same_operation() -> None:
    column = DPIA.question("10.1").column("doeleinde")
    assert question_options(DPIA, column, ANSWERS, operation_id=OP1) == (
        Option("doelaaa1", "Aanvraag beoordelen"),
    )
    assert [o.value for o in question_options(DPIA, column, ANSWERS, operation_id=OP2)] == [
        "doelbbb2"
    ]


def test_options_from_a_group_table_outside_a_group_take_all_operations() -> None:
    column = DPIA.question("7.1").column("partij")
    assert [o.label for o in question_options(DPIA, column, ANSWERS)] == [
        "Ministerie",
        "Leverancier",
    ]


def test_operations_are_the_rows_of_section_3() -> None:
    found = operations(DPIA, DPIA.question("5"), ANSWERS)
    assert found == (
        Option(OP1, "Aanvraag ontvangen"),
        Option(OP2, "Verwerking 2 (nog zonder naam)"),
    )


def test_static_options_are_returned_as_is() -> None:
    column = DPIA.question("16").column("kans")
    assert question_options(DPIA, column, ANSWERS) == column.options


def test_values_referring_to_removed_rows_do_not_count() -> None:
    answers = dict(ANSWERS)
    answers["3"] = [{"_id": OP1, "naam": "Aanvraag", "persoonsgegevens": [P1, P2, "verdwenen"]}]
    assert effective_answers(DPIA, answers)["3"][0]["persoonsgegevens"] == [P1, P2]
    answers["2"] = [row for row in ANSWERS["2"] if row["_id"] != P2]
    assert effective_answers(DPIA, answers)["3"][0]["persoonsgegevens"] == [P1]
