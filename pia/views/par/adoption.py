"""After the PAR advice is established: the follow-up of its conditions. Designation,
the offer and the signatures are the departmental route's pages (pia.views.review)."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user

from pia.extensions import db
from pia.formkit import strip_control
from pia.models import Response as FollowUp
from pia.services import par
from pia.services.assessments import AssessmentError
from pia.services.par import adoption
from pia.views.par import back, bp, load
from pia.views.par.forms import TEXT_LIMIT, ActionForm


@bp.route("/voorwaarden", methods=["GET", "POST"])
def conditions(assessment_id: int):
    """The initiator records per condition of the advice: adopted, or not and why."""
    assessment, _ = load(assessment_id, "may_process_par_conditions")
    found = par.trajectory(assessment)
    rows = adoption.conditions(found)
    form = ActionForm()
    errors: dict[int, str] = {}
    values = {c.number: (c.response, c.explanation) for c in rows}
    if request.method == "POST":
        for c in rows:
            response = request.form.get(f"response-{c.number}", "")
            explanation = strip_control(request.form.get(f"explanation-{c.number}", ""))
            if response not in ("", *[r.value for r in FollowUp]):
                abort(400)
            values[c.number] = (response, explanation[:TEXT_LIMIT])
            if response == FollowUp.NOT_ADOPTED and not explanation.strip():
                errors[c.number] = "Geef de reden waarom deze voorwaarde niet is overgenomen."
        if form.validate_on_submit() and not errors:
            try:
                changed = adoption.record_condition_follow_up(
                    assessment, found, current_user, values
                )
            except AssessmentError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(
                    f"De opvolging is opgeslagen ({changed} voorwaarde"
                    f"{'n' if changed != 1 else ''} gewijzigd).",
                    "success",
                )
                return back(assessment.id)
    return render_template(
        "par/conditions.html",
        assessment=assessment,
        trajectory=found,
        rows=rows,
        form=form,
        values=values,
        errors=errors,
    ), 400 if errors else 200
