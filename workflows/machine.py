"""General state-machine machinery for the procedures: states, groups, transitions, guards.

Roles are relational actor roles for one assessment; see workflows.roles.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workflows.errors import (
    Refusal,
    TransitionNotAllowed,
    WorkflowDefinitionError,
    WorkflowError,
)
from workflows.roles import ROLES

Guard = Callable[[Any], str | None]


def on_input(guard: Guard) -> Guard:
    """Mark a guard that checks what the action's own form asks for (a reason, the advice,
    the AP's dates): when listing the actions on offer that input is still to come, so
    available(..., input_pending=True) leaves it out instead of being fed a stand-in."""
    guard.on_input = True  # type: ignore[attr-defined]
    return guard


def is_input_guard(guard: Guard) -> bool:
    """Whether a guard checks the action's own form input (see on_input)."""
    return bool(getattr(guard, "on_input", False))


"""A check on the context: None when fine, otherwise a Dutch reason why not."""

_STABLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class State:
    """One state: a stable ascii value (stored), a Dutch label and description (shown)."""

    value: str
    label: str
    description: str = ""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class StateGroup:
    """A named set of states that share a property, e.g. "answers may be edited"."""

    name: str
    label: str
    states: frozenset[State]

    def __init__(self, name: str, label: str, states: Iterable[State]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "states", frozenset(states))

    @property
    def values(self) -> frozenset[str]:
        """The stored values of the member states."""
        return frozenset(s.value for s in self.states)

    def __contains__(self, state: object) -> bool:
        value = state.value if isinstance(state, State) else state
        return value in self.values


Source = State | StateGroup


@dataclass(frozen=True)
class Transition:
    """A named action from some states to a target, for some roles, behind guards."""

    name: str
    label: str
    source: Source | tuple[Source, ...]
    target: State
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()
    description: str = ""
    sources: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "sources", frozenset(s.value for s in self.source_states))

    @property
    def source_states(self) -> tuple[State, ...]:
        """The source states, groups expanded."""
        items = self.source if isinstance(self.source, tuple) else (self.source,)
        return tuple(s for i in items for s in (i.states if isinstance(i, StateGroup) else (i,)))

    def reasons(self, ctx: Any, *, input_pending: bool = False) -> tuple[str, ...]:
        """The reasons of every failing guard for this context (empty when all pass);
        with input_pending, the guards on the action's own form input are left out."""
        guards = (g for g in self.guards if not (input_pending and is_input_guard(g)))
        return tuple(r for r in (guard(ctx) for guard in guards) if r)


def row(
    name: str,
    label: str,
    source: Source | tuple[Source, ...],
    target: State,
    roles: Iterable[str],
    *guards: Guard,
) -> Transition:
    """Shorthand for one table row: a transition with its guards as trailing arguments."""
    return Transition(name, label, source, target, frozenset(roles), guards)


@dataclass(frozen=True)
class Option:
    """A transition this actor may fire from this state, with any guard reasons against it."""

    transition: Transition
    reasons: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        """True when no guard objects: the UI may offer it as a button."""
        return not self.reasons

    @property
    def name(self) -> str:
        """The stable action id."""
        return self.transition.name

    @property
    def label(self) -> str:
        """The Dutch button label."""
        return self.transition.label


def _roles_text(roles: Iterable[str]) -> str:
    """Dutch enumeration of role labels: "de a, de b of de c"."""
    labels = sorted("de " + ROLES.get(r, r) for r in roles)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " of " + labels[-1]


class Workflow:
    """A validated table of states, groups and transitions with checks for firing them."""

    def __init__(
        self,
        name: str,
        states: Iterable[State],
        initial: State,
        transitions: Iterable[Transition],
        groups: Iterable[StateGroup] = (),
        roles: Iterable[str] = ROLES,
    ) -> None:
        self.name = name
        self.states: tuple[State, ...] = tuple(states)
        self.initial = initial
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.groups: tuple[StateGroup, ...] = tuple(groups)
        self.roles: frozenset[str] = frozenset(roles)
        self._states = {s.value: s for s in self.states}
        self._groups = {g.name: g for g in self.groups}
        self._by_name: dict[str, list[Transition]] = {}
        for t in self.transitions:
            self._by_name.setdefault(t.name, []).append(t)
        self._validate()

    # -- validation -------------------------------------------------------------------------

    def _validate(self) -> None:
        """Refuse inconsistent tables, so a mistake fails at import instead of at run time."""
        fail = WorkflowDefinitionError
        if len(self._states) != len(self.states):
            raise fail(f"Workflow {self.name}: dubbele statuswaarde.")
        for s in self.states:
            if not _STABLE_ID.match(s.value) or not s.label:
                raise fail(f"Workflow {self.name}: ongeldige status {s.value!r}.")
        if self._states.get(self.initial.value) != self.initial:
            raise fail(f"Workflow {self.name}: beginstatus {self.initial.value!r} is onbekend.")
        if len(self._groups) != len(self.groups):
            raise fail(f"Workflow {self.name}: dubbele groepsnaam.")
        for g in self.groups:
            for s in g.states:
                if self._states.get(s.value) != s:
                    raise fail(
                        f"Workflow {self.name}: groep {g.name!r} bevat onbekende {s.value!r}."
                    )
        for t in self.transitions:
            self._validate_transition(t)
        for name, ts in self._by_name.items():
            seen: set[str] = set()
            for t in ts:
                if seen & t.sources:
                    raise fail(
                        f"Workflow {self.name}: actie {name!r} dubbel vanuit dezelfde status."
                    )
                seen |= t.sources
        unreachable = set(self._states) - self._reachable()
        if unreachable:
            raise fail(f"Workflow {self.name}: onbereikbare status(sen) {sorted(unreachable)}.")

    def _validate_transition(self, t: Transition) -> None:
        """Check one transition against the states, groups and role vocabulary."""
        fail = WorkflowDefinitionError
        where = f"Workflow {self.name}, actie {t.name!r}"
        if not _STABLE_ID.match(t.name) or not t.label:
            raise fail(f"{where}: ongeldige naam of label.")
        items = t.source if isinstance(t.source, tuple) else (t.source,)
        for item in items:
            if isinstance(item, StateGroup) and self._groups.get(item.name) != item:
                raise fail(f"{where}: onbekende groep {item.name!r}.")
        if not t.sources:
            raise fail(f"{where}: geen beginstatus.")
        for s in (*t.source_states, t.target):
            if self._states.get(s.value) != s:
                raise fail(f"{where}: onbekende status {s.value!r}.")
        if not t.roles:
            raise fail(f"{where}: niemand mag deze actie uitvoeren.")
        if t.roles - self.roles:
            raise fail(f"{where}: onbekende rol(len) {sorted(t.roles - self.roles)}.")

    def _reachable(self) -> set[str]:
        """The state values reachable from the initial state, ignoring roles and guards."""
        seen = {self.initial.value}
        queue = deque(seen)
        while queue:
            current = queue.popleft()
            for t in self.transitions:
                if current in t.sources and t.target.value not in seen:
                    seen.add(t.target.value)
                    queue.append(t.target.value)
        return seen

    # -- lookups ----------------------------------------------------------------------------

    @property
    def state_values(self) -> tuple[str, ...]:
        """All stored values, e.g. for a database CHECK constraint."""
        return tuple(self._states)

    def state(self, value: str | State) -> State:
        """The state for a stored value; raises WorkflowError when unknown."""
        key = value.value if isinstance(value, State) else value
        try:
            return self._states[key]
        except KeyError:
            raise WorkflowError(f"Onbekende status {key!r}.") from None

    def group(self, name: str) -> StateGroup:
        """The group with this name; raises WorkflowError when unknown."""
        try:
            return self._groups[name]
        except KeyError:
            raise WorkflowError(f"Onbekende groep {name!r}.") from None

    def actions(self) -> tuple[str, ...]:
        """Every action id, in table order."""
        return tuple(self._by_name)

    def transition(self, action: str, state: str | State) -> Transition | None:
        """The transition for this action from this state, if any."""
        value = self.state(state).value
        return next((t for t in self._by_name.get(action, ()) if value in t.sources), None)

    def _roles(self, roles: Iterable[str]) -> frozenset[str]:
        """Normalise roles; an unknown role is a programming error in the caller."""
        if isinstance(roles, str):
            raise TypeError("roles must be a set of role names, not one string")
        given = frozenset(roles)
        if given - self.roles:
            raise WorkflowError(f"Onbekende rol(len) {sorted(given - self.roles)}.")
        return given

    # -- the two questions the app asks -----------------------------------------------------

    def available(
        self, state: str | State, roles: Iterable[str], ctx: Any, *, input_pending: bool = False
    ) -> list[Option]:
        """Transitions from this state open to these roles, each with its failing guard reasons
        (with input_pending: not counting the guards on the action's own form input)."""
        current, given = self.state(state), self._roles(roles)
        return [
            Option(t, t.reasons(ctx, input_pending=input_pending))
            for t in self.transitions
            if current.value in t.sources and t.roles & given
        ]

    def check(
        self, state: str | State, action: str, roles: Iterable[str], ctx: Any
    ) -> TransitionNotAllowed | None:
        """The refusal that firing would raise, or None when the action is allowed now."""
        current, given = self.state(state), self._roles(roles)
        if action not in self._by_name:
            msg = f"Onbekende actie {action!r}."
            return TransitionNotAllowed(Refusal.UNKNOWN_ACTION, action, current.value, msg)
        t = self.transition(action, current)
        if t is None:
            label = self._by_name[action][0].label
            msg = f"'{label}' is niet mogelijk in de status '{current.label}'."
            return TransitionNotAllowed(Refusal.WRONG_STATE, action, current.value, msg)
        if not t.roles & given:
            msg = f"U mag '{t.label}' niet uitvoeren; dat mag alleen {_roles_text(t.roles)}."
            return TransitionNotAllowed(Refusal.WRONG_ROLE, action, current.value, msg)
        reasons = t.reasons(ctx)
        if reasons:
            msg = f"'{t.label}' is nu niet mogelijk: " + " ".join(reasons)
            return TransitionNotAllowed(Refusal.GUARD, action, current.value, msg, reasons)
        return None

    def fire(self, state: str | State, action: str, roles: Iterable[str], ctx: Any) -> State:
        """The new state after this action; raises TransitionNotAllowed when refused."""
        refusal = self.check(state, action, roles, ctx)
        if refusal is not None:
            raise refusal
        t = self.transition(action, state)
        assert t is not None
        return t.target
