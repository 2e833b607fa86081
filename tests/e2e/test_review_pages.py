"""Every page of the review procedure, as the people who use it, in every state of the demo.

The journey test walks one path; this one opens the pages that path does not reach (the
AP consultation, withdrawal, the history, the mail queue, forms with their errors …)
so that axe-core (conftest) checks each of them, and checks what each shows.
"""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from pia.demo import PROCEDURE_EXAMPLES
from pia.extensions import db
from pia.models import Assessment, Organisation
from tests.e2e.ui import submit

OWNER = "projectleider@pia.test"
FG = "fg.bzk@pia.test"
FG2 = "fg2.bzk@pia.test"  # has the demo's in_review assessment
CONTROLLER = "directeur@pia.test"
AUDITOR = "auditor@pia.test"
BEHEERDER = "beheerder@pia.test"


def ids_by_state(live_server) -> dict[str, int]:
    with live_server.app_context():
        titles = [title for title, _ in PROCEDURE_EXAMPLES]
        rows = db.session.execute(
            select(Assessment.state, Assessment.id).where(Assessment.title.in_(titles))
        ).all()
        return {state: id_ for state, id_ in rows}


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def visit(page: Page, url: str, title: str | re.Pattern) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response.status}"
    expect(heading(page)).to_have_text(title)


def test_the_projectleider_pages_in_every_state(page_as, live_server):
    ids = ids_by_state(live_server)
    page = page_as(OWNER)
    expect(page.get_by_role("main")).to_contain_text("Wacht op u")
    # The procedure page differs per state; the other pages differ little, so two states.
    for state, id_ in ids.items():
        visit(page, f"/assessments/{id_}/beoordeling", "Beoordeling en vaststelling")
        expect(page.locator("[data-state]")).to_have_attribute("data-state", state)
    for state in ("submitted", "in_use"):
        base = f"/assessments/{ids[state]}"
        visit(page, f"{base}/versies", "Versies")
        visit(page, f"{base}/historie", "Geschiedenis")
        expect(page.locator("tr[data-action='assessment.transition']").first).to_be_visible()
        visit(page, f"{base}/verwerkingsverantwoordelijken", "Verwerkingsverantwoordelijken")
    changes = f"/assessments/{ids['changes_requested']}"
    visit(page, f"{changes}/beoordeling", "Beoordeling en vaststelling")
    expect(page.locator("[data-fg-message]")).to_contain_text("bewaartermijnen")
    visit(page, f"{changes}/opmerkingen", "Alle opmerkingen")
    visit(page, f"{changes}/opmerkingen/2", re.compile(r"^2\. Persoonsgegevens"))
    visit(page, f"{changes}/beoordeling/intrekken", "Intrekken")
    advised = f"/assessments/{ids['advice_given']}"
    visit(page, f"{advised}/beoordeling/opvolging", "Opvolging van het FG-advies")
    visit(page, f"{advised}/versies/vergelijken?van=1&naar=2", re.compile("versie 1 naar versie 2"))
    expect(page.locator(".diff-kind").first).to_be_visible()
    visit(page, f"{advised}/volledig", re.compile("Registratie deelnemers"))
    visit(page, f"/assessments/{ids['ap_consultation']}/beoordeling/ap", re.compile("AP$"))
    expect(page.get_by_role("main")).to_contain_text("verlenging met 6 weken")
    visit(page, f"/assessments/{ids['adopted']}/beoordeling", "Beoordeling en vaststelling")
    expect(page.get_by_label("Datum voor herbeoordeling")).to_be_visible()
    visit(page, "/meldingen", "Meldingen")


def test_the_fg_pages(page_as, live_server, page_checks):
    ids = ids_by_state(live_server)
    page = page_as(FG)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Nieuw ingediend")
    expect(main.locator(".utrecht-status-badge--danger").first).to_have_text("Te laat")
    visit(page, "/assessments/?status=submitted", "Mijn assessments")
    visit(page, f"/assessments/{ids['submitted']}/beoordeling", "Beoordeling en vaststelling")
    expect(page.locator("[data-overdue]")).to_contain_text("Termijn verstreken")
    colleague = page_as(FG2)
    in_review = f"/assessments/{ids['in_review']}"
    visit(colleague, f"{in_review}/beoordeling/terugsturen", "Terugsturen voor aanpassing")
    visit(colleague, f"{in_review}/beoordeling/advies", "Advies geven")
    # Sent without a conclusion or reasoning: the errors, on a page axe checks too.
    page_checks.allow_console_error(r"status of 400")
    submit(colleague.get_by_role("button", name="Advies vastleggen"))
    expect(colleague.get_by_role("alert")).to_contain_text("Kies de conclusie")
    visit(colleague, f"{in_review}/opmerkingen/3", re.compile(r"^3\. Gegevensverwerkingen"))


def test_the_controller_auditor_and_beheerder_pages(page_as, live_server):
    ids = ids_by_state(live_server)
    boss = page_as(CONTROLLER)
    expect(boss.get_by_role("main")).to_contain_text("Wacht op uw vaststelling")
    waiting = f"/assessments/{ids['awaiting_adoption']}"
    visit(boss, f"{waiting}/beoordeling/ondertekenen", "Vaststellen en ondertekenen")
    visit(
        boss, f"{waiting}/beoordeling/terugsturen-naar-opstellers", "Terugsturen naar de opstellers"
    )
    with live_server.app_context():
        bzk = db.session.scalar(select(Organisation.id).where(Organisation.abbreviation == "BZK"))
    auditor = page_as(AUDITOR)
    visit(auditor, f"/assessments/?status=in_use&organisatie={bzk}", "Alle assessments")
    expect(auditor.get_by_role("link", name="Declaratiesysteem reiskosten")).to_be_visible()
    expect(auditor.get_by_role("link", name="Zaaksysteem bezwaarschriften")).to_have_count(0)
    visit(auditor, f"/assessments/{ids['in_use']}/historie", "Geschiedenis")
    beheerder = page_as(BEHEERDER)
    visit(beheerder, "/beheer/e-mail", "Uitgaande e-mail")
