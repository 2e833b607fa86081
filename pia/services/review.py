"""The departmental review procedure in the app: versions, FG review, advice, adoption.

The rules (who may do what, when) live in workflows.departmental; this module computes
the facts the machine asks for, fires transitions and does what each one entails:
freezing a version, recording the advice, notifying people, writing the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from forms.diff import AnswersDiff, diff_answers
from forms.formdata import section_question_ids
from pia.extensions import db
from pia.models import (
    Advice,
    ApConsultation,
    Assessment,
    AssessmentRole,
    AssessmentVersion,
    Comment,
    Conclusion,
    Controller,
    Questionnaire,
    Recommendation,
    Response,
    Review,
    ReviewOutcome,
    Signature,
    User,
    VersionReason,
)
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit, notify
from pia.services.accounts import normalise_email
from pia.services.assessments import AssessmentError, load_answers, store_answers
from pia.services.questionnaires import definition_for, status
from workflows import departmental, roles, terms
from workflows.errors import Refusal, TransitionNotAllowed
from workflows.machine import Option
from workflows.outcome import Verdict

WORKFLOW = departmental.WORKFLOW
AUTHOR_ROLES = (AssessmentRole.OWNER, AssessmentRole.EDITOR)
COMMENT_LIMIT = 10_000


def today() -> date:
    """The current date (UTC), one place so the procedure has one clock."""
    return utcnow().date()


# -- who is who ---------------------------------------------------------------------------


def is_author(user: User, assessment: Assessment) -> bool:
    """Owner or co-editor."""
    return assessment.role_of(user) in AUTHOR_ROLES


def was_submitted(assessment: Assessment) -> bool:
    """True once the assessment has been submitted to the FG at least once."""
    return (
        db.session.scalar(select(Review.id).where(Review.assessment_id == assessment.id).limit(1))
        is not None
    )


def is_fg_for(user: User, assessment: Assessment) -> bool:
    """An FG of the assessment's organisation who did not write it, once it was submitted."""
    return (
        user.has_role(Role.FG)
        and user.organisation_id == assessment.organisation_id
        and not is_author(user, assessment)
        and was_submitted(assessment)
    )


def controllers(assessment: Assessment) -> list[Controller]:
    """The designated controllers, in the order they were added."""
    return list(
        db.session.scalars(
            select(Controller)
            .where(Controller.assessment_id == assessment.id)
            .order_by(Controller.id)
        )
    )


def is_controller(user: User, assessment: Assessment) -> bool:
    """Designated to adopt and sign this assessment."""
    return (
        db.session.scalar(
            select(Controller.id).where(
                Controller.assessment_id == assessment.id, Controller.user_id == user.id
            )
        )
        is not None
    )


def actor_roles(user: User, assessment: Assessment) -> frozenset[str]:
    """The workflow roles (workflows.roles) this user has on this assessment."""
    found: set[str] = set()
    member = assessment.role_of(user)
    if member is not None:
        found.add(member.value)
    if is_fg_for(user, assessment):
        found.add(roles.FG)
        review = current_review(assessment)
        if review is not None and review.is_open and review.claimed_by_id == user.id:
            found.add(roles.CLAIMED_FG)
    if is_controller(user, assessment):
        found.add(roles.CONTROLLER)
    if user.has_role(Role.AUDITOR):
        found.add(roles.AUDITOR)
    return frozenset(found)


# -- the current round ---------------------------------------------------------------------


def versions(assessment: Assessment) -> list[AssessmentVersion]:
    """Every frozen version, oldest first."""
    return list(
        db.session.scalars(
            select(AssessmentVersion)
            .where(AssessmentVersion.assessment_id == assessment.id)
            .order_by(AssessmentVersion.number)
        )
    )


def version(assessment: Assessment, number: int) -> AssessmentVersion | None:
    """One frozen version by its number."""
    return db.session.scalar(
        select(AssessmentVersion).where(
            AssessmentVersion.assessment_id == assessment.id, AssessmentVersion.number == number
        )
    )


def current_review(assessment: Assessment) -> Review | None:
    """The latest submission of the current round."""
    return db.session.scalar(
        select(Review)
        .where(Review.assessment_id == assessment.id, Review.round == assessment.round)
        .order_by(Review.id.desc())
        .limit(1)
    )


def reviews(assessment: Assessment) -> list[Review]:
    """Every submission, newest first."""
    return list(
        db.session.scalars(
            select(Review).where(Review.assessment_id == assessment.id).order_by(Review.id.desc())
        )
    )


def current_advice(assessment: Assessment) -> Advice | None:
    """The latest advice of the current round."""
    return db.session.scalar(
        select(Advice)
        .where(Advice.assessment_id == assessment.id, Advice.round == assessment.round)
        .order_by(Advice.id.desc())
        .limit(1)
    )


def advices(assessment: Assessment) -> list[Advice]:
    """Every advice given on this assessment, oldest first."""
    return list(
        db.session.scalars(
            select(Advice).where(Advice.assessment_id == assessment.id).order_by(Advice.id)
        )
    )


def signatures(assessment: Assessment) -> list[Signature]:
    """The signatures on the version on offer (the latest) in the current round.

    When a controller sends the DPIA back and a new version is offered, everyone signs
    again: a signature is for one version, never for the next.
    """
    latest = latest_version(assessment)
    if latest is None:
        return []
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.assessment_id == assessment.id,
                Signature.round == assessment.round,
                Signature.version_id == latest.id,
            )
            .order_by(Signature.id)
        )
    )


def ap_consultation(assessment: Assessment) -> ApConsultation | None:
    """The prior consultation of the AP in the current round, if any."""
    return db.session.scalar(
        select(ApConsultation).where(
            ApConsultation.assessment_id == assessment.id,
            ApConsultation.round == assessment.round,
        )
    )


def due_on(submitted: date) -> date:
    """The FG's response date for a submission made on `submitted`."""
    return terms.deadline(submitted, int(current_app.config["FG_RESPONSE_WEEKS"]))


def default_review_date(start: date | None = None) -> date:
    """The default re-assessment date: REASSESSMENT_MONTHS after `start` (today)."""
    months = int(current_app.config["REASSESSMENT_MONTHS"])
    return terms.add_months(start or today(), months)


# -- facts for the machine -----------------------------------------------------------------


def open_fg_remarks(assessment: Assessment, review: Review | None) -> int:
    """Open threads the claimed FG started (a reason to send the DPIA back)."""
    if review is None or review.claimed_by_id is None:
        return 0
    return db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.assessment_id == assessment.id,
            Comment.author_id == review.claimed_by_id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
    )


def deviates(advice: Advice | None) -> bool:
    """The drafters did not adopt every recommendation, or the advice is negative."""
    if advice is None:
        return False
    if advice.conclusion == Conclusion.NEGATIVE:
        return True
    return any(r.response == Response.NOT_ADOPTED for r in advice.recommendations)


def context(
    user: User,
    assessment: Assessment,
    *,
    message: str = "",
    conclusion: str | None = None,
    reasoning: str = "",
    deviation_reason: str = "",
    withdrawal_reason: str = "",
    ap_request: bool | None = None,
    ap_answer: bool | None = None,
    review_date: date | None = None,
) -> departmental.Context:
    """The facts the departmental machine asks about, for this user and assessment now."""
    st = status(assessment)
    review = current_review(assessment)
    advice = current_advice(assessment)
    consultation = ap_consultation(assessment)
    sigs = signatures(assessment)
    controller_ids = {c.user_id for c in controllers(assessment)}
    signed = {s.user_id for s in sigs}
    if conclusion is None and advice is not None and assessment.state != "in_review":
        conclusion = advice.conclusion
    return departmental.Context(
        actor_is_author=is_author(user, assessment),
        is_complete=bool(st.dpia_progress and st.dpia_progress.complete),
        advice_given=advice is not None,
        advice_conclusion=Verdict(conclusion) if conclusion else None,
        advice_has_reasoning=bool(reasoning.strip()),
        has_review_remarks=bool(message.strip()) or open_fg_remarks(assessment, review) > 0,
        recommendations_processed=advice is not None and advice.all_processed,
        has_high_residual_risk=st.prior_consultation,
        ap_request_sent=bool(ap_request) if ap_request is not None else consultation is not None,
        ap_answer_recorded=(
            bool(ap_answer)
            if ap_answer is not None
            else consultation is not None and consultation.answer_received_on is not None
        ),
        deviates_from_advice=deviates(advice),
        deviation_reason=deviation_reason,
        actor_has_signed=user.id in signed,
        all_controllers_signed=bool(controller_ids) and controller_ids <= signed,
        review_date=review_date or assessment.review_due_on or default_review_date(),
        today=today(),
        withdrawal_reason=withdrawal_reason,
    )


def options(user: User, assessment: Assessment) -> list[Option]:
    """The actions this user may take now (with the reasons when one is blocked).

    What the action's own form asks for (a reason, the advice, the AP's dates) counts
    as given here: the form checks it when it is sent.
    """
    given = actor_roles(user, assessment)
    in_form = context(
        user,
        assessment,
        message="(in het formulier)",
        conclusion=Verdict.POSITIVE.value if assessment.state == "in_review" else None,
        reasoning="(in het formulier)",
        deviation_reason="(in het formulier)",
        withdrawal_reason="(in het formulier)",
        ap_request=True,
        ap_answer=True if assessment.state == departmental.AP_CONSULTATION.value else None,
    )
    return WORKFLOW.available(assessment.state, given, in_form)


def check(user: User, assessment: Assessment, action: str, **facts) -> None:
    """Raise TransitionNotAllowed (a Dutch message) unless the action is allowed now."""
    refusal = WORKFLOW.check(
        assessment.state, action, actor_roles(user, assessment), context(user, assessment, **facts)
    )
    if refusal is not None:
        raise refusal


def _move(assessment: Assessment, action: str, actor: User, summary: str, **details) -> None:
    """Change state (after check()) and record the transition in the audit log."""
    transition = WORKFLOW.transition(action, assessment.state)
    assert transition is not None
    old, new, now = assessment.state, transition.target.value, utcnow()
    # Compare and set: of two people acting on the same state at once, one wins; the
    # other's whole action is refused (the view rolls back) instead of both passing.
    moved = db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.state == old)
        .values(state=new, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise AssessmentError(
            "Iemand anders heeft de status van dit assessment zojuist gewijzigd. "
            "Er is niets opgeslagen; bekijk de nieuwe stand en probeer het zo nodig opnieuw."
        )
    set_committed_value(assessment, "state", new)
    set_committed_value(assessment, "updated_at", now)
    audit.record(
        "assessment.transition",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=summary,
        details={"action": action, "from": old, "to": assessment.state, **details},
    )


# -- people to tell --------------------------------------------------------------------------


def authors(assessment: Assessment) -> list[User]:
    """Owner and co-editors."""
    return [m.user for m in assessment.members if m.role in AUTHOR_ROLES and m.user.active]


def organisation_fgs(assessment: Assessment) -> list[User]:
    """The active FGs of the organisation, except the authors of this assessment."""
    from pia.models import UserRole

    users = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(
            User.organisation_id == assessment.organisation_id,
            User.active.is_(True),
            UserRole.role == Role.FG.value,
        )
        .order_by(User.name)
    )
    return [u for u in users if not is_author(u, assessment)]


def controller_users(assessment: Assessment) -> list[User]:
    return [c.user for c in controllers(assessment) if c.user.active]


def _link(assessment: Assessment, endpoint: str = "review.index", **kwargs) -> str:
    return url_for(endpoint, assessment_id=assessment.id, **kwargs)


# -- versions ---------------------------------------------------------------------------------


def freeze(assessment: Assessment, reason: VersionReason, actor: User) -> AssessmentVersion:
    """Snapshot every answer as the next numbered version."""
    last = db.session.scalar(
        select(func.max(AssessmentVersion.number)).where(
            AssessmentVersion.assessment_id == assessment.id
        )
    )
    frozen = AssessmentVersion(
        assessment_id=assessment.id,
        number=(last or 0) + 1,
        round=assessment.round,
        reason=reason.value,
        prescan=load_answers(assessment, Questionnaire.PRESCAN),
        dpia=load_answers(assessment, Questionnaire.DPIA) if assessment.has_dpia else {},
        created_by_id=actor.id,
    )
    db.session.add(frozen)
    db.session.flush()
    return frozen


def compare(assessment: Assessment, old: AssessmentVersion, new: AssessmentVersion) -> AnswersDiff:
    """Field-by-field changes in the DPIA from one version to another."""
    return diff_answers(definition_for(assessment, Questionnaire.DPIA), old.dpia, new.dpia)


def compare_prescan(
    assessment: Assessment, old: AssessmentVersion, new: AssessmentVersion
) -> AnswersDiff:
    """Field-by-field changes in the pre-scan from one version to another."""
    return diff_answers(definition_for(assessment, Questionnaire.PRESCAN), old.prescan, new.prescan)


def last_reviewed_version(
    assessment: Assessment, review: Review, fg: User | None = None
) -> AssessmentVersion | None:
    """The version the FG last reviewed before this submission (theirs first, else anyone's)."""
    closed = [
        r
        for r in reviews(assessment)
        if r.id < review.id
        and r.outcome in (ReviewOutcome.CHANGES_REQUESTED, ReviewOutcome.ADVICE_GIVEN)
    ]
    if fg is not None:
        mine = [r for r in closed if r.closed_by_id == fg.id]
        if mine:
            return mine[0].version
    return closed[0].version if closed else None


# -- the actions ------------------------------------------------------------------------------


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
    _move(
        assessment,
        "submit",
        actor,
        f"Versie {frozen.number} van “{assessment.title}” ingediend voor FG-advies",
        version=frozen.number,
        due_on=review.due_on.isoformat(),
    )
    fgs = organisation_fgs(assessment)
    notify.send(
        fgs,
        assessment,
        "submitted",
        f"“{assessment.title}” (versie {frozen.number}) wacht op FG-advies; reactie uiterlijk "
        f"{terms.dutch_date(review.due_on)}.",
        _link(assessment),
    )
    if not fgs:
        notify.send(
            [actor],
            assessment,
            "no_fg",
            f"Er is geen actieve FG bij {assessment.organisation.abbreviation}; vraag de beheerder "
            "er een aan te wijzen.",
            _link(assessment),
        )
    return review


def retract(assessment: Assessment, actor: User) -> None:
    """Take a submission back before an FG gives advice."""
    check(actor, assessment, "retract")
    review = current_review(assessment)
    _close(review, ReviewOutcome.RETRACTED, actor)
    _move(assessment, "retract", actor, f"Indiening van “{assessment.title}” teruggenomen")
    notify.send(
        organisation_fgs(assessment),
        assessment,
        "retracted",
        f"De indiening van “{assessment.title}” is teruggenomen door {actor.name}.",
        _link(assessment),
    )


def _close(review: Review | None, outcome: ReviewOutcome, actor: User, message: str = "") -> None:
    if review is not None and review.is_open:
        review.outcome, review.closed_at, review.closed_by_id = outcome.value, utcnow(), actor.id
        review.message = message


def claim(assessment: Assessment, actor: User) -> None:
    """An FG takes the review; the others see who."""
    check(actor, assessment, "claim")
    review = current_review(assessment)
    review.claimed_by_id, review.claimed_at = actor.id, utcnow()
    _move(assessment, "claim", actor, f"{actor.name} neemt “{assessment.title}” in behandeling")
    others = [u for u in organisation_fgs(assessment) if u.id != actor.id]
    notify.send(
        authors(assessment) + others,
        assessment,
        "claimed",
        f"{actor.name} (FG) heeft “{assessment.title}” in behandeling genomen.",
        _link(assessment),
    )


def release(assessment: Assessment, actor: User) -> None:
    """The claiming FG gives the review back to all FGs of the organisation."""
    check(actor, assessment, "release")
    review = current_review(assessment)
    review.claimed_by_id, review.claimed_at = None, None
    _move(assessment, "release", actor, f"{actor.name} geeft “{assessment.title}” terug")
    notify.send(
        [u for u in organisation_fgs(assessment) if u.id != actor.id],
        assessment,
        "released",
        f"{actor.name} heeft “{assessment.title}” teruggegeven; een andere FG kan haar oppakken.",
        _link(assessment),
    )


def request_changes(assessment: Assessment, actor: User, message: str) -> None:
    """The FG sends the DPIA back to the drafters with remarks."""
    check(actor, assessment, "request_changes", message=message)
    review = current_review(assessment)
    _close(review, ReviewOutcome.CHANGES_REQUESTED, actor, message.strip())
    remarks = open_fg_remarks(assessment, review)
    _move(
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
        _link(assessment),
    )


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
    _close(review, ReviewOutcome.ADVICE_GIVEN, actor)
    db.session.flush()
    _move(
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
        _link(assessment),
    )
    return advice


def may_process(user: User, assessment: Assessment) -> bool:
    """Authors record the follow-up of the advice while it is being processed."""
    return (
        is_author(user, assessment)
        and assessment.state == departmental.ADVICE_GIVEN.value
        and current_advice(assessment) is not None
    )


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


def _mark_processed(assessment: Assessment, actor: User) -> AssessmentVersion:
    """Freeze the version that processed the advice (§19) and link it to the advice."""
    frozen = freeze(assessment, VersionReason.PROCESSED, actor)
    advice = current_advice(assessment)
    if advice is not None:
        advice.processed_version_id = frozen.id
    return frozen


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
    frozen = _mark_processed(assessment, actor)
    assessment.review_due_on = chosen
    _move(
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
        _link(assessment, "review.sign"),
    )


def request_ap_consultation(
    assessment: Assessment, actor: User, sent_on: date, reference: str
) -> ApConsultation:
    """Record that the AP was asked for prior consultation (art. 36 AVG)."""
    check(actor, assessment, "request_ap_consultation", ap_request=True)
    if sent_on > today():
        raise AssessmentError("De verzenddatum kan niet in de toekomst liggen.")
    frozen = _mark_processed(assessment, actor)
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
    _move(
        assessment,
        "request_ap_consultation",
        actor,
        f"Voorafgaande raadpleging van de AP over “{assessment.title}” vastgelegd "
        f"(verzonden {terms.dutch_date(sent_on)})",
        version=frozen.number,
        sent_on=sent_on.isoformat(),
        answer_due=due.answer_due.isoformat(),
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
    _move(
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
        _link(assessment, "review.sign"),
    )


def return_to_drafters(assessment: Assessment, actor: User, message: str) -> None:
    """A controller sends the DPIA back before signing."""
    check(actor, assessment, "return_to_drafters")
    _move(
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
        _link(assessment),
    )


def latest_version(assessment: Assessment) -> AssessmentVersion | None:
    vs = versions(assessment)
    return vs[-1] if vs else None


def sign(
    assessment: Assessment, actor: User, name: str, function: str, deviation_reason: str
) -> bool:
    """A controller adopts and signs; the last signature completes the adoption. True if so."""
    check(actor, assessment, "sign", deviation_reason=deviation_reason)
    if not name.strip() or not function.strip():
        raise AssessmentError("Vul uw naam en functie in.")
    frozen = latest_version(assessment)
    signature = Signature(
        assessment_id=assessment.id,
        round=assessment.round,
        version_id=frozen.id,
        user_id=actor.id,
        name=name.strip(),
        function=function.strip(),
        signed_on=today(),
        deviation_reason=deviation_reason.strip(),
    )
    db.session.add(signature)
    db.session.flush()
    _move(
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
    ctx = context(actor, assessment, deviation_reason=deviation_reason)
    if WORKFLOW.check(assessment.state, "adopt", actor_roles(actor, assessment), ctx) is not None:
        notify.send(
            authors(assessment),
            assessment,
            "signed",
            f"{signature.name} heeft “{assessment.title}” ondertekend; nog niet iedereen.",
            _link(assessment),
        )
        return False
    _move(
        assessment,
        "adopt",
        actor,
        f"“{assessment.title}” is vastgesteld door alle verwerkingsverantwoordelijken",
        version=frozen.number,
        review_due_on=assessment.review_due_on.isoformat(),
    )
    advice = current_advice(assessment)
    fgs = [db.session.get(User, advice.fg_id)] if advice else []
    notify.send(
        authors(assessment) + controller_users(assessment) + fgs,
        assessment,
        "adopted",
        f"“{assessment.title}” (versie {frozen.number}) is vastgesteld; herbeoordeling uiterlijk "
        f"{terms.dutch_date(assessment.review_due_on)}.",
        _link(assessment),
    )
    return True


def put_in_use(assessment: Assessment, actor: User) -> None:
    check(actor, assessment, "put_in_use")
    _move(assessment, "put_in_use", actor, f"“{assessment.title}” is in gebruik genomen")


def set_review_date(assessment: Assessment, actor: User, when: date) -> None:
    """Owner or controller moves the re-assessment date (always in the future)."""
    allowed = {roles.OWNER, roles.CONTROLLER} & actor_roles(actor, assessment)
    if not allowed or assessment.state == departmental.WITHDRAWN.value:
        raise AssessmentError("U kunt de datum voor herbeoordeling niet wijzigen.")
    if when <= today():
        raise AssessmentError("De datum voor herbeoordeling moet in de toekomst liggen.")
    old = assessment.review_due_on
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
    _move(
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
        _link(assessment, "assessments.overview"),
    )


def _restore(assessment: Assessment, frozen: AssessmentVersion, actor: User) -> None:
    for questionnaire, answers in (
        (Questionnaire.PRESCAN, frozen.prescan),
        (Questionnaire.DPIA, frozen.dpia),
    ):
        if questionnaire is Questionnaire.DPIA and not assessment.has_dpia:
            continue
        current = load_answers(assessment, questionnaire)
        values = {qid: None for qid in current} | dict(answers)
        store_answers(assessment, questionnaire, values, actor=actor)


def withdraw(assessment: Assessment, actor: User, reason: str) -> None:
    """Withdraw the assessment; it stays on record with the reason."""
    check(actor, assessment, "withdraw", withdrawal_reason=reason)
    _close(current_review(assessment), ReviewOutcome.WITHDRAWN, actor)
    assessment.withdrawal_reason = reason.strip()
    _move(
        assessment,
        "withdraw",
        actor,
        f"“{assessment.title}” ingetrokken",
        reason=assessment.withdrawal_reason,
    )
    notify.send(
        [u for u in authors(assessment) + controller_users(assessment) if u.id != actor.id],
        assessment,
        "withdrawn",
        f"“{assessment.title}” is ingetrokken door {actor.name}.",
        _link(assessment, "assessments.overview"),
    )


def fire_simple(assessment: Assessment, actor: User, action: str) -> None:
    """The actions that need nothing but a button press."""
    simple = _simple_actions()
    if action not in simple:
        raise TransitionNotAllowed(
            Refusal.UNKNOWN_ACTION, action, assessment.state, f"Onbekende actie {action!r}."
        )
    simple[action](assessment, actor)


def _simple_actions():
    return {
        "submit": submit,
        "retract": retract,
        "claim": claim,
        "release": release,
        "put_in_use": put_in_use,
        "start_reassessment": start_reassessment,
    }


SIMPLE_ACTIONS = frozenset(_simple_actions())


# -- controllers ---------------------------------------------------------------------------


def may_designate(user: User, assessment: Assessment) -> bool:
    """The owner designates the controllers until the DPIA is adopted."""
    return assessment.role_of(user) is AssessmentRole.OWNER and assessment.state not in (
        departmental.FINAL.values | departmental.CLOSED.values
    )


def designate(assessment: Assessment, email: str, function: str, actor: User) -> Controller:
    """Designate a controller (a user with an account) who adopts and signs."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        raise AssessmentError(
            "Er is geen actieve gebruiker met dit e-mailadres. Vraag een beheerder een account "
            "aan te maken.",
            "email",
        )
    if is_controller(user, assessment):
        raise AssessmentError(f"{user.name} is al aangewezen.", "email")
    if user.has_role(Role.FG) and user.organisation_id == assessment.organisation_id:
        raise AssessmentError(
            "De FG adviseert onafhankelijk en kan de DPIA niet zelf vaststellen.", "email"
        )
    controller = Controller(
        assessment_id=assessment.id,
        user_id=user.id,
        function=function.strip() or user.function,
        added_by_id=actor.id,
    )
    db.session.add(controller)
    db.session.flush()
    audit.record(
        "assessment.controller_added",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{user.name} aangewezen als verwerkingsverantwoordelijke van “{assessment.title}”",
        details={"user_id": user.id, "function": controller.function},
    )
    notify.send(
        [user],
        assessment,
        "designated",
        f"U bent aangewezen als verwerkingsverantwoordelijke voor “{assessment.title}”.",
        _link(assessment),
    )
    return controller


def remove_controller(assessment: Assessment, controller: Controller, actor: User) -> None:
    """Undo a designation (a signature already given stays on record)."""
    if any(s.user_id == controller.user_id for s in signatures(assessment)):
        raise AssessmentError("Deze verwerkingsverantwoordelijke heeft al ondertekend.")
    db.session.delete(controller)
    audit.record(
        "assessment.controller_removed",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{controller.user.name} is niet langer verwerkingsverantwoordelijke van "
        f"“{assessment.title}”",
        details={"user_id": controller.user_id},
    )


# -- comments ---------------------------------------------------------------------------------


def may_read_comments(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG; controllers and auditors read along."""
    return bool(
        {roles.OWNER, roles.EDITOR, roles.FG, roles.CONTROLLER, roles.AUDITOR}
        & actor_roles(user, assessment)
    )


def may_comment(user: User, assessment: Assessment) -> bool:
    """Owner, editors and the FG write comments (not viewers), until withdrawn."""
    return assessment.state != departmental.WITHDRAWN.value and bool(
        {roles.OWNER, roles.EDITOR, roles.FG} & actor_roles(user, assessment)
    )


def comments(assessment: Assessment, section_id: str | None = None) -> list[Comment]:
    """Thread starters (replies hang below them), oldest first."""
    query = select(Comment).where(
        Comment.assessment_id == assessment.id, Comment.parent_id.is_(None)
    )
    if section_id is not None:
        query = query.where(Comment.section_id == section_id)
    return list(db.session.scalars(query.order_by(Comment.id)))


def open_comment_counts(assessment: Assessment) -> dict[str, int]:
    """Unresolved threads per section id."""
    rows = db.session.execute(
        select(Comment.section_id, func.count(Comment.id))
        .where(
            Comment.assessment_id == assessment.id,
            Comment.parent_id.is_(None),
            Comment.resolved_at.is_(None),
        )
        .group_by(Comment.section_id)
    )
    return dict(rows.all())


def _comment_target(assessment: Assessment, section_id: str, question_id: str | None) -> None:
    dpia = definition_for(assessment, Questionnaire.DPIA)
    try:
        dpia.section(section_id)
    except KeyError:
        raise AssessmentError("Onbekend onderdeel.") from None
    known = {q.id for q in dpia.section(section_id).questions}
    if question_id and question_id not in known | section_question_ids(dpia, section_id):
        raise AssessmentError("Deze vraag hoort niet bij dit onderdeel.", "question_id")


def add_comment(
    assessment: Assessment,
    actor: User,
    section_id: str,
    question_id: str | None,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new thread on a section or question, or a reply in a thread."""
    if not may_comment(actor, assessment):
        raise AssessmentError("U kunt bij deze DPIA geen opmerkingen plaatsen.")
    body = body.strip()
    if not body:
        raise AssessmentError("Schrijf een opmerking.", "body")
    if len(body) > COMMENT_LIMIT:
        raise AssessmentError(
            f"Een opmerking mag hoogstens {COMMENT_LIMIT:,} tekens lang zijn.".replace(",", "."),
            "body",
        )
    if parent is not None:
        if parent.assessment_id != assessment.id or parent.parent_id is not None:
            raise AssessmentError("Onbekende opmerking.")
        section_id, question_id = parent.section_id, parent.question_id
        if parent.is_resolved:
            parent.resolved_at, parent.resolved_by_id = None, None
    else:
        _comment_target(assessment, section_id, question_id or None)
    last = latest_version(assessment)
    comment = Comment(
        assessment_id=assessment.id,
        section_id=section_id,
        question_id=question_id or None,
        parent_id=parent.id if parent else None,
        version_number=last.number if last else None,
        body=body,
        author_id=actor.id,
    )
    db.session.add(comment)
    db.session.flush()
    where = f"vraag {question_id}" if question_id else f"onderdeel {section_id}"
    audit.record(
        "assessment.comment",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Opmerking bij {where} van “{assessment.title}”",
        details={"comment_id": comment.id, "parent_id": comment.parent_id, "body": body[:2000]},
    )
    review = current_review(assessment)
    fg = [review.claimed_by] if review and review.claimed_by else []
    thread = [parent.author] + [r.author for r in parent.replies] if parent else []
    notify.send(
        [u for u in _unique(authors(assessment) + fg + thread) if u.id != actor.id],
        assessment,
        "comment",
        f"{actor.name} plaatste een opmerking bij {where} van “{assessment.title}”.",
        _link(assessment, "review.comments", section_id=section_id, _anchor=f"c{comment.id}"),
    )
    return comment


def set_resolved(assessment: Assessment, actor: User, comment: Comment, resolved: bool) -> None:
    """Mark a thread resolved (or open it again)."""
    if not may_comment(actor, assessment) or comment.parent_id is not None:
        raise AssessmentError("U kunt deze opmerking niet afhandelen.")
    if resolved == comment.is_resolved:
        return
    comment.resolved_at, comment.resolved_by_id = (utcnow(), actor.id) if resolved else (None, None)
    audit.record(
        "assessment.comment_resolved" if resolved else "assessment.comment_reopened",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Opmerking {'afgehandeld' if resolved else 'heropend'} bij {_where(comment)}",
        details={"comment_id": comment.id},
    )


def _where(comment: Comment) -> str:
    if comment.question_id:
        return f"vraag {comment.question_id}"
    return f"onderdeel {comment.section_id}"


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.id, user)
    return list(seen.values())


# -- §19 and §20 from the record ----------------------------------------------------------------


def workflow_answers(assessment: Assessment) -> dict[str, object]:
    """The answers of §19 (versions, FG advice) and §20 (signatures), from the procedure's record.

    Nobody types these: they are what the procedure recorded.
    """
    answers: dict[str, object] = {}
    all_versions = versions(assessment)
    if all_versions:
        answers["19.1"] = [
            {
                "_id": f"v{v.number:07d}",
                "nummer": str(v.number),
                "datum": v.created_at.date().isoformat(),
                "toelichting": f"{v.reason_label} ({v.created_by.name})",
            }
            for v in all_versions
        ]
    final = assessment.state in departmental.FINAL.values
    answers["19.2"] = "definitief" if final else "concept"
    owner = assessment.owner
    if owner is not None:
        answers.update(
            {
                "19.4.1": assessment.organisation.name,
                "19.4.4": owner.name,
                "19.4.5": owner.function or "Projectleider",
                "19.4.6": "PIA Rijk",
            }
        )
    advice = current_advice(assessment)
    if advice is not None:
        fg = db.session.get(User, advice.fg_id)
        answers.update(
            {
                "19.5.1": fg.organisation.name if fg else assessment.organisation.name,
                "19.5.4": advice.fg_name,
                "19.5.5": advice.fg_function,
                "19.5.6": advice.given_at.date().isoformat(),
                "19.5.7": f"Advies van de FG over versie {advice.version.number}: "
                f"{advice.conclusion_label.lower()}",
                "19.5.8": f"versie {advice.processed_version.number}"
                if advice.processed_version
                else "",
            }
        )
        answers["19.3"] = [
            {
                "_id": f"a{a.id:07d}",
                "soort": "Advies van de FG",
                "naam": f"{a.conclusion_label} ({a.fg_name})",
                "versie": f"over versie {a.version.number}",
                "locatie": "PIA Rijk",
            }
            for a in advices(assessment)
        ]
    sigs = signatures(assessment)
    if sigs:
        by_user = {u.id: u for u in (db.session.get(User, s.user_id) for s in sigs) if u}
        answers["20.1"] = [
            {
                "_id": f"s{s.id:07d}",
                "organisatie": by_user[s.user_id].organisation.name if s.user_id in by_user else "",
                "naam": s.name,
                "functie": s.function,
                "datum": s.signed_on.isoformat(),
                "opgesteld_door": owner.name if owner else "",
            }
            for s in sigs
        ]
    return {k: v for k, v in answers.items() if v not in ("", None, [])}


def advice_follow_up(advice: Advice) -> list[dict[str, str]]:
    """The recommendations with what was done with them, as document rows."""
    return [
        {
            "nummer": str(r.number),
            "tekst": r.text,
            "advies": r.text,
            "opvolging": r.response_label,
            "toelichting": r.explanation,
        }
        for r in advice.recommendations
    ]
