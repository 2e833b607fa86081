"""The PAR pages: the trajectory, the matrix of positions, the FG's position, the dashboard."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pia.extensions import db
from pia.models import DecisionKind, Questionnaire
from pia.permissions import access, requires_role
from pia.roles import Role
from pia.services import par, questionnaires, review
from pia.services.par import adoption, overview
from pia.views.assessments import get_assessment
from pia.views.par import attempt, back, bp, dashboard_bp, load
from pia.views.par.forms import ActionForm, EmployeeDataForm, PositionForm
from workflows import terms


@bp.get("")
def index(assessment_id: int):
    """Where the trajectory stands, what this user can do, and the record so far."""
    assessment, granted = load(assessment_id)
    today = review.today()
    current = par.current_round(assessment)
    found = par.trajectory(assessment)
    offer = found.offer if found else 0
    return render_template(
        "par/index.html",
        assessment=assessment,
        access=granted,
        # The last signature adopts: "adopt" is never a button of its own.
        options=[o for o in par.options(current_user, assessment) if o.name != "adopt"],
        current=current,
        rounds=par.rounds(assessment),
        cells=overview.matrix(assessment, current, today),
        trajectory=found,
        approvals=par.decisions(assessment, offer, DecisionKind.APPROVAL) if offer else [],
        consents=par.decisions(assessment, offer, DecisionKind.CONSENT) if offer else [],
        employees=par.employee_data(assessment),
        term=overview.term_words(current.due_on, today) if current and current.due_on else "",
        overdue=bool(current and current.due_on and terms.is_overdue(current.due_on, today)),
        controllers=review.controllers(assessment),
        signatures=review.signatures(assessment),
        conditions=adoption.conditions(found),
        action_form=ActionForm(),
        dutch_date=terms.dutch_date,
    )


@bp.get("/standpunten")
def matrix(assessment_id: int):
    """Ministry × position, with each reasoning, and every FG's remarks by section."""
    assessment, _ = load(assessment_id, "may_see_positions")
    today = review.today()
    shown = overview.sent_rounds(assessment)
    titles = dict(
        (s.id, s.title)
        for s in questionnaires.definition_for(assessment, Questionnaire.DPIA).user_sections
    )
    return render_template(
        "par/matrix.html",
        assessment=assessment,
        rounds=[(r, overview.matrix(assessment, r, today)) for r in reversed(shown)],
        remarks=overview.fg_remarks(assessment),
        titles=titles,
        dutch_date=terms.dutch_date,
    )


@bp.route("/standpunt", methods=["GET", "POST"])
def position(assessment_id: int):
    """An FG gives (or changes) the position of their ministry in the open round."""
    assessment, _ = load(assessment_id, "may_give_position")
    current = par.current_round(assessment)
    mine = par.positions(current).get(current_user.organisation_id)
    previous = par.previous_round(assessment, current)
    earlier = par.positions(previous).get(current_user.organisation_id) if previous else None
    form = PositionForm(obj=mine)
    if form.validate_on_submit():
        given = par.PositionInput(
            form.verdict.data, form.reasoning.data or "", form.conditions.data or ""
        )
        done = attempt(
            form,
            lambda: par.give_position(assessment, current_user, given),
            "Het standpunt van uw ministerie is vastgelegd.",
        )
        if done:
            return back(assessment.id)
    return render_template(
        "par/position.html",
        assessment=assessment,
        form=form,
        current=current,
        mine=mine,
        previous=previous,
        earlier=earlier,
        dutch_date=terms.dutch_date,
    )


@bp.route("/medewerkers", methods=["GET", "POST"])
def employee_data(assessment_id: int):
    """The initiator corrects whether employees' data is processed, with a reason."""
    assessment, _ = load(assessment_id, "may_correct_employee_data")
    found = par.employee_data(assessment)
    choice = {None: "derived", True: "yes", False: "no"}[found.corrected]
    form = EmployeeDataForm(processed=choice, reason=found.reason)
    if form.validate_on_submit():
        value = {"derived": None, "yes": True, "no": False}[form.processed.data]
        done = attempt(
            form,
            lambda: par.correct_employee_data(assessment, current_user, value, form.reason.data),
            "Vastgelegd of er gegevens van medewerkers worden verwerkt.",
        )
        if done:
            return back(assessment.id)
    return render_template(
        "par/employee_data.html", assessment=assessment, form=form, employees=found
    )


@bp.post("/soort")
def set_route(assessment_id: int):
    """The owner marks a concept as government-wide (PAR) or departmental."""
    assessment = get_assessment(assessment_id)
    if not access(current_user, assessment).may_change_route:
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    wanted = request.form.get("rijksbreed") == "1"
    par.set_government_wide(assessment, current_user, wanted)
    db.session.commit()
    flash(
        "De DPIA volgt nu de PAR-procedure."
        if wanted
        else "De DPIA volgt nu de departementale route.",
        "success",
    )
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


@dashboard_bp.get("/par")
@requires_role(Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR)
def dashboard():
    """Every government-wide trajectory this user may open, by step, with its terms."""
    today = review.today()
    steps = overview.trajectories(current_user, today)
    return render_template("par/dashboard.html", steps=steps, dutch_date=terms.dutch_date)
