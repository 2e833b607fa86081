"""Pages anyone may see: health check, statements, security.txt."""

from datetime import timedelta

from flask import Blueprint, Response, current_app, render_template
from sqlalchemy import text

from pia.extensions import db
from pia.models.types import utcnow

bp = Blueprint("public", __name__)


@bp.get("/health")
def health():
    """Liveness and database check for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - report, never raise
        return {"status": "fout", "database": "niet bereikbaar"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/toegankelijkheid")
def accessibility():
    """The accessibility statement."""
    return render_template("public/accessibility.html")


@bp.get("/privacy")
def privacy():
    """The privacy statement (it quotes how much of a long answer the history keeps)."""
    from pia.services.questionnaires import AUDIT_VALUE_LIMIT

    return render_template("public/privacy.html", audit_value_limit=AUDIT_VALUE_LIMIT)


@bp.get("/.well-known/security.txt")
def security_txt():
    """RFC 9116 contact information."""
    expires = (utcnow() + timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
    )
    return Response(body, mimetype="text/plain")
