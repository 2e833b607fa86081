"""The interdepartmental bodies: add, rename, (de)activate. Never deleted (Archiefwet)."""

from __future__ import annotations

from sqlalchemy import func, select

from pia.extensions import db
from pia.models import ParBody, ParDecision, User
from pia.models.par import GOR_RIJK
from pia.services import audit

NAME_LIMIT = 100
DESCRIPTION_LIMIT = 300


class BodyError(ValueError):
    """A change that cannot be made; the message is Dutch and meant for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def all_bodies() -> list[ParBody]:
    """Every body, active first, by name."""
    return list(
        db.session.scalars(
            select(ParBody).order_by(ParBody.active.desc(), func.lower(ParBody.name))
        )
    )


def active_names() -> list[str]:
    """The names of the active bodies: what a trajectory may be offered to, in this order."""
    return list(
        db.session.scalars(
            select(ParBody.name).where(ParBody.active.is_(True)).order_by(func.lower(ParBody.name))
        )
    )


def decision_counts() -> dict[str, int]:
    """How many decisions were recorded under each name (the name at the time)."""
    query = select(ParDecision.body, func.count(ParDecision.id)).group_by(ParDecision.body)
    return {name: n for name, n in db.session.execute(query)}


def _clean(name: str, description: str, exclude_id: int | None = None) -> tuple[str, str]:
    name, description = " ".join(name.split()), description.strip()
    if not name:
        raise BodyError("Vul de naam van het overleg in.", "name")
    if len(name) > NAME_LIMIT:
        raise BodyError(f"De naam is te lang (hoogstens {NAME_LIMIT} tekens).", "name")
    if len(description) > DESCRIPTION_LIMIT:
        raise BodyError(
            f"De omschrijving is te lang (hoogstens {DESCRIPTION_LIMIT} tekens).", "description"
        )
    if name.lower() == GOR_RIJK.lower():
        raise BodyError(
            "De GOR Rijk besluit over instemming, niet over goedkeuring; die hoort hier niet.",
            "name",
        )
    query = select(ParBody.id).where(func.lower(ParBody.name) == name.lower())
    if exclude_id is not None:
        query = query.where(ParBody.id != exclude_id)
    if db.session.scalar(query):
        raise BodyError("Er bestaat al een overleg met deze naam.", "name")
    return name, description


def create_body(*, name: str, description: str, actor: User) -> ParBody:
    """Add an interdepartmental body (active at once)."""
    name, description = _clean(name, description)
    body = ParBody(name=name, description=description, active=True)
    db.session.add(body)
    db.session.flush()
    audit.record(
        "par_body.created",
        actor=actor,
        object_type="par_body",
        object_id=body.id,
        summary=f"Interdepartementaal overleg {body.name} toegevoegd",
    )
    return body


def update_body(body: ParBody, *, name: str, description: str, actor: User) -> None:
    """Rename a body or change its description; recorded decisions keep their name."""
    name, description = _clean(name, description, exclude_id=body.id)
    before = {"name": body.name, "description": body.description}
    body.name, body.description = name, description
    changes = {k: [v, getattr(body, k)] for k, v in before.items() if v != getattr(body, k)}
    if changes:
        audit.record(
            "par_body.updated",
            actor=actor,
            object_type="par_body",
            object_id=body.id,
            summary=f"Interdepartementaal overleg {body.name} gewijzigd: "
            + ", ".join(sorted(changes)),
            details={"changes": changes},
        )


def set_body_active(body: ParBody, active: bool, *, actor: User) -> None:
    """Deactivate (no longer offered to new advices) or reactivate a body."""
    if body.active == active:
        return
    body.active = active
    audit.record(
        "par_body.reactivated" if active else "par_body.deactivated",
        actor=actor,
        object_type="par_body",
        object_id=body.id,
        summary=f"Interdepartementaal overleg {body.name} "
        + ("geactiveerd" if active else "gedeactiveerd"),
    )
