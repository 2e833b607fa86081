"""The review procedure: submission, the FG's work, advice, follow-up, adoption, history."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, Length, Optional

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import (
    AuditEvent,
    Comment,
    Conclusion,
    Controller,
    Questionnaire,
)
from pia.models import (
    Response as FollowUp,
)
from pia.services import audit, questionnaires, review
from pia.services.assessments import AssessmentError, load_answers
from pia.views.assessments import get_assessment
from workflows import departmental, roles, terms
from workflows.errors import TransitionNotAllowed

bp = Blueprint("review", __name__, url_prefix="/assessments/<int:assessment_id>")

TEXT_LIMIT = 20_000


class ActionForm(BaseForm):
    """A button: nothing but the CSRF token."""


class RequestChangesForm(BaseForm):
    message = TextAreaField(
        "Wat moet er veranderen?",
        description="Een samenvatting voor de opstellers. Uw open opmerkingen per vraag gaan "
        "mee; zonder open opmerkingen is deze samenvatting verplicht.",
        validators=[Length(max=TEXT_LIMIT)],
    )


class AdviceForm(BaseForm):
    conclusion = RadioField(
        "Conclusie",
        choices=[SelectChoice(c.value, c.label) for c in Conclusion],
        validators=[DataRequired("Kies de conclusie van het advies.")],
    )
    reasoning = TextAreaField(
        "Onderbouwing",
        description="Waarom komt u tot deze conclusie? Dit komt letterlijk in het advies.",
        validators=[DataRequired("Onderbouw het advies."), Length(max=TEXT_LIMIT)],
    )
    recommendations = TextAreaField(
        "Aanbevelingen en voorwaarden",
        description="Zet iedere aanbeveling of voorwaarde op een eigen regel; ze worden "
        "genummerd. De opstellers leggen per regel vast wat ermee gebeurt.",
        validators=[Length(max=TEXT_LIMIT)],
    )


def advice_form_class(section_titles: list[tuple[str, str]]) -> type[AdviceForm]:
    """The advice form with an optional findings field per DPIA section."""

    class Form(AdviceForm):
        pass

    for sid, title in section_titles:
        setattr(
            Form,
            f"finding_{sid}",
            TextAreaField(
                f"Bevindingen bij {sid}. {title}",
                validators=[Optional(), Length(max=TEXT_LIMIT)],
            ),
        )
    return Form


class ReasonForm(BaseForm):
    message = TextAreaField("Toelichting", validators=[Length(max=TEXT_LIMIT)])


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        "Reden van intrekking",
        description="De DPIA blijft bewaard; de reden komt in de geschiedenis.",
        validators=[DataRequired("Geef de reden van intrekking."), Length(max=TEXT_LIMIT)],
    )


class OfferForm(BaseForm):
    review_date = DateField(
        "Datum voor herbeoordeling",
        description="Uiterlijk op deze datum wordt de DPIA opnieuw bekeken. Eerder als de "
        "verwerking verandert.",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2028-11-23.")],
        format="%Y-%m-%d",
    )


class ReviewDateForm(OfferForm):
    pass


class ApRequestForm(BaseForm):
    sent_on = DateField(
        "Datum waarop het verzoek aan de AP is verstuurd",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2026-11-23.")],
        format="%Y-%m-%d",
    )
    reference = StringField(
        "Kenmerk van het verzoek", validators=[Length(max=200)], description="Optioneel."
    )


class ApAnswerForm(BaseForm):
    received_on = DateField(
        "Datum van het antwoord van de AP",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2027-01-18.")],
        format="%Y-%m-%d",
    )
    summary = TextAreaField(
        "Samenvatting van het antwoord",
        description="Wat adviseert de AP, en welke maatregelen volgen eruit (§17 van het model).",
        validators=[DataRequired("Vat het antwoord van de AP samen."), Length(max=TEXT_LIMIT)],
    )
    extended = BooleanField("De AP heeft de termijn met 6 weken verlengd")


class SignForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul uw naam in."), Length(max=200)])
    function = StringField(
        "Functie", validators=[DataRequired("Vul uw functie in."), Length(max=200)]
    )
    deviation_reason = TextAreaField(
        "Reden van afwijking van het FG-advies",
        description="Verplicht als u afwijkt van het advies van de FG: bij een negatief advies "
        "of een aanbeveling die niet is overgenomen (artikel 35, tweede lid, AVG).",
        validators=[Length(max=TEXT_LIMIT)],
    )
    confirm = BooleanField(
        "Ik stel deze versie van de DPIA vast",
        validators=[DataRequired("Bevestig dat u deze versie vaststelt.")],
    )


class ControllerForm(BaseForm):
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul het e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    function = StringField(
        "Functie",
        description="Bijvoorbeeld: directeur-generaal, namens de minister.",
        validators=[Length(max=200)],
    )


class CommentForm(BaseForm):
    question_id = SelectField("Over", validators=[Optional()])
    body = TextAreaField(
        "Opmerking",
        validators=[DataRequired("Schrijf een opmerking."), Length(max=review.COMMENT_LIMIT)],
    )


class ReplyForm(BaseForm):
    parent_id = HiddenField()
    body = TextAreaField(
        "Reactie",
        validators=[DataRequired("Schrijf een reactie."), Length(max=review.COMMENT_LIMIT)],
    )


# -- helpers ----------------------------------------------------------------------------------


def _refused(exc: Exception) -> None:
    flash(str(exc), "error")


def _back(assessment_id: int):
    return redirect(url_for(".index", assessment_id=assessment_id))


def _require(assessment, action: str) -> None:
    """404 for an unknown action; 403 when this user may never fire it from here."""
    if action not in departmental.WORKFLOW.actions():
        abort(404)
    given = review.actor_roles(current_user, assessment)
    transition = departmental.WORKFLOW.transition(action, assessment.state)
    if transition is not None and not (transition.roles & given):
        abort(403)
    if transition is None and not _could_ever(action, given):
        abort(403)


def _could_ever(action: str, given: frozenset[str]) -> bool:
    return any(t.roles & given for t in departmental.WORKFLOW.transitions if t.name == action)


def _dpia_sections(assessment) -> list[tuple[str, str]]:
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    return [(s.id, s.title) for s in definition.user_sections]


def _may_view_history(assessment) -> bool:
    given = review.actor_roles(current_user, assessment)
    return bool({roles.OWNER, roles.FG, roles.AUDITOR} & given)


# -- the procedure page -----------------------------------------------------------------------


@bp.get("/beoordeling")
def index(assessment_id: int):
    """Where the assessment stands, what this user can do, and the record so far."""
    assessment = get_assessment(assessment_id)
    current = review.current_review(assessment)
    advice = review.current_advice(assessment)
    consultation = review.ap_consultation(assessment)
    given = review.actor_roles(current_user, assessment)
    status = questionnaires.status(assessment)
    hidden = {"sign", "adopt"} | (
        set() if status.prior_consultation else {"request_ap_consultation"}
    )
    options = [o for o in review.options(current_user, assessment) if o.name not in hidden]
    previous = (
        review.last_reviewed_version(assessment, current, current_user)
        if current is not None
        else None
    )
    return render_template(
        "review/index.html",
        assessment=assessment,
        status=status,
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
        roles=given,
        previous=previous,
        today=review.today(),
        open_counts=review.open_comment_counts(assessment),
        may_read_comments=review.may_read_comments(current_user, assessment),
        may_process=review.may_process(current_user, assessment),
        may_designate=review.may_designate(current_user, assessment),
        may_sign=roles.CONTROLLER in given
        and assessment.state == departmental.AWAITING_ADOPTION.value,
        may_view_history=_may_view_history(assessment),
        may_set_review_date=bool({roles.OWNER, roles.CONTROLLER} & given)
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
    _require(assessment, action)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        review.fire_simple(assessment, current_user, action)
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        _refused(exc)
    else:
        db.session.commit()
        flash(_DONE.get(action, "Gelukt."), "success")
    return _back(assessment.id)


_DONE = {
    "submit": "De DPIA is ingediend. De FG's van uw organisatie hebben bericht gekregen.",
    "retract": "De indiening is teruggenomen; u kunt de DPIA weer bewerken.",
    "claim": "U heeft de beoordeling in behandeling genomen.",
    "release": "U heeft de beoordeling teruggegeven aan de FG's van de organisatie.",
    "put_in_use": "De DPIA staat nu op ‘In gebruik’.",
    "start_reassessment": "De herbeoordeling is gestart. De DPIA is weer te bewerken.",
}


@bp.route("/beoordeling/terugsturen", methods=["GET", "POST"])
def request_changes(assessment_id: int):
    """The FG sends the DPIA back with a summary (and the open comments)."""
    assessment = get_assessment(assessment_id)
    _require(assessment, "request_changes")
    form = RequestChangesForm()
    current = review.current_review(assessment)
    if form.validate_on_submit():
        try:
            review.request_changes(assessment, current_user, form.message.data or "")
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error("message", _reason_text(exc))
        else:
            db.session.commit()
            flash("De DPIA is teruggestuurd naar de opstellers.", "success")
            return _back(assessment.id)
    return render_template(
        "review/request_changes.html",
        assessment=assessment,
        form=form,
        open_remarks=review.open_fg_remarks(assessment, current),
    ), 400 if form.errors else 200


def _reason_text(exc: Exception) -> str:
    if isinstance(exc, TransitionNotAllowed) and exc.reasons:
        return " ".join(exc.reasons)
    return str(exc)


@bp.route("/beoordeling/advies", methods=["GET", "POST"])
def give_advice(assessment_id: int):
    """The FG's written advice: conclusion, reasoning, findings, recommendations."""
    assessment = get_assessment(assessment_id)
    _require(assessment, "give_advice")
    sections = _dpia_sections(assessment)
    form = advice_form_class(sections)()
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
            return _back(assessment.id)
    return render_template(
        "review/advice_form.html",
        assessment=assessment,
        form=form,
        sections=sections,
        open_counts=review.open_comment_counts(assessment),
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
            explanation = request.form.get(f"explanation-{rec.id}", "")[:TEXT_LIMIT]
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
                return _back(assessment.id)
    return render_template(
        "review/follow_up.html",
        assessment=assessment,
        advice=advice,
        form=form,
        values=values,
        errors=errors,
    ), 400 if errors else 200


@bp.route("/beoordeling/aanbieden", methods=["GET", "POST"])
def offer(assessment_id: int):
    """Offer the processed DPIA to the controllers for adoption."""
    assessment = get_assessment(assessment_id)
    _require(assessment, "offer_for_adoption")
    form = OfferForm(review_date=assessment.review_due_on or review.default_review_date())
    if form.validate_on_submit():
        try:
            review.offer_for_adoption(assessment, current_user, form.review_date.data)
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error(None, str(exc))
        else:
            db.session.commit()
            flash("De DPIA is aangeboden ter vaststelling.", "success")
            return _back(assessment.id)
    return render_template(
        "review/offer.html",
        assessment=assessment,
        form=form,
        controllers=review.controllers(assessment),
        advice=review.current_advice(assessment),
    ), 400 if form.errors else 200


@bp.route("/beoordeling/ap", methods=["GET", "POST"])
def ap(assessment_id: int):
    """Prior consultation of the AP: record the request, later the answer."""
    assessment = get_assessment(assessment_id)
    consultation = review.ap_consultation(assessment)
    action = "record_ap_answer" if consultation else "request_ap_consultation"
    _require(assessment, action)
    form = ApAnswerForm() if consultation else ApRequestForm(sent_on=review.today())
    if form.validate_on_submit():
        try:
            if consultation:
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
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error(None, str(exc))
        else:
            db.session.commit()
            flash("Vastgelegd.", "success")
            return _back(assessment.id)
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
    _require(assessment, "sign")
    advice = review.current_advice(assessment)
    controller = next(
        (c for c in review.controllers(assessment) if c.user_id == current_user.id), None
    )
    form = SignForm(
        name=current_user.name,
        function=(controller.function if controller else "") or current_user.function,
    )
    if form.validate_on_submit():
        try:
            adopted = review.sign(
                assessment,
                current_user,
                form.name.data,
                form.function.data,
                form.deviation_reason.data or "",
            )
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error("deviation_reason" if "afwijk" in str(exc) else None, _reason_text(exc))
        else:
            db.session.commit()
            flash(
                "U heeft ondertekend. De DPIA is vastgesteld."
                if adopted
                else "U heeft ondertekend. Nog niet alle verwerkingsverantwoordelijken tekenden.",
                "success",
            )
            return _back(assessment.id)
    return render_template(
        "review/sign.html",
        assessment=assessment,
        form=form,
        advice=advice,
        deviates=review.deviates(advice),
        version=review.latest_version(assessment),
        signatures=review.signatures(assessment),
        controllers=review.controllers(assessment),
        consultation=review.ap_consultation(assessment),
    ), 400 if form.errors else 200


@bp.route("/beoordeling/terugsturen-naar-opstellers", methods=["GET", "POST"])
def return_to_drafters(assessment_id: int):
    """A controller sends the DPIA back to the drafters before signing."""
    assessment = get_assessment(assessment_id)
    _require(assessment, "return_to_drafters")
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            review.return_to_drafters(assessment, current_user, form.message.data or "")
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error(None, str(exc))
        else:
            db.session.commit()
            flash("De DPIA is teruggestuurd naar de opstellers.", "success")
            return _back(assessment.id)
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
    _require(assessment, "withdraw")
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            review.withdraw(assessment, current_user, form.reason.data)
        except (TransitionNotAllowed, AssessmentError) as exc:
            db.session.rollback()
            form.add_error(None, str(exc))
        else:
            db.session.commit()
            flash("Het assessment is ingetrokken. Het blijft bewaard.", "success")
            return _back(assessment.id)
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
    if not {roles.OWNER, roles.CONTROLLER} & review.actor_roles(current_user, assessment):
        abort(403)
    form = ReviewDateForm()
    if not form.validate_on_submit():
        for message in form.review_date.errors or ["Ongeldige datum."]:
            flash(message, "error")
        return _back(assessment.id)
    try:
        review.set_review_date(assessment, current_user, form.review_date.data)
    except AssessmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"De herbeoordeling staat op {terms.dutch_date(form.review_date.data)}.", "success")
    return _back(assessment.id)


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


# -- versions and the diff ----------------------------------------------------------------------


@bp.get("/versies")
def versions(assessment_id: int):
    """The frozen versions, and a form to compare two of them."""
    assessment = get_assessment(assessment_id)
    return render_template(
        "review/versions.html", assessment=assessment, versions=review.versions(assessment)
    )


@bp.get("/versies/vergelijken")
def compare(assessment_id: int):
    """What changed between two versions (default: the last two), field by field."""
    assessment = get_assessment(assessment_id)
    all_versions = review.versions(assessment)
    if len(all_versions) < 2 or not assessment.has_dpia:
        flash("Er zijn nog geen twee versies om te vergelijken.", "info")
        return redirect(url_for(".versions", assessment_id=assessment.id))
    new_n = request.args.get("naar", type=int) or all_versions[-1].number
    old_n = request.args.get("van", type=int) or max(1, new_n - 1)
    old, new = review.version(assessment, old_n), review.version(assessment, new_n)
    if old is None or new is None:
        abort(404)
    return render_template(
        "review/compare.html",
        assessment=assessment,
        versions=all_versions,
        old=old,
        new=new,
        diff=review.compare(assessment, old, new),
        prescan_diff=review.compare_prescan(assessment, old, new),
    )


# -- comments ---------------------------------------------------------------------------------


def _comment_choices(assessment, section_id: str) -> list[SelectChoice]:
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    section = definition.section(section_id)
    choices = [SelectChoice("", f"Het hele onderdeel {section.id}. {section.title}")]
    for q in section.questions:
        label = q.label if len(q.label) <= 80 else q.label[:77] + "…"
        choices.append(SelectChoice(q.id, f"Vraag {q.id}: {label}"))
    return choices


@bp.get("/opmerkingen")
def all_comments(assessment_id: int):
    """Every thread of the DPIA, per section."""
    assessment = get_assessment(assessment_id)
    if not review.may_read_comments(current_user, assessment) or not assessment.has_dpia:
        abort(403)
    threads = review.comments(assessment)
    titles = dict(_dpia_sections(assessment))
    return render_template(
        "review/all_comments.html",
        assessment=assessment,
        threads=threads,
        titles=titles,
        show_resolved=request.args.get("afgehandeld") == "1",
    )


@bp.route("/opmerkingen/<section_id>", methods=["GET", "POST"])
def comments(assessment_id: int, section_id: str):
    """The threads of one section, beside its answers; new remarks and replies."""
    assessment = get_assessment(assessment_id)
    if not review.may_read_comments(current_user, assessment) or not assessment.has_dpia:
        abort(403)
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    try:
        section = definition.section(section_id)
    except KeyError:
        abort(404)
    if section.is_workflow:
        abort(404)
    may_comment = review.may_comment(current_user, assessment)
    form = CommentForm(prefix="new")
    form.question_id.choices = _comment_choices(assessment, section_id)
    if request.method == "GET" and request.args.get("vraag"):
        form.question_id.data = request.args["vraag"]
    reply = ReplyForm(prefix="reply")
    status_code = 200
    if request.method == "POST":
        if not may_comment:
            abort(403)
        target = form if "new-body" in request.form else reply
        if target.validate_on_submit():
            parent = None
            if target is reply:
                parent = db.session.get(Comment, int(reply.parent_id.data or 0))
                if parent is None or parent.assessment_id != assessment.id:
                    abort(404)
            try:
                comment = review.add_comment(
                    assessment,
                    current_user,
                    section_id,
                    form.question_id.data if target is form else None,
                    target.body.data,
                    parent,
                )
            except AssessmentError as exc:
                db.session.rollback()
                target.add_error(exc.field, str(exc))
                status_code = 400
            else:
                db.session.commit()
                flash("Uw opmerking is geplaatst.", "success")
                return redirect(
                    url_for(
                        ".comments",
                        assessment_id=assessment.id,
                        section_id=section_id,
                        _anchor=f"c{comment.id}",
                    )
                )
        else:
            status_code = 400
    return render_template(
        "review/comments.html",
        assessment=assessment,
        definition=definition,
        section=section,
        answers=load_answers(assessment, Questionnaire.DPIA),
        threads=review.comments(assessment, section_id),
        form=form,
        reply=reply,
        reply_to=request.form.get("reply-parent_id", type=int) if status_code == 400 else None,
        may_comment=may_comment,
        action_form=ActionForm(),
        sections=_dpia_sections(assessment),
        open_counts=review.open_comment_counts(assessment),
    ), status_code


@bp.post("/opmerkingen/<int:comment_id>/afhandelen")
def resolve(assessment_id: int, comment_id: int):
    """Mark a thread resolved, or open it again."""
    assessment = get_assessment(assessment_id)
    if not review.may_comment(current_user, assessment):
        abort(403)
    comment = db.get_or_404(Comment, comment_id)
    if comment.assessment_id != assessment.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    resolved = request.form.get("resolved") == "1"
    try:
        review.set_resolved(assessment, current_user, comment, resolved)
    except AssessmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            "De opmerking is afgehandeld." if resolved else "De opmerking is heropend.", "success"
        )
    return redirect(
        url_for(
            ".comments",
            assessment_id=assessment.id,
            section_id=comment.section_id,
            _anchor=f"c{comment.id}",
        )
    )


# -- history ----------------------------------------------------------------------------------


def _history(assessment) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == "assessment",
                AuditEvent.object_id == str(assessment.id),
            )
            .order_by(AuditEvent.id)
        )
    )


@bp.get("/historie")
def history(assessment_id: int):
    """Every recorded event of this assessment: who, when, from where, what changed."""
    assessment = get_assessment(assessment_id)
    if not _may_view_history(assessment):
        abort(403)
    return render_template(
        "review/history.html", assessment=assessment, events=list(reversed(_history(assessment)))
    )


CSV_COLUMNS = (
    "id",
    "tijdstip_utc",
    "actor",
    "ip_adres",
    "actie",
    "samenvatting",
    "details_json",
    "vorige_hash",
    "hash",
)


def _csv_cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.get("/historie.csv")
def history_csv(assessment_id: int):
    """The history as CSV (UTF-8 with BOM for Excel, ';' separated)."""
    assessment = get_assessment(assessment_id)
    if not _may_view_history(assessment):
        abort(403)
    events = _history(assessment)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [
                str(e.id),
                e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                _csv_cell(e.actor_label),
                e.ip_address,
                e.action,
                _csv_cell(e.summary),
                _csv_cell(json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
                e.prev_hash,
                e.hash,
            ]
        )
    audit.record(
        "assessment.history_downloaded",
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Geschiedenis van “{assessment.title}” gedownload als CSV",
    )
    db.session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="historie-assessment-{assessment.id}'
            f'-{date.today().isoformat()}.csv"'
        },
    )
