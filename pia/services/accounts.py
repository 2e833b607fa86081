"""Managing users: create, edit, roles, passwords, (de)activation. Never delete.

A beheerder manages accounts but cannot become someone else: passwords are chosen by
the users themselves through a one-time link (services.password_links), and a beheerder
cannot give themselves roles or move themselves to another organisation. Every change
of roles, organisation or e-mail address is audited and mailed to the user.
"""

import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from pia.extensions import db
from pia.models import Organisation, User
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit
from pia.services.passwords import hash_password, password_problems


class AccountError(ValueError):
    """A change that cannot be made; the message is Dutch and meant for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored in lower case, without spaces."""
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """Return the normalised address or raise AccountError with a Dutch message."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise AccountError("Vul een geldig e-mailadres in, zoals naam@minbzk.nl.", "email") from exc
    return email


def _check_password(password: str, email: str, name: str, field: str = "password") -> None:
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise AccountError(" ".join(problems), field)


def _role_labels(roles: set[Role]) -> list[str]:
    return sorted(r.label for r in roles)


def create_user(
    *,
    email: str,
    name: str,
    organisation: Organisation,
    roles: set[Role],
    password: str | None = None,
    function: str = "",
    must_change_password: bool = False,
    actor: User | None = None,
) -> User:
    """Create an account.

    With a password (`flask create-admin`, the demo) the account can log in with it; without
    one (a beheerder in the app) it has an unusable random password until the user chooses
    their own through the welcome link (services.password_links.send_link).
    """
    email = check_email(email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError("Er bestaat al een gebruiker met dit e-mailadres.", "email")
    if password is None:
        # Nobody knows it; hashed like any password, so a login takes just as long.
        password = secrets.token_urlsafe(32)
    else:
        _check_password(password, email, name)
    user = User(
        email=email,
        name=name.strip(),
        function=function.strip(),
        organisation=organisation,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    user.roles = set(roles)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.created",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Gebruiker {user.name} <{user.email}> aangemaakt",
        details={"organisation": organisation.abbreviation, "roles": sorted(roles)},
    )
    return user


def update_user(
    user: User,
    *,
    name: str,
    email: str,
    function: str,
    organisation: Organisation,
    roles: set[Role],
    actor: User,
) -> None:
    """Change a user's details, organisation and roles; the change is audited field by field."""
    email = check_email(email)
    clash = db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    if clash:
        raise AccountError("Er bestaat al een gebruiker met dit e-mailadres.", "email")
    if actor.id == user.id:
        if Role.BEHEERDER not in roles:
            raise AccountError("U kunt uw eigen rol van beheerder niet intrekken.", "roles")
        if roles - user.roles:
            raise AccountError(
                "U kunt uzelf geen rol geven (zoals FG of auditor): dat doet een andere beheerder.",
                "roles",
            )
        if organisation.id != user.organisation_id:
            raise AccountError(
                "U kunt uzelf niet naar een andere organisatie verplaatsen: dat doet een andere "
                "beheerder.",
                "organisation_id",
            )
    old_email = user.email
    before = {
        "name": user.name,
        "email": user.email,
        "function": user.function,
        "organisation": user.organisation.abbreviation,
        "roles": sorted(user.roles),
    }
    user.name, user.email, user.function = name.strip(), email, function.strip()
    user.organisation = organisation
    user.roles = set(roles)
    after = {
        "name": user.name,
        "email": user.email,
        "function": user.function,
        "organisation": organisation.abbreviation,
        "roles": sorted(roles),
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changes:
        return
    action = "user.roles_changed" if set(changes) == {"roles"} else "user.updated"
    audit.record(
        action,
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Gebruiker {user.name} gewijzigd: {', '.join(sorted(changes))}",
        details={"changes": changes},
    )
    _tell_about_changes(user, changes, actor, old_email)


def _tell_about_changes(user: User, changes: dict, actor: User, old_email: str) -> None:
    """Mail the user what a beheerder changed about their access (roles, organisation, e-mail)."""
    from pia.services import notify, password_links

    lines = []
    if "roles" in changes:
        was, now = (", ".join(Role(r).label for r in side) or "geen" for side in changes["roles"])
        lines.append(f"Uw rollen: nu {now} (was: {was}).")
    if "organisation" in changes:
        was, now = changes["organisation"]
        lines.append(f"Uw organisatie: nu {now} (was: {was}).")
    if "email" in changes:
        lines.append(f"Uw e-mailadres: nu {user.email} (was: {old_email}).")
        # A link sent to the old address must not work for the new owner of the account.
        password_links.revoke_open_links(user)
    if not lines:
        return
    body = (
        f"{actor.name} (beheerder) heeft uw account in pia gewijzigd.\n\n"
        + "\n".join(lines)
        + "\n\nKlopt dit niet, neem dan contact op met uw privacy office of de beheerder."
    )
    notify.queue_account_mail(user, "[pia] Uw account is gewijzigd", body)
    if "email" in changes:
        # The old address hears of it too: that is where the real owner reads their mail.
        notify.queue_account_mail(
            _Recipient(old_email, user.name), "[pia] Uw account is gewijzigd", body
        )


class _Recipient:
    """A recipient that is not (or no longer) the address of a user row."""

    def __init__(self, email: str, name: str) -> None:
        self.email, self.name = email, name


def reset_password(user: User, *, actor: User) -> None:
    """Mail the user a one-time link to choose a new password; the beheerder never sees it.

    Nothing else changes until the link is used (then all sessions end).
    """
    from pia.services import password_links

    if not user.active:
        raise AccountError("Dit account is gedeactiveerd; activeer het eerst.")
    password_links.send_link(user, "reset", actor=actor)


def set_password_from_link(user: User, new: str) -> None:
    """The user chose a password through a one-time link: set it and end all sessions."""
    from pia.services.auth import end_all_sessions

    _check_password(new, user.email, user.name, field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    end_all_sessions(user, "password_reset")


class PasswordCheckThrottled(AccountError):
    """Too many wrong current passwords: the check is refused for a while."""

    def __init__(self, message: str, until) -> None:
        super().__init__(message, "current_password")
        self.until = until


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes their own password, proving the current one (throttled like a login)."""
    from pia.services import auth

    check = auth.check_current_password(user, current)
    if check.throttled_until is not None:
        raise PasswordCheckThrottled(
            "Er zijn te veel onjuiste wachtwoorden ingevuld. Probeer het later opnieuw.",
            check.throttled_until,
        )
    if not check.ok:
        raise AccountError("Het huidige wachtwoord klopt niet.", "current_password")
    if current == new:
        raise AccountError("Kies een ander wachtwoord dan het huidige.", "new_password")
    _check_password(new, user.email, user.name, field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    audit.record(
        "user.password_changed",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} heeft het eigen wachtwoord gewijzigd",
    )


def set_user_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (ends all sessions) or reactivate an account; accounts are never deleted."""
    from pia.services.auth import end_all_sessions

    if actor.id == user.id and not active:
        raise AccountError("U kunt uw eigen account niet deactiveren.")
    if user.active == active:
        return
    user.active = active
    if active and user.pending_approval:
        # A first OpenID sign-in made this account; activating it is the approval.
        user.pending_approval = False
        audit.record(
            "user.approved",
            actor=actor,
            object_type="user",
            object_id=user.id,
            summary=f"Account van {user.name} goedgekeurd",
        )
        return
    if not active:
        from pia.services.password_links import revoke_open_links

        end_all_sessions(user, "deactivated")
        revoke_open_links(user)
    audit.record(
        "user.reactivated" if active else "user.deactivated",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Gebruiker {user.name} {'geactiveerd' if active else 'gedeactiveerd'}",
    )
