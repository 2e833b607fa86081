"""Guards shared by the procedures: any context with these facts will do."""

from typing import Protocol


class AuthoredContext(Protocol):
    actor_is_author: bool
    is_complete: bool


def not_own_work(ctx: AuthoredContext) -> str | None:
    """No one reviews their own work: an author of this DPIA cannot act as its FG."""
    if ctx.actor_is_author:
        return "U bent opsteller van deze DPIA en kunt haar daarom niet als FG beoordelen."
    return None


def complete(ctx: AuthoredContext) -> str | None:
    """Only a complete DPIA is submitted or offered."""
    return None if ctx.is_complete else "Niet alle verplichte vragen zijn beantwoord."
