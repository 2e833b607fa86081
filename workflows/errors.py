"""Workflow errors: every message is Dutch and fit to show to users."""

from __future__ import annotations

from enum import StrEnum


class WorkflowError(Exception):
    """Base class of every workflow error; the message is Dutch and fit for users."""


class WorkflowDefinitionError(WorkflowError):
    """A workflow table is inconsistent (raised at construction, i.e. at import)."""


class Refusal(StrEnum):
    """Why a transition may not be fired, in the order the checks are made."""

    UNKNOWN_ACTION = "unknown_action"
    WRONG_STATE = "wrong_state"
    WRONG_ROLE = "wrong_role"
    GUARD = "guard"


class TransitionNotAllowed(WorkflowError):
    """A transition was refused; `kind` says why, `reasons` holds failed guard reasons."""

    def __init__(
        self, kind: Refusal, action: str, state: str, message: str, reasons: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.action = action
        self.state = state
        self.reasons = reasons
