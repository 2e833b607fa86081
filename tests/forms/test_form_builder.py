"""WTForms classes built from definitions: round trips, dynamic choices, validation."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from wtforms import Form

from forms import fields
from forms.builder import bind_dynamic_choices, build_section_form, make_section_form
from forms.formdata import FormData, answers_to_formdata, form_to_answers, merge_section_answers
from forms.loader import get_definition, load_definition
from forms.model import Definition, DefinitionError
from forms.naming import field_name, question_id_of
from forms.validation import validate_section

OPTIONS = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
ALL_TYPES: dict[str, Any] = {
    "id": "alles",
    "version": "1.0",
    "title": "Alle soorten",
    "sections": [
        {
            "id": "1",
            "title": "Basis",
            "questions": [
                {"id": "1.1", "type": "text", "label": "Tekst"},
                {"id": "1.2", "type": "textarea", "label": "Lange tekst", "required": False},
                {"id": "1.3", "type": "choice", "label": "Keuze", "options": OPTIONS},
                {
                    "id": "1.4",
                    "type": "multichoice",
                    "label": "Meer",
                    "options": [
                        *OPTIONS,
                        {"value": "geen", "label": "Geen van deze", "exclusive": True},
                    ],
                },
                {"id": "1.5", "type": "yesno", "label": "Ja of nee"},
                {"id": "1.6", "type": "yesno_na", "label": "Ja, nee of n.v.t."},
                {"id": "1.7", "type": "yesno_na", "label": "Ja of n.v.t.", "allow_no": False},
                {"id": "1.8", "type": "date", "label": "Datum"},
                {"id": "1.9", "type": "number", "label": "Aantal", "integer": True, "min": 0},
                {"id": "1.10", "type": "number", "label": "Bedrag"},
                {
                    "id": "1.11",
                    "type": "text",
                    "label": "Alleen bij ja",
                    "show_if": {"question": "1.5", "equals": True},
                },
                {
                    "id": "1.12",
                    "type": "group",
                    "label": "Groep",
                    "questions": [{"id": "1.12.1", "type": "text", "label": "In de groep"}],
                },
                {
                    "id": "1.13",
                    "type": "table",
                    "label": "Items",
                    "columns": [
                        {"id": "naam", "type": "text", "label": "Naam"},
                        {"id": "soort", "type": "choice", "label": "Soort", "options": OPTIONS},
                        {
                            "id": "kenmerken",
                            "type": "multichoice",
                            "label": "Kenmerken",
                            "options": OPTIONS,
                            "required": False,
                        },
                        {"id": "actief", "type": "yesno", "label": "Actief"},
                        {"id": "datum", "type": "date", "label": "Datum", "required": False},
                        {
                            "id": "aantal",
                            "type": "number",
                            "label": "Aantal",
                            "integer": True,
                            "required": False,
                        },
                        {
                            "id": "toelichting",
                            "type": "textarea",
                            "label": "Toelichting",
                            "show_if": {"column": "actief", "equals": True},
                        },
                    ],
                },
            ],
        },
        {
            "id": "2",
            "title": "Per item",
            "questions": [
                {
                    "id": "2.1",
                    "type": "multichoice",
                    "label": "Welke items",
                    "options_from": "1.13.naam",
                },
                {
                    "id": "2.2",
                    "type": "group",
                    "label": "Per item",
                    "per": "1.13.naam",
                    "questions": [
                        {"id": "2.2.1", "type": "yesno", "label": "Klaar?"},
                        {
                            "id": "2.2.2",
                            "type": "table",
                            "label": "Stappen",
                            "columns": [{"id": "stap", "type": "text", "label": "Stap"}],
                        },
                        {
                            "id": "2.2.3",
                            "type": "choice",
                            "label": "Belangrijkste stap",
                            "options_from": "2.2.2.stap",
                        },
                    ],
                },
            ],
        },
    ],
}

ROWS = [
    {
        "_id": "item0001",
        "naam": "Laptop",
        "soort": "a",
        "kenmerken": ["a", "b"],
        "actief": True,
        "datum": "2025-01-31",
        "aantal": 3,
        "toelichting": "Nieuw",
    },
    {"_id": "item0002", "naam": "Scherm", "soort": "b", "actief": False},
]
SECTION_1: dict[str, Any] = {
    "1.1": "Kort",
    "1.2": "Lang\nmet regels",
    "1.3": "b",
    "1.4": ["a", "b"],
    "1.5": True,
    "1.6": "nvt",
    "1.7": True,
    "1.8": "2025-03-01",
    "1.9": 42,
    "1.10": 2.5,
    "1.11": "Zichtbaar",
    "1.12.1": "In de groep",
    "1.13": ROWS,
}
SECTION_2: dict[str, Any] = {
    "2.1": ["item0002"],
    "2.2": {
        "item0001": {
            "2.2.1": False,
            "2.2.2": [
                {"_id": "stap0001", "stap": "Bestellen"},
                {"_id": "stap0002", "stap": "Leveren"},
            ],
            "2.2.3": "stap0002",
        },
        "item0002": {"2.2.1": True},
    },
}
ANSWERS = {**SECTION_1, **SECTION_2}


@pytest.fixture(scope="module")
def definition(tmp_path_factory: pytest.TempPathFactory) -> Definition:
    path = tmp_path_factory.mktemp("definitions") / "alles-1.0.yaml"
    path.write_text(yaml.safe_dump(ALL_TYPES, allow_unicode=True, sort_keys=False))
    return load_definition(path)


def post(definition: Definition, section_id: str, data: FormData) -> dict[str, Any]:
    form = make_section_form(definition, section_id, ANSWERS, formdata=data)
    assert form.validate(), form.errors
    return form_to_answers(definition, section_id, form)


@pytest.mark.parametrize(("section_id", "expected"), [("1", SECTION_1), ("2", SECTION_2)])
def test_answers_round_trip(definition: Definition, section_id: str, expected: dict) -> None:
    data = answers_to_formdata(definition, section_id, ANSWERS)
    assert post(definition, section_id, data) == expected


@pytest.mark.parametrize("section_id", ["1", "2"])
def test_formdata_round_trip(definition: Definition, section_id: str) -> None:
    data = answers_to_formdata(definition, section_id, ANSWERS)
    posted = post(definition, section_id, data)
    again = answers_to_formdata(definition, section_id, {**ANSWERS, **posted})
    assert again == data


@pytest.mark.parametrize(
    ("question_id", "value", "posted"),
    [
        ("1.1", "Kort", ["Kort"]),
        ("1.2", "Lang", ["Lang"]),
        ("1.3", "a", ["a"]),
        ("1.4", ["geen"], ["geen"]),
        ("1.5", True, ["ja"]),
        ("1.5", False, ["nee"]),
        ("1.6", True, ["ja"]),
        ("1.6", False, ["nee"]),
        ("1.6", "nvt", ["nvt"]),
        ("1.7", "nvt", ["nvt"]),
        ("1.8", "2024-02-29", ["2024-02-29"]),
        ("1.9", 0, ["0"]),
        ("1.10", -1.25, ["-1.25"]),
    ],
)
def test_every_field_type_round_trips(
    definition: Definition, question_id: str, value: object, posted: list[str]
) -> None:
    data = answers_to_formdata(definition, "1", {question_id: value})
    assert data == {field_name(question_id): posted}
    assert post(definition, "1", data) == {question_id: value}


def test_posted_input_is_normalised(definition: Definition) -> None:
    data = FormData({"q_1_1": ["  Kort  "], "q_1_2": ["Regel 1\r\nRegel 2\r\n"], "q_1_10": ["2,5"]})
    assert post(definition, "1", data) == {"1.1": "Kort", "1.2": "Regel 1\nRegel 2", "1.10": 2.5}


def test_empty_input_is_unanswered(definition: Definition) -> None:
    data = FormData({"q_1_1": [""], "q_1_8": [""], "q_1_9": [""], "q_1_13-0-row_id": ["item0009"]})
    assert post(definition, "1", data) == {"1.13": [{"_id": "item0009"}]}


def test_rows_keep_their_ids_and_new_rows_get_one(definition: Definition) -> None:
    data = FormData(
        {
            "q_1_13-0-row_id": ["item0002"],
            "q_1_13-0-naam": ["Tweede"],
            "q_1_13-1-row_id": [""],
            "q_1_13-1-naam": ["Nieuw"],
            "q_1_13-2-row_id": ["item0002"],
            "q_1_13-2-naam": ["Dubbel"],
        }
    )
    form = make_section_form(definition, "1", ANSWERS, formdata=data)
    rows = form_to_answers(definition, "1", form)["1.13"]
    assert rows[0]["_id"] == "item0002"
    assert len({row["_id"] for row in rows}) == 3
    # the new ids are written back, so the form shown again keeps them
    assert [e.form.row_id.data for e in form["q_1_13"].entries] == [r["_id"] for r in rows]


def test_table_names_do_not_swallow_similar_names() -> None:
    dpia = get_definition("dpia", "3.0")
    data = FormData(
        {
            "q_3-0-row_id": ["verwerk1"],
            "q_3-0-naam": ["Ontvangen"],
            "q_3_1": ["https://example.org/schema"],
        }
    )
    form = make_section_form(dpia, "3", {}, formdata=data)
    assert len(form["q_3"].entries) == 1
    assert form_to_answers(dpia, "3", form) == {
        "3": [{"_id": "verwerk1", "naam": "Ontvangen"}],
        "3.1": "https://example.org/schema",
    }


def test_class_is_built_once_and_choices_bound_per_instance(definition: Definition) -> None:
    form_class = build_section_form(definition, "2")
    assert build_section_form(definition, "2") is form_class

    class Base(Form):
        pass

    assert build_section_form(definition, "2", base=Base) is not form_class
    first = make_section_form(definition, "2", ANSWERS)
    other_rows = copy.deepcopy(ANSWERS)
    other_rows["1.13"] = [{"_id": "item0003", "naam": "Muis"}]
    second = make_section_form(definition, "2", other_rows)
    assert type(first) is type(second) is form_class
    assert [c.value for c in first["q_2_1"].iter_choices()] == ["item0001", "item0002"]
    assert [(c.value, c.label) for c in second["q_2_1"].iter_choices()] == [("item0003", "Muis")]


def test_group_entries_follow_the_operations(definition: Definition) -> None:
    form = make_section_form(definition, "2", ANSWERS)
    entries = form["q_2_2"].entries
    assert [e.form.operation.data for e in entries] == ["item0001", "item0002"]
    assert [e.form.operation_label for e in entries] == ["Laptop", "Scherm"]
    step = entries[0].form["q_2_2_3"]
    assert [(c.value, c.label) for c in step.iter_choices()] == [
        ("stap0001", "Bestellen"),
        ("stap0002", "Leveren"),
    ]
    assert list(entries[1].form["q_2_2_3"].iter_choices()) == []


def test_bind_dynamic_choices_can_rebind(definition: Definition) -> None:
    form = make_section_form(definition, "2", ANSWERS)
    bind_dynamic_choices(form, definition, {"1.13": [{"_id": "item0004", "naam": "Toetsenbord"}]})
    assert [c.label for c in form["q_2_1"].iter_choices()] == ["Toetsenbord"]


def test_html_ids_are_safe_and_map_back(definition: Definition) -> None:
    form = make_section_form(definition, "1", ANSWERS)
    html = "".join(str(field()) for field in form)
    ids = re.findall(r'(?:id|for|name)="([^"]+)"', html)
    assert ids and all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i) for i in ids)
    for question in get_definition("dpia", "3.0").questions():
        assert question_id_of(field_name(question.id)) == question.id
        assert "." not in field_name(question.id)


def test_workflow_sections_have_no_form() -> None:
    with pytest.raises(ValueError, match="workflow"):
        build_section_form(get_definition("dpia", "3.0"), "19")


def test_column_clashing_with_wtforms_is_refused(tmp_path: Path) -> None:
    document = copy.deepcopy(ALL_TYPES)
    document["id"] = "botsing"
    document["sections"][0]["questions"][12]["columns"][1]["id"] = "data"
    path = tmp_path / "botsing-1.0.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(DefinitionError, match="'data'"):
        build_section_form(load_definition(path), "1")


# --- validation ---------------------------------------------------------------------------


def errors_for(definition: Definition, data: dict[str, list[str]], section_id: str = "1") -> dict:
    form = make_section_form(definition, section_id, ANSWERS, formdata=FormData(data))
    form.validate()
    return form.errors


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"q_1_1": ["x" * 1001]}, "q_1_1", "Gebruik hoogstens 1000 tekens. Nu zijn het er 1001."),
        ({"q_1_2": ["x" * 100_001]}, "q_1_2", "Gebruik hoogstens 100000 tekens."),
        ({"q_1_3": ["c"]}, "q_1_3", fields.INVALID_CHOICE),
        ({"q_1_4": ["a", "geen"]}, "q_1_4", "'Geen van deze' kan niet samen met andere keuzes."),
        ({"q_1_7": ["nee"]}, "q_1_7", fields.INVALID_CHOICE),
        ({"q_1_8": ["31-02-2025"]}, "q_1_8", fields.INVALID_DATE),
        ({"q_1_9": ["2.5"]}, "q_1_9", fields.INVALID_INTEGER),
        ({"q_1_9": ["-1"]}, "q_1_9", "Vul een getal in van minstens 0."),
        ({"q_1_10": ["veel"]}, "q_1_10", fields.INVALID_NUMBER),
    ],
)
def test_format_errors_are_in_dutch(
    definition: Definition, data: dict[str, list[str]], field: str, message: str
) -> None:
    errors = errors_for(definition, data)
    assert any(text.startswith(message) for text in errors[field]), errors


def test_long_text_limit_is_exactly_100000(definition: Definition) -> None:
    assert errors_for(definition, {"q_1_2": ["x" * 100_000]}) == {}


def test_at_most_500_rows(definition: Definition) -> None:
    def rows(count: int) -> dict[str, list[str]]:
        return {f"q_1_13-{i}-row_id": [f"r{i:07d}"] for i in range(count)}

    assert errors_for(definition, rows(500)) == {}
    assert fields.TOO_MANY_ROWS.format(max=500) in errors_for(definition, rows(501))["q_1_13"]


def test_draft_accepts_incomplete_input(definition: Definition) -> None:
    form = make_section_form(definition, "1", {}, formdata=FormData({"q_1_1": ["Alleen dit"]}))
    answers = merge_section_answers(definition, "1", {}, form_to_answers(definition, "1", form))
    assert validate_section(form, definition, answers) is True


def test_strict_requires_visible_questions_only(definition: Definition) -> None:
    data = FormData({"q_1_5": ["nee"], "q_1_13-0-row_id": ["item0001"], "q_1_13-0-actief": ["ja"]})
    form = make_section_form(definition, "1", {}, formdata=data)
    answers = merge_section_answers(definition, "1", {}, form_to_answers(definition, "1", form))
    assert validate_section(form, definition, answers, strict=True) is False
    errors = form.errors
    assert errors["q_1_1"] == [fields.REQUIRED]
    assert "q_1_11" not in errors  # hidden: 1.5 is "nee"
    assert "q_1_2" not in errors  # optional
    assert "q_1_12_1" in errors  # member of a plain group
    row_errors = errors["q_1_13"][0]
    assert row_errors == {
        "naam": [fields.REQUIRED],
        "soort": [fields.REQUIRED],
        "toelichting": [fields.REQUIRED],
    }


def test_strict_on_an_empty_table_and_a_group(definition: Definition) -> None:
    form = make_section_form(
        definition,
        "2",
        {"1.13": ROWS},
        formdata=FormData({"q_2_2-0-operation": ["item0001"], "q_2_2-1-operation": ["item0002"]}),
    )
    answers = merge_section_answers(
        definition, "2", {"1.13": ROWS}, form_to_answers(definition, "2", form)
    )
    assert validate_section(form, definition, answers, strict=True) is False
    first = form.errors["q_2_2"][0]
    assert first["q_2_2_1"] == [fields.REQUIRED]
    assert first["q_2_2_2"] == [fields.ROWS_REQUIRED]


def test_strict_passes_when_complete(definition: Definition) -> None:
    form = make_section_form(definition, "1", ANSWERS)
    assert validate_section(form, definition, ANSWERS, strict=True), form.errors


@pytest.mark.parametrize(
    ("definition_id", "version", "section_id"),
    [
        (d.id, d.version, s.id)
        for d in (get_definition("prescan", "2.0"), get_definition("dpia", "3.0"))
        for s in d.user_sections
    ],
)
def test_every_real_section_builds_and_renders(
    definition_id: str, version: str, section_id: str
) -> None:
    real = get_definition(definition_id, version)
    form = make_section_form(real, section_id, {})
    assert all(str(field()) for field in form)
    assert form.validate()
    assert form_to_answers(real, section_id, form) == {}
