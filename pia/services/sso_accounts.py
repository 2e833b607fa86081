"""Who an OpenID sign-in is: users are identified by (issuer, sub), never by e-mail alone.

A first sign-in is linked to an existing account only by the rule the beheerder set for the
organisation (the provider says the e-mail address is verified, and an account of that
organisation has it); otherwise it makes a new account without roles that a beheerder must
approve. Roles are never taken from the provider: they stay managed in pia (see README).
"""

from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation, User, UserIdentity
from pia.models.types import utcnow
from pia.services import audit
from pia.services.accounts import normalise_email
from pia.services.oidc_providers import Provider


class AccountRefused(Exception):
    """Signed in at the provider, but not (yet) allowed in pia; `str()` is for the user."""

    def __init__(self, reason: str, message: str, user: User | None = None) -> None:
        super().__init__(message)
        self.reason, self.user, self.detail = reason, user, ""


def _organisation(provider: Provider, claims: dict) -> Organisation | None:
    """The organisation this sign-in belongs to: from the configured claim when the provider
    serves several, else the provider's only one."""
    wanted = None
    if provider.organisation_claim:
        value = claims.get(provider.organisation_claim)
        if isinstance(value, str) and value in provider.organisations:
            wanted = value
    if wanted is None and len(provider.organisations) == 1:
        wanted = provider.organisations[0]
    if wanted is None:
        return None
    return db.session.scalar(
        select(Organisation).where(Organisation.abbreviation == wanted, Organisation.active)
    )


def _check_usable(user: User) -> None:
    if user.pending_approval:
        raise AccountRefused(
            "pending",
            "Uw account wacht nog op goedkeuring door een beheerder van uw organisatie. "
            "U krijgt toegang zodra dat gebeurd is.",
            user,
        )
    if not user.active:
        raise AccountRefused(
            "deactivated", "Uw account is gedeactiveerd. Neem contact op met een beheerder.", user
        )


def user_for(provider: Provider, claims: dict) -> User:
    """The account for these (checked) ID token claims; raises AccountRefused."""
    identity = db.session.scalar(
        select(UserIdentity).where(
            UserIdentity.issuer == provider.issuer, UserIdentity.subject == claims["sub"]
        )
    )
    if identity is not None:
        _check_usable(identity.user)
        identity.last_sign_in_at = utcnow()
        return identity.user

    org = _organisation(provider, claims)
    if org is None:
        raise AccountRefused(
            "organisation",
            f"Wij kunnen niet vaststellen bij welke organisatie u hoort via {provider.name}. "
            "Neem contact op met de beheerder van uw organisatie.",
        )
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise AccountRefused(
            "no_email",
            f"{provider.name} gaf geen e-mailadres door. Zonder e-mailadres kan pia geen "
            "account voor u maken.",
        )
    email = normalise_email(email)[:254]
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        return _link(provider, claims, org, existing)
    return _create(provider, claims, org, email)


def _link(provider: Provider, claims: dict, org: Organisation, user: User) -> User:
    """Link the identity to an existing account, if the organisation's rule allows it."""
    allowed = (
        org.sso_link_verified_email
        and claims.get("email_verified") is True
        and user.organisation_id == org.id
    )
    if not allowed:
        audit.record(
            "sso.link_refused",
            actor=None,
            object_type="user",
            object_id=user.id,
            summary=f"Eerste inlog via {provider.name} niet gekoppeld aan {user.name}",
            details={
                "provider": provider.id,
                "rule": org.sso_link_verified_email,
                "email_verified": claims.get("email_verified") is True,
                "same_organisation": user.organisation_id == org.id,
            },
        )
        raise AccountRefused(
            "link_refused",
            "Er is al een account met uw e-mailadres, maar het kan niet automatisch aan uw "
            f"inlog via {provider.name} worden gekoppeld. Vraag de beheerder van uw "
            "organisatie om hulp.",
        )
    _check_usable(user)
    db.session.add(
        UserIdentity(
            user=user,
            issuer=provider.issuer,
            subject=claims["sub"],
            linked_by="linked",
            last_sign_in_at=utcnow(),
        )
    )
    audit.record(
        "sso.linked",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"Inlog via {provider.name} gekoppeld aan het account van {user.name} "
        "(geverifieerd e-mailadres)",
        details={"provider": provider.id},
    )
    return user


def _create(provider: Provider, claims: dict, org: Organisation, email: str) -> User:
    """A new account without roles, inactive until a beheerder approves it."""
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    user = User(
        email=email,
        name=(name.strip() or email)[:200],
        organisation=org,
        password_hash="",  # no password: this account signs in through its provider
        active=False,
        pending_approval=True,
    )
    user.roles = set()
    db.session.add(user)
    db.session.add(
        UserIdentity(user=user, issuer=provider.issuer, subject=claims["sub"], linked_by="created")
    )
    db.session.flush()
    audit.record(
        "sso.account_requested",
        actor=None,
        object_type="user",
        object_id=user.id,
        summary=f"Nieuw account voor {user.name} ({org.abbreviation}) via {provider.name}, "
        "wacht op goedkeuring",
        details={"provider": provider.id},
    )
    raise AccountRefused(
        "created",
        f"Welkom. Er is een account voor u aangemaakt bij {org.name}. Een beheerder moet het "
        "nog goedkeuren en u rollen geven; daarna kunt u hier inloggen.",
        user,
    )
