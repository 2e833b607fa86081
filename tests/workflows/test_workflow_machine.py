"""The general machinery: validation at construction, refusals and their Dutch messages."""

import pytest

from workflows.errors import Refusal, TransitionNotAllowed, WorkflowDefinitionError, WorkflowError
from workflows.machine import Option, State, StateGroup, Transition, Workflow, row

OPEN = State("open", "Open")
SHUT = State("shut", "Gesloten")
GONE = State("gone", "Weg")
DOORS = StateGroup("doors", "Deuren", (OPEN, SHUT))


def needs_key(ctx: dict) -> str | None:
    """Guard used by the toy workflow."""
    return None if ctx.get("key") else "U hebt geen sleutel."


def needs_light(ctx: dict) -> str | None:
    """Second guard, to see several reasons at once."""
    return None if ctx.get("light") else "Het is te donker."


def toy(*extra: Transition, states: tuple[State, ...] = (OPEN, SHUT, GONE)) -> Workflow:
    """A small workflow; extra transitions are added to make it invalid."""
    return Workflow(
        "toy",
        states,
        OPEN,
        (
            row("close", "Sluiten", OPEN, SHUT, {"owner"}),
            row("open", "Openen", SHUT, OPEN, {"owner", "editor"}, needs_key, needs_light),
            row("remove", "Weghalen", DOORS, GONE, {"controller"}),
            *extra,
        ),
        (DOORS,),
    )


def test_a_valid_workflow() -> None:
    wf = toy()
    assert wf.state_values == ("open", "shut", "gone")
    assert wf.actions() == ("close", "open", "remove")
    assert wf.state("shut") is SHUT
    assert wf.transition("remove", "shut").target is GONE
    assert wf.transition("close", "shut") is None


def test_fire_returns_the_target_state() -> None:
    wf = toy()
    assert wf.fire("open", "close", {"owner"}, {}) is SHUT
    assert wf.fire(SHUT, "open", {"editor"}, {"key": 1, "light": 1}) is OPEN


@pytest.mark.parametrize(
    ("state", "action", "roles", "ctx", "kind", "message"),
    [
        ("open", "fly", {"owner"}, {}, Refusal.UNKNOWN_ACTION, "Onbekende actie 'fly'."),
        (
            "open",
            "open",
            {"owner"},
            {},
            Refusal.WRONG_STATE,
            "'Openen' is niet mogelijk in de status 'Open'.",
        ),
        (
            "open",
            "close",
            {"editor", "viewer"},
            {},
            Refusal.WRONG_ROLE,
            "U mag 'Sluiten' niet uitvoeren; dat mag alleen de projectleider (eigenaar).",
        ),
        (
            "shut",
            "open",
            {"viewer"},
            {},
            Refusal.WRONG_ROLE,
            "U mag 'Openen' niet uitvoeren; "
            "dat mag alleen de mede-opsteller of de projectleider (eigenaar).",
        ),
        (
            "shut",
            "open",
            {"owner"},
            {"light": 1},
            Refusal.GUARD,
            "'Openen' is nu niet mogelijk: U hebt geen sleutel.",
        ),
        (
            "shut",
            "open",
            {"owner"},
            {},
            Refusal.GUARD,
            "'Openen' is nu niet mogelijk: U hebt geen sleutel. Het is te donker.",
        ),
    ],
)
def test_refusals_say_why_in_dutch(
    state: str, action: str, roles: set[str], ctx: dict, kind: Refusal, message: str
) -> None:
    wf = toy()
    with pytest.raises(TransitionNotAllowed) as info:
        wf.fire(state, action, roles, ctx)
    assert info.value.kind == kind
    assert str(info.value) == message
    assert isinstance(info.value, WorkflowError)
    assert wf.check(state, action, roles, ctx).kind == kind


def test_checks_are_made_in_order_state_before_role_before_guard() -> None:
    wf = toy()
    # Wrong state and wrong role: the state is reported.
    assert wf.check("gone", "close", {"viewer"}, {}).kind == Refusal.WRONG_STATE
    # Wrong role and failing guard: the role is reported, and guards are not even run.
    assert wf.check("shut", "open", {"viewer"}, None).kind == Refusal.WRONG_ROLE


def test_guard_reasons_are_kept_on_the_error() -> None:
    err = toy().check("shut", "open", {"owner"}, {})
    assert err.reasons == ("U hebt geen sleutel.", "Het is te donker.")


def test_available_lists_options_with_reasons() -> None:
    wf = toy()
    options = wf.available("shut", {"owner", "controller"}, {"key": 1})
    assert [(o.name, o.label, o.enabled) for o in options] == [
        ("open", "Openen", False),
        ("remove", "Weghalen", True),
    ]
    assert options[0].reasons == ("Het is te donker.",)
    assert wf.available("gone", {"owner", "controller"}, {}) == []
    assert isinstance(options[1], Option)


def test_roles_must_be_known_and_a_collection() -> None:
    wf = toy()
    with pytest.raises(WorkflowError, match="Onbekende rol"):
        wf.available("open", {"admin"}, {})
    with pytest.raises(TypeError):
        wf.fire("open", "close", "owner", {})


def test_unknown_state_and_group_lookups() -> None:
    wf = toy()
    with pytest.raises(WorkflowError, match="Onbekende status 'ajar'"):
        wf.check("ajar", "close", {"owner"}, {})
    with pytest.raises(WorkflowError, match="Onbekende groep"):
        wf.group("windows")


def test_same_action_from_disjoint_states_may_differ_in_roles() -> None:
    wf = toy(row("close", "Sluiten", SHUT, SHUT, {"controller"}))
    assert wf.check("open", "close", {"controller"}, {}).kind == Refusal.WRONG_ROLE
    assert wf.fire("shut", "close", {"controller"}, {}) is SHUT


def test_group_membership_by_state_or_value() -> None:
    assert OPEN in DOORS and "shut" in DOORS
    assert GONE not in DOORS and "gone" not in DOORS
    assert DOORS.values == {"open", "shut"}


ELSEWHERE = State("elsewhere", "Elders")
OTHER_GROUP = StateGroup("other", "Andere", (OPEN,))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: toy(states=(OPEN, SHUT, GONE, State("open", "Dubbel"))), "dubbele statuswaarde"),
        (lambda: toy(states=(OPEN, SHUT, GONE, State("Bad Value", "X"))), "ongeldige status"),
        (lambda: toy(states=(OPEN, SHUT, GONE, State("ok", ""))), "ongeldige status"),
        (lambda: toy(states=(SHUT, GONE)), "beginstatus 'open' is onbekend"),
        (lambda: toy(row("x", "X", ELSEWHERE, OPEN, {"owner"})), "onbekende status 'elsewhere'"),
        (lambda: toy(row("x", "X", OPEN, ELSEWHERE, {"owner"})), "onbekende status 'elsewhere'"),
        (lambda: toy(row("x", "X", OTHER_GROUP, OPEN, {"owner"})), "onbekende groep 'other'"),
        (lambda: toy(row("x", "X", (), OPEN, {"owner"})), "geen beginstatus"),
        (lambda: toy(row("x", "X", OPEN, OPEN, set())), "niemand mag"),
        (lambda: toy(row("x", "X", OPEN, OPEN, {"admin"})), "onbekende rol"),
        (lambda: toy(row("Bad-Name", "X", OPEN, OPEN, {"owner"})), "ongeldige naam"),
        (lambda: toy(row("x", "", OPEN, OPEN, {"owner"})), "ongeldige naam of label"),
        (lambda: toy(row("close", "Dicht", DOORS, SHUT, {"owner"})), "dubbel vanuit"),
        (lambda: toy(states=(OPEN, SHUT, GONE, ELSEWHERE)), "onbereikbare status"),
    ],
)
def test_inconsistent_tables_are_refused_at_construction(make, message: str) -> None:
    with pytest.raises(WorkflowDefinitionError, match=message):
        make()


def test_a_group_with_an_unknown_state_is_refused() -> None:
    with pytest.raises(WorkflowDefinitionError, match="groep 'doors' bevat onbekende 'gone'"):
        Workflow("x", (OPEN, SHUT), OPEN, (), (StateGroup("doors", "D", (OPEN, GONE)),))


def test_a_state_with_the_same_value_but_other_label_is_unknown() -> None:
    impostor = State("shut", "Dicht")
    with pytest.raises(WorkflowDefinitionError, match="onbekende status 'shut'"):
        toy(row("x", "X", impostor, OPEN, {"owner"}))
