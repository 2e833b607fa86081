"""Answers in words for documents: blocks of text and tables, section by section.

A block is a plain dict that every document template can loop over:
{"soort": "kop" | "tekst" | "tabel" | "kaarten", "label", "tekst", "kolommen", "rijen",
"kaarten"} ("kaarten": a wide table as one {"titel", "velden"} per row, in the report).
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
# A table with more columns than this reads badly on a page: each row becomes a card.
MAX_COLUMNS = 4
# The column that names a row, when it is not the first (§17's first column is its risks).
TITLE_COLUMNS = ("naam", "persoonsgegeven", "beschrijving", "maatregel")


def block(
    kind: str,
    label: str = "",
    text: str = "",
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
    cards: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One block of a section."""
    return {
        "soort": kind,
        "label": label,
        "tekst": text,
        "kolommen": columns or [],
        "rijen": rows or [],
        "kaarten": cards or [],
    }


def cards_of(columns: list[str], rows: list[list[str]], title: int = 0) -> list[dict[str, Any]]:
    """A wide table per row: one cell as its title, the other filled cells as fields."""
    return [
        {
            "titel": row[title] or "(zonder naam)",
            "velden": [
                {"veld": label, "waarde": value}
                for index, (label, value) in enumerate(zip(columns, row, strict=True))
                if value and index != title
            ],
        }
        for row in rows
    ]


class Missing:
    """Where a report collects the required questions without an answer (its annex)."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.items: list[dict[str, str]] = []

    def add(self, question: Question, operation: str | None) -> None:
        if question.required:
            label = numbered(question)
            where = f" (verwerking {operation})" if operation else ""
            self.items.append({"onderdeel": self.section, "vraag": label + where})


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
    missing: Missing | None = None,
    operation_label: str | None = None,
) -> list[dict[str, Any]]:
    """The blocks of one question (a group gives a heading and its members); none if hidden.

    With `missing` (the report) an unanswered question gives no block but a line in the
    annex, a group with nothing answered disappears, and wide tables become cards.
    """
    if not is_visible(question, Scope(answers, group)):
        return []
    more = {"missing": missing}
    if question.is_group and not question.is_repeated:
        blocks = []
        for child in question.questions:
            child_value = (group or answers).get(child.id)
            blocks += question_blocks(
                definition,
                child,
                child_value,
                answers,
                operation_id=operation_id,
                group=group,
                operation_label=operation_label,
                **more,
            )
        if missing is not None and not blocks:
            return []
        return [block("kop", numbered(question)), *blocks]
    if question.is_repeated:
        instances = value if isinstance(value, Mapping) else {}
        blocks = [block("kop", numbered(question))]
        for operation in operations(definition, question, answers):
            instance = instances.get(operation.value)
            if not isinstance(instance, Mapping):
                if missing is not None:
                    missing.add(question, operation.label)
                continue
            inner = []
            for child in question.questions:
                inner += question_blocks(
                    definition,
                    child,
                    instance.get(child.id),
                    answers,
                    operation_id=operation.value,
                    group=instance,
                    operation_label=operation.label,
                    **more,
                )
            if inner or missing is None:
                blocks += [block("kop", f"Verwerking: {operation.label}"), *inner]
        if len(blocks) == 1:
            if missing is not None:
                return []
            blocks.append(block("tekst", "", NOT_ANSWERED))
        return blocks
    if question.is_table:
        rows = table_cells(
            definition, question, value, answers, operation_id=operation_id, group=group
        )
        if not rows:
            if missing is not None:
                missing.add(question, operation_label)
                return []
            return [block("tekst", numbered(question), NO_ROWS)]
        columns = [c.label for c in question.columns]
        if missing is not None and len(columns) > MAX_COLUMNS:
            ids = [c.id for c in question.columns]
            title = next((ids.index(i) for i in TITLE_COLUMNS if i in ids), 0)
            cards = cards_of(columns, rows, title)
            return [block("kaarten", numbered(question), "", [columns[title]], rows, cards)]
        return [block("tabel", numbered(question), "", columns, rows)]
    text = answer_text(definition, question, value, answers, operation_id=operation_id, group=group)
    if not text and missing is not None:
        missing.add(question, operation_label)
        return []
    return [block("tekst", numbered(question), text or NOT_ANSWERED)]


def section_blocks(
    definition: Definition,
    section: Section,
    answers: Mapping[str, Any],
    missing: Missing | None = None,
) -> list[dict[str, Any]]:
    """Every block of a section, in the order of the questionnaire.

    For the report (`missing` given) the question that is the whole section (its id is
    the section's, like "16 Risico's" in "16. Risico's") gets no label of its own: the
    section's heading says it once.
    """
    blocks: list[dict[str, Any]] = []
    for question in section.questions:
        found = question_blocks(
            definition, question, answers.get(question.id), answers, missing=missing
        )
        if missing is not None:
            for item in found:
                if item["label"] == numbered(question) and (
                    question.id == section.id or question.label == section.title
                ):
                    item["label"] = ""
            found = [b for b in found if b["soort"] != "kop" or b["label"]]
        blocks += found
    return blocks


def lines(text: str) -> list[str]:
    """The non-empty lines of a text, trimmed (for fields typed one item per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
