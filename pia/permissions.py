"""Who may do what. Every view asks here; nothing is allowed by default."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from pia.models import Assessment, AssessmentRole, Organisation, User
from pia.roles import Role
from workflows import departmental

# Endpoints reachable without logging in. Everything else requires a login.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.set_password",
        "static",
        "public.health",
        "public.accessibility",
        "public.privacy",
        "public.security_txt",
    }
)

# Endpoints a user who must change their password may still use.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout"})


def requires_role(*roles: Role) -> Callable:
    """View decorator: 403 unless the current user holds one of these roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def can_manage_accounts(user: User) -> bool:
    """Beheerders manage organisations and users."""
    return user.has_role(Role.BEHEERDER)


def can_view_audit_log(user: User) -> bool:
    """The system-wide audit log is for beheerders and auditors."""
    return user.has_role(Role.BEHEERDER, Role.AUDITOR)


def can_edit_user(actor: User, target: User) -> bool:
    """Beheerders edit users (the services stop them from locking themselves out)."""
    return can_manage_accounts(actor)


def can_edit_organisation(actor: User, organisation: Organisation) -> bool:
    """Beheerders edit organisations."""
    return can_manage_accounts(actor)


# --- assessments -------------------------------------------------------------------


def can_create_assessment(user: User) -> bool:
    """Projectleiders start assessments."""
    return user.has_role(Role.PROJECTLEIDER)


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    """Members see their assessments; auditors see everything; the FGs of the organisation
    see it once it was submitted to them; designated controllers see what they sign."""
    from pia.services import review

    if assessment.role_of(user) is not None or user.has_role(Role.AUDITOR):
        return True
    return review.is_fg_for(user, assessment) or review.is_controller(user, assessment)


def can_edit_assessment(user: User, assessment: Assessment) -> bool:
    """Owner and editors change answers while the assessment is a draft."""
    role = assessment.role_of(user)
    return role is not None and departmental.can_edit_answers(assessment.state, {role.value})


def can_share_assessment(user: User, assessment: Assessment) -> bool:
    """Only the owner shares (and revokes)."""
    return assessment.role_of(user) is AssessmentRole.OWNER


def can_export_assessment(user: User, assessment: Assessment) -> bool:
    """Everyone who may read an assessment may take it away as JSON."""
    return can_view_assessment(user, assessment)
