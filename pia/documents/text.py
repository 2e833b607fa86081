"""Answers in words for documents: blocks of text and tables, section by section.

A block is a plain dict that every document template can loop over:
{"soort": "kop" | "tekst" | "tabel", "label", "tekst", "kolommen", "rijen"}.
Every key is always present (templates render with StrictUndefined).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.answers import table_rows
from forms.conditions import Scope, is_visible
from forms.model import Definition, Question, Section
from forms.options import operations
from pia.questionnaire_view import answer_text

NOT_ANSWERED = "Niet ingevuld."
NO_ROWS = "Geen regels."


def block(
    kind: str,
    label: str = "",
    text: str = "",
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> dict[str, Any]:
    """One block of a section."""
    return {
        "soort": kind,
        "label": label,
        "tekst": text,
        "kolommen": columns or [],
        "rijen": rows or [],
    }


def numbered(question: Question) -> str:
    """'2.1 Label' for numbered questions, the label alone for the rest (as on the pages)."""
    return (
        f"{question.id} {question.label}"
        if question.id.replace(".", "").isdigit()
        else question.label
    )


def table_cells(
    definition: Definition,
    table: Question,
    value: Any,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group: Mapping[str, Any] | None = None,
) -> list[list[str]]:
    """The rows of a table answer, each cell in words."""
    return [
        [
            answer_text(
                definition,
                column,
                row.get(column.id),
                answers,
                operation_id=operation_id,
                group=group,
            )
            for column in table.columns
        ]
        for row in table_rows(value)
    ]


def question_blocks(
    definition: Definition,
    question: Question,
    value: Any,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The blocks of one question (a group gives a heading and its members); none if hidden."""
    if not is_visible(question, Scope(answers, group)):
        return []
    if question.is_group and not question.is_repeated:
        blocks = [block("kop", numbered(question))]
        for child in question.questions:
            child_value = (group or answers).get(child.id)
            blocks += question_blocks(
                definition, child, child_value, answers, operation_id=operation_id, group=group
            )
        return blocks
    if question.is_repeated:
        instances = value if isinstance(value, Mapping) else {}
        blocks = [block("kop", numbered(question))]
        for operation in operations(definition, question, answers):
            instance = instances.get(operation.value)
            if not isinstance(instance, Mapping):
                continue
            blocks.append(block("kop", f"Verwerking: {operation.label}"))
            for child in question.questions:
                blocks += question_blocks(
                    definition,
                    child,
                    instance.get(child.id),
                    answers,
                    operation_id=operation.value,
                    group=instance,
                )
        if len(blocks) == 1:
            blocks.append(block("tekst", "", NOT_ANSWERED))
        return blocks
    if question.is_table:
        rows = table_cells(
            definition, question, value, answers, operation_id=operation_id, group=group
        )
        if not rows:
            return [block("tekst", numbered(question), NO_ROWS)]
        return [block("tabel", numbered(question), "", [c.label for c in question.columns], rows)]
    text = answer_text(definition, question, value, answers, operation_id=operation_id, group=group)
    return [block("tekst", numbered(question), text or NOT_ANSWERED)]


def section_blocks(
    definition: Definition, section: Section, answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every block of a section, in the order of the questionnaire."""
    blocks: list[dict[str, Any]] = []
    for question in section.questions:
        blocks += question_blocks(definition, question, answers.get(question.id), answers)
    return blocks


def lines(text: str) -> list[str]:
    """The non-empty lines of a text, trimmed (for fields typed one item per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
