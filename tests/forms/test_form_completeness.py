"""What is missing, and progress per section and overall."""

from __future__ import annotations

from typing import Any

from forms.completeness import progress, section_progress
from forms.loader import get_definition

PRESCAN = get_definition("prescan", "2.0")
DPIA = get_definition("dpia", "3.0")
OP1, OP2 = "verwerk1", "verwerk2"


def test_empty_prescan_lists_every_unconditional_question() -> None:
    result = progress(PRESCAN, {})
    required = [q.id for q in PRESCAN.questions() if q.show_if is None]
    assert result.required == len(required) == 19
    assert result.answered == 0 and result.percent == 0 and not result.complete
    assert [m.question_id for m in result.missing] == required


def test_missing_items_have_labels_and_anchors() -> None:
    item = section_progress(PRESCAN, "0", {}).missing[0]
    assert (item.question_id, item.section_id, item.anchor) == ("0.1", "0", "q_0_1")
    assert item.label == PRESCAN.question("0.1").label
    assert item.description == f"Vraag 0.1: {item.label}"


def test_percent_is_rounded_down() -> None:
    result = section_progress(PRESCAN, "0", {"0.1": False, "0.2": "x", "0.3": "y"})
    assert (result.answered, result.required, result.percent) == (3, 5, 60)
    result = section_progress(
        PRESCAN, "0", {"0.1": False, "0.2": "x", "0.3": "y", "0.4": "toestemming"}
    )
    assert result.percent == 80
    two_of_three = section_progress(PRESCAN, "6", {"6.1.1": True, "6.1.2": False})
    assert (two_of_three.required, two_of_three.percent) == (3, 66)


def test_false_counts_as_an_answer_and_blank_text_does_not() -> None:
    result = section_progress(PRESCAN, "0", {"0.1": False, "0.2": "   "})
    assert result.answered == 1


def test_optional_questions_are_not_counted() -> None:
    result = section_progress(DPIA, "0", {})
    assert (result.required, result.percent, result.complete) == (0, 100, True)
    result = section_progress(DPIA, "1", {"1": "Het voorstel."})
    assert (result.answered, result.required) == (1, 1)


def test_workflow_sections_are_left_out() -> None:
    ids = [s.section_id for s in progress(DPIA, {}).sections]
    assert ids == [str(n) for n in range(19)]


def test_table_counts_when_one_row_is_complete() -> None:
    incomplete = {"_id": "rij00001", "persoonsgegeven": "Naam"}
    assert section_progress(DPIA, "2", {"2": [incomplete]}).answered == 0
    complete = {
        "_id": "rij00002",
        "persoonsgegeven": "BSN",
        "categorie_betrokkene": "Burgers",
        "categorie_persoonsgegevens": "Identificatie",
        "type": "nationaal_identificatienummer",
        "doeleinde": "Identificeren",
        "via_partij": False,
    }
    assert section_progress(DPIA, "2", {"2": [incomplete, complete]}).answered == 1


def test_hidden_columns_are_not_required_in_a_row() -> None:
    row: dict[str, Any] = {
        "_id": "rij00002",
        "persoonsgegeven": "BSN",
        "categorie_betrokkene": "Burgers",
        "categorie_persoonsgegevens": "Id",
        "type": "gewoon",
        "doeleinde": "Doel",
        "via_partij": True,
    }
    assert section_progress(DPIA, "2", {"2": [row]}).answered == 0
    row.update(partij="RDW", bron="Portaal", rechtsgrond_verstrekking="Wet")
    assert section_progress(DPIA, "2", {"2": [row]}).answered == 1


def test_group_counts_once_per_operation() -> None:
    answers = {
        "3": [{"_id": OP1, "naam": "Ontvangen"}, {"_id": OP2, "naam": "Besluiten"}],
        "5": {OP1: {"5.1": [{"_id": "doel0001", "doel": "Beoordelen"}]}},
    }
    result = section_progress(DPIA, "5", answers)
    assert (result.answered, result.required) == (1, 2)
    (item,) = result.missing
    assert (item.question_id, item.operation_id, item.operation_label) == ("5.1", OP2, "Besluiten")
    assert item.anchor == "q_5-1-q_5_1"
    assert item.description.endswith("(verwerking: Besluiten)")


def test_group_without_operations_asks_for_section_3_first() -> None:
    result = section_progress(DPIA, "5", {})
    assert (result.answered, result.required) == (0, 1)
    assert "vul eerst vraag 3 in" in result.missing[0].label


def test_conditional_table_is_required_only_when_shown() -> None:
    assert section_progress(
        DPIA, "12", {"12.1.1": False, "12.2.1": False, "12.3.1": False}
    ).complete
    result = section_progress(DPIA, "12", {"12.1.1": True, "12.2.1": False, "12.3.1": False})
    assert [m.question_id for m in result.missing] == ["12.1.2"]
    assert result.missing[0].group_label == "Bijzondere persoonsgegevens"


def test_overall_progress_sums_the_sections() -> None:
    result = progress(DPIA, {"1": "Voorstel", "14.1": "Ja", "14.2": "Nee"})
    assert result.answered == 3
    assert result.required == sum(s.required for s in result.sections)
    assert result.section("14").complete
    assert result.percent == 3 * 100 // result.required
