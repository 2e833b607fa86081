"""The rijksbreed privacyadvies (PAR) as a document: the context its template renders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def par_advice_context(
    *,
    meta: Mapping[str, str],
    advice: Mapping[str, Any],
    positions: Sequence[Mapping[str, str]],
    conditions: Sequence[Mapping[str, str]],
    decisions: Sequence[Mapping[str, str]],
    consent: Sequence[Mapping[str, str]],
) -> dict[str, Any]:
    """Everything the PAR advice template shows; plain strings, booleans and lists only."""
    return {
        **meta,
        "par": dict(advice),
        "standpunten": [dict(p) for p in positions],
        "voorwaarden": [dict(c) for c in conditions],
        "besluiten": [dict(d) for d in decisions],
        "instemming": [dict(d) for d in consent],
    }
