"""Shared state and helpers of the definition parser."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NoReturn

from forms.model import DefinitionError, Question

GLOSSARY_TERM = re.compile(r"\[\[([^\[\]]+)\]\]")


class ParserBase:
    """What every part of the parser shares: the file name, the glossary, what is seen."""

    def __init__(self, source: str, glossary: Mapping[str, str]) -> None:
        self.source = source
        self.glossary = glossary
        self.all_ids: set[str] = set()
        self.all_tables: dict[str, set[str]] = {}
        self.declared: set[str] = set()
        self.section_ids: set[str] = set()
        self.order: list[str] = []
        self.seen: dict[str, Question] = {}
        self.parents: dict[str, str] = {}
        self.repeated_in: dict[str, str] = {}  # question id -> per-operation group id

    def fail(self, where: str, message: str) -> NoReturn:
        raise DefinitionError(f"{self.source}: {where}: {message}")

    def text(self, raw: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, f"'{key}' must be a{' non-empty' if required else ''} string")
        for match in GLOSSARY_TERM.findall(value):
            term = match.rpartition("|")[2]  # [[shown text|term]] or [[term]]
            if term not in self.glossary:
                self.fail(where, f"'{key}' uses glossary term [[{term}]], which is not defined")
        return value.strip()
