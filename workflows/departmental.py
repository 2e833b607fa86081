"""The departmental route of a DPIA: drafting, FG advice, AP consultation, adoption, use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workflows.guards import complete, not_own_work
from workflows.machine import State, StateGroup, Workflow, on_input, row
from workflows.outcome import Verdict
from workflows.roles import AUDITOR, CLAIMED_FG, CONTROLLER, EDITOR, FG, OWNER, VIEWER

# -- states ----------------------------------------------------------------------------------

CONCEPT = State("concept", "Concept", "De opstellers werken aan de DPIA.")
SUBMITTED = State(
    "submitted",
    "Ingediend voor FG-advies",
    "De ingediende versie ligt vast; alle FG's van de organisatie zien haar, één neemt haar op.",
)
IN_REVIEW = State("in_review", "In behandeling bij de FG", "Een FG beoordeelt de DPIA.")
CHANGES_REQUESTED = State(
    "changes_requested", "Aanpassingen gevraagd", "De FG heeft de DPIA teruggestuurd."
)
ADVICE_GIVEN = State(
    "advice_given",
    "FG-advies gegeven",
    "De FG heeft advies gegeven; de opstellers verwerken de aanbevelingen.",
)
AP_CONSULTATION = State(
    "ap_consultation",
    "Voorafgaande raadpleging AP",
    "Er blijft een hoog restrisico; de Autoriteit Persoonsgegevens is om advies gevraagd.",
)
AWAITING_ADOPTION = State(
    "awaiting_adoption",
    "Ter vaststelling",
    "Iedere verwerkingsverantwoordelijke stelt de DPIA vast en ondertekent.",
)
ADOPTED = State("adopted", "Vastgesteld", "Alle verwerkingsverantwoordelijken hebben getekend.")
IN_USE = State(
    "in_use", "In gebruik", "De verwerking loopt; herbeoordeling op de vastgelegde datum."
)
WITHDRAWN = State("withdrawn", "Ingetrokken", "De DPIA is ingetrokken; zij blijft bewaard.")

STATES = (
    CONCEPT,
    SUBMITTED,
    IN_REVIEW,
    CHANGES_REQUESTED,
    ADVICE_GIVEN,
    AP_CONSULTATION,
    AWAITING_ADOPTION,
    ADOPTED,
    IN_USE,
    WITHDRAWN,
)

# -- groups ----------------------------------------------------------------------------------

EDITABLE = StateGroup(
    "editable", "Antwoorden bewerkbaar", (CONCEPT, CHANGES_REQUESTED, ADVICE_GIVEN)
)
UNDER_REVIEW = StateGroup("under_review", "Bij de FG", (SUBMITTED, IN_REVIEW))
DECISION = StateGroup("decision", "Besluitvorming", (AP_CONSULTATION, AWAITING_ADOPTION))
IN_PROGRESS = StateGroup(
    "in_progress", "Lopend", (*EDITABLE.states, *UNDER_REVIEW.states, *DECISION.states)
)
FINAL = StateGroup("final", "Vastgesteld of in gebruik", (ADOPTED, IN_USE))
CLOSED = StateGroup("closed", "Afgesloten", (WITHDRAWN,))

GROUPS = (EDITABLE, UNDER_REVIEW, DECISION, IN_PROGRESS, FINAL, CLOSED)

AUTHORS = frozenset({OWNER, EDITOR})
ROLES = frozenset({OWNER, EDITOR, VIEWER, FG, CLAIMED_FG, CONTROLLER, AUDITOR})

# -- context and guards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Facts about one assessment and one actor, computed by the app before asking."""

    actor_is_author: bool = False
    is_complete: bool = False
    advice_given: bool = False
    advice_conclusion: Verdict | None = None
    advice_has_reasoning: bool = False
    has_review_remarks: bool = False
    recommendations_processed: bool = False
    has_high_residual_risk: bool = False
    ap_request_sent: bool = False
    ap_answer_recorded: bool = False
    deviates_from_advice: bool = False
    deviation_reason: str = ""
    actor_has_signed: bool = False
    all_controllers_signed: bool = False
    review_date: date | None = None
    today: date | None = None
    withdrawal_reason: str = ""
    claimant_available: bool = True


def claimant_gone(ctx: Context) -> str | None:
    """Another FG takes over only when the FG who claimed it can no longer act on it."""
    if ctx.claimant_available:
        return "Een andere FG heeft deze beoordeling in behandeling."
    return None


@on_input
def has_remarks(ctx: Context) -> str | None:
    """Changes are requested with at least one remark saying what to change."""
    return None if ctx.has_review_remarks else "Geef in een opmerking aan wat er moet veranderen."


@on_input
def advice_ready(ctx: Context) -> str | None:
    """A written advice has a conclusion and a reasoning."""
    if ctx.advice_conclusion is None:
        return "Kies de conclusie van het advies: positief, positief met voorwaarden of negatief."
    if not ctx.advice_has_reasoning:
        return "Onderbouw het advies."
    return None


def advice_on_record(ctx: Context) -> str | None:
    """The controller adopts only after the FG has given advice (art. 35(2) AVG)."""
    return None if ctx.advice_given else "Er is nog geen advies van de FG."


def processed(ctx: Context) -> str | None:
    """Every recommendation of the FG has a recorded response."""
    if ctx.recommendations_processed:
        return None
    return "Leg bij iedere aanbeveling van de FG vast wat ermee is gedaan."


def high_risk(ctx: Context) -> str | None:
    """Prior consultation of the AP only when a residual risk is high."""
    if ctx.has_high_residual_risk:
        return None
    return "Er is geen hoog restrisico; voorafgaande raadpleging van de AP is niet nodig."


@on_input
def ap_request_sent(ctx: Context) -> str | None:
    """The request to the AP (date, reference) is recorded before the state says so."""
    return (
        None
        if ctx.ap_request_sent
        else "Leg eerst vast wanneer het verzoek aan de AP is verstuurd."
    )


def ap_answered_if_high_risk(ctx: Context) -> str | None:
    """With a high residual risk, adoption waits for the AP's answer (art. 36 AVG)."""
    if ctx.has_high_residual_risk and not ctx.ap_answer_recorded:
        return "Er blijft een hoog restrisico; leg eerst het antwoord van de AP vast."
    return None


@on_input
def ap_answer_recorded(ctx: Context) -> str | None:
    """The AP's answer is recorded before the consultation is closed."""
    return None if ctx.ap_answer_recorded else "Leg eerst het antwoord van de AP vast."


@on_input
def deviation_explained(ctx: Context) -> str | None:
    """Adopting against a negative advice, or not following it, needs a recorded reason."""
    deviates = ctx.deviates_from_advice or ctx.advice_conclusion == Verdict.NEGATIVE
    if deviates and not ctx.deviation_reason.strip():
        return "U wijkt af van het advies van de FG; leg vast waarom."
    return None


def not_signed_yet(ctx: Context) -> str | None:
    """Each controller signs once."""
    return "U hebt deze DPIA al ondertekend." if ctx.actor_has_signed else None


def not_an_author(ctx: Context) -> str | None:
    """Who wrote the DPIA does not adopt it: the controller is not one of its authors."""
    if ctx.actor_is_author:
        return (
            "U hebt deze DPIA mee opgesteld en kunt haar daarom niet als "
            "verwerkingsverantwoordelijke vaststellen."
        )
    return None


def all_signed(ctx: Context) -> str | None:
    """The DPIA is adopted when every controller has signed (§20 of the model)."""
    if ctx.all_controllers_signed:
        return None
    return "Nog niet alle verwerkingsverantwoordelijken hebben ondertekend."


def review_date_set(ctx: Context) -> str | None:
    """A DPIA in use has a future re-assessment date."""
    if ctx.review_date is None:
        return "Leg de datum voor herbeoordeling vast."
    if ctx.today is not None and ctx.review_date <= ctx.today:
        return "De datum voor herbeoordeling moet in de toekomst liggen."
    return None


@on_input
def withdrawal_explained(ctx: Context) -> str | None:
    """A withdrawal is part of the record, so it says why."""
    return None if ctx.withdrawal_reason.strip() else "Geef de reden van intrekking."


ADOPTION_GUARDS = (not_an_author, advice_on_record, ap_answered_if_high_risk, deviation_explained)

# -- transitions -----------------------------------------------------------------------------


TRANSITIONS = (
    row("submit", "Indienen voor FG-advies", EDITABLE, SUBMITTED, {OWNER}, complete),
    row("retract", "Indiening terugnemen", SUBMITTED, CONCEPT, {OWNER}),
    row("claim", "In behandeling nemen", SUBMITTED, IN_REVIEW, {FG}, not_own_work),
    row("release", "Teruggeven aan de FG's", IN_REVIEW, SUBMITTED, {CLAIMED_FG}, not_own_work),
    # The claiming FG left, lost the role or became an author: the others are not locked out.
    row(
        "take_over",
        "Beoordeling overnemen",
        IN_REVIEW,
        IN_REVIEW,
        {FG},
        not_own_work,
        claimant_gone,
    ),
    row(
        "request_changes",
        "Terugsturen voor aanpassing",
        IN_REVIEW,
        CHANGES_REQUESTED,
        {CLAIMED_FG},
        not_own_work,
        has_remarks,
    ),
    row(
        "give_advice",
        "Advies geven",
        IN_REVIEW,
        ADVICE_GIVEN,
        {CLAIMED_FG},
        not_own_work,
        advice_ready,
    ),
    row(
        "request_ap_consultation",
        "Voorafgaande raadpleging AP vastleggen",
        ADVICE_GIVEN,
        AP_CONSULTATION,
        {OWNER, CONTROLLER},
        complete,
        processed,
        high_risk,
        ap_request_sent,
    ),
    row(
        "record_ap_answer",
        "Antwoord van de AP vastleggen",
        AP_CONSULTATION,
        AWAITING_ADOPTION,
        {OWNER, CONTROLLER},
        ap_answer_recorded,
    ),
    row(
        "offer_for_adoption",
        "Aanbieden ter vaststelling",
        ADVICE_GIVEN,
        AWAITING_ADOPTION,
        {OWNER},
        complete,
        processed,
        advice_on_record,
        ap_answered_if_high_risk,
    ),
    row(
        "return_to_drafters",
        "Terugsturen naar de opstellers",
        AWAITING_ADOPTION,
        ADVICE_GIVEN,
        {CONTROLLER},
    ),
    row(
        "sign",
        "Vaststellen en ondertekenen",
        AWAITING_ADOPTION,
        AWAITING_ADOPTION,
        {CONTROLLER},
        *ADOPTION_GUARDS,
        not_signed_yet,
    ),
    row(
        "adopt",
        "Vaststelling afronden",
        AWAITING_ADOPTION,
        ADOPTED,
        {CONTROLLER},
        *ADOPTION_GUARDS,
        all_signed,
        review_date_set,
    ),
    row("put_in_use", "In gebruik nemen", ADOPTED, IN_USE, {OWNER, CONTROLLER}, review_date_set),
    row("start_reassessment", "Herbeoordeling starten", FINAL, CONCEPT, {OWNER, CONTROLLER}),
    row("withdraw", "Intrekken", IN_PROGRESS, WITHDRAWN, {OWNER, CONTROLLER}, withdrawal_explained),
    row("withdraw", "Intrekken", FINAL, WITHDRAWN, {CONTROLLER}, withdrawal_explained),
)

WORKFLOW = Workflow("departmental", STATES, CONCEPT, TRANSITIONS, GROUPS, ROLES)


def can_edit_answers(state: str | State, roles: Iterable[str]) -> bool:
    """Only authors edit the answers, and only while the state is editable; never the FG."""
    return WORKFLOW.state(state) in EDITABLE and bool(AUTHORS & frozenset(roles))
