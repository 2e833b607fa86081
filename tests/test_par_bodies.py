"""The interdepartmental bodies are data the beheerder manages: added, renamed and
deactivated (never deleted); the coordinator chooses from the active ones per trajectory,
and a decision keeps the name it was recorded under."""

import re

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import ParBody, ParDecision
from pia.roles import Role
from pia.services import par
from pia.services.assessments import AssessmentError
from tests.conftest import audit_events, checked_values, header_text, log_in, make_user, text_of
from tests.test_par_service import consolidated, decide

BODIES = "/beheer/overleggen/"


def client_for(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def body(name: str) -> ParBody:
    return db.session.scalar(select(ParBody).where(ParBody.name == name))


def offered_bodies(response) -> set[str]:
    html = response.get_data(as_text=True)
    return set(re.findall(r'<input\b[^>]*\bname="bodies"[^>]*\bvalue="([^"]*)"', html))


def test_the_migration_seeds_the_three_bodies_as_active_data(app):
    found = {b.name: b.active for b in db.session.scalars(select(ParBody))}
    assert found == {"CIO-beraad": True, "ICBR": True, "CPO-Raad": True}
    from pia.services.par.bodies import active_names

    assert active_names() == ["CIO-beraad", "CPO-Raad", "ICBR"]


def test_beheerder_adds_renames_and_deactivates_a_body(app):
    beheerder = client_for(app, make_user(Role.BEHEERDER))
    page = text_of(beheerder.get(BODIES))
    assert "Interdepartementale overleggen" in page and "ICBR" in page
    added = beheerder.post_form(
        BODIES + "nieuw",
        {"name": "  Digitaal  Overleg ", "description": "Overleg over de digitale overheid."},
    )
    assert added.status_code == 302
    new = body("Digitaal Overleg")
    assert new is not None and new.active and new.description.startswith("Overleg over")

    for name, message in (
        ("icbr", "Er bestaat al een overleg met deze naam."),
        ("GOR Rijk", "De GOR Rijk besluit over instemming"),
        ("", "Vul de naam van het overleg in."),
    ):
        refused = beheerder.post_form(BODIES + "nieuw", {"name": name, "description": "Typed"})
        assert refused.status_code == 200
        assert message in text_of(refused)
        assert 'value="Typed"' in refused.get_data(as_text=True)  # nothing typed is lost
    assert db.session.scalar(select(db.func.count(ParBody.id))) == 4

    renamed = beheerder.post_form(
        f"{BODIES}{new.id}", {"name": "Overleg Digitale Overheid", "description": ""}
    )
    assert renamed.status_code == 302
    db.session.expire_all()
    assert body("Overleg Digitale Overheid").id == new.id

    off = beheerder.post_form(f"{BODIES}{new.id}/actief")
    assert off.status_code == 302
    db.session.expire_all()
    assert body("Overleg Digitale Overheid").active is False
    row = re.search(
        r'<tr data-body="Overleg Digitale Overheid">.*?</tr>',
        beheerder.get(BODIES).get_data(as_text=True),
        re.S,
    )
    assert "Gedeactiveerd" in row.group(0) and "Activeren" in row.group(0)
    actions = [e.action for e in audit_events() if e.action.startswith("par_body.")]
    assert actions == ["par_body.created", "par_body.updated", "par_body.deactivated"]
    # Nothing deletes a body: no route does.
    assert not [
        r for r in app.url_map.iter_rules() if "overleggen" in r.rule and "DELETE" in r.methods
    ]


@pytest.mark.parametrize("role", [Role.FG, Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR])
def test_only_the_beheerder_manages_the_bodies(app, role):
    other = client_for(app, make_user(role))
    icbr = body("ICBR")
    assert other.get(BODIES).status_code == 403
    assert other.post_form(BODIES + "nieuw", {"name": "Stiekem"}).status_code == 403
    assert other.post_form(f"{BODIES}{icbr.id}", {"name": "Anders"}).status_code == 403
    assert other.post_form(f"{BODIES}{icbr.id}/actief").status_code == 403
    db.session.expire_all()
    assert body("ICBR").active and body("Stiekem") is None
    assert "Overleggen" not in header_text(other.get("/"))
    beheerder = client_for(app, make_user(Role.BEHEERDER, email="b2@pia.test"))
    assert "Overleggen" in header_text(beheerder.get("/"))


def test_a_deactivated_body_is_no_longer_offered_but_kept_on_an_old_decision(app):
    assessment, p = consolidated(app)  # offered to ICBR and CIO-beraad
    decide(app, assessment, p["sec"], "ICBR", "positive")
    decide(app, assessment, p["sec"], "CIO-beraad", "negative")
    assert assessment.state == "consolidation"  # rejected: back to the coordinator

    beheerder = client_for(app, make_user(Role.BEHEERDER, email="b@pia.test"))
    cio = body("CIO-beraad")
    assert beheerder.post_form(f"{BODIES}{cio.id}/actief").status_code == 302
    icbr = body("ICBR")
    renamed = beheerder.post_form(
        f"{BODIES}{icbr.id}", {"name": "ICBR-overleg", "description": "Bedrijfsvoering"}
    )
    assert renamed.status_code == 302
    row = re.search(
        r'<tr data-body="CIO-beraad">.*?</tr>', beheerder.get(BODIES).get_data(as_text=True), re.S
    )
    assert "<td>1</td>" in row.group(0) and "Gedeactiveerd" in row.group(0)

    coordinator = client_for(app, p["par"])
    form = coordinator.get(f"/assessments/{assessment.id}/par/advies")
    assert offered_bodies(form) == {"CPO-Raad", "ICBR-overleg"}
    assert checked_values(form, "bodies") == set()  # the old choice is no longer offered
    refused = coordinator.post_form(
        f"/assessments/{assessment.id}/par/advies",
        {
            "summary": "Opnieuw.",
            "conclusion": "positive",
            "bodies": ["CIO-beraad"],
        },
    )
    assert refused.status_code == 200
    with app.test_request_context(), pytest.raises(AssessmentError):
        par.draft_advice(
            assessment, p["par"], par.AdviceInput("Opnieuw.", "positive", bodies=["CIO-beraad"])
        )
    db.session.rollback()
    saved = coordinator.post_form(
        f"/assessments/{assessment.id}/par/advies",
        {"summary": "Opnieuw.", "conclusion": "positive", "bodies": ["ICBR-overleg"]},
    )
    assert saved.status_code == 302, text_of(saved)
    db.session.expire_all()
    assert par.trajectory(assessment).bodies == ["ICBR-overleg"]
    # The decisions already recorded keep the names they were recorded under.
    kept = sorted(db.session.scalars(select(ParDecision.body)))
    assert kept == ["CIO-beraad", "ICBR"]
    page = text_of(coordinator.get(f"/assessments/{assessment.id}/par"))
    assert "CIO-beraad : afgewezen" in page and "ICBR : goedgekeurd" in page


def test_a_body_deactivated_during_approval_still_decides_on_that_advice(app):
    assessment, p = consolidated(app)  # offered to ICBR and CIO-beraad
    beheerder = client_for(app, make_user(Role.BEHEERDER, email="b@pia.test"))
    assert beheerder.post_form(f"{BODIES}{body('ICBR').id}/actief").status_code == 302
    secretariat = client_for(app, p["sec"])
    form = secretariat.get(f"/assessments/{assessment.id}/par/besluit")
    assert {"ICBR", "CIO-beraad"} <= set(re.findall(r'<option value="([^"]+)"', form.text))
    decide(app, assessment, p["sec"], "ICBR", "positive")
    assert [d.body for d in par.all_decisions(assessment)] == ["ICBR"]
