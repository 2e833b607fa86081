"""The PAR actions: one-button transitions, and the forms of coordinator and secretariat."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user

from pia.extensions import db
from pia.models.par import GOR_RIJK
from pia.services import par, review
from pia.services.assessments import AssessmentError
from pia.services.par.bodies import active_names
from pia.views.par import attempt, back, bp, load, require
from pia.views.par.forms import (
    ActionForm,
    AdviceForm,
    DecisionForm,
    RemarksForm,
    SendForm,
    WithdrawForm,
)
from workflows import terms
from workflows.errors import TransitionNotAllowed

SIMPLE = {
    "submit": (par.submit, "De DPIA is aangeboden aan de PAR-coördinatie."),
    "start_consolidation": (
        par.start_consolidation,
        "De ronde is gesloten. Stel nu het rijksbrede privacyadvies op.",
    ),
    "offer_for_approval": (par.offer_for_approval, "Het advies ligt ter goedkeuring voor."),
    "request_consent": (par.request_consent, "Het advies ligt ter instemming bij de GOR Rijk."),
    "establish": (par.establish, "Het rijksbrede privacyadvies is vastgesteld."),
    "rework": (par.rework, "Het advies is terug in consolidatie."),
}


@bp.post("/actie/<action>")
def act(assessment_id: int, action: str):
    """The actions that are one button."""
    assessment, granted = load(assessment_id)
    if action not in SIMPLE:
        abort(404)
    require(assessment, granted, action)
    if not ActionForm().validate_on_submit():
        abort(400)
    call, done = SIMPLE[action]
    try:
        call(assessment, current_user)
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        reasons = getattr(exc, "reasons", ())
        flash(" ".join(reasons) if reasons else str(exc), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return back(assessment.id)


@bp.route("/versturen", methods=["GET", "POST"])
def send(assessment_id: int):
    """The coordinator chooses the ministries and the term, and sends to their FGs."""
    assessment, _ = load(assessment_id, "may_coordinate")
    ministries = par.ministries()
    form = SendForm()
    form.ministries.choices = [(o.id, f"{o.name} ({o.abbreviation})") for o in ministries]
    if not form.is_submitted():
        current = par.current_round(assessment)
        earlier = current.organisation_ids if current and current.participants else []
        form.ministries.data = earlier or [o.id for o in ministries]
        form.due_on.data = par.response_due(review.today())
    if form.validate_on_submit():
        choice = par.Consultation(tuple(form.ministries.data), form.due_on.data)
        done = attempt(
            form,
            lambda: par.send_to_fgs(assessment, current_user, choice),
            "De DPIA is voorgelegd aan de FG's van de gekozen ministeries.",
            "due_on",
        )
        if done:
            return back(assessment.id)
    return render_template("par/send.html", assessment=assessment, form=form)


@bp.route("/terugsturen", methods=["GET", "POST"])
def request_changes(assessment_id: int):
    """The coordinator sends the DPIA back to the initiator with remarks."""
    assessment, granted = load(assessment_id, "may_coordinate")
    require(assessment, granted, "request_changes")
    form = RemarksForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: par.request_changes(assessment, current_user, form.remarks.data),
            "De DPIA is teruggestuurd naar de initiatiefnemer.",
            "remarks",
        )
        if done:
            return back(assessment.id)
    return render_template(
        "par/simple_form.html",
        assessment=assessment,
        form=form,
        title="Terugsturen voor aanpassing",
        intro="De initiatiefnemer past de DPIA aan en biedt haar opnieuw aan. Daarna volgt "
        "een nieuwe ronde; de FG's zien wat er veranderde.",
        button="Terugsturen naar de initiatiefnemer",
    )


def _conditions_text(conditions: list[dict]) -> str:
    return "\n".join(
        c["text"] + (f" ({', '.join(c['ministries'])})" if c.get("ministries") else "")
        for c in conditions
    )


def _parse_conditions(text: str) -> list[dict]:
    """One condition per line; "(JenV, Fin)" at the end names the ministries."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        ministries: list[str] = []
        if line.endswith(")") and "(" in line:
            head, _, tail = line.rpartition("(")
            names = [n.strip() for n in tail[:-1].split(",") if n.strip()]
            if names and all(len(n) <= 12 and " " not in n for n in names):
                line, ministries = head.strip(), names
        found.append({"text": line, "ministries": ministries})
    return found


@bp.route("/advies", methods=["GET", "POST"])
def advice(assessment_id: int):
    """The coordinator writes the rijksbreed privacyadvies, pre-filled from the positions."""
    assessment, _ = load(assessment_id, "may_coordinate")
    found = par.trajectory(assessment)
    form = AdviceForm()
    form.bodies.choices = [(b, b) for b in active_names()]
    if not form.is_submitted():
        drafted = found is not None and found.advice_drafted_at is not None
        form.summary.data = found.advice_summary if drafted else ""
        form.conclusion.data = found.advice_conclusion if drafted else None
        form.risks.data = found.advice_risks if drafted else ""
        conditions = found.advice_conditions if drafted else par.proposed_conditions(assessment)
        form.conditions.data = _conditions_text(conditions)
        form.bodies.data = list(found.bodies) if found else []
    if form.validate_on_submit():
        given = par.AdviceInput(
            form.summary.data,
            form.conclusion.data,
            form.risks.data or "",
            _parse_conditions(form.conditions.data),
            list(form.bodies.data),
        )
        done = attempt(
            form,
            lambda: par.draft_advice(assessment, current_user, given),
            "Het rijksbrede privacyadvies is opgeslagen.",
        )
        if done:
            return back(assessment.id)
    current = par.current_round(assessment)
    from pia.services.par import overview

    return render_template(
        "par/advice.html",
        assessment=assessment,
        form=form,
        cells=overview.matrix(assessment, current, review.today()),
    )


@bp.route("/besluit", methods=["GET", "POST"])
def decision(assessment_id: int):
    """The secretariat records a body's decision, or the GOR Rijk's consent."""
    assessment, _ = load(assessment_id, "may_record_decisions")
    found = par.trajectory(assessment)
    consent = assessment.state == "consent"
    form = DecisionForm()
    done_bodies = {d.body for d in par.decisions(assessment, found.offer, _kind(consent))}
    bodies = [GOR_RIJK] if consent else [b for b in found.bodies if b not in done_bodies]
    form.body.choices = [(b, b) for b in bodies]
    if consent:
        form.verdict.label.text = "Besluit van de GOR Rijk"
        form.verdict.choices = [
            ("positive", "Instemming"),
            ("conditional", "Instemming met voorwaarden"),
            ("negative", "Geen instemming"),
        ]
    if form.validate_on_submit():
        given = par.DecisionInput(
            form.body.data,
            form.verdict.data,
            form.decided_on.data,
            form.reference.data,
            form.remarks.data or "",
        )
        done = attempt(
            form,
            lambda: par.record_decision(assessment, current_user, given),
            "Het besluit is vastgelegd.",
        )
        if done:
            return back(assessment.id)
    return render_template(
        "par/simple_form.html",
        assessment=assessment,
        form=form,
        title="Instemming GOR Rijk vastleggen" if consent else "Besluit vastleggen",
        intro="Een afwijzing stuurt het advies terug naar de consolidatie.",
        button="Besluit vastleggen",
    )


def _kind(consent: bool):
    from pia.models import DecisionKind

    return DecisionKind.CONSENT if consent else DecisionKind.APPROVAL


@bp.route("/intrekken", methods=["GET", "POST"])
def withdraw(assessment_id: int):
    """The initiator or the coordinator withdraws the trajectory, with a reason."""
    assessment, granted = load(assessment_id)
    require(assessment, granted, "withdraw")
    form = WithdrawForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: par.withdraw(assessment, current_user, form.reason.data),
            "Het traject is ingetrokken.",
            "reason",
        )
        if done:
            return back(assessment.id)
    return render_template(
        "par/simple_form.html",
        assessment=assessment,
        form=form,
        title="Traject intrekken",
        intro="Het traject stopt. Alles wat is vastgelegd blijft bewaard.",
        button="Intrekken",
    )


__all__ = ["terms"]
