"""Managing users: create, edit, roles, passwords, (de)activation. Never delete."""

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from pia.extensions import db
from pia.models import Organisation, User
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit
from pia.services.passwords import hash_password, password_problems, verify_password


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
    password: str,
    function: str = "",
    must_change_password: bool = True,
    actor: User | None = None,
) -> User:
    """Create an account; the temporary password must be changed at first login."""
    email = check_email(email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError("Er bestaat al een gebruiker met dit e-mailadres.", "email")
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
    if actor.id == user.id and Role.BEHEERDER not in roles:
        raise AccountError("U kunt uw eigen rol van beheerder niet intrekken.", "roles")
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


def reset_password(user: User, temporary_password: str, *, actor: User) -> None:
    """Set a temporary password; the user must choose a new one at next login."""
    from pia.services.auth import end_all_sessions

    _check_password(temporary_password, user.email, user.name)
    user.password_hash = hash_password(temporary_password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    end_all_sessions(user, "password_reset")
    audit.record(
        "user.password_reset",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Wachtwoord van {user.name} opnieuw ingesteld",
    )


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes their own password, proving the current one."""
    if not verify_password(user.password_hash, current):
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
    if not active:
        end_all_sessions(user, "deactivated")
    audit.record(
        "user.reactivated" if active else "user.deactivated",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Gebruiker {user.name} {'geactiveerd' if active else 'gedeactiveerd'}",
    )
