"""The demo's government-wide examples: one PAR trajectory in every state, walked with the
real services (pia.services.par), with positions from several ministries."""

from datetime import timedelta

from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Organisation, Questionnaire, User

# (title, the state it is brought to)
PAR_EXAMPLES = [
    ("Rijksbreed verlofsysteem", "submitted"),
    ("Rijksbrede samenwerkingsomgeving", "fg_consultation"),
    ("Rijksbrede registratie toegangspassen", "overdue"),
    ("Rijksbreed e-learningplatform", "consolidation"),
    ("Rijksbrede analyses personeelsverloop", "approval"),
    ("Rijksbreed identiteitsbeheer medewerkers", "established"),
    ("Rijksbrede urenregistratie", "awaiting_adoption"),
]
CONTROLLER = "directeur@pia.test"
THREE = ("BZK", "JenV", "Fin")
REASONING = {
    "BZK": "De risico's zijn goed in beeld en de maatregelen passen bij de verwerking.",
    "JenV": "Akkoord, mits de toegang tot de gegevens per ministerie wordt beperkt.",
    "Fin": "De bewaartermijn is te ruim voor de gegevens van medewerkers.",
}


def seed_par_examples() -> int:
    """One government-wide assessment in every PAR state; return how many were added."""
    from pia import demo_content as content
    from pia.services import assessments, questionnaires

    def user(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    owner = user("projectleider@pia.test")
    org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
    added = 0
    for title, target in PAR_EXAMPLES:
        if db.session.scalar(select(Assessment.id).where(Assessment.title == title)):
            continue
        a = assessments.create_assessment(
            title=title,
            description=f"Rijksbreed voorbeeld (PAR): {content.DESCRIPTION}",
            organisation=org,
            government_wide=True,
            owner=owner,
        )
        assessments.store_answers(a, Questionnaire.PRESCAN, content.PRESCAN, actor=owner)
        questionnaires.start_dpia(a, actor=owner)
        assessments.store_answers(a, Questionnaire.DPIA, content.DPIA, actor=owner)
        _bring_to(a, target, owner, user)
        db.session.flush()
        added += 1
    return added


def _ids(*abbreviations: str) -> tuple[int, ...]:
    found = db.session.scalars(
        select(Organisation.id).where(Organisation.abbreviation.in_(abbreviations))
    )
    return tuple(found)


def _position(a, fg: User, verdict: str) -> None:
    from pia.services import par

    abbreviation = fg.organisation.abbreviation
    conditions = "Beperk de bewaartermijn tot twee jaar." if verdict == "conditional" else ""
    par.give_position(a, fg, par.PositionInput(verdict, REASONING[abbreviation], conditions))


def _bring_to(a, target: str, owner: User, user) -> None:
    """Walk the PAR procedure with the real services up to `target`."""
    from pia.services import par, review

    coordinator, secretariat = user("par@pia.test"), user("secretariaat@pia.test")
    fgs = {"BZK": user("fg.bzk@pia.test"), "JenV": user("fg.jenv@pia.test")}
    fgs["Fin"] = user("fg.fin@pia.test")
    par.submit(a, owner)
    if target == "submitted":
        return
    everyone = tuple(o.id for o in par.ministries())
    chosen = everyone if target in ("fg_consultation", "overdue") else _ids(*THREE)
    due = par.response_due(review.today())
    par.send_to_fgs(a, coordinator, par.Consultation(chosen, due))
    review.add_comment(
        a, fgs["Fin"], "2", None, "Welke gegevens van medewerkers zijn echt nodig voor dit doel?"
    )
    if target == "fg_consultation":
        _position(a, fgs["BZK"], "positive")
        _position(a, fgs["Fin"], "conditional")
        return
    if target == "overdue":
        _position(a, fgs["JenV"], "positive")
        current = par.current_round(a)  # sent six weeks ago: the term has passed
        current.sent_at -= timedelta(weeks=6)
        current.due_on = review.today() - timedelta(weeks=2)
        return
    _position(a, fgs["BZK"], "positive")
    _position(a, fgs["JenV"], "conditional")
    _position(a, fgs["Fin"], "conditional")
    par.start_consolidation(a, coordinator)
    if target == "consolidation":
        return
    par.draft_advice(
        a,
        coordinator,
        par.AdviceInput(
            summary="De FG's van BZK, JenV en Financiën stemmen in, twee onder voorwaarden. "
            "De verwerking is rijksbreed verantwoord als de voorwaarden worden nageleefd.",
            conclusion="conditional",
            risks="Gegevens van medewerkers worden breder gedeeld dan nodig.",
            conditions=[
                {"text": "Beperk de bewaartermijn tot twee jaar.", "ministries": ["JenV", "Fin"]},
                {"text": "Beperk de toegang per ministerie.", "ministries": ["JenV"]},
            ],
            bodies=["CIO-beraad", "ICBR"],
        ),
    )
    par.offer_for_approval(a, coordinator)
    today = review.today()
    par.record_decision(
        a, secretariat, par.DecisionInput("CIO-beraad", "positive", today, "CIO-beraad 2026-11")
    )
    if target == "approval":
        return
    par.record_decision(
        a, secretariat, par.DecisionInput("ICBR", "conditional", today, "ICBR 2026-12")
    )
    par.request_consent(a, coordinator)
    par.record_decision(
        a, secretariat, par.DecisionInput("GOR Rijk", "positive", today, "GOR Rijk 2026-07")
    )
    par.establish(a, coordinator)
    if target == "established":
        return
    _offer_for_adoption(a, owner)


def _offer_for_adoption(a, owner: User) -> None:
    """After establishment: the follow-up of the conditions, the controller and the offer,
    as in the departmental route; directeur@ signs in the demo. (No adopted example: an
    adopted DPIA enters the register of processing activities, whose tests count the
    demo's records.)"""
    from pia.services import par, review
    from pia.services.par import adoption

    adoption.record_condition_follow_up(
        a,
        par.trajectory(a),
        owner,
        {
            1: ("adopted", "De bewaartermijn is in het ontwerp op twee jaar gezet."),
            2: ("not_adopted", "Alle ministeries gebruiken dezelfde roosters; BZK beheert."),
        },
    )
    review.designate(a, CONTROLLER, "Directeur-generaal", owner)
    review.offer_for_adoption(a, owner, None)
