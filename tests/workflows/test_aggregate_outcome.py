"""Many reviewers, one result: the aggregate outcome helper."""

import pytest

from workflows.errors import WorkflowError
from workflows.outcome import (
    ADVICE_LABELS,
    DECISION_LABELS,
    POSITION_LABELS,
    Verdict,
    aggregate,
    majority,
)

P, C, N = Verdict.POSITIVE, Verdict.CONDITIONAL, Verdict.NEGATIVE
MINISTRIES = ("AZ", "BZK", "Fin", "JenV")


@pytest.mark.parametrize(
    ("given", "result"),
    [
        ({"AZ": P, "BZK": P, "Fin": P, "JenV": P}, P),
        ({"AZ": P, "BZK": C, "Fin": P, "JenV": P}, C),
        ({"AZ": P, "BZK": C, "Fin": N, "JenV": P}, N),
        ({"AZ": N, "BZK": N, "Fin": N, "JenV": N}, N),
    ],
)
def test_the_strictest_position_decides_by_default(given: dict, result: Verdict) -> None:
    outcome = aggregate(MINISTRIES, given)
    assert outcome.complete
    assert outcome.result == outcome.final == result
    assert sum(outcome.counts.values()) == 4


def test_missing_reviewers_are_listed_in_order_and_the_result_is_provisional() -> None:
    outcome = aggregate(MINISTRIES, {"Fin": C, "AZ": P, "JenV": None})
    assert outcome.missing == ("BZK", "JenV")
    assert not outcome.complete
    assert outcome.result == C
    assert outcome.final is None
    assert outcome.given == 2
    assert outcome.counts == {P: 1, C: 1, N: 0}
    assert outcome.by_verdict == {P: ("AZ",), C: ("Fin",), N: ()}


def test_nobody_answered_yet() -> None:
    outcome = aggregate(MINISTRIES, {})
    assert outcome.result is None
    assert outcome.missing == MINISTRIES
    assert outcome.summary() == "0 van 4 gereageerd; nog niet: AZ, BZK, Fin, JenV."


def test_no_reviewers_expected_is_complete_without_result() -> None:
    outcome = aggregate((), {})
    assert outcome.complete and outcome.result is None


def test_summary_in_dutch_with_chosen_labels_and_names() -> None:
    outcome = aggregate(MINISTRIES, {"AZ": P, "BZK": C, "Fin": N})
    assert outcome.summary() == (
        "3 van 4 gereageerd: 1 akkoord, 1 akkoord met voorwaarden, 1 bezwaar; nog niet: JenV."
    )
    names = {"JenV": "Justitie en Veiligheid"}
    assert outcome.summary(DECISION_LABELS, names) == (
        "3 van 4 gereageerd: 1 goedgekeurd, 1 goedgekeurd met voorwaarden, 1 afgewezen; "
        "nog niet: Justitie en Veiligheid."
    )


def test_label_sets_cover_the_scale() -> None:
    for labels in (ADVICE_LABELS, POSITION_LABELS, DECISION_LABELS):
        assert set(labels) == set(Verdict)
    assert ADVICE_LABELS[C] == "positief met voorwaarden"


def test_stored_values_are_accepted_and_unknown_ones_refused() -> None:
    assert aggregate(("AZ",), {"AZ": "negative"}).result == N
    with pytest.raises(WorkflowError, match="Onbekend oordeel 'misschien'"):
        aggregate(("AZ",), {"AZ": "misschien"})


def test_a_reviewer_who_was_not_asked_is_refused() -> None:
    with pytest.raises(WorkflowError, match="onbekende deelnemer\\(s\\): VWS"):
        aggregate(MINISTRIES, {"VWS": P})


def test_duplicates_in_expected_count_once() -> None:
    assert aggregate(("AZ", "AZ"), {"AZ": P}).expected == ("AZ",)


@pytest.mark.parametrize(
    ("verdicts", "result"),
    [([P, P, N], P), ([P, N, N], N), ([P, C], C), ([P, C, N], N), ([C, C, N, N], N)],
)
def test_majority_rule_with_ties_to_the_stricter(verdicts: list, result: Verdict) -> None:
    keys = tuple(str(i) for i in range(len(verdicts)))
    assert aggregate(keys, dict(zip(keys, verdicts, strict=True)), majority).result == result
