"""The procedure page, the one-button actions, and the FG's forms: send back, advise;
the drafters' follow-up."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user

from pia.extensions import db
from pia.formkit import strip_control
from pia.models import (
    Response as FollowUp,
)
from pia.permissions import access
from pia.services import questionnaires, review
from pia.services.assessments import AssessmentError
from pia.views.assessments import get_assessment
from pia.views.review import (
    attempt,
    back,
    bp,
    dpia_sections,
    refused,
    require,
)
from pia.views.review.forms import (
    TEXT_LIMIT,
    ActionForm,
    RequestChangesForm,
    ReviewDateForm,
    advice_form_class,
)
from workflows import departmental, terms
from workflows.errors import TransitionNotAllowed

# -- the procedure page -----------------------------------------------------------------------


@bp.get("/beoordeling")
def index(assessment_id: int):
    """Where the assessment stands, what this user can do, and the record so far."""
    assessment = get_assessment(assessment_id)
    current = review.current_review(assessment)
    advice = review.current_advice(assessment)
    consultation = review.ap_consultation(assessment)
    granted = access(current_user, assessment)
    status = questionnaires.status(assessment)
    needs_ap = review.needs_ap(assessment)
    hidden = {"sign", "adopt"} | (set() if needs_ap else {"request_ap_consultation"})
    options = [
        o
        for o in review.options(current_user, assessment)
        if o.name not in hidden and (o.enabled or o.name != "take_over")
    ]
    previous = (
        review.last_reviewed_version(assessment, current, current_user)
        if current is not None
        else None
    )
    return render_template(
        "review/index.html",
        assessment=assessment,
        status=status,
        needs_ap=needs_ap,
        current=current,
        advice=advice,
        all_advices=review.advices(assessment),
        consultation=consultation,
        ap_terms=terms.ap_terms(consultation.request_sent_on) if consultation else None,
        versions=review.versions(assessment),
        reviews=review.reviews(assessment),
        controllers=review.controllers(assessment),
        signatures=review.signatures(assessment),
        options=options,
        simple_actions=review.SIMPLE_ACTIONS,
        roles=granted.roles,
        access=granted,
        previous=previous,
        today=review.today(),
        open_counts=review.open_comment_counts(assessment),
        may_read_comments=granted.may_read_comments,
        may_process=granted.may_process,
        may_designate=granted.may_designate,
        may_generate_advice=granted.may_generate_advice_document,
        may_sign=granted.may_sign,
        may_view_history=granted.may_view_history,
        may_set_review_date=granted.may_set_review_date
        and assessment.state in departmental.FINAL.values,
        action_form=ActionForm(),
        review_date_form=ReviewDateForm(review_date=assessment.review_due_on),
        dutch_date=terms.dutch_date,
        is_overdue=terms.is_overdue,
        days_left=terms.days_left,
    )


@bp.post("/beoordeling/actie/<action>")
def act(assessment_id: int, action: str):
    """The actions that are one button: submit, retract, claim, release, in use, re-assess."""
    assessment = get_assessment(assessment_id)
    if action not in review.SIMPLE_ACTIONS:
        abort(404)
    require(assessment, action)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        review.fire_simple(assessment, current_user, action)
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        refused(exc)
    else:
        db.session.commit()
        flash(_DONE.get(action, "Gelukt."), "success")
    return back(assessment.id)


_DONE = {
    "submit": "De DPIA is ingediend. De FG's van uw organisatie hebben bericht gekregen.",
    "retract": "De indiening is teruggenomen; u kunt de DPIA weer bewerken.",
    "claim": "U heeft de beoordeling in behandeling genomen.",
    "release": "U heeft de beoordeling teruggegeven aan de FG's van de organisatie.",
    "take_over": "U heeft de beoordeling overgenomen.",
    "put_in_use": "De DPIA staat nu op ‘In gebruik’.",
    "start_reassessment": "De herbeoordeling is gestart. De DPIA is weer te bewerken.",
}


@bp.route("/beoordeling/terugsturen", methods=["GET", "POST"])
def request_changes(assessment_id: int):
    """The FG sends the DPIA back with a summary (and the open comments)."""
    assessment = get_assessment(assessment_id)
    require(assessment, "request_changes")
    form = RequestChangesForm()
    current = review.current_review(assessment)

    def call():
        review.request_changes(assessment, current_user, form.message.data or "")

    if form.validate_on_submit() and attempt(
        form, call, "De DPIA is teruggestuurd naar de opstellers.", "message"
    ):
        return back(assessment.id)
    return render_template(
        "review/request_changes.html",
        assessment=assessment,
        form=form,
        open_remarks=review.open_fg_remarks(assessment, current),
    ), 400 if form.errors else 200


@bp.route("/beoordeling/advies", methods=["GET", "POST"])
def give_advice(assessment_id: int):
    """The FG's written advice: conclusion, reasoning, findings, recommendations."""
    assessment = get_assessment(assessment_id)
    require(assessment, "give_advice")
    sections = dpia_sections(assessment)
    open_counts = review.open_comment_counts(assessment)
    form = advice_form_class(sections, sum(open_counts.values()))()
    if form.validate_on_submit():
        given = review.AdviceInput(
            conclusion=form.conclusion.data,
            reasoning=form.reasoning.data,
            findings={sid: getattr(form, f"finding_{sid}").data or "" for sid, _ in sections},
            recommendations=(form.recommendations.data or "").splitlines(),
        )
        try:
            review.give_advice(assessment, current_user, given)
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error(None, str(exc))
        else:
            db.session.commit()
            flash("Uw advies is vastgelegd en de opstellers hebben bericht gekregen.", "success")
            return back(assessment.id)
    return render_template(
        "review/advice_form.html",
        assessment=assessment,
        form=form,
        sections=sections,
        open_counts=open_counts,
    ), 400 if form.errors else 200


@bp.route("/beoordeling/opvolging", methods=["GET", "POST"])
def follow_up(assessment_id: int):
    """The drafters record per recommendation: adopted, or not adopted and why."""
    assessment = get_assessment(assessment_id)
    if not review.may_process(current_user, assessment):
        abort(403)
    advice = review.current_advice(assessment)
    form = ActionForm()
    errors: dict[int, str] = {}
    values = {r.id: (r.response or "", r.explanation) for r in advice.recommendations}
    if request.method == "POST":
        for rec in advice.recommendations:
            response = request.form.get(f"response-{rec.id}", "")
            explanation = strip_control(request.form.get(f"explanation-{rec.id}", ""))[:TEXT_LIMIT]
            if response not in ("", *[r.value for r in FollowUp]):
                abort(400)
            values[rec.id] = (response, explanation)
            if response == FollowUp.NOT_ADOPTED and not explanation.strip():
                errors[rec.id] = "Geef de reden waarom deze aanbeveling niet is overgenomen."
        if form.validate_on_submit() and not errors:
            try:
                changed = review.record_responses(assessment, current_user, values)
            except AssessmentError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(
                    f"De opvolging is opgeslagen ({changed} aanbeveling"
                    f"{'en' if changed != 1 else ''} gewijzigd).",
                    "success",
                )
                return back(assessment.id)
    return render_template(
        "review/follow_up.html",
        assessment=assessment,
        advice=advice,
        form=form,
        values=values,
        errors=errors,
    ), 400 if errors else 200
