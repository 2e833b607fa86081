"""The review procedure: submission, the FG's work, advice, follow-up, adoption, history.

One blueprint ("review"), its routes in one module per part of the procedure.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from pia.extensions import db
from pia.models import Assessment, Questionnaire
from pia.permissions import access
from pia.services import questionnaires, review
from pia.services.assessments import AssessmentError
from workflows.errors import TransitionNotAllowed

bp = Blueprint("review", __name__, url_prefix="/assessments/<int:assessment_id>")

# -- helpers ----------------------------------------------------------------------------------


def refused(exc: Exception) -> None:
    """Tell the user why an action was refused."""
    flash(str(exc), "error")


def back(assessment_id: int):
    """Back to the procedure page (the PAR page of a government-wide assessment)."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is not None and assessment.government_wide:
        return redirect(url_for("par.index", assessment_id=assessment_id))
    return redirect(url_for(".index", assessment_id=assessment_id))


def require(assessment, action: str) -> None:
    """404 for an unknown action; 403 when this user may never fire it from here.

    A government-wide assessment reaches these pages only for its adoption (after the
    PAR advice is established), on the PAR machine's rows."""
    workflow = review.workflow_for(assessment)
    if action not in workflow.actions():
        abort(404)
    if assessment.government_wide and action not in review.ADOPTION_ACTIONS:
        abort(404)
    granted = access(current_user, assessment)
    roles = granted.par_roles if assessment.government_wide else granted.roles
    transition = workflow.transition(action, assessment.state)
    if transition is not None and not (transition.roles & roles):
        abort(403)
    if transition is None and not granted.could_ever(action):
        abort(403)


def dpia_sections(assessment) -> list[tuple[str, str]]:
    """(id, title) of the DPIA sections the drafters fill in."""
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    return [(s.id, s.title) for s in definition.user_sections]


def may_view_history(assessment) -> bool:
    """The history is for the owner, the FG and the auditor."""
    return access(current_user, assessment).may_view_history


def attempt(form, call, done: str, field: str | None = None) -> bool:
    """Run one service call for a form: commit and say so, or roll back and keep the form
    (with what was typed) showing the reason. True when it was done."""
    try:
        call()
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        form.add_error(field, reason_text(exc) if field else str(exc))
        return False
    db.session.commit()
    flash(done, "success")
    return True


def reason_text(exc: Exception) -> str:
    """A refusal in words: the guards' reasons when there are any."""
    if isinstance(exc, TransitionNotAllowed) and exc.reasons:
        return " ".join(exc.reasons)
    return str(exc)


@bp.errorhandler(IntegrityError)
def simultaneous(exc: IntegrityError):
    """Two people (or two clicks) did the same at once; the database kept the first."""
    db.session.rollback()
    current_app.logger.info("Review: a simultaneous action was refused: %s", exc.orig)
    flash(
        "Iemand anders deed zojuist hetzelfde, of u klikte twee keer. Er is niets dubbel "
        "opgeslagen; hieronder ziet u de stand van nu.",
        "error",
    )
    return back(request.view_args["assessment_id"])


# The routes register themselves on bp when their modules are imported.
from pia.views.review import (  # noqa: E402
    comments,
    controllers,
    decisions,
    history,
    procedure,
    versions,
)

__all__ = ["bp", "comments", "controllers", "decisions", "history", "procedure", "versions"]
