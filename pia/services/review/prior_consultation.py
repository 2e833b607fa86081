"""Prior consultation of the Autoriteit Persoonsgegevens (art. 36 AVG): request and answer."""

from __future__ import annotations

from datetime import date

from pia.extensions import db
from pia.models import (
    ApConsultation,
    Assessment,
    User,
)
from pia.services import notify
from pia.services.assessments import AssessmentError
from pia.services.review.machine import check, link, move
from pia.services.review.record import (
    ap_consultation,
    controller_users,
    controllers,
    current_advice,
    default_review_date,
    mark_processed,
    today,
)
from workflows import terms


def request_ap_consultation(
    assessment: Assessment, actor: User, sent_on: date, reference: str
) -> ApConsultation:
    """Record that the AP was asked for prior consultation (art. 36 AVG)."""
    check(actor, assessment, "request_ap_consultation", ap_request=True)
    if sent_on > today():
        raise AssessmentError("De verzenddatum kan niet in de toekomst liggen.")
    frozen = mark_processed(assessment, actor)
    consultation = ApConsultation(
        assessment_id=assessment.id,
        round=assessment.round,
        version_id=frozen.id,
        request_sent_on=sent_on,
        reference=reference.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(consultation)
    db.session.flush()
    due = terms.ap_terms(sent_on)
    move(
        assessment,
        "request_ap_consultation",
        actor,
        f"Voorafgaande raadpleging van de AP over “{assessment.title}” vastgelegd "
        f"(verzonden {terms.dutch_date(sent_on)})",
        version=frozen.number,
        sent_on=sent_on.isoformat(),
        answer_due=due.answer_due.isoformat(),
    )
    advice = current_advice(assessment)
    fgs = [db.session.get(User, advice.fg_id)] if advice else []
    notify.send(
        [u for u in controller_users(assessment) + fgs if u and u.id != actor.id],
        assessment,
        "ap_requested",
        f"De Autoriteit Persoonsgegevens is vooraf geraadpleegd over “{assessment.title}” "
        f"(versie {frozen.number}); antwoord uiterlijk {terms.dutch_date(due.answer_due)}.",
        link(assessment),
    )
    return consultation


def record_ap_answer(
    assessment: Assessment, actor: User, received_on: date, summary: str, extended: bool
) -> None:
    """Record the AP's answer; the DPIA then goes to the controllers."""
    consultation = ap_consultation(assessment)
    if consultation is None:
        raise AssessmentError("Er is geen verzoek aan de AP vastgelegd.")
    if not summary.strip():
        raise AssessmentError("Vat het antwoord van de AP samen.")
    if received_on < consultation.request_sent_on or received_on > today():
        raise AssessmentError(
            "De datum van het antwoord ligt tussen de verzenddatum van het verzoek en vandaag."
        )
    check(actor, assessment, "record_ap_answer", ap_answer=True)
    if not controllers(assessment):
        raise AssessmentError(
            "Wijs eerst de verwerkingsverantwoordelijke(n) aan die de DPIA vaststellen."
        )
    consultation.answer_received_on = received_on
    consultation.answer_summary = summary.strip()
    consultation.extended = extended
    if assessment.review_due_on is None:
        assessment.review_due_on = default_review_date()
    move(
        assessment,
        "record_ap_answer",
        actor,
        f"Antwoord van de AP over “{assessment.title}” vastgelegd",
        received_on=received_on.isoformat(),
        extended=extended,
    )
    notify.send(
        controller_users(assessment),
        assessment,
        "offered",
        f"De AP heeft geantwoord; “{assessment.title}” wacht op uw vaststelling en handtekening.",
        link(assessment, "review.sign"),
    )
