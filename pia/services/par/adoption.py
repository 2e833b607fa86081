"""After the PAR advice is established: the initiator's follow-up of its conditions.

Designation, the offer, the signatures and the adoption itself are the departmental
route's (pia.services.review.designation/adoption); this module gives them the facts of
the PAR advice instead of an FG advice (workflows.par, the adoption rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from pia.models import Assessment, ParTrajectory, User
from pia.models import Response as FollowUp
from pia.permissions import access
from pia.services import audit
from pia.services.assessments import AssessmentError, claim_write
from workflows.outcome import Verdict


@dataclass(frozen=True)
class ConditionRow:
    """One numbered condition of the advice with what the initiator did with it."""

    number: int
    text: str
    ministries: tuple[str, ...]
    response: str
    explanation: str

    @property
    def response_label(self) -> str:
        return FollowUp(self.response).label if self.response else "Nog niet verwerkt"


def conditions(found: ParTrajectory | None) -> list[ConditionRow]:
    """The advice's conditions, numbered from 1, with their recorded follow-up."""
    if found is None:
        return []
    done = found.condition_follow_up or {}
    rows = []
    for number, condition in enumerate(found.advice_conditions or [], start=1):
        recorded = done.get(str(number)) or {}
        rows.append(
            ConditionRow(
                number=number,
                text=str(condition.get("text", "")),
                ministries=tuple(condition.get("ministries") or ()),
                response=str(recorded.get("response") or ""),
                explanation=str(recorded.get("explanation") or ""),
            )
        )
    return rows


def conditions_processed(found: ParTrajectory | None) -> bool:
    """Every condition has a recorded follow-up (true when there are none)."""
    return all(c.response for c in conditions(found))


def deviates(found: ParTrajectory | None) -> bool:
    """The advice is negative, or a condition was not adopted: signing needs a reason."""
    if found is None:
        return False
    if found.advice_conclusion == Verdict.NEGATIVE.value:
        return True
    return any(c.response == FollowUp.NOT_ADOPTED for c in conditions(found))


def record_condition_follow_up(
    assessment: Assessment, found: ParTrajectory, actor: User, values: dict[int, tuple[str, str]]
) -> int:
    """The initiator records per condition: adopted, or not adopted and why. The count
    of conditions whose follow-up changed."""
    if not access(actor, assessment).may_process_par_conditions:
        raise AssessmentError("U kunt de opvolging van de voorwaarden nu niet vastleggen.")
    known = {c.number: c for c in conditions(found)}
    recorded = dict(found.condition_follow_up or {})
    changed = 0
    for number, (response, explanation) in values.items():
        if number not in known:
            continue
        if response not in ("", *(r.value for r in FollowUp)):
            raise AssessmentError("Kies overgenomen of niet overgenomen.")
        if response == FollowUp.NOT_ADOPTED and not explanation.strip():
            raise AssessmentError(f"Geef de reden waarom voorwaarde {number} niet is overgenomen.")
        old = known[number]
        if (old.response, old.explanation) == (response, explanation.strip()):
            continue
        recorded[str(number)] = {"response": response, "explanation": explanation.strip()}
        changed += 1
    if not changed:
        return 0
    claim_write(assessment)
    found.condition_follow_up = recorded
    audit.record(
        "par.conditions_processed",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Opvolging van de voorwaarden van het rijksbrede advies over "
        f"“{assessment.title}” vastgelegd",
        details={"follow_up": recorded},
    )
    return changed
