"""Aggregate outcome of several reviewers: many positions or decisions, one result."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from workflows.machine import WorkflowError


class Verdict(StrEnum):
    """A reviewer's conclusion on a three-step scale, from best to worst."""

    POSITIVE = "positive"
    CONDITIONAL = "conditional"
    NEGATIVE = "negative"


# The same scale is worded differently depending on who speaks.
ADVICE_LABELS: Mapping[Verdict, str] = {
    Verdict.POSITIVE: "positief",
    Verdict.CONDITIONAL: "positief met voorwaarden",
    Verdict.NEGATIVE: "negatief",
}
POSITION_LABELS: Mapping[Verdict, str] = {
    Verdict.POSITIVE: "akkoord",
    Verdict.CONDITIONAL: "akkoord met voorwaarden",
    Verdict.NEGATIVE: "bezwaar",
}
DECISION_LABELS: Mapping[Verdict, str] = {
    Verdict.POSITIVE: "goedgekeurd",
    Verdict.CONDITIONAL: "goedgekeurd met voorwaarden",
    Verdict.NEGATIVE: "afgewezen",
}

_ORDER = (Verdict.POSITIVE, Verdict.CONDITIONAL, Verdict.NEGATIVE)

Rule = Callable[[Sequence[Verdict]], Verdict]


def worst(verdicts: Sequence[Verdict]) -> Verdict:
    """One objection makes the whole negative; one condition makes it conditional."""
    return max(verdicts, key=_ORDER.index)


def majority(verdicts: Sequence[Verdict]) -> Verdict:
    """The most frequent verdict; a tie goes to the stricter one."""
    return max(_ORDER, key=lambda v: (verdicts.count(v), _ORDER.index(v)))


@dataclass(frozen=True)
class Outcome:
    """The combined result of several reviewers, with counts and who is still missing."""

    result: Verdict | None
    counts: Mapping[Verdict, int]
    by_verdict: Mapping[Verdict, tuple[str, ...]]
    missing: tuple[str, ...]
    expected: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when every expected reviewer has given a verdict."""
        return not self.missing

    @property
    def final(self) -> Verdict | None:
        """The result once complete; None while reviewers are missing."""
        return self.result if self.complete else None

    @property
    def given(self) -> int:
        """How many reviewers have given a verdict."""
        return len(self.expected) - len(self.missing)

    def summary(
        self,
        labels: Mapping[Verdict, str] = POSITION_LABELS,
        names: Mapping[str, str] | None = None,
    ) -> str:
        """Dutch summary, e.g. "2 van 3 gereageerd: 1 akkoord, 1 bezwaar; nog niet: BZK."."""
        names = names or {}
        parts = [f"{self.counts[v]} {labels[v]}" for v in _ORDER if self.counts[v]]
        text = f"{self.given} van {len(self.expected)} gereageerd"
        if parts:
            text += ": " + ", ".join(parts)
        if self.missing:
            text += "; nog niet: " + ", ".join(names.get(k, k) for k in self.missing)
        return text + "."


def _verdict(value: object) -> Verdict:
    """A Verdict from an enum member or its stored value."""
    try:
        return Verdict(value)
    except ValueError:
        raise WorkflowError(f"Onbekend oordeel {value!r}.") from None


def aggregate(
    expected: Iterable[str], given: Mapping[str, Verdict | None], rule: Rule = worst
) -> Outcome:
    """Combine the verdicts of the expected reviewers (keys, e.g. ministry codes) by a rule."""
    keys = tuple(dict.fromkeys(expected))
    unexpected = sorted(set(given) - set(keys))
    if unexpected:
        raise WorkflowError(f"Reactie van onbekende deelnemer(s): {', '.join(unexpected)}.")
    verdicts = {k: _verdict(given[k]) for k in keys if given.get(k) is not None}
    by_verdict = {v: tuple(k for k in keys if verdicts.get(k) == v) for v in _ORDER}
    return Outcome(
        result=rule(list(verdicts.values())) if verdicts else None,
        counts={v: len(by_verdict[v]) for v in _ORDER},
        by_verdict=by_verdict,
        missing=tuple(k for k in keys if k not in verdicts),
        expected=keys,
    )
