"""Writing and verifying the append-only, hash-chained audit log."""

import hashlib
import json
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text

from pia.extensions import db
from pia.models import AuditEvent, User
from pia.models.types import utcnow

GENESIS = "0" * 64


def client_address() -> str:
    """The client's address as Flask sees it (after ProxyFix, if configured)."""
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def _digest(event: AuditEvent) -> str:
    payload = {
        "prev_hash": event.prev_hash,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "ip_address": event.ip_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "details": event.details,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def record(
    action: str,
    *,
    actor: User | None = None,
    object_type: str = "",
    object_id: object = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    # Serialise writers so the chain never forks across worker processes.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    elif db.engine.dialect.name == "sqlite":
        # A write that changes nothing takes SQLite's write lock before the last hash is read.
        db.session.execute(text("UPDATE audit_events SET id = id WHERE 0 = 1"))
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=utcnow().replace(microsecond=0),
        actor_id=actor.id if actor else None,
        actor_label=f"{actor.name} <{actor.email}>" if actor else "",
        ip_address=client_address(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:500],
        details=details or {},
        prev_hash=prev or GENESIS,
    )
    event.hash = _digest(event)
    db.session.add(event)
    db.session.flush()
    return event


def verify_chain() -> int | None:
    """Return the id of the first event whose chain is broken, or None if all is intact."""
    prev = GENESIS
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev or _digest(event) != event.hash:
            return event.id
        prev = event.hash
    return None
