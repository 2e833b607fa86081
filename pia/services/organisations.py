"""Managing organisations: add, rename, (de)activate. Never delete."""

from sqlalchemy import func, select

from pia.extensions import db
from pia.models import Organisation, User
from pia.services import audit
from pia.services.accounts import AccountError


def _check_unique(name: str, abbreviation: str, exclude_id: int | None = None) -> None:
    for column, value, field, what in (
        (Organisation.name, name, "name", "naam"),
        (Organisation.abbreviation, abbreviation, "abbreviation", "afkorting"),
    ):
        query = select(Organisation.id).where(func.lower(column) == value.lower())
        if exclude_id is not None:
            query = query.where(Organisation.id != exclude_id)
        if db.session.scalar(query):
            raise AccountError(f"Er bestaat al een organisatie met deze {what}.", field)


def create_organisation(
    *,
    name: str,
    abbreviation: str,
    is_ministry: bool,
    actor: User | None,
    sso_link_verified_email: bool = False,
) -> Organisation:
    """Add an organisation."""
    name, abbreviation = name.strip(), abbreviation.strip()
    _check_unique(name, abbreviation)
    org = Organisation(
        name=name,
        abbreviation=abbreviation,
        is_ministry=is_ministry,
        sso_link_verified_email=sso_link_verified_email,
    )
    db.session.add(org)
    db.session.flush()
    audit.record(
        "organisation.created",
        actor=actor,
        object_type="organisation",
        object_id=org.id,
        summary=f"Organisatie {org} toegevoegd",
    )
    return org


def update_organisation(
    org: Organisation,
    *,
    name: str,
    abbreviation: str,
    is_ministry: bool,
    actor: User,
    sso_link_verified_email: bool | None = None,
) -> None:
    """Rename an organisation (or change its abbreviation, kind or sign-in linking rule)."""
    name, abbreviation = name.strip(), abbreviation.strip()
    _check_unique(name, abbreviation, exclude_id=org.id)
    if sso_link_verified_email is None:
        sso_link_verified_email = org.sso_link_verified_email
    fields = ("name", "abbreviation", "is_ministry", "sso_link_verified_email")
    before = {k: getattr(org, k) for k in fields}
    org.name, org.abbreviation, org.is_ministry = name, abbreviation, is_ministry
    org.sso_link_verified_email = sso_link_verified_email
    after = {k: getattr(org, k) for k in fields}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        audit.record(
            "organisation.updated",
            actor=actor,
            object_type="organisation",
            object_id=org.id,
            summary=f"Organisatie {org} gewijzigd: {', '.join(sorted(changes))}",
            details={"changes": changes},
        )


def set_organisation_active(org: Organisation, active: bool, *, actor: User) -> None:
    """Deactivate or reactivate an organisation; its users and history stay."""
    if org.active == active:
        return
    if not active and actor.organisation_id == org.id:
        raise AccountError("U kunt uw eigen organisatie niet deactiveren.")
    org.active = active
    audit.record(
        "organisation.reactivated" if active else "organisation.deactivated",
        actor=actor,
        object_type="organisation",
        object_id=org.id,
        summary=f"Organisatie {org} {'geactiveerd' if active else 'gedeactiveerd'}",
    )
