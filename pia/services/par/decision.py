"""The rijksbreed privacyadvies: consolidation, approval by the bodies, GOR Rijk, established."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pia.extensions import db
from pia.models import Assessment, DecisionKind, ParDecision, User
from pia.models.par import CONSENT_LABELS, GOR_RIJK
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, claim_write
from pia.services.par.bodies import active_names
from pia.services.par.consultation import TEXT_LIMIT
from pia.services.par.machine import check, link, move
from pia.services.par.record import (
    current_round,
    ensure_trajectory,
    participating_fgs,
    positions,
    users_with_role,
)
from pia.services.review.record import authors
from workflows import par
from workflows.outcome import DECISION_LABELS, Verdict


@dataclass(frozen=True)
class AdviceInput:
    """The coordinator's consolidated advice."""

    summary: str
    conclusion: str
    risks: str = ""
    conditions: list[dict] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def proposed_conditions(assessment: Assessment) -> list[dict]:
    """The conditions the FGs named in the last round, each with its ministry: the
    coordinator's starting point."""
    found = positions(current_round(assessment))
    return [
        {"text": p.conditions, "ministries": [p.organisation.abbreviation]}
        for p in found.values()
        if p.conditions.strip()
    ]


def draft_advice(assessment: Assessment, actor: User, given: AdviceInput) -> None:
    """The coordinator writes (and rewrites) the advice while consolidating."""
    if assessment.state != par.CONSOLIDATION.value or not _coordinates(actor, assessment):
        raise AssessmentError("Het advies wordt opgesteld tijdens de consolidatie.")
    if given.conclusion not in {v.value for v in Verdict}:
        raise AssessmentError("Kies de conclusie van het advies.", "conclusion")
    if not given.summary.strip():
        raise AssessmentError("Schrijf de samenvatting van het advies.", "summary")
    if given.conclusion == Verdict.CONDITIONAL and not given.conditions:
        raise AssessmentError("Noem de voorwaarden.", "conditions")
    if max((len(given.summary), len(given.risks)), default=0) > TEXT_LIMIT:
        raise AssessmentError("De tekst is te lang.", "summary")
    known = active_names()
    if not given.bodies or not set(given.bodies) <= set(known):
        raise AssessmentError("Kies de overleggen die het advies moeten goedkeuren.", "bodies")
    claim_write(assessment)
    found = ensure_trajectory(assessment)
    found.advice_summary, found.advice_risks = given.summary.strip(), given.risks.strip()
    found.advice_conclusion = given.conclusion
    found.advice_conditions = [
        {"text": c["text"].strip()[:TEXT_LIMIT], "ministries": list(c.get("ministries", []))}
        for c in given.conditions
        if c.get("text", "").strip()
    ]
    found.bodies = [b for b in known if b in given.bodies]
    found.advice_drafted_at, found.advice_drafted_by_id = utcnow(), actor.id
    audit.record(
        "assessment.par_advice",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Rijksbreed privacyadvies over “{assessment.title}” opgesteld",
        details={"conclusion": given.conclusion, "conditions": len(found.advice_conditions)},
    )


def _coordinates(actor: User, assessment: Assessment) -> bool:
    from pia.permissions import access

    return access(actor, assessment).may_coordinate


def offer_for_approval(assessment: Assessment, actor: User) -> None:
    """The advice goes to the chosen interdepartmental bodies."""
    check(actor, assessment, "offer_for_approval")
    found = ensure_trajectory(assessment)
    found.offer += 1
    found.offered_at = utcnow()
    move(
        assessment,
        "offer_for_approval",
        actor,
        f"Rijksbreed advies over “{assessment.title}” ter goedkeuring aangeboden aan "
        + ", ".join(found.bodies),
        offer=found.offer,
        bodies=list(found.bodies),
    )
    notify.send(
        users_with_role(Role.SECRETARIAAT) + authors(assessment),
        assessment,
        "par_offered",
        f"Het rijksbrede privacyadvies over “{assessment.title}” ligt ter goedkeuring voor bij "
        + ", ".join(found.bodies)
        + ".",
        link(assessment),
    )


@dataclass(frozen=True)
class DecisionInput:
    body: str
    verdict: str
    decided_on: date | None
    reference: str
    remarks: str = ""

    @property
    def ready(self) -> bool:
        return bool(
            self.body
            and self.verdict in {v.value for v in Verdict}
            and self.decided_on
            and self.reference.strip()
        )


def record_decision(assessment: Assessment, actor: User, given: DecisionInput) -> ParDecision:
    """The secretariat records one body's decision; a rejection sends the advice back."""
    found = ensure_trajectory(assessment)
    consent = assessment.state == par.CONSENT.value
    action = "record_consent" if consent else "record_decision"
    check(actor, assessment, action, decision_ready=given.ready)
    allowed = [GOR_RIJK] if consent else found.bodies
    if given.body not in allowed:
        raise AssessmentError("Kies een van de overleggen van dit traject.", "body")
    kind = DecisionKind.CONSENT if consent else DecisionKind.APPROVAL
    exists = db.session.query(ParDecision.id).filter_by(
        assessment_id=assessment.id, offer=found.offer, body=given.body
    )
    if exists.first() is not None:
        raise AssessmentError(f"Het besluit van {given.body} is al vastgelegd.", "body")
    decision = ParDecision(
        assessment_id=assessment.id,
        offer=found.offer,
        kind=kind.value,
        body=given.body,
        verdict=given.verdict,
        decided_on=given.decided_on,
        reference=given.reference.strip()[:200],
        remarks=given.remarks.strip()[:TEXT_LIMIT],
        recorded_by_id=actor.id,
    )
    db.session.add(decision)
    db.session.flush()
    word = (CONSENT_LABELS if consent else DECISION_LABELS)[Verdict(given.verdict)]
    move(
        assessment,
        action,
        actor,
        f"Besluit {given.body} over “{assessment.title}”: {word}",
        body=given.body,
        verdict=given.verdict,
        decided_on=given.decided_on.isoformat(),
        reference=decision.reference,
    )
    message = f"{given.body} besloot over het rijksbrede advies “{assessment.title}”: {word}."
    if given.verdict == Verdict.NEGATIVE:
        move(assessment, "rework", actor, f"“{assessment.title}” terug naar consolidatie")
        message += " Het advies gaat terug naar de consolidatie."
    notify.send(
        users_with_role(Role.PAR_COORDINATOR) + authors(assessment),
        assessment,
        "par_decision",
        message,
        link(assessment),
    )
    return decision


def request_consent(assessment: Assessment, actor: User) -> None:
    """Approved; employees' data is processed, so the GOR Rijk decides on consent."""
    check(actor, assessment, "request_consent")
    move(assessment, "request_consent", actor, f"“{assessment.title}” voorgelegd aan de GOR Rijk")
    notify.send(
        users_with_role(Role.SECRETARIAAT) + authors(assessment),
        assessment,
        "par_offered",
        f"Het rijksbrede advies over “{assessment.title}” ligt ter instemming voor bij de GOR "
        "Rijk (er worden gegevens van medewerkers verwerkt).",
        link(assessment),
    )


def establish(assessment: Assessment, actor: User) -> None:
    """The advice is final (vastgesteld)."""
    check(actor, assessment, "establish")
    found = ensure_trajectory(assessment)
    found.established_at, found.established_by_id = utcnow(), actor.id
    move(assessment, "establish", actor, f"Rijksbreed advies over “{assessment.title}” vastgesteld")
    notify.send(
        authors(assessment)
        + users_with_role(Role.SECRETARIAAT)
        + participating_fgs(assessment, current_round(assessment)),
        assessment,
        "par_established",
        f"Het rijksbrede privacyadvies over “{assessment.title}” is vastgesteld "
        f"({found.conclusion_label}).",
        link(assessment),
    )


def rework(assessment: Assessment, actor: User) -> None:
    """The coordinator takes the advice back to consolidation."""
    check(actor, assessment, "rework")
    move(assessment, "rework", actor, f"“{assessment.title}” terug naar consolidatie")
