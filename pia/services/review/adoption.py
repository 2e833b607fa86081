"""After the advice: the AP, the controllers who sign, use, re-assessment, withdrawal."""

from __future__ import annotations

from datetime import date

from pia.extensions import db
from pia.models import (
    Assessment,
    AssessmentVersion,
    Questionnaire,
    ReviewOutcome,
    Signature,
    User,
)
from pia.permissions import access
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, claim_write, load_answers, store_answers
from pia.services.questionnaires import definition_for
from pia.services.review.machine import allowed, check, close_review, link, move
from pia.services.review.record import (
    authors,
    controller_users,
    controllers,
    current_advice,
    current_review,
    default_review_date,
    latest_version,
    mark_processed,
    organisation_fgs,
    today,
)
from workflows import terms


def offer_for_adoption(assessment: Assessment, actor: User, review_date: date | None) -> None:
    """Offer the processed DPIA to the controllers, with the re-assessment date."""
    chosen = review_date or assessment.review_due_on or default_review_date()
    check(actor, assessment, "offer_for_adoption", review_date=chosen)
    if chosen <= today():
        raise AssessmentError("De datum voor herbeoordeling moet in de toekomst liggen.")
    if not controllers(assessment):
        raise AssessmentError(
            "Wijs eerst de verwerkingsverantwoordelijke(n) aan die de DPIA vaststellen."
        )
    frozen = mark_processed(assessment, actor)
    assessment.review_due_on = chosen
    move(
        assessment,
        "offer_for_adoption",
        actor,
        f"Versie {frozen.number} van “{assessment.title}” aangeboden ter vaststelling",
        version=frozen.number,
        review_due_on=chosen.isoformat(),
    )
    notify.send(
        controller_users(assessment),
        assessment,
        "offered",
        f"“{assessment.title}” (versie {frozen.number}) wacht op uw vaststelling en handtekening.",
        link(assessment, "review.sign"),
    )


def return_to_drafters(assessment: Assessment, actor: User, message: str) -> None:
    """A controller sends the DPIA back before signing."""
    check(actor, assessment, "return_to_drafters")
    move(
        assessment,
        "return_to_drafters",
        actor,
        f"{actor.name} stuurt “{assessment.title}” terug naar de opstellers",
        message=message.strip(),
    )
    notify.send(
        authors(assessment),
        assessment,
        "returned",
        f"{actor.name} heeft “{assessment.title}” teruggestuurd"
        + (f": {message.strip()[:300]}" if message.strip() else "."),
        link(assessment),
    )


def sign(
    assessment: Assessment,
    actor: User,
    function: str,
    deviation_reason: str,
    version_number: int,
) -> bool:
    """A controller adopts and signs; the last signature completes the adoption. True if so.

    The signature carries the name of the signer's account (nobody signs under another
    name); `version_number` is the version the controller read, a newer offer is refused.
    """
    check(actor, assessment, "sign", deviation_reason=deviation_reason)
    if not function.strip():
        raise AssessmentError("Vul uw functie in.")
    frozen = latest_version(assessment)
    if frozen is None or frozen.number != version_number:
        raise AssessmentError(
            f"Intussen is versie {frozen.number if frozen else '—'} aangeboden, niet versie "
            f"{version_number} die u las. Er is niets ondertekend; lees de nieuwe versie en "
            "onderteken opnieuw."
        )
    signature = Signature(
        assessment_id=assessment.id,
        round=assessment.round,
        version_id=frozen.id,
        user_id=actor.id,
        name=actor.name,
        function=function.strip(),
        signed_on=today(),
        deviation_reason=deviation_reason.strip(),
    )
    db.session.add(signature)
    db.session.flush()
    move(
        assessment,
        "sign",
        actor,
        f"{signature.name} ({signature.function}) stelt versie {frozen.number} van "
        f"“{assessment.title}” vast en ondertekent",
        version=frozen.number,
        deviation_reason=signature.deviation_reason,
    )
    if assessment.review_due_on is None or assessment.review_due_on <= today():
        # The date chosen at the offer has passed while the signatures came in.
        assessment.review_due_on = default_review_date()
    if not allowed(actor, assessment, "adopt", deviation_reason=deviation_reason):
        notify.send(
            authors(assessment),
            assessment,
            "signed",
            f"{signature.name} heeft “{assessment.title}” ondertekend; nog niet iedereen.",
            link(assessment),
        )
        return False
    move(
        assessment,
        "adopt",
        actor,
        f"“{assessment.title}” is vastgesteld door alle verwerkingsverantwoordelijken",
        version=frozen.number,
        review_due_on=assessment.review_due_on.isoformat(),
    )
    advice = None if assessment.government_wide else current_advice(assessment)
    fgs = [db.session.get(User, advice.fg_id)] if advice else []
    notify.send(
        authors(assessment) + controller_users(assessment) + fgs,
        assessment,
        "adopted",
        f"“{assessment.title}” (versie {frozen.number}) is vastgesteld; herbeoordeling uiterlijk "
        f"{terms.dutch_date(assessment.review_due_on)}.",
        link(assessment),
    )
    return True


def put_in_use(assessment: Assessment, actor: User) -> None:
    check(actor, assessment, "put_in_use")
    move(assessment, "put_in_use", actor, f"“{assessment.title}” is in gebruik genomen")


def set_review_date(assessment: Assessment, actor: User, when: date) -> None:
    """Owner or controller moves the re-assessment date (always in the future)."""
    if not access(actor, assessment).may_set_review_date:
        raise AssessmentError("U kunt de datum voor herbeoordeling niet wijzigen.")
    if when <= today():
        raise AssessmentError("De datum voor herbeoordeling moet in de toekomst liggen.")
    old = assessment.review_due_on
    claim_write(assessment)
    assessment.review_due_on = when
    audit.record(
        "assessment.review_date",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Herbeoordeling van “{assessment.title}” op {terms.dutch_date(when)}",
        details={"old": old.isoformat() if old else None, "new": when.isoformat()},
    )


def start_reassessment(assessment: Assessment, actor: User) -> None:
    """A new round: the adopted version becomes the draft the authors revise."""
    check(actor, assessment, "start_reassessment")
    adopted = latest_version(assessment)
    assessment.round += 1
    assessment.reassessment_of_version = adopted.number if adopted else None
    move(
        assessment,
        "start_reassessment",
        actor,
        f"Herbeoordeling van “{assessment.title}” gestart vanaf versie "
        f"{adopted.number if adopted else '—'}",
        round=assessment.round,
    )
    if adopted is not None:
        # The draft is the adopted text, whatever happened to the live answers since.
        _restore(assessment, adopted, actor)
    notify.send(
        authors(assessment),
        assessment,
        "reassessment",
        f"De herbeoordeling van “{assessment.title}” is gestart; u kunt de DPIA weer bewerken.",
        link(assessment, "assessments.overview"),
    )


def _restore(assessment: Assessment, frozen: AssessmentVersion, actor: User) -> None:
    """The live answers become the frozen ones; the actor restores, the authors wrote them."""
    for questionnaire, answers in (
        (Questionnaire.PRESCAN, frozen.prescan),
        (Questionnaire.DPIA, frozen.dpia),
    ):
        if questionnaire is Questionnaire.DPIA and not assessment.has_dpia:
            continue
        filled = definition_for(assessment, questionnaire).workflow_filled_ids
        current = load_answers(assessment, questionnaire)
        # A version frozen before the store refused §19/§20 may hold such keys: not answers.
        values = {qid: None for qid in current} | {
            k: v for k, v in answers.items() if k not in filled
        }
        store_answers(assessment, questionnaire, values, actor=actor, authored=False)


def withdraw(assessment: Assessment, actor: User, reason: str) -> None:
    """Withdraw the assessment; it stays on record with the reason."""
    check(actor, assessment, "withdraw", withdrawal_reason=reason)
    close_review(current_review(assessment), ReviewOutcome.WITHDRAWN, actor)
    assessment.withdrawal_reason = reason.strip()
    move(
        assessment,
        "withdraw",
        actor,
        f"“{assessment.title}” ingetrokken",
        reason=assessment.withdrawal_reason,
    )
    review = current_review(assessment)
    fgs = (
        ([review.claimed_by] if review.claimed_by else organisation_fgs(assessment))
        if review is not None and review.outcome == ReviewOutcome.WITHDRAWN
        else []
    )
    notify.send(
        [u for u in authors(assessment) + controller_users(assessment) + fgs if u.id != actor.id],
        assessment,
        "withdrawn",
        f"“{assessment.title}” is ingetrokken door {actor.name}.",
        link(assessment, "assessments.overview"),
    )
