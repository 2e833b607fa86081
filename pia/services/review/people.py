"""Who is who on one assessment, as the procedure asks it: all answers come from the one
access object (pia.permissions.access)."""

from __future__ import annotations

from pia.models import Assessment, Review, User
from pia.permissions import access


def is_fg_for(user: User, assessment: Assessment) -> bool:
    """An FG of the assessment's organisation who did not write it, once it was submitted."""
    return access(user, assessment).is_fg


def claimant_available(assessment: Assessment, review: Review | None) -> bool:
    """The FG who claimed the open submission can still act on it."""
    if review is None or not review.is_open or review.claimed_by is None:
        return True
    return is_fg_for(review.claimed_by, assessment)


def actor_roles(user: User, assessment: Assessment) -> frozenset[str]:
    """The workflow roles (workflows.roles) this user has on this assessment."""
    return access(user, assessment).roles


def may_process(user: User, assessment: Assessment) -> bool:
    """Authors record the follow-up of the advice while it is being processed."""
    return access(user, assessment).may_process


def may_designate(user: User, assessment: Assessment) -> bool:
    """The owner designates the controllers until the DPIA is adopted."""
    return access(user, assessment).may_designate


def may_read_comments(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG; controllers and auditors read along."""
    return access(user, assessment).may_read_comments


def may_comment(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG write comments (not viewers), until withdrawn."""
    return access(user, assessment).may_comment
