"""The PAR procedure: one government-wide privacy advice (rijksbreed privacy advies)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from workflows.departmental import all_signed, not_an_author, not_signed_yet, review_date_set
from workflows.guards import complete, not_own_work
from workflows.machine import State, StateGroup, Workflow, on_input, row
from workflows.outcome import Outcome, Verdict, aggregate
from workflows.roles import (
    AUDITOR,
    CONTROLLER,
    COORDINATOR,
    EDITOR,
    FG,
    OWNER,
    SECRETARIAT,
    VIEWER,
)

# -- states ----------------------------------------------------------------------------------

CONCEPT = State("concept", "Concept", "Het rijksbrede programma stelt de DPIA op.")
SUBMITTED = State(
    "submitted", "Aangeboden aan de PAR-coördinator", "De coördinator bereidt de raadpleging voor."
)
FG_CONSULTATION = State(
    "fg_consultation",
    "Voorgelegd aan de FG's",
    "De FG's van de deelnemende ministeries geven binnen de termijn hun standpunt.",
)
CONSOLIDATION = State(
    "consolidation",
    "Advies in consolidatie",
    "De coördinator voegt de inbreng samen tot één rijksbreed privacyadvies.",
)
CHANGES_REQUESTED = State(
    "changes_requested", "Aanpassingen gevraagd", "De initiatiefnemer past de DPIA aan."
)
APPROVAL = State(
    "approval",
    "Ter goedkeuring",
    "De interdepartementale overleggen besluiten over het advies.",
)
CONSENT = State(
    "consent",
    "Ter instemming GOR Rijk",
    "Er worden gegevens van medewerkers verwerkt; de GOR Rijk besluit over instemming.",
)
ESTABLISHED = State(
    "established", "Vastgesteld", "Advies en DPIA zijn definitief; de verwerking mag starten."
)
# After the advice is established the DPIA is adopted as in the departmental route (§20):
# the same stored values, so lists and the register treat both routes alike.
AWAITING_ADOPTION = State(
    "awaiting_adoption",
    "Ter vaststelling",
    "Het advies is vastgesteld; iedere verwerkingsverantwoordelijke stelt de DPIA vast en "
    "ondertekent.",
)
ADOPTED = State(
    "adopted",
    "DPIA vastgesteld",
    "Het advies is vastgesteld en alle verwerkingsverantwoordelijken hebben getekend.",
)
WITHDRAWN = State("withdrawn", "Ingetrokken", "Het traject is ingetrokken; het blijft bewaard.")

STATES = (
    CONCEPT,
    SUBMITTED,
    FG_CONSULTATION,
    CONSOLIDATION,
    CHANGES_REQUESTED,
    APPROVAL,
    CONSENT,
    ESTABLISHED,
    AWAITING_ADOPTION,
    ADOPTED,
    WITHDRAWN,
)

EDITABLE = StateGroup("editable", "Antwoorden bewerkbaar", (CONCEPT, CHANGES_REQUESTED))
WITH_COORDINATOR = StateGroup(
    "with_coordinator", "Bij de coördinator", (SUBMITTED, FG_CONSULTATION, CONSOLIDATION)
)
DECISION = StateGroup("decision", "Besluitvorming", (APPROVAL, CONSENT))
IN_PROGRESS = StateGroup(
    "in_progress",
    "Lopend",
    (*EDITABLE.states, *WITH_COORDINATOR.states, *DECISION.states),
)
FINAL = StateGroup("final", "Vastgesteld", (ESTABLISHED, AWAITING_ADOPTION, ADOPTED))
CLOSED = StateGroup("closed", "Afgesloten", (WITHDRAWN,))

GROUPS = (EDITABLE, WITH_COORDINATOR, DECISION, IN_PROGRESS, FINAL, CLOSED)

ROLES = frozenset({OWNER, EDITOR, VIEWER, FG, COORDINATOR, SECRETARIAT, CONTROLLER, AUDITOR})

# -- context and guards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Facts about one government-wide DPIA and one actor, computed by the app."""

    actor_is_author: bool = False
    is_complete: bool = False
    has_remarks: bool = False
    participants: tuple[str, ...] = ()
    response_deadline: date | None = None
    today: date | None = None
    positions: Mapping[str, Verdict] = field(default_factory=dict)
    actor_position: Verdict | None = None
    position_has_reasoning: bool = False
    advice_drafted: bool = False
    bodies: tuple[str, ...] = ()
    decisions: Mapping[str, Verdict] = field(default_factory=dict)
    decision_ready: bool = False
    processes_employee_data: bool = False
    gor_decision: Verdict | None = None
    withdrawal_reason: str = ""
    # Adoption after the advice is established (as workflows.departmental).
    advice_conclusion: Verdict | None = None
    has_controllers: bool = False
    conditions_processed: bool = False
    deviates_from_advice: bool = False
    deviation_reason: str = ""
    actor_has_signed: bool = False
    all_controllers_signed: bool = False
    review_date: date | None = None

    @property
    def fg_outcome(self) -> Outcome:
        """The FGs' positions per participating ministry, combined (any objection counts)."""
        return aggregate(self.participants, self.positions)

    @property
    def approval_outcome(self) -> Outcome:
        """The decisions of the configured interdepartmental bodies, combined."""
        return aggregate(self.bodies, self.decisions)


@on_input
def has_remarks(ctx: Context) -> str | None:
    """Changes are requested with at least one remark saying what to change."""
    return None if ctx.has_remarks else "Geef in een opmerking aan wat er moet veranderen."


@on_input
def consultation_ready(ctx: Context) -> str | None:
    """The FGs are consulted with a list of ministries and a future response deadline."""
    if not ctx.participants:
        return "Kies de deelnemende ministeries."
    if ctx.response_deadline is None:
        return "Stel de reactietermijn voor de FG's vast."
    if ctx.today is not None and ctx.response_deadline <= ctx.today:
        return "De reactietermijn moet in de toekomst liggen."
    return None


@on_input
def position_ready(ctx: Context) -> str | None:
    """An FG position has a choice and a reasoning."""
    if ctx.actor_position is None:
        return "Kies uw standpunt: akkoord, akkoord met voorwaarden of bezwaar."
    return None if ctx.position_has_reasoning else "Onderbouw uw standpunt."


def fg_round_done(ctx: Context) -> str | None:
    """Consolidate once every FG responded or the response deadline has passed."""
    if not ctx.participants or ctx.response_deadline is None:
        return "De FG's van de deelnemende ministeries zijn nog niet geraadpleegd."
    outcome = ctx.fg_outcome
    late = ctx.today is not None and ctx.today > ctx.response_deadline
    if outcome.complete or late:
        return None
    return f"De reactietermijn loopt nog. {outcome.summary()}"


def advice_drafted(ctx: Context) -> str | None:
    """The consolidated advice is written before it goes for approval."""
    return None if ctx.advice_drafted else "Stel eerst het rijksbrede privacyadvies op."


def bodies_configured(ctx: Context) -> str | None:
    """At least one interdepartmental body is configured to approve."""
    return None if ctx.bodies else "Kies de overleggen die het advies moeten goedkeuren."


@on_input
def decision_ready(ctx: Context) -> str | None:
    """A decision is recorded with body, outcome, date and a reference to the minutes."""
    if ctx.decision_ready:
        return None
    return "Vul het besluit in: overleg, besluit, datum en verwijzing naar het verslag."


def approved(ctx: Context) -> str | None:
    """Every configured body has decided and none has rejected the advice."""
    outcome = ctx.approval_outcome
    if not outcome.complete:
        return "Nog niet alle overleggen hebben besloten. " + outcome.summary()
    if outcome.result == Verdict.NEGATIVE:
        return (
            "Het advies is afgewezen door " + ", ".join(outcome.by_verdict[Verdict.NEGATIVE]) + "."
        )
    return None


def employee_data(ctx: Context) -> str | None:
    """The GOR Rijk's consent (art. 27 WOR) is needed only for employees' data."""
    if ctx.processes_employee_data:
        return None
    return "Er worden geen gegevens van medewerkers verwerkt; de GOR Rijk hoeft niet in te stemmen."


def consent_if_needed(ctx: Context) -> str | None:
    """With employees' data, the GOR Rijk has consented before the advice is established."""
    if not ctx.processes_employee_data:
        return None
    if ctx.gor_decision is None:
        return "De instemming van de GOR Rijk ontbreekt (er worden medewerkersgegevens verwerkt)."
    if ctx.gor_decision == Verdict.NEGATIVE:
        return "De GOR Rijk heeft niet ingestemd."
    return None


@on_input
def withdrawal_explained(ctx: Context) -> str | None:
    """A withdrawal is part of the record, so it says why."""
    return None if ctx.withdrawal_reason.strip() else "Geef de reden van intrekking."


def controllers_designated(ctx: Context) -> str | None:
    """Someone must adopt: the owner designates the controllers before offering."""
    if ctx.has_controllers:
        return None
    return "Wijs eerst de verwerkingsverantwoordelijke(n) aan die de DPIA vaststellen."


def conditions_processed(ctx: Context) -> str | None:
    """Every condition of the advice has a recorded follow-up before it is offered."""
    if ctx.conditions_processed:
        return None
    return "Leg bij iedere voorwaarde van het rijksbrede advies vast wat ermee is gedaan."


@on_input
def deviation_explained(ctx: Context) -> str | None:
    """Adopting against a negative advice, or without a condition, needs a recorded reason."""
    deviates = ctx.deviates_from_advice or ctx.advice_conclusion == Verdict.NEGATIVE
    if deviates and not ctx.deviation_reason.strip():
        return "U wijkt af van het rijksbrede privacyadvies; leg vast waarom."
    return None


ADOPTION_GUARDS = (not_an_author, deviation_explained)

# -- transitions -----------------------------------------------------------------------------


COORD = frozenset({COORDINATOR})
SECR = frozenset({SECRETARIAT})
TRANSITIONS = (
    row("submit", "Aanbieden aan de PAR-coördinator", EDITABLE, SUBMITTED, {OWNER}, complete),
    row(
        "send_to_fgs",
        "Voorleggen aan de FG's",
        (SUBMITTED, CONSOLIDATION),
        FG_CONSULTATION,
        COORD,
        consultation_ready,
    ),
    row(
        "give_position",
        "Standpunt geven",
        FG_CONSULTATION,
        FG_CONSULTATION,
        {FG},
        not_own_work,
        position_ready,
    ),
    row(
        "start_consolidation",
        "Advies consolideren",
        (SUBMITTED, FG_CONSULTATION),
        CONSOLIDATION,
        COORD,
        fg_round_done,
    ),
    row(
        "request_changes",
        "Terugsturen voor aanpassing",
        (SUBMITTED, CONSOLIDATION),
        CHANGES_REQUESTED,
        COORD,
        has_remarks,
    ),
    row(
        "offer_for_approval",
        "Aanbieden ter goedkeuring",
        CONSOLIDATION,
        APPROVAL,
        COORD,
        advice_drafted,
        bodies_configured,
    ),
    row("record_decision", "Besluit vastleggen", APPROVAL, APPROVAL, SECR, decision_ready),
    row(
        "request_consent",
        "Voorleggen aan de GOR Rijk",
        APPROVAL,
        CONSENT,
        COORD,
        approved,
        employee_data,
    ),
    row("record_consent", "Instemming vastleggen", CONSENT, CONSENT, SECR, decision_ready),
    row("establish", "Vaststellen", DECISION, ESTABLISHED, COORD, approved, consent_if_needed),
    # A rejection (or no consent) sends the advice back; the secretariat's record does it.
    row("rework", "Terug naar consolidatie", DECISION, CONSOLIDATION, COORD | SECR),
    row(
        "withdraw", "Intrekken", IN_PROGRESS, WITHDRAWN, {OWNER, COORDINATOR}, withdrawal_explained
    ),
    row("withdraw", "Intrekken", FINAL, WITHDRAWN, COORD, withdrawal_explained),
    # Adoption and signature of the DPIA by its controllers, as in the departmental route.
    row(
        "offer_for_adoption",
        "Aanbieden ter vaststelling",
        ESTABLISHED,
        AWAITING_ADOPTION,
        {OWNER},
        controllers_designated,
        conditions_processed,
    ),
    row(
        "return_to_drafters",
        "Terugsturen naar de opstellers",
        AWAITING_ADOPTION,
        ESTABLISHED,
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
)

WORKFLOW = Workflow("par", STATES, CONCEPT, TRANSITIONS, GROUPS, ROLES)


def can_edit_answers(state: str | State, roles: Iterable[str]) -> bool:
    """Only the initiator's authors edit the answers, and only while editable."""
    return WORKFLOW.state(state) in EDITABLE and bool({OWNER, EDITOR} & frozenset(roles))
