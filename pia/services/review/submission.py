"""Submitting to the FGs, claiming, releasing, sending back."""

from __future__ import annotations

from pia.extensions import db
from pia.models import (
    Assessment,
    Review,
    ReviewOutcome,
    User,
    VersionReason,
)
from pia.models.types import utcnow
from pia.services import notify
from pia.services.review.machine import check, close_review, link, move
from pia.services.review.record import (
    authors,
    current_review,
    due_on,
    freeze,
    open_fg_remarks,
    organisation_fgs,
    today,
)
from workflows import terms


def submit(assessment: Assessment, actor: User) -> Review:
    """Freeze the next version and send it to the FGs of the organisation."""
    check(actor, assessment, "submit")
    frozen = freeze(assessment, VersionReason.SUBMITTED, actor)
    submitted = today()
    review = Review(
        assessment_id=assessment.id,
        version_id=frozen.id,
        round=assessment.round,
        submitted_by_id=actor.id,
        due_on=due_on(submitted),
    )
    db.session.add(review)
    db.session.flush()
    move(
        assessment,
        "submit",
        actor,
        f"Versie {frozen.number} van “{assessment.title}” ingediend voor FG-advies",
        version=frozen.number,
        due_on=review.due_on.isoformat(),
    )
    fgs = organisation_fgs(assessment)
    keeper = previous_fg(assessment, review, fgs)
    if keeper is not None:
        _keep_with(assessment, review, keeper, fgs, frozen.number)
    else:
        notify.send(
            fgs,
            assessment,
            "submitted",
            f"“{assessment.title}” (versie {frozen.number}) wacht op FG-advies; reactie uiterlijk "
            f"{terms.dutch_date(review.due_on)}.",
            link(assessment),
        )
    if not fgs:
        notify.send(
            [actor],
            assessment,
            "no_fg",
            f"Er is geen actieve FG bij {assessment.organisation.abbreviation}; vraag de beheerder "
            "er een aan te wijzen.",
            link(assessment),
        )
    return review


def previous_fg(assessment: Assessment, review: Review, fgs: list[User]) -> User | None:
    """The FG who handled the last finished submission, if they may still take this one."""
    from sqlalchemy import select

    last = db.session.scalar(
        select(Review)
        .where(
            Review.assessment_id == assessment.id,
            Review.id != review.id,
            Review.round == assessment.round,
            Review.outcome.in_(
                [ReviewOutcome.CHANGES_REQUESTED.value, ReviewOutcome.ADVICE_GIVEN.value]
            ),
        )
        .order_by(Review.id.desc())
        .limit(1)
    )
    if last is None:
        return None
    handler_id = last.claimed_by_id or last.closed_by_id
    return next((u for u in fgs if u.id == handler_id), None)


def _keep_with(
    assessment: Assessment, review: Review, fg: User, fgs: list[User], number: int
) -> None:
    """A resubmission stays with the FG of the previous round; the other FGs are told."""
    review.claimed_by_id, review.claimed_at = fg.id, utcnow()
    move(
        assessment,
        "claim",
        fg,
        f"Versie {number} van “{assessment.title}” blijft bij {fg.name}, die de vorige "
        "ronde behandelde",
        version=number,
        kept=True,
    )
    due = terms.dutch_date(review.due_on)
    notify.send(
        [fg],
        assessment,
        "submitted",
        f"“{assessment.title}” is opnieuw ingediend (versie {number}). U behandelde de vorige "
        f"ronde, dus zij staat meteen bij u; reactie uiterlijk {due}.",
        link(assessment),
    )
    notify.send(
        [u for u in fgs if u.id != fg.id],
        assessment,
        "claimed",
        f"“{assessment.title}” is opnieuw ingediend (versie {number}) en blijft bij {fg.name}, "
        "die de vorige ronde behandelde.",
        link(assessment),
    )


def retract(assessment: Assessment, actor: User) -> None:
    """Take a submission back before an FG gives advice."""
    check(actor, assessment, "retract")
    review = current_review(assessment)
    close_review(review, ReviewOutcome.RETRACTED, actor)
    move(assessment, "retract", actor, f"Indiening van “{assessment.title}” teruggenomen")
    notify.send(
        organisation_fgs(assessment),
        assessment,
        "retracted",
        f"De indiening van “{assessment.title}” is teruggenomen door {actor.name}.",
        link(assessment),
    )


def claim(assessment: Assessment, actor: User) -> None:
    """An FG takes the review; the others see who."""
    check(actor, assessment, "claim")
    review = current_review(assessment)
    review.claimed_by_id, review.claimed_at = actor.id, utcnow()
    move(assessment, "claim", actor, f"{actor.name} neemt “{assessment.title}” in behandeling")
    others = [u for u in organisation_fgs(assessment) if u.id != actor.id]
    notify.send(
        authors(assessment) + others,
        assessment,
        "claimed",
        f"{actor.name} (FG) heeft “{assessment.title}” in behandeling genomen.",
        link(assessment),
    )


def take_over(assessment: Assessment, actor: User) -> None:
    """Another FG of the organisation takes the review of an FG who can no longer act on it."""
    check(actor, assessment, "take_over")
    review = current_review(assessment)
    before = review.claimed_by
    review.claimed_by_id, review.claimed_at = actor.id, utcnow()
    move(
        assessment,
        "take_over",
        actor,
        f"{actor.name} neemt de beoordeling van “{assessment.title}” over"
        + (f" van {before.name}" if before else ""),
    )
    notify.send(
        authors(assessment) + [u for u in organisation_fgs(assessment) if u.id != actor.id],
        assessment,
        "claimed",
        f"{actor.name} (FG) heeft de beoordeling van “{assessment.title}” overgenomen.",
        link(assessment),
    )


def release(assessment: Assessment, actor: User) -> None:
    """The claiming FG gives the review back to all FGs of the organisation."""
    check(actor, assessment, "release")
    review = current_review(assessment)
    review.claimed_by_id, review.claimed_at = None, None
    move(assessment, "release", actor, f"{actor.name} geeft “{assessment.title}” terug")
    notify.send(
        [u for u in organisation_fgs(assessment) if u.id != actor.id],
        assessment,
        "released",
        f"{actor.name} heeft “{assessment.title}” teruggegeven; een andere FG kan haar oppakken.",
        link(assessment),
    )


def request_changes(assessment: Assessment, actor: User, message: str) -> None:
    """The FG sends the DPIA back to the drafters with remarks."""
    check(actor, assessment, "request_changes", message=message)
    review = current_review(assessment)
    close_review(review, ReviewOutcome.CHANGES_REQUESTED, actor, message.strip())
    remarks = open_fg_remarks(assessment, review)
    move(
        assessment,
        "request_changes",
        actor,
        f"FG {actor.name} stuurt “{assessment.title}” terug voor aanpassing",
        version=review.version.number,
        open_remarks=remarks,
        message=message.strip()[:2000],
    )
    summary = message.strip()
    notify.send(
        authors(assessment),
        assessment,
        "changes_requested",
        f"De FG vraagt aanpassingen in “{assessment.title}” ({remarks} open opmerking"
        f"{'en' if remarks != 1 else ''})" + (f": {summary[:300]}" if summary else "."),
        link(assessment),
    )
