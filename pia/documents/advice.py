"""The FG's advice as a document: the context its template renders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def advice_context(
    *,
    meta: Mapping[str, str],
    conclusion: str,
    reasoning: str,
    fg_name: str,
    fg_function: str,
    given_on: str,
    version: str,
    version_date: str,
    findings: Sequence[tuple[str, str]],
    recommendations: Sequence[Mapping[str, str]],
    processed_in: str,
) -> dict[str, Any]:
    """Everything the advice template shows; plain strings and lists only."""
    return {
        **meta,
        "advies": {
            "conclusie": conclusion,
            "onderbouwing": reasoning,
            "fg_naam": fg_name,
            "fg_functie": fg_function,
            "datum": given_on,
            "versie": version,
            "versie_datum": version_date,
            "verwerkt_in": processed_in,
        },
        "bevindingen": [{"onderdeel": part, "tekst": text} for part, text in findings],
        "aanbevelingen": [dict(r) for r in recommendations],
    }
