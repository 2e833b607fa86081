"""Dutch error pages without stack traces; a 500 carries a reference that is also logged."""

import secrets

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    401: ("Niet ingelogd", "Log in om deze pagina te bekijken."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina of dit onderdeel."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Methode niet toegestaan", "Deze actie kan niet op deze manier worden uitgevoerd."),
    413: ("Bestand te groot", "Het verstuurde bestand of formulier is te groot."),
    429: (
        "Te veel pogingen",
        "Er zijn te veel pogingen gedaan. Wacht even en probeer het daarna opnieuw.",
    ),
    500: (
        "Er ging iets mis",
        "Er is een fout opgetreden aan onze kant. Er is niets van u verloren"
        " gegaan dat al was opgeslagen. Probeer het later opnieuw.",
    ),
}


# Used when the error page itself cannot be rendered (say the database is down while
# the layout asks for the current user): still Dutch, still no details.
PLAIN_PAGE = (
    '<!doctype html>\n<html lang="nl">\n<head><meta charset="utf-8">'
    "<title>{title} · PIA Rijk</title></head>\n"
    "<body><main><h1>{title}</h1><p>{message}</p>{reference}</main></body>\n</html>\n"
)


# What an autosave (a script on a section page) is told, per status, in the page's words.
AUTOSAVE_MESSAGES = {
    400: "Niet opgeslagen: het formulier kon niet worden verwerkt. Klik op ‘Opslaan’.",
    401: (
        "Niet opgeslagen: u bent niet meer ingelogd. Kopieer wat u nog niet hebt opgeslagen, "
        "log opnieuw in en plak het terug."
    ),
    403: "Niet opgeslagen: u mag deze sectie nu niet wijzigen.",
    404: "Niet opgeslagen: deze sectie bestaat niet (meer).",
    413: (
        "Niet opgeslagen: het formulier is te groot om in één keer te versturen. "
        "Uw tekst staat nog op de pagina; verdeel lange tabellen of teksten en sla opnieuw op."
    ),
    429: "Niet opgeslagen: te veel verzoeken. Wacht even; het wordt zo opnieuw geprobeerd.",
    500: "Niet opgeslagen: er ging iets mis aan onze kant. Uw tekst staat nog op de pagina.",
}
CSRF_AUTOSAVE = (
    "Niet opgeslagen: de pagina is verlopen (beveiligingscontrole). Kopieer wat u nog niet "
    "hebt opgeslagen en laad de pagina opnieuw."
)


def wants_json() -> bool:
    """An autosave or another script that asked for JSON, not a person who asked for a page."""
    if request.headers.get("X-Autosave"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes["application/json"] > (request.accept_mimetypes["text/html"])
    )


def json_error(code: int, message: str | None = None, reference: str | None = None):
    """The error as JSON for a script: status "error", a Dutch message, the reference."""
    text = message or AUTOSAVE_MESSAGES.get(code) or TITLES.get(code, TITLES[500])[1]
    if reference:
        text = f"{text} (referentie {reference})"
    body = {"status": "error", "message": text}
    if reference:
        body["reference"] = reference
    return jsonify(body), code


def _render(code: int, message: str | None = None, reference: str | None = None):
    title, default = TITLES.get(code, TITLES[500])
    message = message or default
    try:
        html = render_template(
            "errors/error.html", code=code, title=title, message=message, reference=reference
        )
    except Exception:  # noqa: BLE001 - the error page must render regardless
        current_app.logger.exception("Error page %s could not be rendered", code)
        html = PLAIN_PAGE.format(
            title=escape(title),
            message=escape(message),
            reference=escape(f"Referentie: {reference}") if reference else "",
        )
    return html, code


def handle_http(exc: HTTPException):
    code = exc.code or 500
    if code >= 500:
        return handle_500(exc)
    # Keep what the exception says about the protocol (Allow on 405, Retry-After on 429).
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if wants_json():
        body, code = json_error(code)
        return body, code, headers
    html, code = _render(code)
    return html, code, headers


def handle_csrf(exc: CSRFError):
    if wants_json():
        return json_error(400, CSRF_AUTOSAVE)
    return _render(
        400,
        "Dit formulier is verlopen of kwam niet van deze site (beveiligingscontrole). "
        "Ga terug, laad de pagina opnieuw en verstuur het formulier nog eens.",
    )


def handle_500(exc: Exception):
    reference = secrets.token_hex(4).upper()
    original = getattr(exc, "original_exception", None) or exc
    current_app.logger.error(
        "Unhandled error, reference %s, %s %s",
        reference,
        request.method,
        request.path,
        exc_info=original if isinstance(original, BaseException) else None,
    )
    try:
        from pia.extensions import db

        db.session.rollback()
    except Exception:  # noqa: BLE001, S110 - the error page must render regardless
        pass
    if wants_json():
        return json_error(500, reference=reference)
    return _render(500, reference=reference)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_500)
    app.register_error_handler(Exception, handle_500)
