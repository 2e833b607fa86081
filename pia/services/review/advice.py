"""The FG's advice and the drafters' follow-up per recommendation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pia.extensions import db
from pia.models import (
    Advice,
    Assessment,
    Conclusion,
    Recommendation,
    Response,
    ReviewOutcome,
    User,
)
from pia.models.types import utcnow
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, claim_write
from pia.services.review.machine import check, close_review, link, move
from pia.services.review.people import may_process
from pia.services.review.record import authors, controller_users, current_advice, current_review


@dataclass(frozen=True)
class AdviceInput:
    """What the FG writes: conclusion, reasoning, findings per section, recommendations."""

    conclusion: str
    reasoning: str
    findings: dict[str, str]
    recommendations: Sequence[str]


def give_advice(assessment: Assessment, actor: User, given: AdviceInput) -> Advice:
    """Record the FG's written advice on the submitted version."""
    check(actor, assessment, "give_advice", conclusion=given.conclusion, reasoning=given.reasoning)
    review = current_review(assessment)
    advice = Advice(
        assessment_id=assessment.id,
        review_id=review.id,
        version_id=review.version_id,
        round=assessment.round,
        fg_id=actor.id,
        fg_name=actor.name,
        fg_function=actor.function or "Functionaris gegevensbescherming",
        conclusion=Conclusion(given.conclusion).value,
        reasoning=given.reasoning.strip(),
        findings={k: v.strip() for k, v in given.findings.items() if v and v.strip()},
    )
    for number, text in enumerate((t.strip() for t in given.recommendations if t.strip()), 1):
        advice.recommendations.append(Recommendation(number=number, text=text))
    db.session.add(advice)
    close_review(review, ReviewOutcome.ADVICE_GIVEN, actor)
    db.session.flush()
    move(
        assessment,
        "give_advice",
        actor,
        f"FG {actor.name} geeft advies over “{assessment.title}”: {advice.conclusion_label}",
        version=review.version.number,
        conclusion=advice.conclusion,
        recommendations=len(advice.recommendations),
    )
    notify.send(
        authors(assessment) + controller_users(assessment),
        assessment,
        "advice_given",
        f"De FG heeft advies gegeven over “{assessment.title}”: {advice.conclusion_label.lower()}"
        + (
            f", met {len(advice.recommendations)} aanbeveling"
            f"{'en' if len(advice.recommendations) != 1 else ''}."
            if advice.recommendations
            else "."
        ),
        link(assessment),
    )
    return advice


def record_responses(
    assessment: Assessment, actor: User, responses: dict[int, tuple[str, str]]
) -> int:
    """Record per recommendation: adopted, or not adopted with the reason. Returns #changed."""
    if not may_process(actor, assessment):
        raise AssessmentError("U kunt de opvolging van het advies nu niet vastleggen.")
    advice = current_advice(assessment)
    changed = []
    for rec in advice.recommendations:
        if rec.id not in responses:
            continue
        response, explanation = responses[rec.id]
        response = Response(response).value if response else None
        explanation = explanation.strip()
        if response == Response.NOT_ADOPTED and not explanation:
            raise AssessmentError(
                f"Geef bij aanbeveling {rec.number} de reden waarom zij niet is overgenomen."
            )
        if (rec.response, rec.explanation) == (response, explanation):
            continue
        changed.append(
            {"number": rec.number, "old": rec.response, "new": response, "explanation": explanation}
        )
        rec.response, rec.explanation = response, explanation
        rec.responded_by_id, rec.responded_at = actor.id, utcnow()
    if changed:
        claim_write(assessment)
        audit.record(
            "assessment.advice_processed",
            actor=actor,
            object_type="assessment",
            object_id=assessment.id,
            summary=f"Opvolging van het FG-advies vastgelegd voor aanbeveling "
            f"{', '.join(str(c['number']) for c in changed)}",
            details={"recommendations": changed},
        )
    return len(changed)
