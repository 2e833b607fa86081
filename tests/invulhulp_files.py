"""Files in the Invulhulpen format (assessment output v2), built from their outlines.

`full_answers(mapping)` gives a valid answer to every task the mapping places, in every
repeating and nested group: two filled rows with an empty row and an index gap between
them, and for per-operation tasks a third row that belongs to the second operation by
the index rule. Wrong things are added by the tests themselves.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from forms.invulhulp import SCHEMA_URL, FormMapping, load_mapping

EDITED = "2026-11-20T09:30:00Z"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
OPERATION_INDEXES = (0, 3)  # their 3.1 rows: a gap where rows 1 and 2 were deleted


def answer(value: Any) -> dict[str, Any]:
    return {"value": value, "lastEditedAt": EDITED, "lastEditedBy": "Invuller"}


def data_url(data: bytes, mimetype: str = "image/png") -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode()}"


def text_for(task_id: str, row: int | None = None) -> str:
    return f"Tekst {task_id}" + (f" regel {row}" if row is not None else "")


def _source_task(mapping: FormMapping, source: str) -> str:
    """Their task whose row texts a checkbox of theirs names (e.g. 2.persoonsgegeven → 2.1.1)."""
    table_id, column_id = source.rsplit(".", 1)
    for task_id, spec in mapping.tasks.items():
        parent = mapping.parent(task_id)
        if (
            spec.get("column") == column_id
            and parent
            and mapping.tasks[parent].get("table") == table_id
        ):
            return task_id
    raise AssertionError(source)


def valid_value(mapping: FormMapping, task_id: str, row: int | None = None) -> Any:
    spec = mapping.tasks[task_id]
    if spec.get("image"):
        return {"data": data_url(PNG), "title": f"Schema {row}", "source": "Intranet"}
    if "source" in spec:
        # the first row of the source table (its text in row 0)
        text = text_for(_source_task(mapping, spec["source"]), 0)
        return text if spec.get("kind") == "choice" else [text]
    kind = spec.get("kind")
    if kind == "yesno":
        return "true"
    if kind == "yesno_na":
        return "null"
    if kind == "choice":
        return next(iter(spec["options"]))
    if kind == "multichoice":
        return list(spec["options"])[:2]
    return text_for(task_id, row)


def _rows(mapping: FormMapping, task_id: str, indexes: list[int]) -> list[dict[str, Any]]:
    children = mapping.children(task_id)
    elements = []
    for index in indexes:
        element: dict[str, Any] = {"_index": index}
        for child in children:
            if not mapping.is_repeating(child) and "not_mappable" not in mapping.tasks[child]:
                element[child] = answer(valid_value(mapping, child, index))
        elements.append(element)
    elements.insert(1, {"_index": indexes[0] + 1})  # an empty row
    return elements


def full_answers(mapping: FormMapping) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for task_id, spec in mapping.tasks.items():
        parent = mapping.parent(task_id)
        inside = parent is not None and mapping.is_repeating(parent)
        if "not_mappable" in spec or "group" in spec or spec.get("joined"):
            continue
        if inside and not mapping.is_repeating(task_id):
            continue  # a cell: made with its rows
        if spec.get("operations"):
            answers[task_id] = _rows(mapping, task_id, list(OPERATION_INDEXES))
        elif "join" in spec:
            child = mapping.children(task_id)[0]
            answers[task_id] = [
                {"_index": 0, child: answer("https://wiki/samenhang")},
                {"_index": 2, child: answer("https://wiki/samenhang-2")},
            ]
        elif "per_operation" in spec and "table" not in spec:
            answers[task_id] = [{"_index": i} for i in OPERATION_INDEXES]
        elif "table" in spec:
            per_operation = "per_operation" in spec or (
                parent and "per_operation" in mapping.tasks[parent]
            )
            # rows 0 and 3 sit on the operations; 4 belongs to the second by the index rule
            answers[task_id] = _rows(mapping, task_id, [0, 3, 4] if per_operation else [0, 2])
        else:
            answers[task_id] = answer(valid_value(mapping, task_id))
    return answers


def document(urn: str, answers: dict[str, Any], prescan: dict | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "metadata": {"urn": urn, "createdAt": EDITED, "completedTasks": ["0", "1"]},
        "answers": copy.deepcopy(answers),
    }
    if prescan is not None:
        result["_prescanAnswers"] = copy.deepcopy(prescan)
    return result


def dpia_with_prescan() -> dict[str, Any]:
    return document(
        "urn:nl:dpia:3.0",
        full_answers(load_mapping("dpia-3.0")),
        full_answers(load_mapping("prescan-2.0")),
    )
