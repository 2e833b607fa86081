"""The PAR procedure: explicit (state, action, role) table, guards and a walk."""

from dataclasses import replace
from datetime import date

import pytest

from workflows import par
from workflows.errors import Refusal, TransitionNotAllowed
from workflows.outcome import Verdict

WF = par.WORKFLOW
P, C, N = Verdict.POSITIVE, Verdict.CONDITIONAL, Verdict.NEGATIVE
ROLES = (
    "owner",
    "editor",
    "viewer",
    "fg",
    "coordinator",
    "secretariat",
    "controller",
    "auditor",
)
OWNER, FG, COORD, SECR = {"owner"}, {"fg"}, {"coordinator"}, {"secretariat"}
CTRL = {"controller"}
BOTH = {"owner", "coordinator"}

# state -> action -> (roles allowed, target), written out by hand.
EXPECTED: dict[str, dict[str, tuple[set[str], str]]] = {
    "concept": {"submit": (OWNER, "submitted"), "withdraw": (BOTH, "withdrawn")},
    "submitted": {
        "send_to_fgs": (COORD, "fg_consultation"),
        "start_consolidation": (COORD, "consolidation"),
        "request_changes": (COORD, "changes_requested"),
        "withdraw": (BOTH, "withdrawn"),
    },
    "fg_consultation": {
        "give_position": (FG, "fg_consultation"),
        "start_consolidation": (COORD, "consolidation"),
        "withdraw": (BOTH, "withdrawn"),
    },
    "consolidation": {
        "send_to_fgs": (COORD, "fg_consultation"),
        "request_changes": (COORD, "changes_requested"),
        "offer_for_approval": (COORD, "approval"),
        "withdraw": (BOTH, "withdrawn"),
    },
    "changes_requested": {"submit": (OWNER, "submitted"), "withdraw": (BOTH, "withdrawn")},
    "approval": {
        "record_decision": (SECR, "approval"),
        "request_consent": (COORD, "consent"),
        "establish": (COORD, "established"),
        "rework": (COORD | SECR, "consolidation"),
        "withdraw": (BOTH, "withdrawn"),
    },
    "consent": {
        "record_consent": (SECR, "consent"),
        "establish": (COORD, "established"),
        "rework": (COORD | SECR, "consolidation"),
        "withdraw": (BOTH, "withdrawn"),
    },
    "established": {
        "offer_for_adoption": (OWNER, "awaiting_adoption"),
        "withdraw": (COORD, "withdrawn"),
    },
    "awaiting_adoption": {
        "return_to_drafters": (CTRL, "established"),
        "sign": (CTRL, "awaiting_adoption"),
        "adopt": (CTRL, "adopted"),
        "withdraw": (COORD, "withdrawn"),
    },
    "adopted": {"withdraw": (COORD, "withdrawn")},
    "withdrawn": {},
}
ACTIONS = (
    "submit",
    "send_to_fgs",
    "give_position",
    "start_consolidation",
    "request_changes",
    "offer_for_approval",
    "record_decision",
    "record_consent",
    "request_consent",
    "establish",
    "rework",
    "withdraw",
    "offer_for_adoption",
    "return_to_drafters",
    "sign",
    "adopt",
)

READY = par.Context(
    is_complete=True,
    has_remarks=True,
    participants=("BZK", "Fin"),
    response_deadline=date(2025, 3, 1),
    today=date(2025, 2, 1),
    positions={"BZK": P, "Fin": C},
    actor_position=P,
    position_has_reasoning=True,
    advice_drafted=True,
    bodies=("ICBR", "CIO-beraad"),
    decisions={"ICBR": P, "CIO-beraad": C},
    decision_ready=True,
    processes_employee_data=True,
    gor_decision=P,
    withdrawal_reason="Het programma is gestopt.",
    advice_conclusion=C,
    has_controllers=True,
    conditions_processed=True,
    all_controllers_signed=True,
    review_date=date(2027, 2, 1),
)


def test_table_covers_every_state_and_action() -> None:
    assert set(EXPECTED) == set(WF.state_values)
    assert set(ACTIONS) == set(WF.actions())


@pytest.mark.parametrize("state", list(EXPECTED))
def test_every_action_and_role_in_this_state(state: str) -> None:
    got, want = {}, {}
    for action in ACTIONS:
        for role in ROLES:
            refusal = WF.check(state, action, {role}, READY)
            got[action, role] = (
                WF.fire(state, action, {role}, READY).value if refusal is None else refusal.kind
            )
            if action not in EXPECTED[state]:
                want[action, role] = Refusal.WRONG_STATE
            else:
                roles, target = EXPECTED[state][action]
                want[action, role] = target if role in roles else Refusal.WRONG_ROLE
    assert got == want


def refusal(state: str, action: str, roles: set[str], ctx: par.Context) -> tuple[str, ...]:
    """Fire, expecting a guard refusal; return its reasons."""
    with pytest.raises(TransitionNotAllowed) as info:
        WF.fire(state, action, roles, ctx)
    assert info.value.kind == Refusal.GUARD
    return info.value.reasons


def test_consultation_needs_ministries_and_a_future_deadline() -> None:
    assert refusal("submitted", "send_to_fgs", COORD, replace(READY, participants=())) == (
        "Kies de deelnemende ministeries.",
    )
    no_deadline = replace(READY, response_deadline=None)
    assert refusal("submitted", "send_to_fgs", COORD, no_deadline) == (
        "Stel de reactietermijn voor de FG's vast.",
    )
    past = replace(READY, today=date(2025, 3, 1))
    assert refusal("consolidation", "send_to_fgs", COORD, past) == (
        "De reactietermijn moet in de toekomst liggen.",
    )


def test_consolidation_waits_for_all_fgs_or_the_deadline() -> None:
    waiting = replace(READY, positions={"Fin": N})
    assert refusal("fg_consultation", "start_consolidation", COORD, waiting) == (
        "De reactietermijn loopt nog. 1 van 2 gereageerd: 1 bezwaar; nog niet: BZK.",
    )
    late = replace(waiting, today=date(2025, 3, 2))
    assert WF.fire("fg_consultation", "start_consolidation", COORD, late) == par.CONSOLIDATION
    never_asked = replace(READY, response_deadline=None)
    assert refusal("submitted", "start_consolidation", COORD, never_asked) == (
        "De FG's van de deelnemende ministeries zijn nog niet geraadpleegd.",
    )


def test_fg_position_needs_a_choice_and_reasoning_and_not_own_work() -> None:
    assert refusal("fg_consultation", "give_position", FG, replace(READY, actor_position=None)) == (
        "Kies uw standpunt: akkoord, akkoord met voorwaarden of bezwaar.",
    )
    ctx = replace(READY, position_has_reasoning=False)
    assert refusal("fg_consultation", "give_position", FG, ctx) == ("Onderbouw uw standpunt.",)
    ctx = replace(READY, actor_is_author=True)
    assert refusal("fg_consultation", "give_position", {"fg", "editor"}, ctx)[0].startswith(
        "U bent opsteller"
    )


def test_approval_needs_every_body_and_no_rejection() -> None:
    ctx = replace(READY, processes_employee_data=False, decisions={"ICBR": P})
    assert refusal("approval", "establish", COORD, ctx) == (
        "Nog niet alle overleggen hebben besloten. "
        "1 van 2 gereageerd: 1 akkoord; nog niet: CIO-beraad.",
    )
    ctx = replace(ctx, decisions={"ICBR": P, "CIO-beraad": N})
    assert refusal("approval", "establish", COORD, ctx) == (
        "Het advies is afgewezen door CIO-beraad.",
    )
    assert WF.fire("approval", "rework", COORD, ctx) == par.CONSOLIDATION


def test_gor_rijk_consent_only_and_always_for_employees_data() -> None:
    no_staff = replace(READY, processes_employee_data=False, gor_decision=None)
    assert refusal("approval", "request_consent", COORD, no_staff) == (
        "Er worden geen gegevens van medewerkers verwerkt; de GOR Rijk hoeft niet in te stemmen.",
    )
    assert WF.fire("approval", "establish", COORD, no_staff) == par.ESTABLISHED
    staff = replace(READY, gor_decision=None)
    assert refusal("approval", "establish", COORD, staff) == (
        "De instemming van de GOR Rijk ontbreekt (er worden medewerkersgegevens verwerkt).",
    )
    refused = replace(READY, gor_decision=N)
    assert refusal("consent", "establish", COORD, refused) == ("De GOR Rijk heeft niet ingestemd.",)


def test_offer_for_approval_needs_an_advice_and_bodies() -> None:
    ctx = replace(READY, advice_drafted=False, bodies=())
    assert refusal("consolidation", "offer_for_approval", COORD, ctx) == (
        "Stel eerst het rijksbrede privacyadvies op.",
        "Kies de overleggen die het advies moeten goedkeuren.",
    )


def test_walk_with_a_changes_round_and_consent() -> None:
    steps = [
        ("submit", OWNER),
        ("send_to_fgs", COORD),
        ("give_position", FG),
        ("start_consolidation", COORD),
        ("request_changes", COORD),
        ("submit", OWNER),
        ("start_consolidation", COORD),
        ("offer_for_approval", COORD),
        ("record_decision", SECR),
        ("request_consent", COORD),
        ("record_consent", SECR),
        ("establish", COORD),
    ]
    state = WF.initial
    for action, roles in steps:
        state = WF.fire(state, action, roles, READY)
    assert state == par.ESTABLISHED
    assert not par.can_edit_answers(state, OWNER)
    assert par.can_edit_answers("changes_requested", {"editor"})
    assert not par.can_edit_answers("concept", COORD | FG)


def test_adoption_after_establishment_as_in_the_departmental_route() -> None:
    """The owner offers once controllers are designated and every condition has a
    follow-up; a controller who wrote the DPIA does not sign; a deviation from the advice
    (negative, or a condition not adopted) needs a reason; the last signature adopts."""
    bare = replace(READY, has_controllers=False, conditions_processed=False)
    reasons = refusal("established", "offer_for_adoption", OWNER, bare)
    assert any("verwerkingsverantwoordelijke" in r for r in reasons)
    assert any("voorwaarde" in r for r in reasons)
    author = replace(READY, actor_is_author=True)
    assert any("mee opgesteld" in r for r in refusal("awaiting_adoption", "sign", CTRL, author))
    deviating = replace(READY, deviates_from_advice=True)
    assert refusal("awaiting_adoption", "sign", CTRL, deviating) == (
        "U wijkt af van het rijksbrede privacyadvies; leg vast waarom.",
    )
    negative = replace(READY, advice_conclusion=N)
    assert refusal("awaiting_adoption", "sign", CTRL, negative)
    explained = replace(negative, deviation_reason="Het programma is nodig voor de dienst.")
    assert WF.fire("awaiting_adoption", "sign", CTRL, explained) == par.AWAITING_ADOPTION
    assert refusal("awaiting_adoption", "sign", CTRL, replace(READY, actor_has_signed=True))
    waiting = replace(READY, all_controllers_signed=False)
    assert any("alle" in r for r in refusal("awaiting_adoption", "adopt", CTRL, waiting))
    assert WF.fire("awaiting_adoption", "adopt", CTRL, READY) == par.ADOPTED
