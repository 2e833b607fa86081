"""Request-wide security: login required by default, session checks, response headers."""

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from pia.errors import json_error, wants_json
from pia.extensions import db, login_manager
from pia.models import User
from pia.permissions import (
    API_ENDPOINT_PREFIXES,
    PASSWORD_CHANGE_ENDPOINTS,
    PUBLIC_ENDPOINTS,
    SECOND_FACTOR_SETUP_ENDPOINTS,
)
from pia.services import auth, second_factor

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}

SESSION_EXPIRED_MESSAGES = {
    "idle": (
        "U was te lang niet actief. Om veiligheidsredenen is uw sessie beëindigd. Log opnieuw in."
    ),
    "absolute": "Uw sessie had de maximale duur bereikt. Log opnieuw in.",
    "deactivated": "Uw account is gedeactiveerd. Neem contact op met een beheerder.",
    "ended": "Uw sessie is beëindigd. Log opnieuw in.",
}


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of a live server-side session, else nobody."""
    sess, ended = auth.current_session(session.get("sid"))
    if sess is None or str(sess.user_id) != user_id:
        g.session_ended = ended
        db.session.commit()  # record the expiry
        return None
    db.session.commit()  # last_seen_at
    g.pia_session = sess
    return sess.user


def _check_login() -> object | None:
    endpoint = request.endpoint
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint is None:
        return None  # 404/405 are answered by the error handlers
    if endpoint.startswith(API_ENDPOINT_PREFIXES):
        return None  # the API ignores session cookies; its token is checked in pia.api
    if not current_user.is_authenticated:
        reason = g.pop("session_ended", None)
        session.clear()
        if wants_json():  # an autosave after the session ended: say so, keep the page
            return json_error(401)
        if reason in SESSION_EXPIRED_MESSAGES:
            flash(SESSION_EXPIRED_MESSAGES[reason], "warning")
        elif request.method == "GET":
            flash("Log in om verder te gaan.", "info")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    if endpoint not in SECOND_FACTOR_SETUP_ENDPOINTS and _needs_second_factor():
        if wants_json():
            return json_error(403)
        if request.method == "GET":
            flash(
                "Met uw rol is tweestapsverificatie verplicht. Stel het eerst in; daarna kunt "
                "u verder.",
                "warning",
            )
        return redirect(url_for("second_factor.enrol"))
    return None


def _needs_second_factor() -> bool:
    """A password session of a role that requires a second factor, without one proven.

    OpenID sessions are not asked: the provider's own sign-in (and its second factor) counts.
    """
    sess = g.get("pia_session")
    if sess is None or sess.method != "password" or sess.second_factor:
        return False
    return second_factor.is_required(current_user)


def _form_action_origins() -> str:
    """The OpenID providers' origins: the sign-in button (and the logout) post to pia, which
    redirects there, and browsers hold that redirect to the page's form-action."""
    from urllib.parse import urlsplit

    from pia.services import oidc_providers

    try:
        providers = oidc_providers.providers().values()
    except ValueError:
        return ""
    origins = {f"{u.scheme}://{u.netloc}" for u in (urlsplit(p.issuer) for p in providers)}
    safe = (o for o in sorted(origins) if o.isascii() and " " not in o and ";" not in o)
    return "".join(f" {o}" for o in safe)


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    extra = _form_action_origins()
    if extra and response.headers.get("Content-Security-Policy") == CSP:
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", "form-action 'self'" + extra
        )
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Install the session interface, the login gate and the headers."""
    app.session_interface = SessionInterface()
    login_manager.session_protection = None  # our server-side sessions do this job
    app.before_request(_check_login)
    app.after_request(_headers)
