"""The DPIA risk matrix, overrides, residual risk and prior consultation."""

from __future__ import annotations

from typing import Any

import pytest

from forms import risk
from forms.loader import get_definition
from forms.risk import assess_risks, matrix_level, needs_prior_consultation, risk_problems

DPIA = get_definition("dpia", "3.0")


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        ("laag", "laag", "laag"),
        ("midden", "laag", "laag"),
        ("hoog", "laag", "laag"),
        ("laag", "midden", "laag"),
        ("midden", "midden", "midden"),
        ("hoog", "midden", "hoog"),
        ("laag", "hoog", "laag"),
        ("midden", "hoog", "hoog"),
        ("hoog", "hoog", "hoog"),
    ],
)
def test_all_nine_cells(likelihood: str, impact: str, level: str) -> None:
    assert matrix_level(likelihood, impact) == level


def test_matrix_has_exactly_nine_cells() -> None:
    assert len(risk.RISK_MATRIX) == 9
    assert set(risk.RISK_MATRIX.values()) == set(risk.LEVELS)


def test_column_ids_exist_in_the_definition() -> None:
    risks = DPIA.question(risk.RISKS)
    for column in (
        risk.RISK_DESCRIPTION,
        risk.RISK_LIKELIHOOD,
        risk.RISK_IMPACT,
        risk.RISK_LEVEL,
        risk.RISK_LEVEL_REASON,
    ):
        risks.column(column)
    measures = DPIA.question(risk.MEASURES)
    measures.column(risk.MEASURE_RISKS)
    assert [o.value for o in measures.column(risk.MEASURE_RESIDUAL).options] == list(risk.LEVELS)


R1, R2, M1, M2 = "risico01", "risico02", "maatrgl1", "maatrgl2"


def answers(
    *, level: str | None = None, reason: str = "", measures: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    first = {"_id": R1, "beschrijving": "Discriminatie", "kans": "midden", "impact": "hoog"}
    if level:
        first["risiconiveau"] = level
    if reason:
        first["risiconiveau_motivatie"] = reason
    second = {"_id": R2, "beschrijving": "Datalek", "kans": "laag", "impact": "midden"}
    return {"16": [first, second], "17.1": measures or []}


def measure(row_id: str, risks: list[str], residual: str) -> dict[str, Any]:
    return {"_id": row_id, "risicos": risks, "maatregel": "Iets", "resterend_risico": residual}


def test_inherent_level_follows_the_matrix() -> None:
    first, second = assess_risks(answers())
    assert (first.matrix_level, first.level, first.overridden, first.colour) == (
        "hoog",
        "hoog",
        False,
        "rood",
    )
    assert (second.level, second.colour) == ("laag", "groen")


def test_override_with_reason() -> None:
    first, _ = assess_risks(answers(level="midden", reason="Kleine groep, korte duur."))
    assert (first.matrix_level, first.chosen_level, first.level) == ("hoog", "midden", "midden")
    assert first.overridden and first.reason == "Kleine groep, korte duur."
    same, _ = assess_risks(answers(level="hoog"))
    assert not same.overridden


def test_override_without_reason_is_a_problem() -> None:
    problems = risk_problems(answers(level="laag"))
    assert any("volgens de risicomatrix is het hoog" in p for p in problems)
    assert not any("risicomatrix" in p for p in risk_problems(answers(level="laag", reason="Zo.")))


def test_residual_risk_is_the_lowest_after_linked_measures() -> None:
    data = answers(measures=[measure(M1, [R1], "midden"), measure(M2, [R1, R2], "laag")])
    first, second = assess_risks(data)
    assert first.residual_level == "laag" and first.measure_ids == (M1, M2)
    assert second.residual_level == "laag"


def test_risk_without_measures_keeps_its_inherent_level() -> None:
    first, second = assess_risks(answers(measures=[measure(M1, [R2], "laag")]))
    assert first.residual_level == "hoog" and first.measure_ids == ()
    assert any("nog geen maatregel" in p for p in risk_problems(answers()))


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        ([], True),  # R1 is high and has no measure
        ([measure(M1, [R1], "midden")], False),
        ([measure(M1, [R1], "hoog")], True),
        ([measure(M1, [R1], "midden"), measure(M2, [R2], "hoog")], True),
    ],
)
def test_prior_consultation_when_any_residual_risk_is_high(
    measures: list[dict[str, Any]], expected: bool
) -> None:
    data = answers(measures=measures)
    assert needs_prior_consultation(data) is expected
    assert any("Autoriteit Persoonsgegevens" in p for p in risk_problems(data)) is expected


def test_no_risks_no_consultation() -> None:
    assert needs_prior_consultation({}) is False
    assert assess_risks({}) == ()


def test_stale_links_to_removed_risks_do_not_count() -> None:
    data = answers(measures=[measure(M1, ["weggehaald"], "hoog")])
    data["16"] = [row for row in data["16"] if row["_id"] == R2]
    (assessment,) = assess_risks(data)
    assert assessment.measure_ids == ()
    # the measure still states a high remaining risk, so the AP must still be consulted
    assert needs_prior_consultation(data) is True
