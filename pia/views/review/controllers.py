"""The controllers who adopt and sign: designated by the owner."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from pia.extensions import db
from pia.models import (
    Controller,
)
from pia.services import review
from pia.services.assessments import AssessmentError
from pia.views.assessments import get_assessment
from pia.views.review import bp
from pia.views.review.forms import ActionForm, ControllerForm

# -- controllers --------------------------------------------------------------------------------


@bp.route("/verwerkingsverantwoordelijken", methods=["GET", "POST"])
def controllers(assessment_id: int):
    """Who adopts and signs; the owner designates them."""
    assessment = get_assessment(assessment_id)
    may_designate = review.may_designate(current_user, assessment)
    form = ControllerForm()
    if form.is_submitted() and not may_designate:
        abort(403)
    if form.validate_on_submit():
        try:
            controller = review.designate(
                assessment, form.email.data, form.function.data or "", current_user
            )
        except AssessmentError as exc:
            db.session.rollback()
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"{controller.user.name} is aangewezen.", "success")
            return redirect(url_for(".controllers", assessment_id=assessment.id))
    return render_template(
        "review/controllers.html",
        assessment=assessment,
        form=form,
        controllers=review.controllers(assessment),
        signatures={s.user_id: s for s in review.signatures(assessment)},
        may_designate=may_designate,
        remove_form=ActionForm(),
    ), 400 if form.errors else 200


@bp.post("/verwerkingsverantwoordelijken/<int:controller_id>/aanwijzing-intrekken")
def undesignate(assessment_id: int, controller_id: int):
    assessment = get_assessment(assessment_id)
    if not review.may_designate(current_user, assessment):
        abort(403)
    controller = db.get_or_404(Controller, controller_id)
    if controller.assessment_id != assessment.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            review.remove_controller(assessment, controller, current_user)
        except AssessmentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{controller.user.name} is niet langer aangewezen.", "success")
    return redirect(url_for(".controllers", assessment_id=assessment.id))
