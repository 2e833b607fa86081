"""The PAR procedure in a real browser, with the demo accounts of `make run`, at 1280 and
390 px: the initiator offers a government-wide DPIA → the PAR coordinator sends it to the
FGs of BZK and JenV → both give their ministry's position (one objects) → the coordinator
reads the matrix and consolidates the positions into one rijksbreed privacyadvies and
offers it for approval. axe-core checks every page visited (conftest)."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pia import demo_content
from pia.extensions import db
from pia.models import Assessment, Questionnaire, User
from pia.services import assessments, questionnaires
from tests.e2e.ui import submit

OWNER = "projectleider@pia.test"
COORDINATOR = "par@pia.test"
FGS = {"BZK": "fg.bzk@pia.test", "JenV": "fg.jenv@pia.test"}
SIZES = {"breed": {"width": 1280, "height": 900}, "smal": {"width": 390, "height": 844}}


def make_copy(live_server, title: str) -> int:
    """A complete government-wide DPIA owned by the demo projectleider, in concept."""
    with live_server.app_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        assessment = assessments.create_assessment(
            title=title,
            description=demo_content.DESCRIPTION,
            organisation=owner.organisation,
            government_wide=True,
            owner=owner,
        )
        assessments.store_answers(
            assessment, Questionnaire.PRESCAN, demo_content.PRESCAN, actor=owner
        )
        questionnaires.start_dpia(assessment, actor=owner)
        assessments.store_answers(assessment, Questionnaire.DPIA, demo_content.DPIA, actor=owner)
        db.session.commit()
        return assessment.id


def state(page: Page):
    return page.locator("[data-state]")


def flash(page: Page, text: str):
    return page.get_by_role("status").filter(has_text=text)


@pytest.mark.parametrize("size", list(SIZES))
def test_send_respond_matrix_consolidate(page_as, live_server, size):
    viewport = SIZES[size]
    title = f"Rijksbrede roosterplanning ({size})"
    assessment_id = make_copy(live_server, title)

    # The initiator sees the PAR route on the overview and offers the DPIA.
    owner = page_as(OWNER, viewport=viewport)
    owner.goto(f"/assessments/{assessment_id}")
    expect(owner.locator("[data-par-route]")).to_contain_text("GOR Rijk")
    submit(owner.get_by_role("link", name="Rijksbreed privacyadvies (PAR)"))
    submit(owner.get_by_role("button", name="Aanbieden aan de PAR-coördinator"))
    expect(state(owner)).to_have_text("Aangeboden aan de PAR-coördinator")

    # The coordinator finds it on the list by step and sends it to BZK and JenV.
    coordinator = page_as(COORDINATOR, viewport=viewport)
    submit(coordinator.get_by_role("link", name="Alle rijksbrede trajecten per stap"))
    submit(coordinator.get_by_role("link", name=title))
    submit(coordinator.get_by_role("link", name="Voorleggen aan de FG's"))
    boxes = coordinator.locator("input[name=ministries]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = coordinator.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
        box.set_checked(label.endswith("(BZK)") or label.endswith("(JenV)"))
    submit(coordinator.get_by_role("button", name="Voorleggen aan de FG's"))
    expect(flash(coordinator, "voorgelegd aan de FG's")).to_be_visible()
    expect(coordinator.locator("[data-responded]")).to_contain_text("0 van 2 ministeries")

    # Each FG finds it on the dashboard and gives the ministry's position.
    positions = {
        "BZK": ("Akkoord", "De maatregelen zijn passend."),
        "JenV": ("Bezwaar", "De grondslag voor de roosters van medewerkers ontbreekt."),
    }
    for ministry, (choice, reasoning) in positions.items():
        fg = page_as(FGS[ministry], viewport=viewport)
        expect(fg.get_by_role("main")).to_contain_text("Rijksbrede raadplegingen")
        submit(fg.get_by_role("main").get_by_role("link", name=title))
        submit(fg.get_by_role("link", name="Standpunt geven"))
        fg.get_by_label(choice, exact=True).check()
        fg.get_by_label("Onderbouwing").fill(reasoning)
        submit(fg.get_by_role("button", name="Standpunt vastleggen"))
        expect(flash(fg, "Het standpunt van uw ministerie is vastgelegd.")).to_be_visible()

    # The matrix: ministry × position with the reasoning.
    coordinator.reload()
    expect(coordinator.locator("[data-responded]")).to_contain_text("2 van 2 ministeries")
    submit(coordinator.get_by_role("link", name="Standpunten per ministerie"))
    expect(coordinator.locator("tr[data-ministry='BZK']")).to_contain_text("Akkoord")
    expect(coordinator.locator("tr[data-ministry='JenV']")).to_contain_text("Bezwaar")
    expect(coordinator.locator("tr[data-ministry='JenV']")).to_contain_text("grondslag")

    # Consolidation: one advice, offered for approval.
    submit(coordinator.get_by_role("link", name="Terug naar het rijksbrede advies"))
    submit(coordinator.get_by_role("button", name="Advies consolideren"))
    expect(state(coordinator)).to_have_text("Advies in consolidatie")
    submit(coordinator.get_by_role("link", name="Advies opstellen"))
    coordinator.get_by_label("Samenvatting").fill("BZK stemt in; JenV maakt bezwaar.")
    coordinator.get_by_label("Positief met voorwaarden", exact=True).check()
    coordinator.get_by_label("Maatregelen en voorwaarden").fill("Leg de grondslag vast. (JenV)")
    coordinator.get_by_label("ICBR", exact=True).check()
    submit(coordinator.get_by_role("button", name="Advies opslaan"))
    expect(coordinator.locator("[data-advice-summary]")).to_contain_text("JenV maakt bezwaar")
    submit(coordinator.get_by_role("button", name="Aanbieden ter goedkeuring"))
    expect(state(coordinator)).to_have_text("Ter goedkeuring")
    with live_server.app_context():
        assert db.session.get(Assessment, assessment_id).state == "approval"
