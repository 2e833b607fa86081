"""The Invulhulpen mapping: every task of their three outlines is mapped or has a reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.invulhulp import load_mapping, mapping_for_urn, mapping_problems
from forms.loader import get_definition

OUTLINES = Path(__file__).parent / "data" / "invulhulp"
LINE = re.compile(r"^(?P<indent>\s*)(?P<id>\S+) \[(?P<type>[^\]]+)\] (?P<rest>.*)$")
FORMS = [("prescan", "prescan-2.0"), ("dpia", "dpia-3.0"), ("iama", "iama-2.0")]
MAPPED_KEYS = ("question", "column", "table", "per_operation", "join", "joined", "image")


def outline(form: str) -> dict[str, dict]:
    """Their outline file: task id -> type, repeatable, option values (possibly cut off)."""
    tasks = {}
    for line in (OUTLINES / f"{form}_outline.txt").read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if not match:
            continue
        rest = match["rest"]
        options = (
            rest.split(" opts=", 1)[1].removesuffix(" DEP").split("|") if " opts=" in rest else []
        )
        tasks[match["id"]] = {
            "type": match["type"],
            "repeatable": "REPEATABLE" in rest.split(" opts=")[0],
            "options": options,
        }
    return tasks


@pytest.mark.parametrize(("form", "name"), FORMS)
def test_every_task_of_their_outline_is_mapped_or_has_a_reason(form: str, name: str) -> None:
    mapping = load_mapping(name)
    tasks = outline(form)
    assert len(tasks) > 50
    assert sorted(set(tasks) - set(mapping.tasks)) == [], "tasks of theirs missing in the data"
    assert sorted(set(mapping.tasks) - set(tasks)) == [], "ids in the data that they do not have"
    for task_id, spec in mapping.tasks.items():
        if "not_mappable" in spec:
            assert len(str(spec["not_mappable"]).strip()) > 20, task_id
        else:
            assert "group" in spec or any(k in spec for k in MAPPED_KEYS), task_id


@pytest.mark.parametrize(("form", "name"), FORMS)
def test_the_mapping_fits_our_definition(form: str, name: str) -> None:
    mapping = load_mapping(name)
    definition = get_definition(*mapping.definition_key) if mapping.definition_key else None
    assert mapping_problems(mapping, definition) == []
    assert mapping_for_urn(mapping.urn) is mapping


@pytest.mark.parametrize(("form", "name"), FORMS[:2])
def test_repeating_groups_and_types_match_their_outline(form: str, name: str) -> None:
    mapping = load_mapping(name)
    for task_id, task in outline(form).items():
        spec = mapping.tasks[task_id]
        if "not_mappable" in spec:
            continue
        # A repeatable answer of its own (DPIA 5.1.1, 7.1.1) is a column of its parent's rows.
        own_rows = task["repeatable"] and task["type"] == "task_group"
        assert mapping.is_repeating(task_id) == own_rows, task_id
        if task["type"] == "task_group" and not task["repeatable"]:
            assert "group" in spec, task_id
        if task["type"] == "radio_option" and task["options"] in (
            ["True", "False"],
            ["False", "True"],
        ):
            assert spec.get("kind") == "yesno", task_id
        if task["type"] == "radio_option" and "None" in task["options"]:
            assert spec.get("kind") == "yesno_na", task_id
        if task["type"] in ("open_text", "text_input") and "source" not in spec:
            assert spec.get("kind") == "text", task_id
        if task["type"] == "image":
            assert spec.get("image"), task_id


@pytest.mark.parametrize(("form", "name"), FORMS[:2])
def test_every_option_value_of_theirs_is_mapped_or_explained(form: str, name: str) -> None:
    mapping = load_mapping(name)
    for task_id, task in outline(form).items():
        spec = mapping.tasks[task_id]
        if spec.get("kind") not in ("choice", "multichoice") or "source" in spec:
            continue
        known = [*(spec.get("options") or {}), *(spec.get("unmappable_options") or {})]
        for value in task["options"]:
            # The outline cuts long lines off: a listed value is the start of one of ours.
            assert any(k == value or k.startswith(value) for k in known), (task_id, value)
        assert len(known) >= len(task["options"]), task_id
        for reason in (spec.get("unmappable_options") or {}).values():
            assert len(reason) > 20


def test_a_wrong_mapping_is_caught() -> None:
    """The check is not empty: a question or option that we lack is named."""
    mapping = load_mapping("prescan-2.0")
    broken = dict(mapping.tasks)
    broken["0.4"] = {**broken["0.4"], "options": {"Rechtsgrond toestemming": "bestaat_niet"}}
    broken["0.2"] = {"question": "99.9", "kind": "text"}
    from dataclasses import replace

    problems = mapping_problems(replace(mapping, tasks=broken), get_definition("prescan", "2.0"))
    assert any("bestaat_niet" in p for p in problems)
    assert any("0.2" in p for p in problems)


def test_the_coverage_document_is_made_from_the_current_data() -> None:
    from forms.invulhulp.coverage import coverage_markdown

    document = Path(__file__).parents[1] / "docs" / "invulhulp-coverage.md"
    text = coverage_markdown()
    assert document.read_text(encoding="utf-8") == text, "run scripts/invulhulp_coverage.py"
    assert "Tasks: 210 — mapped 145, group 27, not mappable 38." in text
    assert "| 19.2 | Status | **niet over te nemen** |" in text
    assert "- 17.1.soort — Soort maatregel" in text
