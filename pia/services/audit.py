"""Writing and verifying the append-only, hash-chained audit log."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import func, select, text

from pia.extensions import db
from pia.models import AuditAnchor, AuditEvent, User
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


# --- anchors: the chain shows an edit, anchors show a removed tail -------------------------


@dataclass(frozen=True)
class Head:
    """The newest event of the chain and how many there are."""

    event_id: int
    event_hash: str
    count: int


def head() -> Head:
    """The current head (id 0 and the genesis hash when the log is empty)."""
    last = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    total = db.session.scalar(select(func.count(AuditEvent.id)))
    return Head(last[0], last[1], total) if last else Head(0, GENESIS, 0)


def _sign(item: Head) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    blob = f"audit-anchor:{item.event_id}:{item.event_hash}:{item.count}".encode()
    return hmac.new(key, blob, hashlib.sha256).hexdigest()


def anchor() -> AuditAnchor:
    """Store the current head, signed (HMAC with the secret key), as an anchor."""
    current = head()
    row = AuditAnchor(
        event_id=current.event_id,
        event_hash=current.event_hash,
        event_count=current.count,
        signature=_sign(current),
    )
    db.session.add(row)
    db.session.flush()
    return row


def verify_anchors() -> list[str]:
    """Problems with the log compared with the stored anchors, in Dutch; empty when none.

    Every anchor must carry a valid signature (so it was written by pia, with this secret
    key), the event it names must still exist with the same hash, and the log must hold at
    least as many events as it did then. Removing the newest events (truncation), which
    leaves a chain that is itself intact, therefore shows as soon as an anchor was made
    after them. Anchors are append-only too (database triggers).
    """
    found = []
    current = head()
    for row in db.session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)):
        item = Head(row.event_id, row.event_hash, row.event_count)
        if not hmac.compare_digest(row.signature, _sign(item)):
            found.append(f"Anker {row.id} heeft geen geldige handtekening.")
            continue
        if item.count == 0:
            continue
        still = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == item.event_id))
        if still != item.event_hash:
            found.append(
                f"Gebeurtenis {item.event_id} (de laatste bij anker {row.id}, "
                f"{row.created_at:%Y-%m-%d %H:%M}) ontbreekt of is gewijzigd: het einde van het "
                "auditlog is verwijderd."
            )
        elif current.count < item.count:
            found.append(
                f"Het auditlog telt {current.count} gebeurtenissen, bij anker {row.id} waren het "
                f"er {item.count}: er zijn gebeurtenissen verwijderd."
            )
    return found


EVENT_LABELS = {
    "account.mail_digest": "E-mailkeuze voor meldingen gewijzigd",
    "agreement.saved": "Verwerkersovereenkomst opgeslagen",
    "agreement.started": "Verwerkersovereenkomst begonnen",
    "api.request": "Verzoek via de API",
    "api_token.created": "API-token gemaakt",
    "api_token.revoked": "API-token ingetrokken",
    "assessment.advice_processed": "Opvolging van het FG-advies vastgelegd",
    "assessment.answers_saved": "Antwoorden opgeslagen",
    "assessment.comment": "Opmerking geplaatst",
    "assessment.comment_reopened": "Opmerking heropend",
    "assessment.comment_resolved": "Opmerking afgehandeld",
    "assessment.par_advice": "Rijksbreed advies opgesteld",
    "assessment.route_changed": "Soort procedure gewijzigd",
    "assessment.par_employee_data": "Gegevens van medewerkers gecorrigeerd",
    "assessment.par_position": "Standpunt van een ministerie",
    "assessment.controller_added": "Verwerkingsverantwoordelijke aangewezen",
    "assessment.controller_removed": "Verwerkingsverantwoordelijke niet meer aangewezen",
    "assessment.created": "Assessment aangemaakt",
    "assessment.dpia_started": "DPIA gestart",
    "assessment.exported": "Assessment gedownload als bestand",
    "assessment.history_downloaded": "Geschiedenis gedownload",
    "register.downloaded": "Verwerkingsregister gedownload",
    "portfolio.downloaded": "DPIA-overzicht gedownload",
    "assessment.imported": "Antwoorden ingelezen uit een bestand",
    "assessment.review_date": "Datum voor herbeoordeling gewijzigd",
    "assessment.shared": "Assessment gedeeld",
    "assessment.transition": "Stap in de procedure",
    "assessment.unshared": "Toegang tot het assessment ingetrokken",
    "document.downloaded": "Document gedownload",
    "document.generated": "Document gemaakt",
    "document_template.activated": "Sjabloon weer in gebruik genomen",
    "document_template.refused": "Sjabloon geweigerd",
    "document_template.uploaded": "Sjabloon toegevoegd",
    "login.failed": "Inloggen mislukt",
    "login.second_factor": "Ingelogd met wachtwoord en tweede factor",
    "login.sso_refused": "Inloggen via de inlogdienst geweigerd",
    "login.sso_succeeded": "Ingelogd via de inlogdienst",
    "login.succeeded": "Ingelogd",
    "login.throttled": "Inloggen tijdelijk geblokkeerd",
    "logout": "Uitgelogd",
    "organisation.created": "Organisatie toegevoegd",
    "organisation.deactivated": "Organisatie gedeactiveerd",
    "organisation.reactivated": "Organisatie weer actief",
    "organisation.updated": "Organisatie gewijzigd",
    "par_body.created": "Interdepartementaal overleg toegevoegd",
    "par_body.deactivated": "Interdepartementaal overleg gedeactiveerd",
    "par_body.reactivated": "Interdepartementaal overleg weer actief",
    "par_body.updated": "Interdepartementaal overleg gewijzigd",
    "par_register.downloaded": "PAR-register gedownload",
    "password_check.failed": "Wachtwoordcontrole mislukt",
    "password_check.throttled": "Wachtwoordcontrole tijdelijk geblokkeerd",
    "second_factor.enrolled": "Tweestapsverificatie ingesteld",
    "second_factor.failed": "Code voor tweestapsverificatie onjuist",
    "second_factor.recovery_codes_replaced": "Nieuwe herstelcodes gemaakt",
    "second_factor.reset": "Tweestapsverificatie opnieuw ingesteld door een beheerder",
    "second_factor.switched_off": "Tweestapsverificatie uitgezet",
    "second_factor.throttled": "Tweestapsverificatie tijdelijk geblokkeerd",
    "session.expired": "Sessie verlopen",
    "sso.account_requested": "Account aangevraagd via de inlogdienst",
    "sso.link_refused": "Koppeling met de inlogdienst geweigerd",
    "sso.linked": "Account gekoppeld aan de inlogdienst",
    "user.approved": "Account goedgekeurd",
    "user.created": "Gebruiker toegevoegd",
    "user.deactivated": "Gebruiker gedeactiveerd",
    "user.invited": "Uitnodiging verstuurd",
    "user.password_changed": "Wachtwoord gewijzigd",
    "user.password_link_sent": "Link om een wachtwoord te kiezen verstuurd",
    "user.password_set_by_link": "Wachtwoord gekozen via een link",
    "user.reactivated": "Gebruiker weer actief",
    "user.roles_changed": "Rollen van een gebruiker gewijzigd",
    "user.updated": "Gebruiker gewijzigd",
}


def event_label(action: str) -> str:
    """An event code in words (an unknown code as 'Andere gebeurtenis', never the code)."""
    return EVENT_LABELS.get(action, "Andere gebeurtenis")
