"""Submitting to the PAR coordination, consulting the FGs, their positions, sending back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pia.extensions import db
from pia.models import (
    Assessment,
    Organisation,
    ParParticipant,
    ParPosition,
    ParRound,
    RoundOutcome,
    User,
    VersionReason,
)
from pia.models.types import utcnow
from pia.permissions import access
from pia.roles import Role
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, claim_write
from pia.services.par.machine import check, link, move
from pia.services.par.record import (
    current_round,
    ensure_trajectory,
    participating_fgs,
    positions,
    users_with_role,
)
from pia.services.review.record import authors, freeze
from workflows import terms
from workflows.errors import Refusal, TransitionNotAllowed
from workflows.outcome import POSITION_LABELS, Verdict

TEXT_LIMIT = 20_000


def submit(assessment: Assessment, actor: User) -> ParRound:
    """The initiator offers the complete DPIA (a frozen version) to the PAR coordination."""
    check(actor, assessment, "submit")
    frozen = freeze(assessment, VersionReason.SUBMITTED, actor)
    ensure_trajectory(assessment)
    previous = current_round(assessment)
    new = ParRound(
        assessment_id=assessment.id,
        number=(previous.number + 1) if previous else 1,
        version_id=frozen.id,
        submitted_by_id=actor.id,
    )
    db.session.add(new)
    db.session.flush()
    move(
        assessment,
        "submit",
        actor,
        f"Versie {frozen.number} van “{assessment.title}” aangeboden aan de PAR-coördinatie",
        version=frozen.number,
        round=new.number,
    )
    notify.send(
        users_with_role(Role.PAR_COORDINATOR),
        assessment,
        "submitted",
        f"“{assessment.title}” (versie {frozen.number}) is aangeboden voor een rijksbreed "
        "privacyadvies. Kies de deelnemende ministeries en de reactietermijn.",
        link(assessment),
    )
    return new


@dataclass(frozen=True)
class Consultation:
    """What the coordinator chose: the ministries and the response date."""

    organisation_ids: tuple[int, ...]
    due_on: date | None


def send_to_fgs(assessment: Assessment, actor: User, choice: Consultation) -> ParRound:
    """Send the submitted version to the FGs of the chosen ministries, with a term."""
    orgs = [db.session.get(Organisation, i) for i in dict.fromkeys(choice.organisation_ids)]
    if any(o is None or not o.active for o in orgs):
        raise AssessmentError("Kies alleen actieve ministeries.", "ministries")
    check(
        actor,
        assessment,
        "send_to_fgs",
        participants=tuple(str(o.id) for o in orgs),
        response_deadline=choice.due_on,
    )
    current = current_round(assessment)
    if current.sent_at is not None:  # again from consolidation: the same version, anew
        current = _next_round(assessment, current)
    current.participants = [ParParticipant(organisation_id=o.id) for o in orgs]
    current.sent_at, current.sent_by_id, current.due_on = utcnow(), actor.id, choice.due_on
    db.session.flush()
    move(
        assessment,
        "send_to_fgs",
        actor,
        f"“{assessment.title}” voorgelegd aan de FG's van {len(orgs)} ministeries",
        round=current.number,
        ministries=[o.abbreviation for o in orgs],
        due_on=choice.due_on.isoformat(),
    )
    due = terms.dutch_date(choice.due_on)
    notify.send(
        participating_fgs(assessment, current),
        assessment,
        "par_consultation",
        f"Rijksbrede raadpleging: geef het standpunt van uw ministerie over “{assessment.title}” "
        f"(versie {current.version.number}) uiterlijk {due}.",
        link(assessment),
    )
    notify.send(
        authors(assessment),
        assessment,
        "par_consultation",
        f"“{assessment.title}” ligt voor bij de FG's van {len(orgs)} ministeries; reactie "
        f"uiterlijk {due}.",
        link(assessment),
    )
    return current


def _next_round(assessment: Assessment, current: ParRound) -> ParRound:
    current.closed_at = current.closed_at or utcnow()
    current.outcome = current.outcome or RoundOutcome.CONSOLIDATED.value
    new = ParRound(
        assessment_id=assessment.id,
        number=current.number + 1,
        version_id=current.version_id,
        submitted_by_id=current.submitted_by_id,
    )
    db.session.add(new)
    db.session.flush()
    return new


@dataclass(frozen=True)
class PositionInput:
    verdict: str
    reasoning: str
    conditions: str = ""


def give_position(assessment: Assessment, actor: User, given: PositionInput) -> ParPosition:
    """An FG gives (or changes) the position of their ministry in the open round."""
    if not access(actor, assessment).may_give_position:
        raise TransitionNotAllowed(
            Refusal.WRONG_ROLE,
            "give_position",
            assessment.state,
            "Uw ministerie wordt in deze ronde niet geraadpleegd.",
        )
    check(actor, assessment, "give_position", verdict=given.verdict, reasoning=given.reasoning)
    if len(given.reasoning) > TEXT_LIMIT or len(given.conditions) > TEXT_LIMIT:
        raise AssessmentError("De tekst is te lang.", "reasoning")
    if given.verdict == Verdict.CONDITIONAL and not given.conditions.strip():
        raise AssessmentError("Noem de voorwaarden.", "conditions")
    claim_write(assessment)
    current = current_round(assessment)
    found = positions(current).get(actor.organisation_id)
    now = utcnow()
    if found is None:
        found = ParPosition(round_id=current.id, organisation_id=actor.organisation_id)
        found.given_at = now
        db.session.add(found)
    changed = found.id is not None
    found.verdict, found.reasoning = given.verdict, given.reasoning.strip()
    found.conditions = given.conditions.strip()
    found.given_by_id, found.updated_at = actor.id, now
    db.session.flush()
    org = actor.organisation.abbreviation
    word = POSITION_LABELS[Verdict(given.verdict)]
    audit.record(
        "assessment.par_position",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Standpunt {org} over “{assessment.title}”: {word}"
        + (" (gewijzigd)" if changed else ""),
        details={
            "round": current.number,
            "organisation": org,
            "verdict": given.verdict,
            "reasoning": given.reasoning[:2000],
            "conditions": given.conditions[:2000],
        },
    )
    colleagues = [u for u in users_with_role(Role.FG, [actor.organisation_id]) if u.id != actor.id]
    notify.send(
        users_with_role(Role.PAR_COORDINATOR) + colleagues,
        assessment,
        "par_position",
        f"{actor.name} gaf namens {org} het standpunt “{word}” over “{assessment.title}”.",
        link(assessment, "par.matrix"),
    )
    return found


def start_consolidation(assessment: Assessment, actor: User) -> None:
    """The coordinator closes the round: positions are final, the advice is drafted."""
    check(actor, assessment, "start_consolidation")
    current = current_round(assessment)
    current.closed_at, current.outcome = utcnow(), RoundOutcome.CONSOLIDATED.value
    move(
        assessment,
        "start_consolidation",
        actor,
        f"Consolidatie van het rijksbrede advies over “{assessment.title}” gestart",
        round=current.number,
    )
    notify.send(
        participating_fgs(assessment, current) + authors(assessment),
        assessment,
        "par_consolidation",
        f"De PAR-coördinator voegt de standpunten over “{assessment.title}” samen tot één "
        "rijksbreed privacyadvies; standpunten kunnen niet meer worden gewijzigd.",
        link(assessment),
    )


def request_changes(assessment: Assessment, actor: User, remarks: str) -> None:
    """The coordinator sends the DPIA back to the initiator with remarks."""
    check(actor, assessment, "request_changes", remarks=remarks)
    current = current_round(assessment)
    current.closed_at = current.closed_at or utcnow()
    current.outcome = RoundOutcome.CHANGES_REQUESTED.value
    current.message = remarks.strip()[:TEXT_LIMIT]
    move(
        assessment,
        "request_changes",
        actor,
        f"PAR-coördinator vraagt aanpassingen in “{assessment.title}”",
        round=current.number,
        message=remarks.strip()[:2000],
    )
    notify.send(
        authors(assessment),
        assessment,
        "changes_requested",
        f"De PAR-coördinator vraagt aanpassingen in “{assessment.title}”: {remarks.strip()[:300]}",
        link(assessment),
    )
    notify.send(
        participating_fgs(assessment, current),
        assessment,
        "changes_requested",
        f"“{assessment.title}” is teruggestuurd voor aanpassing; u krijgt de nieuwe versie.",
        link(assessment),
    )


def withdraw(assessment: Assessment, actor: User, reason: str) -> None:
    """The initiator or the coordinator withdraws the trajectory; it stays on record."""
    check(actor, assessment, "withdraw", withdrawal_reason=reason)
    current = current_round(assessment)
    if current is not None and current.outcome is None:
        current.closed_at, current.outcome = utcnow(), RoundOutcome.WITHDRAWN.value
    assessment.withdrawal_reason = reason.strip()[:TEXT_LIMIT]
    move(
        assessment,
        "withdraw",
        actor,
        f"Rijksbreed traject “{assessment.title}” ingetrokken",
        reason=reason.strip()[:2000],
    )
    notify.send(
        [u for u in authors(assessment) + users_with_role(Role.PAR_COORDINATOR) if u != actor]
        + participating_fgs(assessment, current),
        assessment,
        "withdrawn",
        f"Het rijksbrede traject “{assessment.title}” is ingetrokken: {reason.strip()[:300]}",
        link(assessment),
    )
