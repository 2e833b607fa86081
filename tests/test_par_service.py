"""The PAR procedure through its services: participation and visibility per ministry, one
position per ministry per round, a second round after changes, every decision path."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Notification, ParPosition, ParRound
from pia.permissions import access, fg_assessments, visible_assessments
from pia.roles import Role
from pia.services import par, review
from pia.services.assessments import AssessmentError
from tests.conftest import count, make_user
from tests.par_helpers import par_assessment, people, send
from workflows.errors import TransitionNotAllowed

REASON = "De maatregelen voor de toegang zijn passend."


def visible_ids(user) -> set[int]:
    return set(db.session.scalars(select(Assessment.id).where(visible_assessments(user))))


def fg_ids(user) -> set[int]:
    return set(db.session.scalars(select(Assessment.id).where(fg_assessments(user))))


def position(app, assessment, fg, verdict="positive", reasoning=REASON, conditions=""):
    with app.test_request_context():
        par.give_position(assessment, fg, par.PositionInput(verdict, reasoning, conditions))
        db.session.commit()


def submitted(app):
    p = people()
    assessment = par_assessment()
    with app.test_request_context():
        par.submit(assessment, assessment.owner)
        db.session.commit()
    return assessment, p


def test_submission_freezes_a_version_for_the_coordinator_and_no_departmental_fg(app):
    assessment, p = submitted(app)
    assert assessment.state == "submitted"
    assert not access(assessment.owner, assessment).may_edit
    assert access(p["par"], assessment).may_coordinate
    # The FGs see nothing until it is sent; the departmental FG route is not taken.
    assert not access(p["bzk"], assessment).may_view
    assert assessment.id not in fg_ids(p["bzk"])
    assert assessment.id in visible_ids(p["par"])
    assert assessment.id not in visible_ids(p["sec"])
    assert review.options(assessment.owner, assessment) == []
    with app.test_request_context(), pytest.raises(TransitionNotAllowed):
        review.retract(assessment, assessment.owner)
    notes = db.session.scalars(select(Notification).where(Notification.user_id == p["par"].id))
    assert any("rijksbreed privacyadvies" in n.message for n in notes)


def test_only_the_participating_ministries_fgs_see_and_respond(app):
    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    assert assessment.state == "fg_consultation"
    for key in ("bzk", "jenv"):
        assert access(p[key], assessment).may_give_position
        assert assessment.id in visible_ids(p[key]) and assessment.id in fg_ids(p[key])
    assert not access(p["fin"], assessment).may_view
    assert assessment.id not in visible_ids(p["fin"])
    with app.test_request_context(), pytest.raises(TransitionNotAllowed):
        par.give_position(assessment, p["fin"], par.PositionInput("positive", REASON))
    mail_to = {n.user_id for n in db.session.scalars(select(Notification))}
    assert p["jenv"].id in mail_to and p["fin"].id not in mail_to


def test_an_fg_who_drafted_answers_gives_no_position(app):
    from pia.models import AssessmentRole
    from tests.factories_assessments import add_member

    p = people()
    assessment = par_assessment()
    add_member(assessment, p["jenv"], AssessmentRole.EDITOR)
    db.session.commit()
    with app.test_request_context():
        par.submit(assessment, assessment.owner)
        db.session.commit()
    send(app, assessment, p["par"], "BZK", "JenV")
    assert not access(p["jenv"], assessment).may_give_position
    assert assessment.id not in fg_ids(p["jenv"])


def test_one_position_per_ministry_changeable_until_consolidation(app):
    assessment, p = submitted(app)
    colleague = make_user(Role.FG, org="JenV", name="Jet Collega")
    send(app, assessment, p["par"], "BZK", "JenV")
    position(app, assessment, p["jenv"], "negative", "Geen grondslag voor de monitoring.")
    position(app, assessment, colleague, "conditional", REASON, "Beperk de bewaartermijn.")
    kept = db.session.scalars(select(ParPosition)).all()
    assert len(kept) == 1
    assert (kept[0].verdict, kept[0].given_by_id) == ("conditional", colleague.id)
    with app.test_request_context(), pytest.raises(AssessmentError):
        par.give_position(assessment, p["bzk"], par.PositionInput("conditional", REASON))
    with app.test_request_context(), pytest.raises(TransitionNotAllowed) as refused:
        par.give_position(assessment, p["bzk"], par.PositionInput("positive", " "))
    assert refused.value.reasons == ("Onderbouw uw standpunt.",)
    # The round is still running: one of two responded.
    with app.test_request_context(), pytest.raises(TransitionNotAllowed) as refused:
        par.start_consolidation(assessment, p["par"])
    assert "1 van 2 gereageerd" in refused.value.reasons[0]
    position(app, assessment, p["bzk"])
    with app.test_request_context():
        par.start_consolidation(assessment, p["par"])
        db.session.commit()
    with app.test_request_context(), pytest.raises(TransitionNotAllowed):
        par.give_position(assessment, p["bzk"], par.PositionInput("negative", REASON))


def test_a_passed_term_lets_the_coordinator_consolidate(app, monkeypatch):
    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    later = review.today() + timedelta(weeks=5)
    monkeypatch.setattr("pia.services.par.machine.today", lambda: later)
    with app.test_request_context():
        par.start_consolidation(assessment, p["par"])
        db.session.commit()
    assert assessment.state == "consolidation"


def test_changes_then_a_second_round_on_a_new_version(app):
    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    position(app, assessment, p["jenv"], "negative", "Geen grondslag.")
    position(app, assessment, p["bzk"])
    with app.test_request_context():
        par.start_consolidation(assessment, p["par"])
        with pytest.raises(TransitionNotAllowed):
            par.request_changes(assessment, p["par"], " ")
        par.request_changes(assessment, p["par"], "Werk de grondslag uit in §4.")
        db.session.commit()
    assert assessment.state == "changes_requested"
    assert access(assessment.owner, assessment).may_edit
    with app.test_request_context():
        par.submit(assessment, assessment.owner)
        db.session.commit()
    send(app, assessment, p["par"], "BZK", "JenV")
    rounds = par.rounds(assessment)
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[1].version.number == rounds[0].version.number + 1
    assert par.previous_round(assessment, rounds[1]).id == rounds[0].id
    assert par.positions(rounds[1]) == {}
    assert par.positions(rounds[0])[p["jenv"].organisation_id].verdict == "negative"


def consolidated(app, conclusion="conditional"):
    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    position(app, assessment, p["jenv"], "conditional", REASON, "Beperk de bewaartermijn.")
    position(app, assessment, p["bzk"])
    with app.test_request_context():
        par.start_consolidation(assessment, p["par"])
        with pytest.raises(TransitionNotAllowed) as refused:
            par.offer_for_approval(assessment, p["par"])
        assert "Stel eerst het rijksbrede privacyadvies op." in refused.value.reasons
        proposed = par.proposed_conditions(assessment)
        assert proposed == [{"text": "Beperk de bewaartermijn.", "ministries": ["JenV"]}]
        advice = par.AdviceInput(
            "De FG's stemmen in onder voorwaarden.",
            conclusion,
            "Monitoring.",
            proposed,
            ["ICBR", "CIO-beraad"],
        )
        par.draft_advice(assessment, p["par"], advice)
        par.offer_for_approval(assessment, p["par"])
        db.session.commit()
    return assessment, p


def decide(app, assessment, who, body, verdict):
    with app.test_request_context():
        given = par.DecisionInput(body, verdict, review.today(), f"Verslag {body} 12", "")
        par.record_decision(assessment, who, given)
        db.session.commit()


def test_approval_then_gor_rijk_consent_then_established(app):
    assessment, p = consolidated(app)
    assert assessment.state == "approval"
    assert access(p["sec"], assessment).may_record_decisions
    assert assessment.id in visible_ids(p["sec"])
    with app.test_request_context(), pytest.raises(TransitionNotAllowed):
        par.record_decision(
            assessment, p["par"], par.DecisionInput("ICBR", "positive", review.today(), "x")
        )
    decide(app, assessment, p["sec"], "ICBR", "positive")
    with app.test_request_context(), pytest.raises(AssessmentError):
        decide(app, assessment, p["sec"], "ICBR", "positive")
    db.session.rollback()
    decide(app, assessment, p["sec"], "CIO-beraad", "conditional")
    assert par.employee_data(assessment).processed  # "medewerkers" in the demo pre-scan
    with app.test_request_context():
        with pytest.raises(TransitionNotAllowed) as refused:
            par.establish(assessment, p["par"])
        assert "GOR Rijk" in refused.value.reasons[0]
        par.request_consent(assessment, p["par"])
        db.session.commit()
    decide(app, assessment, p["sec"], "GOR Rijk", "positive")
    with app.test_request_context():
        par.establish(assessment, p["par"])
        db.session.commit()
    assert assessment.state == "established"
    assert par.trajectory(assessment).established_at is not None
    assert not access(assessment.owner, assessment).may_edit


def test_a_rejection_sends_the_advice_back_to_consolidation(app):
    assessment, p = consolidated(app)
    decide(app, assessment, p["sec"], "ICBR", "negative")
    assert assessment.state == "consolidation"
    with app.test_request_context():
        par.offer_for_approval(assessment, p["par"])
        db.session.commit()
    # A new offer: the earlier decisions are kept but do not count.
    assert len(par.all_decisions(assessment)) == 1
    assert par.trajectory(assessment).offer == 2
    decide(app, assessment, p["sec"], "ICBR", "positive")


def test_no_consent_sends_it_back(app):
    assessment, p = consolidated(app)
    decide(app, assessment, p["sec"], "ICBR", "positive")
    decide(app, assessment, p["sec"], "CIO-beraad", "positive")
    with app.test_request_context():
        par.request_consent(assessment, p["par"])
        db.session.commit()
    decide(app, assessment, p["sec"], "GOR Rijk", "negative")
    assert assessment.state == "consolidation"


def test_without_employees_data_no_consent_is_needed(app):
    assessment, p = consolidated(app)
    with app.test_request_context():
        with pytest.raises(AssessmentError):
            par.correct_employee_data(assessment, assessment.owner, False, " ")
        par.correct_employee_data(
            assessment, assessment.owner, False, "Alleen functionele accounts, geen personen."
        )
        db.session.commit()
    assert not par.employee_data(assessment).processed
    assert par.employee_data(assessment).derived
    decide(app, assessment, p["sec"], "ICBR", "positive")
    decide(app, assessment, p["sec"], "CIO-beraad", "positive")
    with app.test_request_context():
        with pytest.raises(TransitionNotAllowed):
            par.request_consent(assessment, p["par"])
        par.establish(assessment, p["par"])
        db.session.commit()
    assert assessment.state == "established"


def test_withdrawal_needs_a_reason_and_keeps_the_record(app):
    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    with app.test_request_context():
        with pytest.raises(TransitionNotAllowed):
            par.withdraw(assessment, assessment.owner, "")
        par.withdraw(assessment, assessment.owner, "Het programma stopt.")
        db.session.commit()
    assert assessment.state == "withdrawn"
    assert count(ParRound) == 1
    assert access(p["jenv"], assessment).may_view
    assert not access(p["jenv"], assessment).may_give_position


def test_reminders_about_the_term_once_each_to_who_did_not_respond(app):
    from pia.services import notify

    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV", weeks=1)
    position(app, assessment, p["bzk"])

    def notices(user, kind):
        return db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        ).all()

    soon = review.today() + timedelta(days=5)
    with app.test_request_context():
        assert notify.send_reminders(soon)["par_deadline_near"] == 1
        assert notify.send_reminders(soon)["par_deadline_near"] == 0
        db.session.commit()
    assert len(notices(p["jenv"], "deadline_near")) == 1
    assert notices(p["bzk"], "deadline_near") == []
    late = review.today() + timedelta(days=8)
    with app.test_request_context():
        assert notify.send_reminders(late)["par_deadline_passed"] == 1
        assert notify.send_reminders(late)["par_deadline_passed"] == 0
        db.session.commit()
    [passed] = notices(p["jenv"], "deadline_passed")
    assert "1 van 2 ministeries reageerden" in passed.message
    assert len(notices(p["par"], "deadline_passed")) == 1


def test_the_departmental_pages_of_a_par_assessment_point_to_the_par_route(app, client):
    from tests.conftest import log_in, text_of

    assessment, p = submitted(app)
    send(app, assessment, p["par"], "BZK", "JenV")
    log_in(client, p["jenv"])
    page = client.get(f"/assessments/{assessment.id}/beoordeling")
    assert page.status_code == 200
    assert "volgt de PAR-procedure" in text_of(page)
    listing = text_of(client.get("/assessments/"))
    assert assessment.title in listing and "Voorgelegd aan de FG's" in listing
