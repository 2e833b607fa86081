"""Who is who on one assessment (authors, its FGs, controllers) and what each may do."""

from __future__ import annotations

from pia.models import (
    Assessment,
    AssessmentRole,
    Review,
    User,
)
from pia.roles import Role
from pia.services.review.record import (
    current_advice,
    current_review,
    is_author,
    is_controller,
    took_part,
    was_submitted,
)
from workflows import departmental, roles


def is_fg_for(user: User, assessment: Assessment) -> bool:
    """An FG of the assessment's organisation who did not write it, once it was submitted."""
    return (
        user.active
        and user.has_role(Role.FG)
        and user.organisation_id == assessment.organisation_id
        and not took_part(user, assessment)
        and was_submitted(assessment)
    )


def claimant_available(assessment: Assessment, review: Review | None) -> bool:
    """The FG who claimed the open submission can still act on it."""
    if review is None or not review.is_open or review.claimed_by is None:
        return True
    return is_fg_for(review.claimed_by, assessment)


def actor_roles(user: User, assessment: Assessment) -> frozenset[str]:
    """The workflow roles (workflows.roles) this user has on this assessment."""
    found: set[str] = set()
    member = assessment.role_of(user)
    if member is not None:
        found.add(member.value)
    if is_fg_for(user, assessment):
        found.add(roles.FG)
        review = current_review(assessment)
        if review is not None and review.is_open and review.claimed_by_id == user.id:
            found.add(roles.CLAIMED_FG)
    if is_controller(user, assessment):
        found.add(roles.CONTROLLER)
    if user.has_role(Role.AUDITOR):
        found.add(roles.AUDITOR)
    return frozenset(found)


def may_process(user: User, assessment: Assessment) -> bool:
    """Authors record the follow-up of the advice while it is being processed."""
    return (
        is_author(user, assessment)
        and assessment.state == departmental.ADVICE_GIVEN.value
        and current_advice(assessment) is not None
    )


def may_designate(user: User, assessment: Assessment) -> bool:
    """The owner designates the controllers until the DPIA is adopted."""
    return assessment.role_of(user) is AssessmentRole.OWNER and assessment.state not in (
        departmental.FINAL.values | departmental.CLOSED.values
    )


def may_read_comments(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG; controllers and auditors read along."""
    return bool(
        {roles.OWNER, roles.EDITOR, roles.FG, roles.CONTROLLER, roles.AUDITOR}
        & actor_roles(user, assessment)
    )


def may_comment(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG write comments (not viewers), until withdrawn."""
    return assessment.state != departmental.WITHDRAWN.value and bool(
        {roles.OWNER, roles.EDITOR, roles.FG} & actor_roles(user, assessment)
    )
