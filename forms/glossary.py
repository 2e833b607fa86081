"""Glossary links in help texts: `[[term]]` or `[[shown text|term]]`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forms.parsing.base import GLOSSARY_TERM


@dataclass(frozen=True)
class HelpPart:
    """A piece of help text; `term` is set when the piece links to the glossary."""

    text: str
    term: str | None = None
    explanation: str | None = None


def help_parts(text: str, glossary: Mapping[str, str]) -> tuple[HelpPart, ...]:
    """Split a help text into plain pieces and glossary links, for rendering."""
    parts: list[HelpPart] = []
    position = 0
    for match in GLOSSARY_TERM.finditer(text):
        if match.start() > position:
            parts.append(HelpPart(text[position : match.start()]))
        shown, _, term = match.group(1).rpartition("|")
        parts.append(HelpPart(shown or term, term, glossary.get(term)))
        position = match.end()
    if position < len(text):
        parts.append(HelpPart(text[position:]))
    return tuple(parts)


def plain_help(text: str) -> str:
    """The help text without glossary markup."""
    return "".join(part.text for part in help_parts(text, {}))


def help_terms(text: str) -> tuple[str, ...]:
    """The glossary terms a help text links to, in order, without repeats."""
    terms = [p.term for p in help_parts(text, {}) if p.term is not None]
    return tuple(dict.fromkeys(terms))
