"""Trajectories walked with the real PAR services, then dated: the register's known days."""

from datetime import UTC, date, datetime, time

from pia.extensions import db
from pia.models import ParDecision
from pia.services import par, review
from tests.par_helpers import par_assessment, send


def at(day: date) -> datetime:
    """Noon UTC on that day (stored timestamps are UTC)."""
    return datetime.combine(day, time(12), tzinfo=UTC)


def walk(app, p, title: str, target: str = "established", *, consent: bool = True):
    """A trajectory of BZK consulting BZK and JenV, brought to `target` with the services."""
    assessment = par_assessment(p["owner"], title=title)
    with app.test_request_context():
        par.submit(assessment, p["owner"])
        db.session.commit()
    if target == "submitted":
        return assessment
    send(app, assessment, p["par"], "BZK", "JenV")
    if target == "fg_consultation":
        return assessment
    with app.test_request_context():
        for fg in (p["bzk"], p["jenv"]):
            par.give_position(assessment, fg, par.PositionInput("positive", "Passend.", ""))
        par.start_consolidation(assessment, p["par"])
        if target == "consolidation":
            db.session.commit()
            return assessment
        if not consent:
            par.correct_employee_data(assessment, p["owner"], False, "Geen medewerkers.")
        advice = par.AdviceInput("Akkoord.", "positive", bodies=["ICBR", "CIO-beraad"])
        par.draft_advice(assessment, p["par"], advice)
        par.offer_for_approval(assessment, p["par"])
        for body in ("ICBR", "CIO-beraad"):
            given = par.DecisionInput(body, "positive", review.today(), f"Verslag {body}")
            par.record_decision(assessment, p["sec"], given)
        if target == "approval_done" or not consent:
            if target == "established":
                par.establish(assessment, p["par"])
            db.session.commit()
            return assessment
        par.request_consent(assessment, p["par"])
        if target == "consent":
            db.session.commit()
            return assessment
        given = par.DecisionInput("GOR Rijk", "positive", review.today(), "GOR Rijk 1")
        par.record_decision(assessment, p["sec"], given)
        par.establish(assessment, p["par"])
        db.session.commit()
    return assessment


def date_it(
    assessment,
    *,
    submitted: date,
    sent: date | None = None,
    consulted: date | None = None,
    offered: date | None = None,
    approvals: dict[str, date] | None = None,
    consented: date | None = None,
    established: date | None = None,
) -> None:
    """Move the stored moments of a walked trajectory to these days."""
    rounds = par.rounds(assessment)
    rounds[0].submitted_at = at(submitted)
    if sent:
        rounds[0].sent_at = at(sent)
    if consulted:
        rounds[-1].closed_at = at(consulted)
    found = par.trajectory(assessment)
    if offered:
        found.offered_at = at(offered)
    if established:
        found.established_at = at(established)
    for decision in db.session.query(ParDecision).filter_by(assessment_id=assessment.id):
        if decision.kind == "consent":
            decision.decided_on = consented
        else:
            decision.decided_on = (approvals or {})[decision.body]
    db.session.commit()
