"""Whether a document has the shape of their assessment output v2; problems in Dutch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.invulhulp import PRESCAN_ANSWERS, SCHEMA_URL, URN_SHAPE

TOP_LEVEL = frozenset({"$schema", "metadata", "answers", PRESCAN_ANSWERS})
MAX_PROBLEMS = 30


def looks_like_theirs(document: Any) -> bool:
    """A file from the Invulhulpen (rather than our own export)."""
    return (
        isinstance(document, Mapping)
        and ("answers" in document or "$schema" in document or "metadata" in document)
        and "formaat" not in document
    )


def document_problems(document: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if document.get("$schema") != SCHEMA_URL:
        problems.append(
            "Het veld ‘$schema’ ontbreekt of noemt een ander formaat dan ‘assessment output v2’ "
            "van de Invulhulpen."
        )
    for key in document:
        if key not in TOP_LEVEL:
            problems.append(f"Onbekend onderdeel ‘{key}’ bovenaan in het bestand.")
    metadata = document.get("metadata")
    if not isinstance(metadata, Mapping):
        problems.append("Het onderdeel ‘metadata’ ontbreekt of heeft niet de goede vorm.")
    else:
        urn = metadata.get("urn")
        if not isinstance(urn, str) or not URN_SHAPE.match(urn):
            problems.append(
                "In ‘metadata’ ontbreekt de vragenlijst (‘urn’), of die heeft niet de goede vorm."
            )
        if not isinstance(metadata.get("createdAt"), str):
            problems.append("In ‘metadata’ ontbreekt de datum van het bestand (‘createdAt’).")
    for part in ("answers", PRESCAN_ANSWERS):
        if part not in document and part == PRESCAN_ANSWERS:
            continue
        answers = document.get(part)
        name = "de antwoorden" if part == "answers" else "de antwoorden van de pre-scan"
        if not isinstance(answers, Mapping):
            problems.append(f"Het onderdeel ‘{part}’ met {name} ontbreekt of is geen object.")
            continue
        for key, item in answers.items():
            problems += [f"{name.capitalize()}, vraag {key}: {p}" for p in _item_problems(item)]
    return problems[:MAX_PROBLEMS]


def _item_problems(item: Any) -> list[str]:
    if isinstance(item, list):
        problems, seen = [], set()
        for number, element in enumerate(item, start=1):
            if not isinstance(element, Mapping):
                problems.append(f"regel {number} is geen object.")
                continue
            index = element.get("_index")
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                problems.append(f"regel {number} heeft geen geldig volgnummer (‘_index’).")
            elif index in seen:
                problems.append(f"het volgnummer {index} komt twee keer voor.")
            else:
                seen.add(index)
            for child, cell in element.items():
                if child == "_index" or (isinstance(cell, int) and not isinstance(cell, bool)):
                    continue
                problems += [f"regel {number}, vraag {child}: {p}" for p in _answer_problems(cell)]
        return problems
    return _answer_problems(item)


def _answer_problems(answer: Any) -> list[str]:
    if not isinstance(answer, Mapping) or "value" not in answer:
        return ['het antwoord heeft niet de vorm {"value": …, "lastEditedAt": …}.']
    problems = []
    if not isinstance(answer.get("lastEditedAt"), str):
        problems.append("de datum van het antwoord (‘lastEditedAt’) ontbreekt.")
    value = answer["value"]
    if value is None or isinstance(value, str):
        return problems
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            problems.append("een lijst met keuzes mag alleen tekst bevatten.")
        return problems
    if isinstance(value, Mapping):
        if not isinstance(value.get("data"), str) or not value["data"].startswith("data:image/"):
            problems.append("een afbeelding moet een data-URL (‘data:image/…’) hebben.")
        extra = set(value) - {"data", "title", "description", "source"}
        if extra:
            problems.append(f"de afbeelding heeft onbekende velden: {', '.join(sorted(extra))}.")
        return problems
    problems.append("het antwoord is geen tekst, lijst, afbeelding of leeg.")
    return problems
