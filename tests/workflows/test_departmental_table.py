"""Every (state, action, role) of the departmental route against an explicit expected table."""

from datetime import date

import pytest

from workflows.departmental import WORKFLOW, Context
from workflows.errors import Refusal
from workflows.outcome import Verdict

ROLES = ("owner", "editor", "viewer", "fg", "claimed_fg", "controller", "auditor")

# Written out by hand from the issue; deliberately not derived from the code under test.
# state -> action -> (roles allowed, target state)
EXPECTED: dict[str, dict[str, tuple[set[str], str]]] = {
    "concept": {
        "submit": ({"owner"}, "submitted"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "submitted": {
        "retract": ({"owner"}, "concept"),
        "claim": ({"fg"}, "in_review"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "in_review": {
        "release": ({"claimed_fg"}, "submitted"),
        "take_over": ({"fg"}, "in_review"),
        "request_changes": ({"claimed_fg"}, "changes_requested"),
        "give_advice": ({"claimed_fg"}, "advice_given"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "changes_requested": {
        "submit": ({"owner"}, "submitted"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "advice_given": {
        "submit": ({"owner"}, "submitted"),
        "request_ap_consultation": ({"owner", "controller"}, "ap_consultation"),
        "offer_for_adoption": ({"owner"}, "awaiting_adoption"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "ap_consultation": {
        "record_ap_answer": ({"owner", "controller"}, "awaiting_adoption"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "awaiting_adoption": {
        "return_to_drafters": ({"controller"}, "advice_given"),
        "sign": ({"controller"}, "awaiting_adoption"),
        "adopt": ({"controller"}, "adopted"),
        "withdraw": ({"owner", "controller"}, "withdrawn"),
    },
    "adopted": {
        "put_in_use": ({"owner", "controller"}, "in_use"),
        "start_reassessment": ({"owner", "controller"}, "concept"),
        "withdraw": ({"controller"}, "withdrawn"),
    },
    "in_use": {
        "start_reassessment": ({"owner", "controller"}, "concept"),
        "withdraw": ({"controller"}, "withdrawn"),
    },
    "withdrawn": {},
}

ACTIONS = (
    "submit",
    "retract",
    "claim",
    "release",
    "take_over",
    "request_changes",
    "give_advice",
    "request_ap_consultation",
    "record_ap_answer",
    "offer_for_adoption",
    "return_to_drafters",
    "sign",
    "adopt",
    "put_in_use",
    "start_reassessment",
    "withdraw",
)

# A context in which every guard passes, so only state and role decide.
ALL_GUARDS_PASS = Context(
    is_complete=True,
    advice_given=True,
    advice_conclusion=Verdict.POSITIVE,
    advice_has_reasoning=True,
    has_review_remarks=True,
    recommendations_processed=True,
    has_high_residual_risk=True,
    ap_request_sent=True,
    ap_answer_recorded=True,
    all_controllers_signed=True,
    review_date=date(2030, 1, 1),
    today=date(2025, 1, 1),
    withdrawal_reason="Het project is gestopt.",
    claimant_available=False,
)


def expected_refusal(state: str, action: str, role: str) -> Refusal | None:
    """What the table says: allowed (None), wrong state or wrong role."""
    if action not in EXPECTED[state]:
        return Refusal.WRONG_STATE
    roles, _ = EXPECTED[state][action]
    return None if role in roles else Refusal.WRONG_ROLE


def test_table_covers_every_state_and_action() -> None:
    assert set(EXPECTED) == set(WORKFLOW.state_values)
    assert set(ACTIONS) == set(WORKFLOW.actions())


def outcome(state: str, action: str, role: str) -> str:
    """One cell as text: the target state when allowed, else the kind of refusal."""
    refusal = WORKFLOW.check(state, action, {role}, ALL_GUARDS_PASS)
    if refusal is None:
        return WORKFLOW.fire(state, action, {role}, ALL_GUARDS_PASS).value
    assert (refusal.action, refusal.state) == (action, state)
    return refusal.kind.value


# One test per (state, action), covering every role inside: a thousand separate items would
# cost more in pytest overhead than the checks themselves.
@pytest.mark.parametrize(("state", "action"), [(s, a) for s in EXPECTED for a in ACTIONS])
def test_state_action_for_every_role(state: str, action: str) -> None:
    got = {role: outcome(state, action, role) for role in ROLES}
    want = {}
    for role in ROLES:
        refusal = expected_refusal(state, action, role)
        want[role] = EXPECTED[state][action][1] if refusal is None else refusal.value
    assert got == want


@pytest.mark.parametrize("state", list(EXPECTED))
def test_available_matches_table_for_every_role(state: str) -> None:
    for role in ROLES:
        offered = {o.name for o in WORKFLOW.available(state, {role}, ALL_GUARDS_PASS)}
        expected = {a for a, (roles, _) in EXPECTED[state].items() if role in roles}
        assert offered == expected, role


@pytest.mark.parametrize("state", list(EXPECTED))
def test_unknown_action_is_refused_in_every_state(state: str) -> None:
    refusal = WORKFLOW.check(state, "approve_everything", {"owner"}, ALL_GUARDS_PASS)
    assert refusal is not None
    assert refusal.kind == Refusal.UNKNOWN_ACTION
    assert str(refusal) == "Onbekende actie 'approve_everything'."


def test_no_role_fires_nothing_anywhere() -> None:
    for state in EXPECTED:
        assert WORKFLOW.available(state, set(), ALL_GUARDS_PASS) == []
        for action in EXPECTED[state]:
            refusal = WORKFLOW.check(state, action, set(), ALL_GUARDS_PASS)
            assert refusal is not None
            assert refusal.kind == Refusal.WRONG_ROLE
