"""Personal access tokens: create (the secret shown once), find by secret, list, revoke."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from pia.extensions import db
from pia.models import ApiToken, User
from pia.models.api_tokens import SCOPES
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit

PREFIX = "pia_"
MAX_DAYS = 365


class TokenError(ValueError):
    """A token cannot be made or changed like this; the message is for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User, name: str, scopes: list[str], days: int, *, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for this user; returns the row and the secret (shown once, never stored)."""
    now = now or utcnow()
    name = (name or "").strip()
    if not name:
        raise TokenError("Geef het token een naam.", "name")
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen or len(chosen) != len(set(scopes)):
        raise TokenError("Kies minstens één geldige bevoegdheid.", "scopes")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"Een token is 1 tot {MAX_DAYS} dagen geldig.", "days")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        token_hash=hash_token(secret),
        prefix=secret[:10],
        scopes=" ".join(chosen),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.created",
        actor=user,
        object_type="api_token",
        object_id=token.id,
        summary=f"API-token '{token.name}' aangemaakt",
        details={"scopes": chosen, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


def find_usable(secret: str, *, now: datetime | None = None) -> ApiToken | None:
    """The token with this secret when it may be used now (not revoked or expired, the user
    active), else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now):
        return None
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def tokens_of_organisation(organisation_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .join(User, ApiToken.user_id == User.id)
            .where(User.organisation_id == organisation_id)
            .order_by(ApiToken.id.desc())
        )
    )


def may_revoke(actor: User, token: ApiToken) -> bool:
    """The owner revokes their own; a beheerder those of their organisation."""
    if token.user_id == actor.id:
        return True
    return actor.has_role(Role.BEHEERDER) and token.user.organisation_id == actor.organisation_id


def revoke(actor: User, token: ApiToken) -> None:
    if not may_revoke(actor, token):
        raise PermissionError("not allowed")
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record(
        "api_token.revoked",
        actor=actor,
        object_type="api_token",
        object_id=token.id,
        summary=f"API-token '{token.name}' van {token.user.email} ingetrokken",
    )
