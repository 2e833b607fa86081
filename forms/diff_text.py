"""The words of an answers diff: answers in words, counts in Dutch, a word-level text diff."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from forms.answers import NOT_APPLICABLE, is_answered
from forms.model import Definition, FieldType, Question
from forms.options import OptionCache

Kind = Literal["toegevoegd", "verwijderd", "gewijzigd"]
ADDED: Kind = "toegevoegd"
REMOVED: Kind = "verwijderd"
CHANGED: Kind = "gewijzigd"
TextOp = Literal["equal", "insert", "delete"]
VANISHED_CHOICE = "(vervallen keuze)"

# A word with the whitespace after it, or whitespace at the very start: joined, the
# tokens give back the text exactly, and a changed word does not split on spaces.
_WORD = re.compile(r"^\s+|\S+\s*")
_EXACT_WORD_PAIRS = 250_000


def answer_words(
    definition: Definition,
    question: Question,
    value: Any,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group: Mapping[str, Any] | None = None,
    cache: OptionCache | None = None,
) -> str:
    """A single (non-table) answer in words: option labels, Ja/Nee, dates as d-m-jjjj."""
    if not is_answered(value):
        return ""
    kind = question.type
    if kind in (FieldType.YESNO, FieldType.YESNO_NA):
        if isinstance(value, bool):
            return "Ja" if value else "Nee"
        if value == NOT_APPLICABLE:
            return "Niet van toepassing"
    elif question.is_choice:
        labels = (cache or OptionCache()).labels(
            definition, question, answers, operation_id=operation_id, group_answers=group
        )
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(
            labels.get(v, VANISHED_CHOICE) if isinstance(v, str) else VANISHED_CHOICE
            for v in chosen
        )
    elif kind is FieldType.NUMBER and isinstance(value, float):
        return str(value).replace(".", ",")
    elif kind is FieldType.DATE and isinstance(value, str):
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            return value
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return value if isinstance(value, str) else str(value)


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
"""A date answer reads as the app writes dates everywhere: '2 december 2026'."""


@dataclass(frozen=True)
class DiffCounts:
    """How many questions and table rows were added, removed or changed (at any depth)."""

    questions_changed: int = 0
    questions_added: int = 0
    questions_removed: int = 0
    rows_added: int = 0
    rows_changed: int = 0
    rows_removed: int = 0

    @property
    def summary(self) -> str:
        """The counts in Dutch: "3 vragen gewijzigd, 2 regels toegevoegd en 1 regel verwijderd"."""
        parts = [
            _counted(self.questions_changed, "vraag", "vragen", CHANGED),
            _counted(self.questions_added, "vraag", "vragen", ADDED),
            _counted(self.questions_removed, "vraag", "vragen", REMOVED),
            _counted(self.rows_added, "regel", "regels", ADDED),
            _counted(self.rows_changed, "regel", "regels", CHANGED),
            _counted(self.rows_removed, "regel", "regels", REMOVED),
        ]
        parts = [part for part in parts if part]
        if not parts:
            return "Geen wijzigingen"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def text_diff(old: str, new: str) -> list[tuple[TextOp, str]]:
    """Word-level changes from old to new; equal+delete parts give old, equal+insert new."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts: list[tuple[TextOp, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag == "equal":
            _append(parts, "equal", before[i1:i2])
        else:
            _word_diff(parts, "".join(before[i1:i2]), "".join(after[j1:j2]))
    return parts


def _word_diff(parts: list[tuple[TextOp, str]], old: str, new: str) -> None:
    """Add the word-level changes of a block of changed lines to parts."""
    before, after = _WORD.findall(old), _WORD.findall(new)
    # Exact matching is quadratic in the words: fine for paragraphs; for longer blocks
    # difflib's heuristic (frequent words are not used as anchors) keeps it fast.
    exact = len(before) * len(after) <= _EXACT_WORD_PAIRS
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=not exact)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(parts, "equal", before[i1:i2])
        else:
            _append(parts, "delete", before[i1:i2])
            _append(parts, "insert", after[j1:j2])


def _append(parts: list[tuple[TextOp, str]], op: TextOp, words: list[str]) -> None:
    """Add words to the last part when it has the same op, else as a new part."""
    text = "".join(words)
    if not text:
        return
    if parts and parts[-1][0] == op:
        parts[-1] = (op, parts[-1][1] + text)
    else:
        parts.append((op, text))


def _counted(number: int, singular: str, plural: str, kind: Kind) -> str:
    return f"{number} {singular if number == 1 else plural} {kind}" if number else ""
