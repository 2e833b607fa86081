"""The PAR machine in the app: the facts for one user, the options, moving state."""

from __future__ import annotations

from datetime import date

from flask import url_for

from pia.models import Assessment, DecisionKind, User
from pia.permissions import access
from pia.services import audit, figures
from pia.services.assessments import claim_write
from pia.services.par import adoption
from pia.services.par.employees import employee_data
from pia.services.par.record import current_round, decisions, positions, trajectory
from pia.services.questionnaires import status
from pia.services.review.record import (
    controllers,
    default_review_date,
    signatures,
    today,
    took_part,
)
from workflows import par
from workflows.machine import Option
from workflows.outcome import Verdict

WORKFLOW = par.WORKFLOW


def context(
    user: User,
    assessment: Assessment,
    *,
    remarks: str = "",
    participants: tuple[str, ...] | None = None,
    response_deadline: date | None = None,
    verdict: str | None = None,
    reasoning: str = "",
    decision_ready: bool = False,
    withdrawal_reason: str = "",
    deviation_reason: str = "",
    review_date: date | None = None,
) -> par.Context:
    """The facts the PAR machine asks about, for this user and assessment now."""
    st = status(assessment)
    found = trajectory(assessment)
    current = current_round(assessment)
    given = positions(current)
    offer = found.offer if found else 0
    approvals = decisions(assessment, offer, DecisionKind.APPROVAL) if offer else []
    consent = decisions(assessment, offer, DecisionKind.CONSENT) if offer else []
    sent = current is not None and current.sent_at is not None
    if participants is None:
        participants = tuple(str(i) for i in current.organisation_ids) if sent else ()
    if response_deadline is None and sent:
        response_deadline = current.due_on
    return par.Context(
        actor_is_author=took_part(user, assessment),
        is_complete=bool(st.dpia_progress and st.dpia_progress.complete),
        has_remarks=bool(remarks.strip()),
        participants=participants,
        response_deadline=response_deadline,
        today=today(),
        positions={str(k): Verdict(p.verdict) for k, p in given.items()},
        actor_position=Verdict(verdict) if verdict in {v.value for v in Verdict} else None,
        position_has_reasoning=bool(reasoning.strip()),
        advice_drafted=bool(found and found.advice_drafted_at and found.advice_conclusion),
        bodies=tuple(found.bodies) if found else (),
        decisions={d.body: Verdict(d.verdict) for d in approvals},
        decision_ready=decision_ready,
        processes_employee_data=employee_data(assessment).processed,
        gor_decision=Verdict(consent[-1].verdict) if consent else None,
        withdrawal_reason=withdrawal_reason,
        **_adoption_facts(user, assessment, found),
        deviation_reason=deviation_reason,
        review_date=review_date or assessment.review_due_on or default_review_date(),
    )


def _adoption_facts(user: User, assessment: Assessment, found) -> dict:
    """The facts of adoption after establishment (as the departmental route's)."""
    if assessment.state not in par.FINAL:
        return {}
    controller_ids = {c.user_id for c in controllers(assessment)}
    signed = {s.user_id for s in signatures(assessment)}
    conclusion = found.advice_conclusion if found else None
    return {
        "advice_conclusion": Verdict(conclusion) if conclusion else None,
        "has_controllers": bool(controller_ids),
        "conditions_processed": adoption.conditions_processed(found),
        "deviates_from_advice": adoption.deviates(found),
        "actor_has_signed": user.id in signed,
        "all_controllers_signed": bool(controller_ids) and controller_ids <= signed,
    }


def roles(user: User, assessment: Assessment) -> frozenset[str]:
    return access(user, assessment).par_roles


def options(user: User, assessment: Assessment) -> list[Option]:
    """The PAR actions this user may take now (form input still to come)."""
    if not assessment.government_wide:
        return []
    return WORKFLOW.available(
        assessment.state, roles(user, assessment), context(user, assessment), input_pending=True
    )


def check(user: User, assessment: Assessment, action: str, **facts) -> None:
    """Raise TransitionNotAllowed (a Dutch message) unless the action is allowed now."""
    refusal = WORKFLOW.check(
        assessment.state, action, roles(user, assessment), context(user, assessment, **facts)
    )
    if refusal is not None:
        raise refusal


def move(assessment: Assessment, action: str, actor: User, summary: str, **details) -> None:
    """Change state (after check()), compare-and-set, and record it in the audit log."""
    transition = WORKFLOW.transition(action, assessment.state)
    assert transition is not None
    old = assessment.state
    claim_write(assessment, same_revision=True, new_state=transition.target.value)
    figures.touch(assessment.id)
    audit.record(
        "assessment.transition",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=summary,
        details={"route": "par", "action": action, "from": old, "to": assessment.state, **details},
    )


def link(assessment: Assessment, endpoint: str = "par.index", **kwargs) -> str:
    """The app path for a notification about this trajectory."""
    return url_for(endpoint, assessment_id=assessment.id, **kwargs)
