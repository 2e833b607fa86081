"""The system-wide audit log: read-only, for beheerders and auditors."""

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from pia.extensions import db
from pia.formkit import MAX_PAGE, parse_int
from pia.models import AuditEvent
from pia.permissions import requires_role
from pia.roles import Role

bp = Blueprint("audit_log", __name__, url_prefix="/auditlog")

PAGE_SIZE = 50


@bp.get("/")
@requires_role(Role.BEHEERDER, Role.AUDITOR)
def index():
    """Newest first, filterable by action, paged."""
    action = (request.args.get("actie") or "").strip()[:80]
    page = parse_int(request.args.get("pagina"), high=MAX_PAGE) or 1
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = db.session.scalars(
        query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return render_template(
        "audit/index.html",
        events=events,
        actions=list(actions),
        action=action,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
    )
