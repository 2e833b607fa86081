"""The PAR procedure: the trajectory page, the coordinator's and the FGs' forms, the matrix,
and the coordinator's dashboard of every trajectory.

Two blueprints: "par" (one assessment) and "par_dashboard" (the list by step)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from pia.extensions import db
from pia.permissions import Access, access
from pia.services.assessments import AssessmentError
from pia.views.assessments import get_assessment
from workflows import par
from workflows.errors import TransitionNotAllowed

bp = Blueprint("par", __name__, url_prefix="/assessments/<int:assessment_id>/par")
dashboard_bp = Blueprint("par_dashboard", __name__)


def load(assessment_id: int, may: str = "may_view_par"):
    """The government-wide assessment and this user's access; 403 unless the Access object
    grants `may` (never on a departmental assessment: every PAR right requires the route)."""
    assessment = get_assessment(assessment_id)
    granted: Access = access(current_user, assessment)
    if not getattr(granted, may):
        abort(403)
    return assessment, granted


def require(assessment, granted: Access, action: str) -> None:
    """404 for an unknown action; 403 when this user may never fire it from here."""
    if action not in par.WORKFLOW.actions():
        abort(404)
    transition = par.WORKFLOW.transition(action, assessment.state)
    if transition is not None and not (transition.roles & granted.par_roles):
        abort(403)
    if transition is None and not granted.could_ever(action):
        abort(403)


def back(assessment_id: int):
    return redirect(url_for("par.index", assessment_id=assessment_id))


def attempt(form, call, done: str, field: str | None = None) -> bool:
    """Run one service call for a form: commit and say so, or roll back and keep the form
    (with what was typed) showing the reason. True when it was done."""
    try:
        call()
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        target = getattr(exc, "field", None) or field
        if isinstance(exc, TransitionNotAllowed) and exc.reasons:
            message = " ".join(exc.reasons)
        else:
            message = str(exc)
        form.add_error(target, message)
        return False
    db.session.commit()
    flash(done, "success")
    return True


from pia.views.par import actions, adoption, pages  # noqa: E402

__all__ = ["actions", "adoption", "bp", "dashboard_bp", "pages"]
