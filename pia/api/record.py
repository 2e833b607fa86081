"""The assessment's record through the API: frozen versions and what changed between two,
the remarks per section (read, and add as the FG or a drafter), and a new assessment from
an export file. The same services and access object as the pages."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from enum import Enum

from flask import jsonify, request, url_for
from flask_login import current_user

from forms.formdata import section_question_ids
from forms.loader import get_definition, latest_version
from pia.api.openapi import errors, ok, parameter
from pia.api.problems import Problem, invalid_params
from pia.api.resources import allow_params, bp, load, rfc3339
from pia.api.tokens import require_scope
from pia.extensions import db
from pia.formkit import parse_int
from pia.models import Comment, Questionnaire
from pia.models.api_tokens import SCOPE_READ, SCOPE_REVIEW, SCOPE_WRITE_ANSWERS
from pia.permissions import can_create_assessment
from pia.services import review, transfer
from pia.services.assessments import AssessmentError, ConcurrentChange
from pia.services.review.comments import COMMENT_LIMIT

VERSIONS_URL = "/assessments/<int:assessment_id>/versies"


def _version(assessment_id: int, frozen) -> dict:
    return {
        "nummer": frozen.number,
        "ronde": frozen.round,
        "reden": frozen.reason_label,
        "aangemaaktOp": rfc3339(frozen.created_at),
        "aangemaaktDoor": frozen.created_by.name,
        "_links": {
            "self": {
                "href": url_for("api_v1.version", assessment_id=assessment_id, number=frozen.number)
            }
        },
    }


@bp.route(VERSIONS_URL, methods=["GET"])
@bp.doc(
    summary="De bevroren versies (bij elke indiening en vaststelling)",
    responses={**ok("De versies, oudste eerst"), **errors(404)},
)
def versions(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, _ = load(assessment_id)
    return jsonify(
        _embedded={"versies": [_version(assessment.id, v) for v in review.versions(assessment)]}
    )


def _frozen(assessment, number: int):
    found = review.version(assessment, number) if number <= 2**31 - 1 else None
    if found is None:
        raise Problem(404, f"Versie {number} bestaat niet.")
    return found


@bp.route(VERSIONS_URL + "/<int:number>", methods=["GET"])
@bp.doc(
    summary="Eén versie met al haar antwoorden",
    responses={**ok("De versie"), **errors(404)},
)
def version(assessment_id: int, number: int):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, _ = load(assessment_id)
    frozen = _frozen(assessment, number)
    body = _version(assessment.id, frozen)
    body["antwoorden"] = {"prescan": frozen.prescan or {}, "dpia": frozen.dpia or {}}
    body["_links"]["verschillen"] = {
        "href": url_for("api_v1.version_changes", assessment_id=assessment.id, number=number)
    }
    return jsonify(body)


def plain(value):
    """A diff (frozen dataclasses of tuples) as JSON: camelCase keys, enums as values."""
    if is_dataclass(value):
        return {_camel(f.name): plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@bp.route(VERSIONS_URL + "/<int:number>/verschillen", methods=["GET"])
@bp.doc(
    summary="Wat er veranderde ten opzichte van een eerdere versie (standaard de vorige)",
    parameters=[
        parameter(
            "van", "query", {"type": "integer", "minimum": 1}, "De eerdere versie (standaard: -1)."
        )
    ],
    responses={**ok("De wijzigingen per sectie, in woorden"), **errors(404)},
)
def version_changes(assessment_id: int, number: int):
    allow_params("van")
    require_scope(SCOPE_READ)
    assessment, _ = load(assessment_id)
    new = _frozen(assessment, number)
    old_number = number - 1
    if "van" in request.args:
        old_number = parse_int(request.args["van"])
        if old_number is None:
            raise invalid_params({"van": "Een versienummer vanaf 1."})
    if old_number < 1:
        raise Problem(404, "Er is geen eerdere versie om mee te vergelijken.")
    old = _frozen(assessment, old_number)
    dpia = review.compare(assessment, old, new) if assessment.has_dpia else None
    prescan = review.compare_prescan(assessment, old, new)
    return jsonify(
        van=old.number,
        naar=new.number,
        prescan={"samenvatting": prescan.summary, "secties": plain(prescan.sections)},
        dpia=(
            {"samenvatting": dpia.summary, "secties": plain(dpia.sections)}
            if dpia is not None
            else None
        ),
    )


COMMENTS_URL = "/assessments/<int:assessment_id>/opmerkingen"


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "sectie": comment.section_id,
        "vraag": comment.question_id,
        "versie": comment.version_number,
        "tekst": comment.body,
        "auteur": comment.author.name,
        "geplaatstOp": rfc3339(comment.created_at),
        "afgehandeldOp": rfc3339(comment.resolved_at),
        "reacties": [_comment(reply) for reply in comment.replies],
    }


@bp.route(COMMENTS_URL, methods=["GET"])
@bp.doc(
    summary="De opmerkingen bij de DPIA, per draad (eigenaar, opstellers, FG, meelezers)",
    responses={**ok("De draden met hun reacties"), **errors(404)},
)
def comments(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    assessment, rights = load(assessment_id)
    if not rights.may_read_comments:
        raise Problem(403, "U mag de opmerkingen bij dit assessment niet lezen.")
    if not assessment.has_dpia:  # as the page: remarks belong to the DPIA
        raise Problem(403, "Opmerkingen horen bij de DPIA; dit assessment heeft nog geen DPIA.")
    threads = review.comments(assessment)
    return jsonify(_embedded={"opmerkingen": [_comment(c) for c in threads]})


def _comment_body() -> dict:
    """A remark on a section of the current DPIA model (optionally one of its questions),
    or a reply in a thread: the section ids and question ids come from the definition."""
    dpia = get_definition(Questionnaire.DPIA.value, latest_version(Questionnaire.DPIA.value))
    text = {"type": "string", "minLength": 1, "maxLength": COMMENT_LIMIT, "pattern": r"\S"}
    on_section = [
        {
            "type": "object",
            "required": ["sectie", "tekst"],
            "properties": {
                "sectie": {"const": section.id},
                "vraag": {"enum": [None, *sorted(section_question_ids(dpia, section.id))]},
                "tekst": text,
            },
            "additionalProperties": False,
        }
        for section in dpia.user_sections
    ]
    reply = {
        "type": "object",
        "required": ["reactieOp", "tekst"],
        "properties": {
            "reactieOp": {"type": "integer", "description": "Het id van de eerste opmerking."},
            "tekst": text,
        },
        "additionalProperties": False,
    }
    return {"oneOf": [*on_section, reply]}


COMMENT_FIELDS = ("sectie", "vraag", "tekst", "reactieOp")


@bp.route(COMMENTS_URL, methods=["POST"])
@bp.doc(
    summary="Een opmerking plaatsen bij een onderdeel of vraag, of reageren in een draad",
    requestBody={"required": True, "content": {"application/json": {"schema": _comment_body()}}},
    responses={**ok("De geplaatste opmerking", 201), **errors(404, 409, 413, 415)},
)
def add_comment(assessment_id: int):
    allow_params()
    require_scope(SCOPE_REVIEW)
    assessment, rights = load(assessment_id)
    if not rights.may_comment or not assessment.has_dpia:
        raise Problem(403, "U kunt bij deze DPIA geen opmerkingen plaatsen.")
    given = request.get_json(silent=True)
    if not isinstance(given, dict):
        raise Problem(415, "Stuur de opmerking als een JSON-object.")
    problems = {f"{key}": "Onbekend veld." for key in given if key not in COMMENT_FIELDS}
    text, section_id = given.get("tekst"), given.get("sectie")
    question_id, parent_id = given.get("vraag"), given.get("reactieOp")
    if not isinstance(text, str) or not text.strip():
        problems["tekst"] = "Schrijf een opmerking."
    if parent_id is not None and (isinstance(parent_id, bool) or not isinstance(parent_id, int)):
        problems["reactieOp"] = "Het id van een draad (een geheel getal)."
    if parent_id is None and not isinstance(section_id, str):
        problems["sectie"] = "Het onderdeel, of reactieOp voor een reactie."
    if question_id is not None and not isinstance(question_id, str):
        problems["vraag"] = "Het nummer van een vraag, als tekst."
    if problems:
        raise invalid_params(problems)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id) if 0 < parent_id <= 2**31 - 1 else None
        if parent is None or parent.assessment_id != assessment.id or parent.parent_id:
            raise Problem(404, "Deze draad bestaat niet bij dit assessment.")
    try:
        comment = review.add_comment(
            assessment, current_user, section_id or "", question_id, text, parent=parent
        )
    except ConcurrentChange as exc:
        db.session.rollback()
        raise Problem(409, str(exc)) from None
    except AssessmentError as exc:
        db.session.rollback()
        field = getattr(exc, "field", None)
        if field == "body":
            raise invalid_params({"tekst": str(exc)}) from None
        raise invalid_params({"sectie": str(exc)}) from None
    db.session.commit()
    response = jsonify(_comment(comment))
    response.status_code = 201
    return response


IMPORT_BODY = {
    "type": "object",
    "description": "Een exportbestand van PIA Rijk (GET …/export), als JSON.",
    "required": ["formaat", "formaatversie", "assessment", "vragenlijsten"],
    "properties": {
        "formaat": {"const": transfer.FORMAT},
        "formaatversie": {"const": transfer.FORMAT_VERSION},
        "assessment": {
            "type": "object",
            "required": ["titel", "organisatie"],
            "properties": {
                "titel": {"type": "string", "minLength": 1, "maxLength": 200},
                "omschrijving": {"type": "string"},
                "organisatie": {"type": "string", "description": "De afkorting, bijv. BZK."},
                "rijksbreed": {"type": "boolean"},
            },
        },
        "vragenlijsten": {
            "type": "object",
            "required": ["prescan"],
            "properties": {
                "prescan": {"type": "object", "required": ["definitie", "versie", "antwoorden"]},
                "dpia": {"type": "object", "required": ["definitie", "versie", "antwoorden"]},
            },
        },
    },
}


@bp.route("/assessments", methods=["POST"])
@bp.doc(
    summary="Een nieuw assessment maken uit een exportbestand (u wordt de eigenaar)",
    requestBody={"required": True, "content": {"application/json": {"schema": IMPORT_BODY}}},
    responses={**ok("Het nieuwe assessment", 201), **errors(413, 415)},
)
def import_assessment():
    allow_params()
    require_scope(SCOPE_WRITE_ANSWERS)
    if not can_create_assessment(current_user):
        raise Problem(403, "Alleen projectleiders maken assessments.")
    data = request.get_data(cache=False)
    if not request.is_json:
        raise Problem(415, "Stuur het exportbestand als application/json.")
    assessment, found = transfer.import_document(data, actor=current_user)
    if assessment is None:
        db.session.rollback()
        raise Problem(
            400,
            "Het bestand kan niet worden geïmporteerd; er is niets opgeslagen.",
            invalidParams=[
                {"name": "bestand", "code": "invalid", "reason": reason} for reason in found
            ],
        )
    db.session.commit()
    href = url_for("api_v1.assessment", assessment_id=assessment.id)
    response = jsonify(id=assessment.id, titel=assessment.title, _links={"self": {"href": href}})
    response.status_code = 201
    response.headers["Location"] = href
    return response
