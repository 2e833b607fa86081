"""The review procedure and the DPIA report through the API: the actions available to this
user now (review.options), the one-button actions (review.fire_simple), and the report."""

from io import BytesIO

from flask import jsonify, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from pia.api.openapi import errors, ok
from pia.api.problems import Problem
from pia.api.resources import allow_params, bp, load, rfc3339
from pia.api.tokens import require_scope
from pia.extensions import db
from pia.models import DocumentKind, GeneratedDocument
from pia.models.api_tokens import SCOPE_READ, SCOPE_REVIEW, SCOPE_WRITE_ANSWERS
from pia.services import documents, review
from pia.services.assessments import AssessmentError
from workflows import departmental
from workflows.errors import TransitionNotAllowed

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def kebab(action: str) -> str:
    return action.replace("_", "-")


def _option(assessment_id: int, option) -> dict:
    simple = option.name in review.SIMPLE_ACTIONS
    body = {
        "actie": kebab(option.name),
        "label": option.transition.label,
        "beschikbaar": option.enabled,
        "redenen": list(option.reasons),
        "viaApi": simple,
    }
    if simple:
        body["_links"] = {
            "uitvoeren": {
                "href": url_for(
                    "api_v1.act", assessment_id=assessment_id, action=kebab(option.name)
                ),
                "method": "POST",
            }
        }
    return body


@bp.route("/assessments/<int:assessment_id>/acties", methods=["GET"])
@bp.doc(
    summary="De acties van de procedure die deze gebruiker nu kan uitvoeren",
    responses={**ok("De acties"), **errors(404)},
)
def actions(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, _ = load(assessment_id)
    options = review.options(current_user, assessment)
    return jsonify(
        status=assessment.state,
        _embedded={"acties": [_option(assessment.id, o) for o in options]},
    )


@bp.route("/assessments/<int:assessment_id>/acties/<action>", methods=["POST"])
@bp.doc(
    summary="Een actie van één knop uitvoeren (indienen, oppakken, teruggeven, ...)",
    responses={**ok("De nieuwe status"), **errors(404, 409, 415)},
)
def act(assessment_id: int, action: str):
    allow_params()
    require_scope(SCOPE_REVIEW)
    assessment, rights = load(assessment_id)
    name = action.replace("-", "_")
    if name not in review.SIMPLE_ACTIONS or kebab(name) != action:
        raise Problem(
            404, "Deze actie bestaat niet in de API (acties met een formulier: op de site)."
        )
    transition = departmental.WORKFLOW.transition(name, assessment.state)
    if (transition is not None and not (transition.roles & rights.roles)) or (
        transition is None and not rights.could_ever(name)
    ):
        raise Problem(403, "U mag deze actie bij dit assessment niet uitvoeren.")
    try:
        review.fire_simple(assessment, current_user, name)
    except (TransitionNotAllowed, AssessmentError) as exc:
        db.session.rollback()
        raise Problem(409, str(exc)) from None
    db.session.commit()
    return jsonify(
        status=assessment.state,
        _links={"assessment": {"href": url_for("api_v1.assessment", assessment_id=assessment.id)}},
    )


REPORT_URL = "/assessments/<int:assessment_id>/documenten/dpia-rapport"


def _latest_report(assessment_id: int) -> GeneratedDocument | None:
    return db.session.scalar(
        select(GeneratedDocument)
        .where(
            GeneratedDocument.assessment_id == assessment_id,
            GeneratedDocument.kind == DocumentKind.DPIA_REPORT.value,
        )
        .order_by(GeneratedDocument.id.desc())
        .limit(1)
    )


@bp.route(REPORT_URL, methods=["POST"])
@bp.doc(
    summary="Het DPIA-rapport nu maken uit de huidige antwoorden (eigenaar of mede-opsteller)",
    responses={**ok("Het rapport is gemaakt", 201), **errors(404, 409, 415)},
)
def generate_report(assessment_id: int):
    allow_params()
    require_scope(SCOPE_WRITE_ANSWERS)
    assessment, rights = load(assessment_id)
    if not rights.may_generate_documents:
        raise Problem(403, "Alleen de eigenaar en mede-opstellers maken het rapport via de API.")
    try:
        document = documents.generate_report(assessment, actor=current_user)
    except AssessmentError as exc:
        db.session.rollback()
        raise Problem(409, str(exc)) from None
    db.session.commit()
    response = jsonify(
        id=document.id,
        bestandsnaam=document.filename,
        grootte=document.size,
        sha256=document.sha256,
        aangemaaktOp=rfc3339(document.created_at),
        _links={"download": {"href": url_for("api_v1.report", assessment_id=assessment.id)}},
    )
    response.status_code = 201
    response.headers["Location"] = url_for("api_v1.report", assessment_id=assessment.id)
    return response


@bp.route(REPORT_URL, methods=["GET"])
@bp.doc(
    summary="Het nieuwste DPIA-rapport downloaden (Word)",
    responses={
        **ok("Het Word-bestand", content={DOCX_MIMETYPE: {"schema": {"type": "string"}}}),
        **errors(404),
    },
)
def report(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, rights = load(assessment_id)
    if not rights.may_download:
        raise Problem(403, "U mag de documenten van dit assessment niet downloaden.")
    document = _latest_report(assessment.id)
    if document is None:
        raise Problem(404, "Er is nog geen DPIA-rapport gemaakt.")
    documents.record_download(document, "docx", actor=current_user)
    db.session.commit()
    return send_file(
        BytesIO(document.content),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=document.filename,
    )
