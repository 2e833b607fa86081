"""Filling in the pre-scan and the DPIA, section by section; the read-only full view."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from forms.builder import make_section_form
from forms.carryover import carried_answers
from forms.completeness import progress
from forms.formdata import form_to_answers, merge_section_answers
from forms.naming import add_row_button, field_name, parse_row_button
from forms.risk import assess_risks
from forms.rows import apply_row_button, drop_empty_rows, handle_row_buttons
from forms.validation import validate_section
from pia.extensions import db
from pia.formkit import BaseForm, parse_int
from pia.models import Questionnaire
from pia.permissions import can_edit_assessment
from pia.services import questionnaires as service
from pia.services.assessments import load_answers
from pia.views.assessments import get_assessment

bp = Blueprint("questionnaires", __name__, url_prefix="/assessments/<int:assessment_id>")

TITLES = {Questionnaire.PRESCAN: "Pre-scan", Questionnaire.DPIA: "DPIA"}


def _questionnaire(name: str) -> Questionnaire:
    try:
        return Questionnaire(name)
    except ValueError:
        abort(404)


def _open_comments(assessment, questionnaire, section_id: str) -> int | None:
    """Unresolved remark threads on this DPIA section (None: not for this user or page)."""
    from pia.services import review

    if questionnaire is not Questionnaire.DPIA:
        return None
    if not review.may_read_comments(current_user, assessment):
        return None
    return review.open_comment_counts(assessment).get(section_id, 0)


def _may_comment(assessment) -> bool:
    from pia.services import review

    return review.may_comment(current_user, assessment)


def _open_remarks(assessment, questionnaire, section_id: str) -> dict:
    """The open remark threads of this DPIA section by question id ('' = the section),
    for the drafters to read, answer and resolve beside the questions."""
    from pia.services import review

    if questionnaire is not Questionnaire.DPIA:
        return {}
    if not review.may_read_comments(current_user, assessment):
        return {}
    definition = service.definition_for(assessment, questionnaire)
    shown = {q.id for q in definition.section(section_id).questions}
    remarks: dict[str, list] = {}
    for thread in review.comments(assessment, section_id):
        if not thread.is_resolved:
            # a remark on a question inside a group or table shows at the top of the page
            key = thread.question_id if thread.question_id in shown else ""
            remarks.setdefault(key, []).append(thread)
    return remarks


def outcome_text(result) -> str:
    """The pre-scan outcome so far in words: none before every question is answered."""
    if not result.complete:
        return "nog niet bekend (eerst alle vragen beantwoorden)"
    return f"{result.dpia_label} (risicoscore {result.risk_score})"


def progress_json(definition, answers) -> dict:
    """Progress as the autosave answer carries it, for the bar and the side navigation."""
    found = progress(definition, answers)
    return {
        "percent": found.percent,
        "label": f"{found.percent}% van de verplichte vragen ingevuld",
        "sections": {sp.section_id: sp.status for sp in found.sections},
    }


def _context(assessment, questionnaire, definition, section_id, answers, stored=None):
    """What every section page shows around the form; progress from what is stored."""
    section_ids = [s.id for s in definition.user_sections]
    position = section_ids.index(section_id)
    carried = []
    if questionnaire is Questionnaire.DPIA:
        prescan = load_answers(assessment, Questionnaire.PRESCAN)
        carried = [c for c in carried_answers(definition, prescan) if c.section_id == section_id]
    return {
        "assessment": assessment,
        "questionnaire": questionnaire,
        "questionnaire_title": TITLES[questionnaire],
        "definition": definition,
        "section": definition.section(section_id),
        "progress": progress(definition, answers if stored is None else stored),
        "answers": answers,
        "carried": {c.target: c for c in carried},
        "previous_id": section_ids[position - 1] if position > 0 else None,
        "next_id": section_ids[position + 1] if position + 1 < len(section_ids) else None,
        "risks": assess_risks(answers, definition) if section_id in ("16", "17") else (),
        "may_edit": can_edit_assessment(current_user, assessment),
        "open_comments": _open_comments(assessment, questionnaire, section_id),
        "remarks": _open_remarks(assessment, questionnaire, section_id),
        "may_comment": _may_comment(assessment),
        "outcome_text": outcome_text,
        "prescan": (
            service.prescan_outcome(assessment, answers)
            if questionnaire is Questionnaire.PRESCAN
            else None
        ),
    }


@bp.route("/<questionnaire_name>/<section_id>", methods=["GET", "POST"])
def edit_section(assessment_id: int, questionnaire_name: str, section_id: str):
    """One section: shown with the stored answers; a post saves the draft as it is."""
    assessment = get_assessment(assessment_id)
    questionnaire = _questionnaire(questionnaire_name)
    try:
        definition = service.definition_for(assessment, questionnaire)
        section = definition.section(section_id)
    except (KeyError, service.AssessmentError):
        abort(404)
    if section.is_workflow:
        abort(404)
    stored = load_answers(assessment, questionnaire)
    current = service.section_version(assessment, questionnaire, section_id)
    version = current.version if current else 0
    autosave = request.headers.get("X-Autosave") == "1"

    if request.method == "GET":
        shown = stored
        added = parse_row_button(request.args.get("regel", ""))
        if added is not None and added.action == "add":
            # The row just added is shown, not stored: it is saved once something is typed.
            shown = apply_row_button(definition, stored, added)
        form = make_section_form(definition, section_id, shown, base=BaseForm)
        ctx = _context(assessment, questionnaire, definition, section_id, stored)
        return render_template("questionnaires/section.html", form=form, version=version, **ctx)

    if not can_edit_assessment(current_user, assessment):
        abort(403)
    form = make_section_form(definition, section_id, stored, formdata=request.form, base=BaseForm)
    posted = merge_section_answers(
        definition, section_id, stored, form_to_answers(definition, section_id, form)
    )
    answers, button = handle_row_buttons(definition, posted, request.form)
    base_version = parse_int(request.form.get("base_version"), low=0)
    if base_version is None:
        abort(400)
    if not validate_section(form, definition, answers, strict=False):
        if autosave:
            return jsonify(status="invalid", message="Niet opgeslagen: controleer de fouten."), 400
        ctx = _context(assessment, questionnaire, definition, section_id, answers, stored)
        return render_template(
            "questionnaires/section.html", form=form, version=base_version, **ctx
        ), 400
    try:
        new_version = service.save_section(
            assessment,
            questionnaire,
            section_id,
            drop_empty_rows(definition, answers),
            base_version=base_version,
            actor=current_user,
        )
    except service.StaleSection as stale:
        db.session.rollback()
        return _conflict(
            assessment, questionnaire, definition, section_id, form, answers, stale, autosave
        )
    except service.AssessmentError as exc:
        # The assessment changed state meanwhile (submitted, say): nothing was stored.
        db.session.rollback()
        if autosave:
            return jsonify(status="refused", message=str(exc)), 409
        flash(str(exc), "error")
        return redirect(request.path)
    db.session.commit()
    if autosave:
        outcome = None
        if questionnaire is Questionnaire.PRESCAN:
            outcome = outcome_text(service.prescan_outcome(assessment, answers))
        saved = load_answers(assessment, questionnaire)
        return jsonify(
            status="saved",
            version=new_version,
            outcome=outcome,
            progress=progress_json(definition, saved),
        )
    target = url_for(
        ".edit_section",
        assessment_id=assessment.id,
        questionnaire_name=questionnaire.value,
        section_id=section_id,
    )
    if button is not None:
        if button.action == "add" and answers == posted:
            limit = definition.question(button.table_id).max_rows
            flash(
                f"Deze tabel kan hoogstens {limit} regels hebben; er is geen regel toegevoegd. "
                "Wat u had ingevuld, is opgeslagen.",
                "warning",
            )
        if button.action == "add" and answers != posted:
            shown = url_for(
                ".edit_section",
                assessment_id=assessment.id,
                questionnaire_name=questionnaire.value,
                section_id=section_id,
                regel=add_row_button(button.table_id, button.operation_id),
            )
            return redirect(f"{shown}#{field_name(button.table_id)}")
        return redirect(f"{target}#{field_name(button.table_id)}")
    flash(f"Onderdeel {section_id} is opgeslagen.", "success")
    if "save_next" in request.form:
        ids = [s.id for s in definition.user_sections]
        following = ids[ids.index(section_id) + 1 :]
        if following:
            return redirect(
                url_for(
                    ".edit_section",
                    assessment_id=assessment.id,
                    questionnaire_name=questionnaire.value,
                    section_id=following[0],
                )
            )
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    return redirect(target)


def _conflict(assessment, questionnaire, definition, section_id, form, answers, stale, autosave):
    """Refuse a stale save: show their input and the saved version side by side."""
    if autosave:
        return jsonify(
            status="conflict",
            message="Iemand anders heeft dit onderdeel intussen opgeslagen. Klik op "
            "‘Opslaan’ om beide versies te zien; uw tekst blijft staan.",
        ), 409
    saved = load_answers(assessment, questionnaire)
    ctx = _context(assessment, questionnaire, definition, section_id, saved)
    ctx["answers"] = answers  # what this user typed, for rendering their form
    mine_form = make_section_form(definition, section_id, answers, base=BaseForm)
    return render_template(
        "questionnaires/conflict.html",
        form=mine_form,
        version=stale.version,
        stale=stale,
        mine=answers,
        saved=saved,
        **{k: v for k, v in ctx.items() if k != "answers"},
    ), 409


@bp.post("/dpia/starten")
def start_dpia(assessment_id: int):
    """Start the DPIA after the pre-scan."""
    assessment = get_assessment(assessment_id, check=can_edit_assessment)
    if BaseForm().validate_on_submit():
        service.start_dpia(assessment, actor=current_user)
        db.session.commit()
        flash(
            "De DPIA is gestart. Antwoorden uit de pre-scan zijn waar mogelijk overgenomen.",
            "success",
        )
        first = service.definition_for(assessment, Questionnaire.DPIA).user_sections[0].id
        return redirect(
            url_for(
                ".edit_section",
                assessment_id=assessment.id,
                questionnaire_name="dpia",
                section_id=first,
            )
        )
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


@bp.get("/volledig")
def full_view(assessment_id: int):
    """Everything on one read-only page that prints well."""
    assessment = get_assessment(assessment_id)
    parts = []
    for questionnaire in (Questionnaire.PRESCAN, Questionnaire.DPIA):
        if questionnaire is Questionnaire.DPIA and not assessment.has_dpia:
            continue
        definition = service.definition_for(assessment, questionnaire)
        answers = load_answers(assessment, questionnaire)
        parts.append((questionnaire, definition, answers))
    from pia.services import review

    record = None
    if assessment.has_dpia:
        definition = service.definition_for(assessment, Questionnaire.DPIA)
        record = (
            definition,
            [s for s in definition.sections if s.is_workflow],
            review.workflow_answers(assessment),
        )
    par_advice = None
    if assessment.government_wide and record is not None:
        from pia.services.par.document import report_section

        par_advice = report_section(assessment)
    return render_template(
        "questionnaires/full.html",
        assessment=assessment,
        parts=parts,
        record=record,
        par_advice=par_advice,
        status=service.status(assessment),
        titles=TITLES,
    )
