"""What reading their file gives: our answers, the notes, the images, the problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.answers import Answers
from forms.invulhulp.values import Image


@dataclass(frozen=True)
class Note:
    """An answer of theirs that did not come across: where (in words), their value, why."""

    part: str
    where: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"deel": self.part, "vraag": self.where, "waarde": self.value, "reden": self.reason}


@dataclass
class Reading:
    answers: Answers = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    # (where, the image, the id of our row in §1 that names it)
    images: list[tuple[str, Image, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def ordered(elements: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(elements, key=lambda e: e["_index"])


def present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | dict):
        return len(value) > 0
    return True
