"""The departmental machine in the app: the facts for one user, the options, moving state."""

from __future__ import annotations

from datetime import date

from flask import has_request_context, request, url_for

from forms.risk import needs_prior_consultation
from pia.models import (
    Advice,
    Assessment,
    Questionnaire,
    Review,
    ReviewOutcome,
    User,
)
from pia.models.types import utcnow
from pia.services import audit, figures
from pia.services.assessments import claim_write
from pia.services.questionnaires import definition_for, status
from pia.services.review.people import actor_roles, claimant_available
from pia.services.review.record import (
    ap_consultation,
    controllers,
    current_advice,
    current_review,
    default_review_date,
    deviates,
    open_fg_remarks,
    signatures,
    today,
    took_part,
)
from workflows import departmental, par
from workflows.errors import Refusal, TransitionNotAllowed
from workflows.machine import Option
from workflows.outcome import Verdict

WORKFLOW = departmental.WORKFLOW

# A government-wide DPIA follows the PAR route (pia.services.par); once its advice is
# established, it is adopted and signed as a departmental one: these actions, on the PAR
# machine's adoption rows (workflows.par), with the PAR advice's facts.
ADOPTION_ACTIONS = frozenset({"offer_for_adoption", "return_to_drafters", "sign", "adopt"})


def workflow_for(assessment: Assessment):
    """The machine this assessment's state belongs to."""
    return par.WORKFLOW if assessment.government_wide else WORKFLOW


def context(
    user: User,
    assessment: Assessment,
    *,
    message: str = "",
    conclusion: str | None = None,
    reasoning: str = "",
    deviation_reason: str = "",
    withdrawal_reason: str = "",
    ap_request: bool | None = None,
    ap_answer: bool | None = None,
    review_date: date | None = None,
) -> departmental.Context:
    """The facts the departmental machine asks about, for this user and assessment now."""
    st = status(assessment)
    review = current_review(assessment)
    advice = current_advice(assessment)
    consultation = ap_consultation(assessment)
    sigs = signatures(assessment)
    controller_ids = {c.user_id for c in controllers(assessment)}
    signed = {s.user_id for s in sigs}
    if conclusion is None and advice is not None and assessment.state != "in_review":
        conclusion = advice.conclusion
    return departmental.Context(
        actor_is_author=took_part(user, assessment),
        is_complete=bool(st.dpia_progress and st.dpia_progress.complete),
        advice_given=advice is not None,
        advice_conclusion=Verdict(conclusion) if conclusion else None,
        advice_has_reasoning=bool(reasoning.strip()),
        has_review_remarks=bool(message.strip()) or open_fg_remarks(assessment, review) > 0,
        recommendations_processed=advice is not None and advice.all_processed,
        has_high_residual_risk=st.prior_consultation or advised_with_high_risk(assessment, advice),
        ap_request_sent=bool(ap_request) if ap_request is not None else consultation is not None,
        ap_answer_recorded=(
            bool(ap_answer)
            if ap_answer is not None
            else consultation is not None and consultation.answer_received_on is not None
        ),
        deviates_from_advice=deviates(advice),
        deviation_reason=deviation_reason,
        actor_has_signed=user.id in signed,
        all_controllers_signed=bool(controller_ids) and controller_ids <= signed,
        review_date=review_date or assessment.review_due_on or default_review_date(),
        today=today(),
        withdrawal_reason=withdrawal_reason,
        claimant_available=claimant_available(assessment, review),
    )


def advised_with_high_risk(assessment: Assessment, advice: Advice | None) -> bool:
    """The version the FG advised on had a high residual risk: lowering it afterwards in
    the live answers does not spare the prior consultation of the AP."""
    if advice is None or not advice.version.dpia:
        return False
    cache = request.environ.setdefault("pia.advised_risk", {}) if has_request_context() else {}
    if advice.version_id not in cache:  # a frozen version never changes
        definition = definition_for(assessment, Questionnaire.DPIA)
        cache[advice.version_id] = needs_prior_consultation(advice.version.dpia, definition)
    return cache[advice.version_id]


def needs_ap(assessment: Assessment) -> bool:
    """A high residual risk now, or in the version the FG advised on."""
    if status(assessment).prior_consultation:
        return True
    return advised_with_high_risk(assessment, current_advice(assessment))


def options(user: User, assessment: Assessment) -> list[Option]:
    """The actions this user may take now (with the reasons when one is blocked), from
    the real facts; what the action's own form asks for (a reason, the advice, the AP's
    dates) is checked when that form is sent (the guards marked on_input)."""
    if assessment.government_wide:  # the PAR route (pia.services.par) instead
        return []
    given = actor_roles(user, assessment)
    return WORKFLOW.available(
        assessment.state, given, context(user, assessment), input_pending=True
    )


def check(user: User, assessment: Assessment, action: str, **facts) -> None:
    """Raise TransitionNotAllowed (a Dutch message) unless the action is allowed now."""
    if assessment.government_wide and action in ADOPTION_ACTIONS:
        from pia.services.par import machine as par_machine

        par_machine.check(user, assessment, action, **facts)
        return
    if assessment.government_wide:
        raise TransitionNotAllowed(
            Refusal.WRONG_STATE,
            action,
            assessment.state,
            "Deze DPIA is rijksbreed en volgt de PAR-procedure, niet de departementale route.",
        )
    refusal = WORKFLOW.check(
        assessment.state, action, actor_roles(user, assessment), context(user, assessment, **facts)
    )
    if refusal is not None:
        raise refusal


def allowed(user: User, assessment: Assessment, action: str, **facts) -> bool:
    """Whether check() would let this action through now."""
    try:
        check(user, assessment, action, **facts)
    except TransitionNotAllowed:
        return False
    return True


# Transitions after which the register of processing activities changes.
REGISTER_ACTIONS = frozenset({"adopt", "withdraw"})


def move(assessment: Assessment, action: str, actor: User, summary: str, **details) -> None:
    """Change state (after check()) and record the transition in the audit log."""
    transition = workflow_for(assessment).transition(action, assessment.state)
    assert transition is not None
    old = assessment.state
    route = {"route": "par"} if assessment.government_wide else {}
    # Compare and set on the state and the row version: of two people acting at once one
    # wins, also when the state stays (a take-over, a signature); the other's whole action
    # is refused (the view rolls back) instead of both passing.
    claim_write(assessment, same_revision=True, new_state=transition.target.value)
    figures.touch(assessment.id)
    audit.record(
        "assessment.transition",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=summary,
        details={**route, "action": action, "from": old, "to": assessment.state, **details},
    )
    if action in REGISTER_ACTIONS:
        from pia.services import register

        register.refresh(assessment)


def link(assessment: Assessment, endpoint: str = "review.index", **kwargs) -> str:
    """The app path for a notification about this assessment (its PAR page for the
    procedure page of a government-wide one)."""
    if assessment.government_wide and endpoint == "review.index":
        endpoint = "par.index"
    return url_for(endpoint, assessment_id=assessment.id, **kwargs)


def close_review(
    review: Review | None, outcome: ReviewOutcome, actor: User, message: str = ""
) -> None:
    """End a submission with its outcome (who, when, the FG's summary)."""
    if review is not None and review.is_open:
        review.outcome, review.closed_at, review.closed_by_id = outcome.value, utcnow(), actor.id
        review.message = message
