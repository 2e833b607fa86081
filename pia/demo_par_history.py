"""The demo's PAR history: advices of earlier years, walked with the real services and then
dated, so the PAR register has lead times and medians over several years."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Organisation, ParDecision, Questionnaire, User

# (title, submitted on, days of consultation, consolidation, approval, consent (None: no
# employees' data, so no GOR Rijk), or "withdrawn")
HISTORY = [
    ("Rijksbrede personeelsdossiers", date(2024, 2, 12), 34, 12, 21, 28),
    ("Rijksbreed beheer thuiswerkapparatuur", date(2024, 6, 3), 29, 8, 35, None),
    ("Rijksbrede zaakgerichte archivering", date(2024, 9, 16), 41, 15, 28, None),
    ("Rijksbrede verzuimregistratie", date(2025, 1, 20), 30, 9, 24, 35),
    ("Rijksbreed reserveren van werkplekken", date(2025, 4, 7), 27, 6, 18, None),
    ("Rijksbrede e-mailarchivering", date(2025, 8, 25), 45, 14, 30, 21),
    ("Rijksbrede spraakherkenning in vergaderingen", date(2025, 10, 6), "withdrawn"),
    ("Rijksbreed klantcontactsysteem", date(2026, 2, 2), 31, 10, 22, None),
    ("Rijksbreed mobiliteitsbudget", date(2026, 5, 11), 28, 7, 26, 19),
]
# The example of pia.demo_par that is established today, given a plausible past.
ESTABLISHED_EXAMPLE = ("Rijksbreed identiteitsbeheer medewerkers", date(2026, 8, 3), 32, 11, 25, 21)
BODIES = ["CIO-beraad", "ICBR"]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def seed_par_history() -> int:
    """Add the historical advices (once); return how many were added."""
    from pia import demo_content as content
    from pia.services import assessments, questionnaires

    owner = _user("projectleider@pia.test")
    org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
    added = 0
    for title, submitted, *steps in HISTORY:
        if db.session.scalar(select(Assessment.id).where(Assessment.title == title)):
            continue
        a = assessments.create_assessment(
            title=title,
            description=f"Rijksbreed voorbeeld uit {submitted.year} (PAR): {content.DESCRIPTION}",
            organisation=org,
            government_wide=True,
            owner=owner,
        )
        assessments.store_answers(a, Questionnaire.PRESCAN, content.PRESCAN, actor=owner)
        questionnaires.start_dpia(a, actor=owner)
        assessments.store_answers(a, Questionnaire.DPIA, content.DPIA, actor=owner)
        _walk(a, owner, steps)
        _date(a, submitted, steps)
        added += 1
    _date_established_example()
    db.session.flush()
    return added


def _walk(a: Assessment, owner: User, steps: list) -> None:
    """Submit, consult BZK, JenV and Fin, consolidate, approve, (consent,) establish."""
    from pia.demo_par import THREE, _ids, _position
    from pia.services import par, review

    coordinator, secretariat = _user("par@pia.test"), _user("secretariaat@pia.test")
    par.submit(a, owner)
    due = review.today() + timedelta(weeks=4)
    par.send_to_fgs(a, coordinator, par.Consultation(_ids(*THREE), due))
    _position(a, _user("fg.bzk@pia.test"), "positive")
    if steps == ["withdrawn"]:
        par.withdraw(a, owner, "Het programma is gestopt voordat de FG's hadden gereageerd.")
        return
    _position(a, _user("fg.jenv@pia.test"), "positive")
    _position(a, _user("fg.fin@pia.test"), "conditional")
    par.start_consolidation(a, coordinator)
    consent = steps[3] is not None
    if not consent:
        par.correct_employee_data(
            a, owner, False, "Alleen gegevens van apparaten en zaken, niet van medewerkers."
        )
    conditions = [{"text": "Beperk de bewaartermijn tot twee jaar.", "ministries": ["Fin"]}]
    advice = par.AdviceInput(
        summary="De FG's van BZK, JenV en Financiën stemmen in, één onder voorwaarden.",
        conclusion="conditional",
        risks="Gegevens worden breder gedeeld dan nodig.",
        conditions=conditions,
        bodies=BODIES,
    )
    par.draft_advice(a, coordinator, advice)
    par.offer_for_approval(a, coordinator)
    for body in BODIES:
        given = par.DecisionInput(body, "positive", review.today(), f"{body}-verslag")
        par.record_decision(a, secretariat, given)
    if consent:
        par.request_consent(a, coordinator)
        given = par.DecisionInput("GOR Rijk", "positive", review.today(), "GOR Rijk-verslag")
        par.record_decision(a, secretariat, given)
    par.establish(a, coordinator)


def _date(a: Assessment, submitted: date, steps: list) -> None:
    """Move the stored moments to the days of `steps` after `submitted`."""
    from pia.services import par

    rounds = par.rounds(a)
    sent = submitted + timedelta(days=3)
    rounds[0].submitted_at, rounds[0].sent_at = _at(submitted), _at(sent)
    rounds[0].due_on = sent + timedelta(weeks=4)
    if steps == ["withdrawn"]:
        rounds[0].closed_at = _at(sent + timedelta(days=12))
        return
    consultation, consolidation, approval, consent = steps
    consulted = sent + timedelta(days=consultation)
    rounds[-1].closed_at = _at(consulted)
    offered = consulted + timedelta(days=consolidation)
    approved = offered + timedelta(days=approval)
    found = par.trajectory(a)
    found.advice_drafted_at = found.offered_at = _at(offered)
    consented = approved + timedelta(days=consent) if consent is not None else None
    found.established_at = _at((consented or approved) + timedelta(days=2))
    for decision in db.session.scalars(
        select(ParDecision).where(ParDecision.assessment_id == a.id)
    ):
        if decision.kind == "consent":
            decision.decided_on = consented
        else:  # the first body meets a week before the last
            first = decision.body == BODIES[0]
            decision.decided_on = approved - timedelta(days=7 if first else 0)


def _date_established_example() -> None:
    """Give the demo's advice established today a past, once (while it still has none)."""
    from pia.services import par

    title, submitted, *steps = ESTABLISHED_EXAMPLE
    a = db.session.scalar(select(Assessment).where(Assessment.title == title))
    found = par.trajectory(a) if a is not None else None
    if found is None or found.established_at is None:
        return
    if par.rounds(a)[0].submitted_at.date() <= submitted:
        return  # dated before
    _date(a, submitted, steps)
