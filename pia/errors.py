"""Dutch error pages without stack traces; a 500 carries a reference that is also logged."""

import secrets

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
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


def _render(code: int, message: str | None = None, reference: str | None = None):
    title, default = TITLES.get(code, TITLES[500])
    html = render_template(
        "errors/error.html", code=code, title=title, message=message or default, reference=reference
    )
    return html, code


def handle_http(exc: HTTPException):
    code = exc.code or 500
    if code >= 500:
        return handle_500(exc)
    return _render(code)


def handle_csrf(exc: CSRFError):
    return _render(
        400,
        "Dit formulier is verlopen of kwam niet van deze site (beveiligingscontrole). "
        "Ga terug, laad de pagina opnieuw en verstuur het formulier nog eens.",
    )


def handle_500(exc: Exception):
    reference = secrets.token_hex(4).upper()
    original = getattr(exc, "original_exception", None) or exc
    from flask import current_app

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
    return _render(500, reference=reference)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_500)
    app.register_error_handler(Exception, handle_500)
