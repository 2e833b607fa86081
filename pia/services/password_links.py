"""One-time links to set a password, sent by mail: for a new account and after a reset.

The beheerder asks for a link but never sees it: the token goes only into the mail to
the account's own address, and the database keeps its SHA-256. A link works once,
expires after PASSWORD_LINK_HOURS, and a newer link (or an e-mail change, or
deactivation) revokes the older ones. Nothing about the account changes until the user
uses the link: a beheerder cannot lock anyone out by asking for one.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from pia.extensions import db
from pia.models import PasswordLink, User
from pia.models.types import utcnow
from pia.services import audit, notify

PURPOSES = {"welcome", "reset"}


class LinkError(ValueError):
    """The link cannot be used (unknown, used, revoked or expired); the message is Dutch."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_hours() -> int:
    return int(current_app.config["PASSWORD_LINK_HOURS"])


def revoke_open_links(user: User) -> int:
    """Revoke the user's links that could still be used; return how many."""
    now = utcnow()
    result = db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def send_link(user: User, purpose: str, *, actor: User | None) -> None:
    """Make a new link for `user` (revoking older ones), mail it to them, and audit that.

    Needs a request context or SERVER_NAME for the link's address (BASE_URL is its base).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not user.active:
        raise ValueError("no password link for a deactivated account")
    revoke_open_links(user)
    token = secrets.token_urlsafe(32)
    hours = link_hours()
    now = utcnow()
    db.session.add(
        PasswordLink(
            token_hash=_hash(token),
            user_id=user.id,
            purpose=purpose,
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    path = url_for("auth.set_password", token=token)
    if purpose == "welcome":
        subject = "[pia] Uw account: kies een wachtwoord"
        intro = (
            f"Er is een account voor u aangemaakt in pia, het systeem voor privacy impact "
            f"assessments van de Rijksdienst (organisatie: {user.organisation.abbreviation})."
        )
    else:
        subject = "[pia] Nieuw wachtwoord instellen"
        intro = (
            "Een beheerder van pia heeft voor u een link gemaakt om een nieuw wachtwoord te kiezen."
        )
    notify.queue_account_mail(
        user,
        subject,
        f"{intro}\n\nKies uw wachtwoord via deze link (eenmalig te gebruiken, {hours} uur "
        f"geldig):\n{notify.absolute(path)}\n\n"
        "Hebt u hier niet om gevraagd, neem dan contact op met de beheerder van pia of uw "
        "privacy office. Tot u de link gebruikt, verandert er niets aan uw account.",
    )
    audit.record(
        "user.password_link_sent" if purpose == "reset" else "user.invited",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=(f"Link om een wachtwoord te kiezen gemaild aan {user.name} ({hours} uur geldig)"),
        details={"purpose": purpose, "hours": hours},
    )


def open_link(token: str) -> PasswordLink:
    """The usable link for `token`, or LinkError; does not use it."""
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _hash(token)))
    if link is None or link.revoked_at is not None or not link.user.active:
        raise LinkError("Deze link werkt niet (meer). Vraag een beheerder om een nieuwe link.")
    if link.used_at is not None:
        raise LinkError(
            "Deze link is al gebruikt. Log in met het wachtwoord dat u toen koos, of vraag "
            "een beheerder om een nieuwe link."
        )
    if link.expires_at <= utcnow():
        raise LinkError("Deze link is verlopen. Vraag een beheerder om een nieuwe link.")
    return link


def use_link(token: str, new_password: str) -> User:
    """Set the password through a link: once only, even with two requests at the same time.

    Raises LinkError for an unusable link and AccountError for a refused password (the link
    then stays usable).
    """
    from pia.services.accounts import set_password_from_link

    link = open_link(token)
    user = link.user
    set_password_from_link(user, new_password)  # raises AccountError before anything changes
    # The conditional update is the single use: of two requests, one gets rowcount 1.
    claimed = db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.id == link.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.revoked_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise LinkError("Deze link is al gebruikt. Vraag een beheerder om een nieuwe link.")
    revoke_open_links(user)
    audit.record(
        "user.password_set_by_link",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} heeft via een eenmalige link een wachtwoord gekozen",
        details={"purpose": link.purpose},
    )
    return user
