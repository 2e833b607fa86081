"""The loader: real definitions load, broken ones are refused with clear messages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from forms.loader import (
    DEFINITIONS_DIR,
    available_definitions,
    get_definition,
    latest_version,
    load_definition,
)
from forms.model import DefinitionError, FieldType


def test_real_definitions_load() -> None:
    assert ("dpia", "3.0") in available_definitions()
    assert ("prescan", "2.0") in available_definitions()
    for definition_id, version in available_definitions():
        definition = load_definition(DEFINITIONS_DIR / f"{definition_id}-{version}.yaml")
        assert definition.key == (definition_id, version)
        assert definition.sections


def test_get_definition_is_cached_and_latest_version_known() -> None:
    assert get_definition("dpia", "3.0") is get_definition("dpia", "3.0")
    assert latest_version("prescan") == "2.0"
    with pytest.raises(DefinitionError, match="no definition"):
        get_definition("dpia", "9.9")


def test_model_is_immutable() -> None:
    question = get_definition("prescan", "2.0").question("0.1")
    with pytest.raises(AttributeError):
        question.label = "anders"  # type: ignore[misc]


BASE: dict[str, Any] = {
    "id": "test",
    "version": "1.0",
    "title": "Test",
    "glossary": {"term": "Uitleg."},
    "sections": [
        {
            "id": "1",
            "title": "Een",
            "questions": [
                {"id": "1.1", "type": "yesno", "label": "Vraag"},
                {
                    "id": "1.2",
                    "type": "table",
                    "label": "Tabel",
                    "columns": [
                        {"id": "naam", "type": "text", "label": "Naam"},
                        {
                            "id": "soort",
                            "type": "choice",
                            "label": "Soort",
                            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                        },
                    ],
                },
            ],
        }
    ],
}


def write(tmp_path: Path, document: dict[str, Any], name: str = "test-1.0.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    return path


def with_question(extra: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    document["sections"][0]["questions"].append(extra)
    return document


def test_minimal_definition_loads(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, BASE))
    assert definition.question("1.2").column("soort").type is FieldType.CHOICE
    assert definition.question("1.1").required is True


BROKEN = [
    ("unknown type", {"id": "1.3", "type": "txt", "label": "X"}, ["'1.3'", "unknown type 'txt'"]),
    ("duplicate id", {"id": "1.1", "type": "text", "label": "X"}, ["'1.1'", "duplicate"]),
    ("choice without options", {"id": "1.3", "type": "choice", "label": "X"}, ["'1.3'", "options"]),
    (
        "options and options_from",
        {
            "id": "1.3",
            "type": "choice",
            "label": "X",
            "options_from": "1.2.naam",
            "options": [{"value": "a", "label": "A"}],
        },
        ["'1.3'", "either"],
    ),
    (
        "dangling options_from table",
        {"id": "1.3", "type": "multichoice", "label": "X", "options_from": "9.9.naam"},
        ["'1.3'", "'9.9'", "not a table"],
    ),
    (
        "dangling options_from column",
        {"id": "1.3", "type": "multichoice", "label": "X", "options_from": "1.2.kleur"},
        ["'1.3'", "'kleur'"],
    ),
    (
        "dangling show_if",
        {"id": "1.3", "type": "text", "label": "X", "show_if": {"question": "9.9", "equals": True}},
        ["'1.3'", "'9.9'", "does not exist"],
    ),
    (
        "show_if value not an answer",
        {"id": "1.3", "type": "text", "label": "X", "show_if": {"question": "1.1", "equals": "ja"}},
        ["'1.3'", "'ja'"],
    ),
    (
        "show_if column outside a table",
        {"id": "1.3", "type": "text", "label": "X", "show_if": {"column": "naam", "equals": "x"}},
        ["'1.3'", "inside a table"],
    ),
    (
        "show_if without operator",
        {"id": "1.3", "type": "text", "label": "X", "show_if": {"question": "1.1"}},
        ["'1.3'", "show_if needs"],
    ),
    (
        "unknown key",
        {"id": "1.3", "type": "text", "label": "X", "lable": "typo"},
        ["'1.3'", "lable"],
    ),
    (
        "unquoted number id",
        {"id": 1.3, "type": "text", "label": "X"},
        ["1.3", "quoted string"],
    ),
    (
        "unknown glossary term",
        {"id": "1.3", "type": "text", "label": "X", "help": "Zie [[onbekend]]."},
        ["'1.3'", "[[onbekend]]"],
    ),
    (
        "duplicate column",
        {
            "id": "1.3",
            "type": "table",
            "label": "T",
            "columns": [
                {"id": "a", "type": "text", "label": "A"},
                {"id": "a", "type": "text", "label": "B"},
            ],
        },
        ["'1.3'", "'a'", "duplicate"],
    ),
    (
        "table inside a column",
        {
            "id": "1.3",
            "type": "table",
            "label": "T",
            "columns": [{"id": "a", "type": "table", "label": "A", "columns": []}],
        },
        ["'1.3'", "column 'a'"],
    ),
    (
        "per over a missing table",
        {
            "id": "1.3",
            "type": "group",
            "label": "G",
            "per": "7.naam",
            "questions": [{"id": "1.3.1", "type": "text", "label": "X"}],
        },
        ["'1.3'", "'7'"],
    ),
    (
        "duplicate option value",
        {
            "id": "1.3",
            "type": "choice",
            "label": "X",
            "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
        },
        ["'1.3'", "duplicate option value 'a'"],
    ),
]


@pytest.mark.parametrize(
    ("extra", "fragments"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_question_is_refused(
    tmp_path: Path, extra: dict[str, Any], fragments: list[str]
) -> None:
    path = write(tmp_path, with_question(extra))
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    message = str(caught.value)
    assert message.startswith("test-1.0.yaml: ")
    for fragment in fragments:
        assert fragment in message


def test_references_must_point_backwards(tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    questions = document["sections"][0]["questions"]
    questions.insert(
        0,
        {"id": "1.0", "type": "text", "label": "X", "show_if": {"question": "1.1", "equals": True}},
    )
    with pytest.raises(DefinitionError, match=r"'1.0'.*'1.1'.*must come earlier"):
        load_definition(write(tmp_path, document))
    document = copy.deepcopy(BASE)
    document["sections"][0]["questions"].insert(
        0, {"id": "1.0", "type": "multichoice", "label": "X", "options_from": "1.2.naam"}
    )
    with pytest.raises(DefinitionError, match=r"'1.0'.*must come earlier"):
        load_definition(write(tmp_path, document))


def test_column_condition_must_name_an_earlier_column(tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    columns = document["sections"][0]["questions"][1]["columns"]
    columns[0]["show_if"] = {"column": "soort", "equals": "a"}
    with pytest.raises(DefinitionError, match=r"column 'naam'.*'soort' must be an earlier"):
        load_definition(write(tmp_path, document))


def test_file_name_must_match_id_and_version(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="other-2.0.yaml: declares test 1.0"):
        load_definition(write(tmp_path, BASE, name="other-2.0.yaml"))


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "test-1.0.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(DefinitionError, match="test-1.0.yaml: invalid YAML"):
        load_definition(path)


def test_duplicate_section_is_refused(tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    document["sections"].append(
        {"id": "1", "title": "Weer", "questions": [{"id": "2.1", "type": "text", "label": "X"}]}
    )
    with pytest.raises(DefinitionError, match="section '1': duplicate section id"):
        load_definition(write(tmp_path, document))


def test_carry_over_ids_are_checked(tmp_path: Path) -> None:
    source = copy.deepcopy(BASE)
    source["id"] = "bron"
    write(tmp_path, source, name="bron-1.0.yaml")
    document = copy.deepcopy(BASE)
    document["carry_over"] = {
        "source": {"id": "bron", "version": "1.0"},
        "map": {"1.1": "1.1", "1.2": "1.2.naam"},
    }
    assert load_definition(write(tmp_path, document)).carry_over is not None

    document["carry_over"]["map"] = {"8.8": "1.1"}
    with pytest.raises(DefinitionError, match=r"test-1.0.yaml: carry_over '8.8'.*bron-1.0.yaml"):
        load_definition(write(tmp_path, document))
    document["carry_over"]["map"] = {"1.1": "1.2.kleur"}
    with pytest.raises(DefinitionError, match=r"carry_over '1.1': unknown target.*'1.2.kleur'"):
        load_definition(write(tmp_path, document))
    document["carry_over"] = {"source": {"id": "weg", "version": "1.0"}, "map": {"1.1": "1.1"}}
    with pytest.raises(DefinitionError, match="source weg-1.0.yaml not found"):
        load_definition(write(tmp_path, document))
