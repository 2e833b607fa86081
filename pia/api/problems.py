"""Errors of the API as RFC 9457 problem details (application/problem+json), in Dutch."""

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    412: "Versie komt niet overeen",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    428: "Versie ontbreekt",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        **extra,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(status: int, detail: str = "", headers: dict | None = None, **extra):
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400]),
        "status": status,
        **({"detail": detail} if detail else {}),
        "instance": request.path,
        **extra,
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def invalid_params(problems: dict[str, str]) -> Problem:
    """A 400 with one entry per field (NL GOV: invalidParams with name and reason)."""
    return Problem(
        400,
        "Een of meer waarden zijn ongeldig.",
        invalidParams=[
            {"name": name, "code": "invalid", "reason": reason}
            for name, reason in sorted(problems.items())
        ],
    )


def handle_problem(exc: Problem):
    from pia.extensions import db

    db.session.rollback()  # a refused operation keeps nothing
    return problem_response(exc.status, exc.detail, exc.headers, **exc.extra)


def handle_http(exc: HTTPException):
    code = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if code >= 500:
        return handle_exception(exc)
    from pia.extensions import db

    db.session.rollback()
    return problem_response(code, headers=headers)


def handle_exception(exc: Exception):
    from pia.extensions import db

    current_app.logger.error(
        "Unhandled API error %s %s", request.method, request.path, exc_info=exc
    )
    db.session.rollback()
    return problem_response(500)
