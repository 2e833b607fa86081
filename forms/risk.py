"""Risks (§16) and measures (§17) of the DPIA model: risk matrix, override, residual risk.

The inherent risk level of a risk follows from the model's matrix of likelihood
(kans) and impact; the user may choose another level (column "risiconiveau"), with
the motivation as reason. A measure names the risks it addresses and the risk that
remains after it. Measures add up, so a risk's residual level is the lowest level
stated by the measures linked to it; a risk without such measures keeps its inherent
level. Prior consultation of the Autoriteit Persoonsgegevens (art. 36 GDPR) is
needed when any residual risk is high: a risk whose residual level is "hoog", or a
measure that states "hoog" as remaining risk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import ROW_ID, table_rows
from forms.conditions import effective_answers
from forms.loader import get_definition
from forms.model import Definition

LOW, MEDIUM, HIGH = "laag", "midden", "hoog"
LEVELS = (LOW, MEDIUM, HIGH)
LEVEL_COLOURS = {LOW: "groen", MEDIUM: "oranje", HIGH: "rood"}

# (kans, impact) -> risiconiveau, cell by cell as in the model's table
RISK_MATRIX: dict[tuple[str, str], str] = {
    (LOW, LOW): LOW,
    (MEDIUM, LOW): LOW,
    (HIGH, LOW): LOW,
    (LOW, MEDIUM): LOW,
    (MEDIUM, MEDIUM): MEDIUM,
    (HIGH, MEDIUM): HIGH,
    (LOW, HIGH): LOW,
    (MEDIUM, HIGH): HIGH,
    (HIGH, HIGH): HIGH,
}

RISKS = "16"
RISK_DESCRIPTION = "beschrijving"
RISK_LIKELIHOOD = "kans"
RISK_IMPACT = "impact"
RISK_LEVEL = "risiconiveau"
RISK_LEVEL_REASON = "risiconiveau_motivatie"
MEASURES = "17.1"
MEASURE_RISKS = "risicos"
MEASURE_RESIDUAL = "resterend_risico"

DPIA_ID, DPIA_VERSION = "dpia", "3.0"


def matrix_level(likelihood: str, impact: str) -> str:
    """The risk level the model's matrix gives for a likelihood and an impact."""
    return RISK_MATRIX[(likelihood, impact)]


@dataclass(frozen=True)
class RiskAssessment:
    """One risk of §16 with its inherent and residual level."""

    row_id: str
    description: str
    likelihood: str | None
    impact: str | None
    matrix_level: str | None
    chosen_level: str | None
    reason: str
    residual_level: str | None
    measure_ids: tuple[str, ...]

    @property
    def level(self) -> str | None:
        """The inherent risk level: the chosen level, else the matrix level."""
        return self.chosen_level or self.matrix_level

    @property
    def overridden(self) -> bool:
        """Whether the user chose a level other than the matrix gives."""
        return self.chosen_level is not None and self.chosen_level != self.matrix_level

    @property
    def colour(self) -> str | None:
        return LEVEL_COLOURS.get(self.level or "")


def _lowest(levels: list[str]) -> str | None:
    return min(levels, key=LEVELS.index) if levels else None


def _effective(answers: Mapping[str, Any], definition: Definition | None) -> dict[str, Any]:
    return effective_answers(definition or get_definition(DPIA_ID, DPIA_VERSION), answers)


def assess_risks(
    answers: Mapping[str, Any], definition: Definition | None = None
) -> tuple[RiskAssessment, ...]:
    """Every risk of §16 with matrix level, chosen level and residual level after measures."""
    effective = _effective(answers, definition)
    measures = table_rows(effective.get(MEASURES))
    result = []
    for row in table_rows(effective.get(RISKS)):
        likelihood, impact = row.get(RISK_LIKELIHOOD), row.get(RISK_IMPACT)
        matrix = matrix_level(likelihood, impact) if likelihood and impact else None
        chosen = row.get(RISK_LEVEL)
        linked = [m for m in measures if row[ROW_ID] in m.get(MEASURE_RISKS, [])]
        stated = [m[MEASURE_RESIDUAL] for m in linked if MEASURE_RESIDUAL in m]
        result.append(
            RiskAssessment(
                row_id=row[ROW_ID],
                description=row.get(RISK_DESCRIPTION, ""),
                likelihood=likelihood,
                impact=impact,
                matrix_level=matrix,
                chosen_level=chosen,
                reason=row.get(RISK_LEVEL_REASON, ""),
                residual_level=_lowest(stated) or chosen or matrix,
                measure_ids=tuple(m[ROW_ID] for m in linked),
            )
        )
    return tuple(result)


def needs_prior_consultation(
    answers: Mapping[str, Any], definition: Definition | None = None
) -> bool:
    """Whether any residual risk is high, so the AP must be consulted first (art. 36 GDPR)."""
    effective = _effective(answers, definition)
    if any(m.get(MEASURE_RESIDUAL) == HIGH for m in table_rows(effective.get(MEASURES))):
        return True
    return any(risk.residual_level == HIGH for risk in assess_risks(answers, definition))


def risk_problems(
    answers: Mapping[str, Any], definition: Definition | None = None
) -> tuple[str, ...]:
    """Points of attention in §16–17, in Dutch, for the overview page."""
    problems = []
    for risk in assess_risks(answers, definition):
        name = (
            f"Risico '{risk.description}'" if risk.description else "Een risico zonder beschrijving"
        )
        if risk.overridden and not risk.reason:
            problems.append(
                f"{name} heeft niveau {risk.chosen_level}, maar volgens de risicomatrix is het "
                f"{risk.matrix_level}. Leg in de motivatie uit waarom u afwijkt."
            )
        if risk.level == HIGH and not risk.measure_ids:
            problems.append(f"{name} is hoog, maar er is nog geen maatregel aan gekoppeld.")
    if needs_prior_consultation(answers, definition):
        problems.append(
            "Er blijft een hoog restrisico over. Vraag de Autoriteit Persoonsgegevens om advies "
            "voordat de verwerking begint (voorafgaande raadpleging, artikel 36 AVG)."
        )
    return tuple(problems)
