"""Who may do what. Every view asks here; nothing is allowed by default."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import String, cast, false, select, true

from pia.models import Assessment, AssessmentMember, AssessmentRole, Organisation, User
from pia.roles import Role
from workflows import departmental

# Endpoints reachable without logging in. Everything else requires a login.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
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


# --- lists: the same rule as a query -----------------------------------------------------


def visible_assessments(user: User):
    """A SQL condition on Assessment: exactly the assessments can_view_assessment() opens
    for this user (members, designated controllers, the organisation's FGs once it was
    submitted and when they took no part in writing it; auditors everything)."""
    from pia.models import Controller

    if not user.is_authenticated or not user.active:
        return false()
    if user.has_role(Role.AUDITOR):
        return true()
    member = select(AssessmentMember.assessment_id).where(AssessmentMember.user_id == user.id)
    controller = select(Controller.assessment_id).where(Controller.user_id == user.id)
    visible = Assessment.id.in_(member) | Assessment.id.in_(controller)
    if user.has_role(Role.FG):
        visible |= fg_assessments(user)
    return visible


def fg_assessments(user: User):
    """A SQL condition on Assessment: those this user reviews as FG (review.is_fg_for):
    of their organisation, submitted at least once, and not written by them (an author now,
    or anyone who ever saved answers in it)."""
    from pia.models import AuditEvent, Review

    if not user.is_authenticated or not user.active or not user.has_role(Role.FG):
        return false()
    authors = select(AssessmentMember.assessment_id).where(
        AssessmentMember.user_id == user.id,
        AssessmentMember.role.in_([AssessmentRole.OWNER.value, AssessmentRole.EDITOR.value]),
    )
    wrote = select(AuditEvent.object_id).where(
        AuditEvent.object_type == "assessment",
        AuditEvent.action == "assessment.answers_saved",
        AuditEvent.actor_id == user.id,
    )
    return (
        (Assessment.organisation_id == user.organisation_id)
        & Assessment.id.in_(select(Review.assessment_id))
        & Assessment.id.not_in(authors)
        & cast(Assessment.id, String).not_in(wrote)
    )
