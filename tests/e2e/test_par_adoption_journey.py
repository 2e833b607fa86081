"""After the approval: the PAR procedure to its end in a real browser, with the demo
accounts, at 1280 and 390 px: the secretariaat records two bodies' decisions and the GOR
Rijk's consent → the coordinator establishes the advice → the initiator records what was
done with its condition, designates the controller and offers the DPIA → the controller
signs (deviating, with a reason) and so adopts it → the PAR advice .docx and the DPIA
report are downloaded and opened, with the positions and decisions in them. axe-core
checks every page visited (conftest)."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Organisation, User
from pia.services import par, review
from tests.e2e.test_par_journey import COORDINATOR, OWNER, SIZES, flash, make_copy, state
from tests.e2e.ui import submit

SECRETARIAT = "secretariaat@pia.test"
CONTROLLER = "directeur@pia.test"
FG_BZK, FG_JENV = "fg.bzk@pia.test", "fg.jenv@pia.test"
CONDITION = "Leg de grondslag voor de roosters vast."


def in_approval(live_server, title: str) -> int:
    """A government-wide DPIA whose advice (one condition, raised by JenV) was offered to
    the ICBR and the CIO-beraad, after positions of BZK and JenV."""
    assessment_id = make_copy(live_server, title)
    with live_server.app_context():

        def user(email):
            return db.session.scalar(select(User).where(User.email == email))

        def org(abbreviation):
            return db.session.scalar(
                select(Organisation).where(Organisation.abbreviation == abbreviation)
            )

        assessment = db.session.get(Assessment, assessment_id)
        coordinator = user(COORDINATOR)
        with live_server.app.test_request_context():
            par.submit(assessment, assessment.owner)
            due = review.today() + timedelta(weeks=4)
            par.send_to_fgs(
                assessment, coordinator, par.Consultation((org("BZK").id, org("JenV").id), due)
            )
            par.give_position(
                assessment, user(FG_BZK), par.PositionInput("positive", "Passend.", "")
            )
            par.give_position(
                assessment,
                user(FG_JENV),
                par.PositionInput("conditional", "De grondslag is dun.", CONDITION),
            )
            par.start_consolidation(assessment, coordinator)
            advice = par.AdviceInput(
                "BZK stemt in; JenV onder voorwaarden.",
                "conditional",
                "Roosters van medewerkers.",
                [{"text": CONDITION, "ministries": ["JenV"]}],
                ["ICBR", "CIO-beraad"],
            )
            par.draft_advice(assessment, coordinator, advice)
            par.offer_for_approval(assessment, coordinator)
        db.session.commit()
    return assessment_id


def docx_text(path: Path) -> str:
    doc = Document(BytesIO(path.read_bytes()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def record(page: Page, body: str | None, verdict: str, reference: str) -> None:
    submit(
        page.get_by_role("link", name="Besluit vastleggen")
        .or_(page.get_by_role("link", name="Instemming vastleggen"))
        .first
    )
    if body:
        page.get_by_label("Overleg").select_option(body)
    page.get_by_label(verdict, exact=True).check()
    page.get_by_label("Datum van de vergadering").fill(review.today().isoformat())
    page.get_by_label("Verwijzing naar het verslag").fill(reference)
    submit(page.get_by_role("button", name="Besluit vastleggen"))
    expect(flash(page, "Het besluit is vastgelegd.")).to_be_visible()


@pytest.mark.parametrize("size", list(SIZES))
def test_decide_establish_sign_and_download(page_as, live_server, size, tmp_path):
    viewport = SIZES[size]
    title = f"Rijksbrede roosterplanning vastgesteld ({size})"
    assessment_id = in_approval(live_server, title)
    path = f"/assessments/{assessment_id}/par"

    # The secretariaat records the decisions of two bodies.
    secretariat = page_as(SECRETARIAT, viewport=viewport)
    secretariat.goto(path)
    record(secretariat, "ICBR", "Goedgekeurd", "ICBR 2026-12")
    record(secretariat, "CIO-beraad", "Goedgekeurd met voorwaarden", "CIO-beraad 2026-12")

    # Employees' data: the coordinator asks the GOR Rijk, the secretariaat records consent.
    coordinator = page_as(COORDINATOR, viewport=viewport)
    coordinator.goto(path)
    submit(coordinator.get_by_role("button", name="Voorleggen aan de GOR Rijk"))
    expect(state(coordinator)).to_have_text("Ter instemming GOR Rijk")
    secretariat.goto(path)
    record(secretariat, None, "Instemming", "GOR Rijk 2026-12")
    coordinator.goto(path)
    submit(coordinator.get_by_role("button", name="Vaststellen"))
    expect(state(coordinator)).to_have_text("Vastgesteld")

    # The initiator records the follow-up of the condition, designates and offers.
    owner = page_as(OWNER, viewport=viewport)
    owner.goto(path)
    submit(owner.get_by_role("link", name="Opvolging van de voorwaarden vastleggen"))
    owner.get_by_label("Niet overgenomen").check()
    owner.get_by_label("Toelichting (verplicht als u haar niet overneemt)").fill(
        "De grondslag volgt uit de cao; een regeling is niet nodig."
    )
    submit(owner.get_by_role("button", name="Opvolging opslaan"))
    expect(owner.locator("li[data-condition='1']")).to_contain_text("Niet overgenomen")
    submit(owner.get_by_role("link", name="Verwerkingsverantwoordelijken aanwijzen"))
    owner.get_by_label("E-mailadres").fill(CONTROLLER)
    submit(owner.get_by_role("button", name="Aanwijzen"))
    owner.goto(path)
    submit(owner.get_by_role("link", name="Aanbieden ter vaststelling"))
    submit(owner.get_by_role("button", name="Aanbieden ter vaststelling"))
    expect(state(owner)).to_have_text("Ter vaststelling")

    # The controller signs; the condition was not adopted, so a reason is asked.
    controller = page_as(CONTROLLER, viewport=viewport)
    controller.goto(path)
    submit(controller.get_by_role("link", name="Vaststellen en ondertekenen"))
    expect(controller.locator("[data-par-advice]")).to_contain_text("positief met voorwaarden")
    expect(controller.locator("[data-deviates]")).to_be_visible()
    controller.get_by_label("Reden van afwijking").fill("De cao regelt de roosters al.")
    controller.get_by_label("Ik stel deze versie van de DPIA vast").check()
    submit(controller.get_by_role("button", name="Vaststellen en ondertekenen"))
    expect(state(controller)).to_have_text("DPIA vastgesteld")
    expect(controller.locator("[data-adopted]")).to_be_visible()

    # The PAR advice as a Word file, opened: positions and decisions are in it.
    owner.goto(path)
    with owner.expect_download() as download:
        owner.get_by_role("button", name="Rijksbreed privacyadvies downloaden (.docx)").click()
    advice = tmp_path / "par.docx"
    download.value.save_as(advice)
    text = docx_text(advice)
    assert "CONCEPT" not in text
    assert "akkoord met voorwaarden" in text and "De grondslag is dun." in text
    assert "ICBR 2026-12" in text and "goedgekeurd met voorwaarden" in text
    assert "GOR Rijk 2026-12" in text and "instemming" in text
    assert CONDITION in text and "Niet overgenomen" in text

    # The DPIA report: §19 the PAR advice, §20 the signature.
    owner.goto(f"/assessments/{assessment_id}/documenten/")
    submit(owner.get_by_role("button", name="DPIA-rapport maken"))
    with owner.expect_download() as download:
        owner.get_by_role("link", name="Word").first.click()
    report = tmp_path / "rapport.docx"
    download.value.save_as(report)
    text = docx_text(report)
    assert "Rijksbreed privacyadvies (PAR)" in text
    assert "CIO-beraad 2026-12" in text and "GOR Rijk 2026-12" in text
    assert "Dirkje Dekker" in text and "De cao regelt de roosters al." in text
    with live_server.app_context():
        assert db.session.get(Assessment, assessment_id).state == "adopted"
