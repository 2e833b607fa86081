"""After the advice: offer for adoption, the AP, signing, sending back, withdrawing, dates."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user

from pia.extensions import db
from pia.permissions import access
from pia.services import par, review
from pia.services.assessments import AssessmentError
from pia.services.par import adoption as par_adoption
from pia.views.assessments import get_assessment
from pia.views.review import attempt, back, bp, reason_text, require
from pia.views.review.forms import (
    ApAnswerForm,
    ApRequestForm,
    OfferForm,
    ReasonForm,
    ReviewDateForm,
    WithdrawForm,
    sign_form_class,
)
from workflows import departmental, terms
from workflows.errors import TransitionNotAllowed


@bp.route("/beoordeling/aanbieden", methods=["GET", "POST"])
def offer(assessment_id: int):
    """Offer the processed DPIA to the controllers for adoption."""
    assessment = get_assessment(assessment_id)
    require(assessment, "offer_for_adoption")
    form = OfferForm(review_date=assessment.review_due_on or review.default_review_date())

    def call():
        review.offer_for_adoption(assessment, current_user, form.review_date.data)

    if form.validate_on_submit() and attempt(form, call, "De DPIA is aangeboden ter vaststelling."):
        return back(assessment.id)
    return render_template(
        "review/offer.html",
        assessment=assessment,
        form=form,
        controllers=review.controllers(assessment),
        advice=review.current_advice(assessment),
        par_advice=par.trajectory(assessment) if assessment.government_wide else None,
    ), 400 if form.errors else 200


@bp.route("/beoordeling/ap", methods=["GET", "POST"])
def ap(assessment_id: int):
    """Prior consultation of the AP: record the request, later the answer."""
    assessment = get_assessment(assessment_id)
    answering = assessment.state == departmental.AP_CONSULTATION.value
    consultation = review.ap_consultation(assessment) if answering else None
    action = "record_ap_answer" if answering else "request_ap_consultation"
    require(assessment, action)
    form = ApAnswerForm() if answering else ApRequestForm(sent_on=review.today())

    def call():
        if answering:
            review.record_ap_answer(
                assessment,
                current_user,
                form.received_on.data,
                form.summary.data,
                form.extended.data,
            )
        else:
            review.request_ap_consultation(
                assessment, current_user, form.sent_on.data, form.reference.data or ""
            )

    if form.validate_on_submit() and attempt(form, call, "Vastgelegd."):
        return back(assessment.id)
    return render_template(
        "review/ap.html",
        assessment=assessment,
        form=form,
        consultation=consultation,
        ap_terms=terms.ap_terms(consultation.request_sent_on) if consultation else None,
    ), 400 if form.errors else 200


@bp.route("/beoordeling/ondertekenen", methods=["GET", "POST"])
def sign(assessment_id: int):
    """A controller adopts and signs the offered version."""
    assessment = get_assessment(assessment_id)
    require(assessment, "sign")
    advice = review.current_advice(assessment)
    par_advice = par.trajectory(assessment) if assessment.government_wide else None
    deviates = (
        par_adoption.deviates(par_advice) if par_advice is not None else review.deviates(advice)
    )
    controller = next(
        (c for c in review.controllers(assessment) if c.user_id == current_user.id), None
    )
    offered = review.latest_version(assessment)
    open_remarks = sum(review.open_comment_counts(assessment).values())
    form = sign_form_class(open_remarks)(
        function=(controller.function if controller else "") or current_user.function,
        version=offered.number if offered else None,
    )
    if par_advice is not None:
        form.deviation_reason.label.text = "Reden van afwijking van het rijksbrede privacyadvies"
        form.deviation_reason.description = (
            "Verplicht als u afwijkt van het rijksbrede privacyadvies: bij een negatief advies "
            "of een voorwaarde die niet is overgenomen (artikel 35, tweede lid, AVG)."
        )
    if form.validate_on_submit():
        try:
            adopted = review.sign(
                assessment,
                current_user,
                form.function.data,
                form.deviation_reason.data or "",
                form.version.data,
            )
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error("deviation_reason" if "afwijk" in str(exc) else None, reason_text(exc))
            form.version.data = offered.number if offered else None
        else:
            db.session.commit()
            flash(
                "U heeft ondertekend. De DPIA is vastgesteld."
                if adopted
                else "U heeft ondertekend. Nog niet alle verwerkingsverantwoordelijken tekenden.",
                "success",
            )
            return back(assessment.id)
    return render_template(
        "review/sign.html",
        assessment=assessment,
        form=form,
        advice=advice,
        par_advice=par_advice,
        par_conditions=par_adoption.conditions(par_advice),
        deviates=deviates,
        version=offered,
        signatures=review.signatures(assessment),
        controllers=review.controllers(assessment),
        consultation=review.ap_consultation(assessment),
        open_remarks=open_remarks,
        may_read_comments=access(current_user, assessment).may_read_comments,
    ), 400 if form.errors else 200


@bp.route("/beoordeling/terugsturen-naar-opstellers", methods=["GET", "POST"])
def return_to_drafters(assessment_id: int):
    """A controller sends the DPIA back to the drafters before signing."""
    assessment = get_assessment(assessment_id)
    require(assessment, "return_to_drafters")
    form = ReasonForm()

    def call():
        review.return_to_drafters(assessment, current_user, form.message.data or "")

    if form.validate_on_submit() and attempt(
        form, call, "De DPIA is teruggestuurd naar de opstellers."
    ):
        return back(assessment.id)
    return render_template(
        "review/simple_form.html",
        assessment=assessment,
        form=form,
        title="Terugsturen naar de opstellers",
        intro="De opstellers kunnen de DPIA dan aanpassen en opnieuw aanbieden.",
        button="Terugsturen",
    ), 400 if form.errors else 200


@bp.route("/beoordeling/intrekken", methods=["GET", "POST"])
def withdraw(assessment_id: int):
    """Withdraw the assessment, with the reason."""
    assessment = get_assessment(assessment_id)
    require(assessment, "withdraw")
    form = WithdrawForm()

    def call():
        review.withdraw(assessment, current_user, form.reason.data)

    if form.validate_on_submit() and attempt(
        form, call, "Het assessment is ingetrokken. Het blijft bewaard."
    ):
        return back(assessment.id)
    return render_template(
        "review/simple_form.html",
        assessment=assessment,
        form=form,
        title="Intrekken",
        intro="Na intrekking kan niemand het assessment nog wijzigen. Alles blijft bewaard "
        "en leesbaar.",
        button="Intrekken",
    ), 400 if form.errors else 200


@bp.post("/beoordeling/herbeoordelingsdatum")
def set_review_date(assessment_id: int):
    """Owner or controller moves the re-assessment date."""
    assessment = get_assessment(assessment_id)
    if not access(current_user, assessment).may_set_review_date:
        abort(403)
    form = ReviewDateForm()
    if not form.validate_on_submit():
        for message in form.review_date.errors or ["Ongeldige datum."]:
            flash(message, "error")
        return back(assessment.id)
    try:
        review.set_review_date(assessment, current_user, form.review_date.data)
    except AssessmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"De herbeoordeling staat op {terms.dutch_date(form.review_date.data)}.", "success")
    return back(assessment.id)
