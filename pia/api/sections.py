"""A section of the pre-scan or the DPIA: read it with its version (the ETag), replace its
answers with If-Match (never over someone else's save)."""

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from forms.builder import make_section_form
from forms.formdata import (
    answers_to_formdata,
    form_to_answers,
    merge_section_answers,
    section_question_ids,
)
from forms.validation import validate_section
from pia.api.openapi import errors, ok, parameter
from pia.api.problems import Problem, invalid_params
from pia.api.resources import allow_params, bp, load, rfc3339
from pia.api.tokens import require_scope
from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import Questionnaire
from pia.models.api_tokens import SCOPE_READ, SCOPE_WRITE_ANSWERS
from pia.services import questionnaires as service
from pia.services.assessments import load_answers

SECTION_URL = "/assessments/<int:assessment_id>/secties/<questionnaire_name>/<section_id>"


QUESTIONNAIRE_PARAMETER = parameter(
    "questionnaire_name",
    "path",
    {"type": "string", "enum": ["prescan", "dpia"]},
    "De vragenlijst.",
    True,
)


class ApiForm(BaseForm):
    """The section's own form and validators, without the browser's CSRF token."""

    class Meta(BaseForm.Meta):
        csrf = False


def _section(assessment, questionnaire_name: str, section_id: str):
    try:
        questionnaire = Questionnaire(questionnaire_name)
    except ValueError:
        raise Problem(404, "Deze vragenlijst bestaat niet (prescan of dpia).") from None
    try:
        definition = service.definition_for(assessment, questionnaire)
        section = definition.section(section_id)
    except (KeyError, service.AssessmentError):
        raise Problem(404, "Deze sectie bestaat niet in dit assessment.") from None
    if section.is_workflow:
        raise Problem(404, "Deze sectie wordt door de procedure gevuld, niet met antwoorden.")
    return questionnaire, definition


def _etag(version: int) -> str:
    return f'"{version}"'


def _body(assessment, questionnaire, definition, section_id: str, answers: dict) -> dict:
    current = service.section_version(assessment, questionnaire, section_id)
    ids = sorted(section_question_ids(definition, section_id))
    return {
        "assessment": assessment.id,
        "vragenlijst": questionnaire.value,
        "sectie": section_id,
        "versie": current.version if current else 0,
        "gewijzigdOp": rfc3339(current.updated_at) if current else None,
        "antwoorden": {qid: answers.get(qid) for qid in ids},
    }


@bp.route(SECTION_URL, methods=["GET"])
@bp.doc(
    summary="De antwoorden van één sectie, met de versie als ETag",
    parameters=[QUESTIONNAIRE_PARAMETER],
    responses={**ok("De sectie"), **errors(404)},
)
def section(assessment_id: int, questionnaire_name: str, section_id: str):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, _ = load(assessment_id)
    questionnaire, definition = _section(assessment, questionnaire_name, section_id)
    body = _body(
        assessment, questionnaire, definition, section_id, load_answers(assessment, questionnaire)
    )
    response = jsonify(body)
    response.headers["ETag"] = _etag(body["versie"])
    return response


def _if_match() -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise Problem(428, "Stuur de versie die u las mee in If-Match (de ETag van de GET).")
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise Problem(
            400,
            'If-Match moet de ETag van de sectie zijn, bijvoorbeeld "3".',
            invalidParams=[{"name": "If-Match", "code": "invalid", "reason": "Geen versie."}],
        )
    return int(value)


def _posted_answers(ids: set[str]) -> dict[str, Any]:
    if not request.is_json:
        raise Problem(415, "Stuur de antwoorden als application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"antwoorden"}:
        raise invalid_params({"antwoorden": 'Verwacht {"antwoorden": {vraag: waarde}}.'})
    answers = body["antwoorden"]
    if not isinstance(answers, dict):
        raise invalid_params({"antwoorden": "Verwacht een object van vraag naar waarde."})
    unknown = sorted(set(answers) - ids)
    if unknown:
        raise invalid_params(
            {f"antwoorden.{q}": "Deze vraag hoort niet bij deze sectie." for q in unknown}
        )
    return answers


def _flatten(errors: Any, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            found.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list | tuple):
        texts = [e for e in errors if isinstance(e, str)]
        if texts:
            found[prefix or "antwoorden"] = " ".join(texts)
        for index, value in enumerate(errors):
            if not isinstance(value, str):
                found.update(_flatten(value, f"{prefix}[{index}]"))
    return found


@bp.route(SECTION_URL, methods=["PUT"])
@bp.doc(
    summary="De antwoorden van één sectie vervangen (If-Match verplicht)",
    parameters=[
        QUESTIONNAIRE_PARAMETER,
        parameter("If-Match", "header", {"type": "string"}, "De ETag van de GET.", True),
    ],
    requestBody={
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["antwoorden"],
                    "properties": {"antwoorden": {"type": "object"}},
                    "additionalProperties": False,
                }
            }
        },
    },
    responses={**ok("De opgeslagen sectie"), **errors(404, 412, 413, 415, 428)},
)
def save_section(assessment_id: int, questionnaire_name: str, section_id: str):
    allow_params()
    require_scope(SCOPE_WRITE_ANSWERS)
    assessment, rights = load(assessment_id)
    questionnaire, definition = _section(assessment, questionnaire_name, section_id)
    if not rights.may_edit:
        raise Problem(403, "U mag de antwoorden van dit assessment nu niet wijzigen.")
    base_version = _if_match()
    ids = section_question_ids(definition, section_id)
    given = _posted_answers(ids)
    stored = load_answers(assessment, questionnaire)
    proposed = {**stored, **{qid: given.get(qid) for qid in ids}}
    try:
        formdata = answers_to_formdata(definition, section_id, proposed)
    except (TypeError, ValueError, AttributeError, KeyError):
        raise invalid_params(
            {"antwoorden": "Een of meer waarden hebben niet de juiste vorm."}
        ) from None
    form = make_section_form(definition, section_id, proposed, formdata=formdata, base=ApiForm)
    answers = merge_section_answers(
        definition, section_id, stored, form_to_answers(definition, section_id, form)
    )
    if not validate_section(form, definition, answers, strict=False):
        raise invalid_params(_flatten(form.errors))
    # Only what the form would store as given: a value it drops or changes is refused.
    changed = {
        f"antwoorden.{qid}": "Deze waarde past niet bij de vraag (type of keuze)."
        for qid, value in given.items()
        if value is not None and answers.get(qid) != value
    }
    if changed:
        raise invalid_params(changed)
    try:
        version = service.save_section(
            assessment,
            questionnaire,
            section_id,
            answers,
            base_version=base_version,
            actor=current_user,
        )
    except service.StaleSection as stale:
        db.session.rollback()
        raise Problem(
            412,
            "Iemand anders heeft deze sectie intussen opgeslagen. Haal haar opnieuw op.",
            headers={"ETag": _etag(stale.version)},
            huidigeVersie=stale.version,
        ) from None
    db.session.commit()
    body = _body(
        assessment, questionnaire, definition, section_id, load_answers(assessment, questionnaire)
    )
    body["versie"] = version
    response = jsonify(body)
    response.headers["ETag"] = _etag(version)
    return response
