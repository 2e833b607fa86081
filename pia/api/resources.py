"""The operations of /api/v1. Each loads, asks the access object, calls the same service the
pages use, and answers JSON; problems are raised as pia.api.problems.Problem."""

from datetime import date, datetime

from flask import g, jsonify, request, url_for
from flask_login import current_user
from flask_smorest import Blueprint

from pia.api.openapi import errors, ok, parameter
from pia.api.problems import Problem
from pia.api.tokens import authenticate, record_use, require_scope
from pia.extensions import db
from pia.formkit import MAX_PAGE, parse_int
from pia.models import Assessment, AssessmentFigures, Questionnaire
from pia.models.api_tokens import SCOPE_READ
from pia.permissions import access
from pia.services import audit, figures, listing, transfer
from pia.services.review import today

bp = Blueprint(
    "api_v1",
    __name__,
    url_prefix="/api/v1",
    description="De API van PIA Rijk (versie 1): assessments lezen, antwoorden schrijven.",
)


@bp.before_request
def _check_request() -> None:
    """Every operation: a usable token (never the session), then a JSON body on writes."""
    authenticate()
    writes = request.method in ("POST", "PUT", "PATCH")
    if writes and request.content_length and not request.is_json:
        raise Problem(415, "Stuur de gegevens als application/json.")


bp.after_request(record_use)

MAX_ID = 2**31 - 1

# camelCase query keys of the list, and the list page's own keys they stand for.
LIST_PARAMS = {
    "zoek": "q",
    "status": "status",
    "organisatie": "organisatie",
    "uitkomst": "uitkomst",
    "eigenaar": "eigenaar",
    "termijn": "termijn",
    "behandeling": "behandeling",
    "wacht": "wacht",
    "sorteer": "sorteer",
    "richting": "richting",
    "pagina": "pagina",
    "perPagina": None,
}


def rfc3339(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def allow_params(*names: str) -> None:
    """Unknown query parameters are an error, not silently ignored."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise Problem(
            400,
            "Onbekende queryparameter(s).",
            invalidParams=[
                {"name": n, "code": "unknown", "reason": "Deze parameter bestaat niet."}
                for n in unknown
            ],
        )


def load(assessment_id: int) -> tuple[Assessment, object]:
    """The assessment and this user's access object: 404 when it does not exist, 403 when
    it may not be opened (as the pages answer)."""
    # Ids are INTEGER columns: beyond their range nothing exists (PostgreSQL would refuse it).
    found = db.session.get(Assessment, assessment_id) if assessment_id <= MAX_ID else None
    assessment = found
    if assessment is None:
        raise Problem(404, "Dit assessment bestaat niet.")
    rights = access(current_user, assessment)
    if not rights.may_view:
        raise Problem(403, "U heeft geen toegang tot dit assessment.")
    return assessment, rights


def summary(assessment: Assessment, stored: AssessmentFigures | None) -> dict:
    return {
        "id": assessment.id,
        "titel": assessment.title,
        "status": assessment.state,
        "organisatie": assessment.organisation.abbreviation,
        "fase": stored.phase if stored else None,
        "voortgang": stored.percent if stored else None,
        "prescanUitkomst": stored.prescan_outcome if stored else None,
        "aangemaaktOp": rfc3339(assessment.created_at),
        "gewijzigdOp": rfc3339(assessment.updated_at),
        "_links": {"self": {"href": url_for("api_v1.assessment", assessment_id=assessment.id)}},
    }


@bp.route("/me", methods=["GET"])
@bp.doc(summary="De gebruiker van het token", responses=ok("De gebruiker en het token"))
def me():
    """The token's user, their roles and the token's scopes."""
    allow_params()
    require_scope(SCOPE_READ)
    token = g.pia_api_token
    return jsonify(
        id=current_user.id,
        naam=current_user.name,
        email=current_user.email,
        organisatie=current_user.organisation.abbreviation,
        rollen=sorted(r.value for r in current_user.roles),
        token={
            "naam": token.name,
            "scopes": sorted(token.scope_set),
            "verlooptOp": rfc3339(token.expires_at),
        },
    )


@bp.route("/assessments", methods=["GET"])
@bp.doc(
    summary="Assessments die deze gebruiker mag openen",
    parameters=[
        parameter("zoek", "query", {"type": "string", "maxLength": 100}, "Zoek in de titel."),
        parameter("status", "query", {"type": "string"}, "Status van de procedure."),
        parameter("organisatie", "query", {"type": "integer", "minimum": 1}, "Organisatie-id."),
        parameter("uitkomst", "query", {"type": "string"}, "Uitkomst van de pre-scan."),
        parameter("eigenaar", "query", {"type": "string", "maxLength": 100}, "Eigenaar."),
        parameter("termijn", "query", {"type": "string"}, "Termijn (fg_lopend, ...)."),
        parameter("behandeling", "query", {"type": "string"}, "FG-werkvoorraad."),
        parameter("wacht", "query", {"type": "string", "enum": ["ja"]}, "Wacht op mij."),
        parameter("sorteer", "query", {"type": "string"}, "Sorteer op."),
        parameter("richting", "query", {"type": "string", "enum": ["op", "af"]}, "Richting."),
        parameter(
            "pagina",
            "query",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "Pagina (vanaf 1).",
        ),
        parameter("perPagina", "query", {"type": "integer", "enum": [25]}, "Per pagina: 25."),
    ],
    responses=ok("Een pagina van de lijst, met links naar de andere pagina's"),
)
def assessments():
    """The same list as the page: the same filters, the same permission as a query."""
    allow_params(*LIST_PARAMS)
    require_scope(SCOPE_READ)
    per_page = request.args.get("perPagina")
    if per_page is not None and parse_int(per_page, 1, 100) is None:
        raise Problem(
            400,
            "perPagina moet een geheel getal van 1 tot 100 zijn.",
            invalidParams=[{"name": "perPagina", "code": "range", "reason": "1 tot 100."}],
        )
    if per_page is not None and int(per_page) != listing.PER_PAGE:
        raise Problem(
            400,
            f"Deze versie geeft {listing.PER_PAGE} per pagina.",
            invalidParams=[
                {"name": "perPagina", "code": "fixed", "reason": f"Alleen {listing.PER_PAGE}."}
            ],
        )
    page_arg = request.args.get("pagina")
    if page_arg is not None and parse_int(page_arg, 1, MAX_PAGE) is None:
        raise Problem(
            400,
            "pagina moet een positief geheel getal zijn.",
            invalidParams=[{"name": "pagina", "code": "range", "reason": "Vanaf 1."}],
        )
    translated = {
        LIST_PARAMS[k]: v for k, v in request.args.items() if LIST_PARAMS.get(k) is not None
    }
    filters = listing.parse(translated)
    result = listing.list_assessments(current_user, filters, today())
    api_args = {k: v for k, v in request.args.items() if k not in ("pagina",)}

    def link(page: int) -> dict:
        return {"href": url_for("api_v1.assessments", **api_args, pagina=page)}

    links = {"self": link(result.page), "first": link(1), "last": link(result.pages)}
    if result.page > 1:
        links["prev"] = link(result.page - 1)
    if result.page < result.pages:
        links["next"] = link(result.page + 1)
    return jsonify(
        _embedded={"assessments": [summary(a, f) for a, f in result.rows]},
        _links=links,
        pagina=result.page,
        perPagina=listing.PER_PAGE,
        totaalPaginas=result.pages,
        totaal=result.total,
        aantalPerStatus=result.counts,
    )


@bp.route("/assessments/<int:assessment_id>", methods=["GET"])
@bp.doc(
    summary="Eén assessment: status, pre-scan, voortgang, risico's, termijnen",
    responses={**ok("Het assessment"), **errors(404)},
)
def assessment(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    found, rights = load(assessment_id)
    stored = figures.ensure([found]).get(found.id)
    body = summary(found, stored)
    body.update(
        rollen=sorted(rights.roles),
        hoogsteRestrisico=stored.highest_residual_risk if stored else None,
        voorafgaandeRaadplegingAP=stored.prior_consultation if stored else None,
        openOpmerkingen=stored.open_remarks if stored else None,
        fgTermijn=rfc3339(stored.fg_due_on) if stored else None,
        dpiaGestart=found.has_dpia,
    )
    body["_links"].update(
        export={"href": url_for("api_v1.export", assessment_id=found.id)},
    )
    return jsonify(body)


@bp.route("/assessments/<int:assessment_id>/export", methods=["GET"])
@bp.doc(
    summary="Het assessment als JSON-export (hetzelfde als de download op de pagina)",
    responses={**ok("De export"), **errors(404)},
)
def export(assessment_id: int):
    allow_params()
    require_scope(SCOPE_READ)
    found, rights = load(assessment_id)
    if not rights.may_export:
        raise Problem(403, "U mag dit assessment niet exporteren.")
    body = transfer.export_document(found)
    audit.record(
        "assessment.exported",
        object_type="assessment",
        object_id=found.id,
        summary=f"“{found.title}” opgehaald als JSON via de API",
    )
    db.session.commit()
    return jsonify(body)


QUESTIONNAIRES = {q.value: q for q in Questionnaire}
