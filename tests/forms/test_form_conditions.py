"""show_if conditions: hidden questions are not required and their stale values do not count."""

from __future__ import annotations

from typing import Any

import pytest

from forms.completeness import section_progress
from forms.conditions import Scope, effective_answers, holds, is_visible, visible_questions
from forms.loader import get_definition
from forms.model import AllOf, AnyOf, Compare, Not

PRESCAN = get_definition("prescan", "2.0")
DPIA = get_definition("dpia", "3.0")


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (Compare("a", "question", "equals", True), {"a": True}, True),
        (Compare("a", "question", "equals", True), {"a": False}, False),
        (Compare("a", "question", "equals", True), {}, False),
        (Compare("a", "question", "equals", True), {"a": 1}, False),
        (Compare("a", "question", "equals", 1), {"a": True}, False),
        (Compare("a", "question", "equals", False), {}, False),
        (Compare("a", "question", "in", ("x", "y")), {"a": "y"}, True),
        (Compare("a", "question", "in", ("x", "y")), {"a": "z"}, False),
        (Compare("a", "question", "any_of", ("x", "y")), {"a": ["z", "y"]}, True),
        (Compare("a", "question", "any_of", ("x", "y")), {"a": ["z"]}, False),
        (Compare("a", "question", "any_of", ("x",)), {"a": "x"}, False),
        (Compare("a", "question", "answered", True), {"a": ["x"]}, True),
        (Compare("a", "question", "answered", True), {"a": []}, False),
        (Compare("a", "question", "answered", True), {"a": "  "}, False),
        (Compare("a", "question", "answered", False), {}, True),
        (Compare("a", "question", "answered", True), {"a": False}, True),
    ],
)
def test_compare(condition: Compare, answers: dict[str, Any], expected: bool) -> None:
    assert holds(condition, Scope(answers)) is expected


def test_combinators() -> None:
    yes_a = Compare("a", "question", "equals", True)
    yes_b = Compare("b", "question", "equals", True)
    scope = Scope({"a": True, "b": False})
    assert holds(AllOf((yes_a, yes_b)), scope) is False
    assert holds(AnyOf((yes_a, yes_b)), scope) is True
    assert holds(Not(yes_b), scope) is True
    assert holds(AllOf((yes_a, Not(yes_b))), scope) is True


def test_column_and_group_scopes() -> None:
    column = Compare("via_partij", "column", "equals", True)
    assert holds(column, Scope({}, row={"via_partij": True}))
    assert not holds(column, Scope({"via_partij": True}))
    sibling = Compare("x.1", "question", "equals", "a")
    assert holds(sibling, Scope({"x.1": "b"}, group={"x.1": "a"}))
    assert holds(sibling, Scope({"x.1": "a"}, group={}))


def test_hidden_question_is_not_required() -> None:
    shown = {q.id for q in visible_questions(PRESCAN, "0", {"0.5.1": False})}
    assert "0.5.2" not in shown and "0.5.1" in shown
    missing = {m.question_id for m in section_progress(PRESCAN, "0", {"0.5.1": False}).missing}
    assert "0.5.2" not in missing
    missing = {m.question_id for m in section_progress(PRESCAN, "0", {"0.5.1": True}).missing}
    assert {"0.5.2", "0.5.3", "0.5.4"} <= missing


def test_stale_value_of_hidden_question_is_ignored() -> None:
    answers = {"0.5.1": False, "0.5.2": ["saas"], "2.1.1": False, "2.1.6": "scc"}
    effective = effective_answers(PRESCAN, answers)
    assert effective == {"0.5.1": False, "2.1.1": False}
    assert answers["0.5.2"] == ["saas"]  # the stored answers are not changed


def test_hiding_cascades() -> None:
    # 7.1.3 depends on 7.1.2, which is hidden when 7.1.1 is "nee"
    answers = {"7.1.1": False, "7.1.2": False, "7.1.3": True}
    assert effective_answers(PRESCAN, answers) == {"7.1.1": False}
    answers["7.1.1"] = True
    assert effective_answers(PRESCAN, answers) == answers


def test_condition_on_a_choice() -> None:
    answers = {"2.1.1": True, "2.1.6": "scc", "2.1.7": "Eigen afspraak"}
    assert "2.1.7" not in effective_answers(PRESCAN, answers)
    answers["2.1.6"] = "overig"
    assert effective_answers(PRESCAN, answers)["2.1.7"] == "Eigen afspraak"


def test_unknown_keys_wrong_types_and_unknown_options_do_not_count() -> None:
    answers = {
        "onbekend": 1,
        "0.1": "ja",
        "0.4": "geen_grond",
        "1.4.1": ["burgers", "marsbewoners", "burgers"],
        "1.5.3": "continu",
    }
    assert effective_answers(PRESCAN, answers) == {"1.4.1": ["burgers"], "1.5.3": "continu"}


def test_column_condition_within_the_same_row() -> None:
    table = DPIA.question("2")
    party = table.column("partij")
    row_yes = {"via_partij": True, "partij": "RDW"}
    assert is_visible(party, Scope({}, row=row_yes))
    answers = {
        "2": [
            {
                "_id": "aaaaaaaa",
                "persoonsgegeven": "Kenteken",
                "via_partij": False,
                "partij": "RDW",
            },
            {"_id": "bbbbbbbb", "persoonsgegeven": "Naam", "via_partij": True, "partij": "BRP"},
        ]
    }
    rows = effective_answers(DPIA, answers)["2"]
    assert "partij" not in rows[0] and rows[1]["partij"] == "BRP"


def test_group_instances_of_removed_operations_do_not_count() -> None:
    answers = {
        "3": [{"_id": "opeenopx", "naam": "Aanvragen"}],
        "5": {
            "opeenopx": {"5.1": [{"_id": "doel0001", "doel": "Beoordelen"}]},
            "weg00000": {"5.1": [{"_id": "doel0002", "doel": "Oud"}]},
        },
    }
    assert set(effective_answers(DPIA, answers)["5"]) == {"opeenopx"}


def test_rows_without_a_valid_id_do_not_count() -> None:
    answers = {
        "3": [
            {"naam": "Zonder id"},
            {"_id": "x", "naam": "Kort id"},
            {"_id": "goedid00", "naam": "Goed"},
            {"_id": "goedid00", "naam": "Dubbel"},
        ]
    }
    assert effective_answers(DPIA, answers)["3"] == [{"_id": "goedid00", "naam": "Goed"}]
