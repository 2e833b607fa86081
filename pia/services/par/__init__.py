"""The PAR procedure in the app: one government-wide privacy advice (rijksbreed privacy
advies) from the FGs of the participating ministries, approved by the interdepartmental
bodies and, when employees' data is processed, consented to by the GOR Rijk.

The rules live in workflows.par; this package computes the facts, fires transitions and
does what each entails (rounds, positions, decisions, notices, the audit log). It reuses
the departmental review's versions, comment threads and diff (pia.services.review).
"""

from pia.services.par.consultation import (
    Consultation,
    PositionInput,
    give_position,
    request_changes,
    send_to_fgs,
    start_consolidation,
    submit,
    withdraw,
)
from pia.services.par.decision import (
    AdviceInput,
    DecisionInput,
    draft_advice,
    establish,
    offer_for_approval,
    proposed_conditions,
    record_decision,
    request_consent,
    rework,
)
from pia.services.par.employees import (
    correct_employee_data,
    employee_data,
    set_government_wide,
)
from pia.services.par.machine import WORKFLOW, check, context, options
from pia.services.par.record import (
    all_decisions,
    current_round,
    decisions,
    ministries,
    participating_fgs,
    positions,
    previous_round,
    response_due,
    rounds,
    trajectory,
)

__all__ = [
    "WORKFLOW",
    "AdviceInput",
    "Consultation",
    "DecisionInput",
    "PositionInput",
    "all_decisions",
    "check",
    "context",
    "correct_employee_data",
    "current_round",
    "decisions",
    "draft_advice",
    "employee_data",
    "establish",
    "give_position",
    "ministries",
    "offer_for_approval",
    "options",
    "participating_fgs",
    "positions",
    "previous_round",
    "proposed_conditions",
    "record_decision",
    "request_changes",
    "request_consent",
    "response_due",
    "rework",
    "rounds",
    "send_to_fgs",
    "set_government_wide",
    "start_consolidation",
    "submit",
    "trajectory",
    "withdraw",
]
