"""The departmental review procedure in the app: versions, FG review, advice, adoption.

The rules (who may do what, when) live in workflows.departmental; this package computes
the facts the machine asks for, fires transitions and does what each one entails:
freezing a version, recording the advice, notifying people, writing the audit log.
One module per part of the procedure; everything a view needs is importable from here.
"""

from pia.services.review.adoption import (
    offer_for_adoption,
    put_in_use,
    return_to_drafters,
    set_review_date,
    sign,
    start_reassessment,
    withdraw,
)
from pia.services.review.advice import AdviceInput, give_advice, record_responses
from pia.services.review.comments import (
    COMMENT_LIMIT,
    add_comment,
    comments,
    open_comment_counts,
    set_resolved,
)
from pia.services.review.designation import designate, remove_controller
from pia.services.review.machine import (
    ADOPTION_ACTIONS,
    WORKFLOW,
    check,
    context,
    needs_ap,
    options,
    workflow_for,
)
from pia.services.review.model_sections import workflow_answers
from pia.services.review.people import (
    actor_roles,
    is_fg_for,
    may_comment,
    may_designate,
    may_process,
    may_read_comments,
)
from pia.services.review.prior_consultation import record_ap_answer, request_ap_consultation
from pia.services.review.record import (
    advice_follow_up,
    advices,
    ap_consultation,
    authors,
    compare,
    compare_prescan,
    controller_users,
    controllers,
    current_advice,
    current_review,
    default_review_date,
    deviates,
    due_on,
    freeze,
    is_author,
    is_controller,
    last_reviewed_version,
    latest_version,
    open_fg_remarks,
    organisation_fgs,
    reviews,
    signatures,
    today,
    took_part,
    version,
    versions,
    was_submitted,
)
from pia.services.review.submission import (
    claim,
    release,
    request_changes,
    retract,
    submit,
    take_over,
)
from workflows.errors import Refusal, TransitionNotAllowed

SIMPLE = {
    "submit": submit,
    "retract": retract,
    "claim": claim,
    "release": release,
    "take_over": take_over,
    "put_in_use": put_in_use,
    "start_reassessment": start_reassessment,
}
SIMPLE_ACTIONS = frozenset(SIMPLE)
"""The actions that are one button press (the others have a form)."""


def fire_simple(assessment, actor, action: str) -> None:
    """Fire one of the SIMPLE_ACTIONS."""
    if action not in SIMPLE:
        raise TransitionNotAllowed(
            Refusal.UNKNOWN_ACTION, action, assessment.state, f"Onbekende actie {action!r}."
        )
    SIMPLE[action](assessment, actor)


__all__ = [
    "ADOPTION_ACTIONS",
    "COMMENT_LIMIT",
    "SIMPLE_ACTIONS",
    "WORKFLOW",
    "AdviceInput",
    "actor_roles",
    "add_comment",
    "advice_follow_up",
    "advices",
    "ap_consultation",
    "authors",
    "check",
    "claim",
    "comments",
    "compare",
    "compare_prescan",
    "context",
    "controller_users",
    "controllers",
    "current_advice",
    "current_review",
    "default_review_date",
    "designate",
    "deviates",
    "due_on",
    "fire_simple",
    "freeze",
    "give_advice",
    "is_author",
    "is_controller",
    "is_fg_for",
    "last_reviewed_version",
    "latest_version",
    "may_comment",
    "may_designate",
    "may_process",
    "may_read_comments",
    "needs_ap",
    "offer_for_adoption",
    "open_comment_counts",
    "open_fg_remarks",
    "options",
    "organisation_fgs",
    "put_in_use",
    "record_ap_answer",
    "record_responses",
    "release",
    "remove_controller",
    "request_ap_consultation",
    "request_changes",
    "retract",
    "return_to_drafters",
    "reviews",
    "set_resolved",
    "set_review_date",
    "sign",
    "signatures",
    "start_reassessment",
    "submit",
    "take_over",
    "today",
    "took_part",
    "workflow_for",
    "version",
    "versions",
    "was_submitted",
    "withdraw",
    "workflow_answers",
]
