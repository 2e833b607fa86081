"""The documents of an assessment in a real browser: agreement, DPIA report, templates, access.

The projectleider works on the demo's complete DPIA ("Digitaal loket energiesubsidie
woningeigenaren"): a processor agreement with the processor of §6, pre-filled from the
DPIA, and the DPIA report, each generated and downloaded as Word (the report as PDF too
when LibreOffice is installed) and opened with python-docx. axe-core checks every page
(conftest); downloads are not pages and are left out of that.
"""

import re
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pia import demo_content
from pia.extensions import db
from pia.models import Assessment, User
from pia.services import documents as document_service
from tests.e2e.ui import submit

OWNER = "projectleider@pia.test"
OUTSIDER = "fg.jenv@pia.test"  # FG of another ministry: no access to the BZK assessment
BEHEERDER = "beheerder@pia.test"
PROCESSOR = "Leverancier zaaksysteem B.V."
OPERATION = "Aanvraag beoordelen"  # §3; the processor works for this operation (§6)
PURPOSE = "Vaststellen of de aanvrager recht heeft op subsidie."  # §5 of that operation
PDF_TIMEOUT_MS = 60_000  # LibreOffice's first start is slow


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def flash(page: Page, text: str | re.Pattern):
    return page.get_by_role("status").filter(has_text=text)


def demo_assessment_id(live_server) -> int:
    with live_server.app_context():
        return db.session.scalar(
            select(Assessment.id).where(Assessment.title == demo_content.TITLE)
        )


def open_documents(page: Page) -> None:
    """Assessments → the demo DPIA → its overview → Documenten."""
    submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Assessments"))
    page.get_by_label("Zoek op titel").fill("energiesubsidie")  # the demo lead has many
    submit(page.get_by_role("button", name="Zoeken"))
    submit(page.get_by_role("link", name=demo_content.TITLE, exact=True))
    expect(heading(page)).to_have_text(demo_content.TITLE)
    submit(page.get_by_role("link", name=re.compile(r"^Documenten")))
    expect(heading(page)).to_have_text("Documenten")
    expect(page.get_by_role("main")).to_contain_text(demo_content.TITLE)


def download(page: Page, link_name: str, tmp_path: Path, *, timeout: float | None = None) -> Path:
    """Click a download link; check the suggested name; save the file in tmp_path."""
    link = page.get_by_role("link", name=link_name, exact=True)
    wait = {"timeout": timeout} if timeout else {}
    # The click waits for the response too: a slow conversion (PDF) gets the same time.
    with page.expect_download(**wait) as info:
        link.click(**wait)
    file = info.value
    assert file.failure() is None
    target = tmp_path / file.suggested_filename
    file.save_as(target)
    return target


def headings_of(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def table_with_header(document, first: str):
    """The first table whose first header cell is `first`."""
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == first:
            return table
    raise AssertionError(
        f"no table starting with {first!r}; tables start with "
        f"{[t.rows[0].cells[0].text for t in document.tables if t.rows]}"
    )


def column(table, index: int = 0) -> list[str]:
    return [row.cells[index].text.strip() for row in table.rows[1:]]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# ---------------------------------------------------------------------------- agreement


def test_projectleider_makes_and_downloads_a_processor_agreement(
    page_as, live_server, page_checks, tmp_path
):
    page_checks.allow_console_error(r"status of 400")  # the form with errors answers 400
    with live_server.app_context():
        organisation = db.session.scalar(select(User).where(User.email == OWNER)).organisation.name
    page = page_as(OWNER)
    open_documents(page)

    # Choose the processor of §6 and open its draft
    agreements = page.get_by_role("region", name="Verwerkersovereenkomsten")
    agreements.get_by_label("Verwerker").select_option(label=PROCESSOR)
    submit(agreements.get_by_role("button", name="Verwerkersovereenkomst openen"))
    expect(heading(page)).to_have_text(f"Verwerkersovereenkomst met {PROCESSOR}")

    # Pre-filled from the DPIA
    facts = page.get_by_role("region", name="Uit de DPIA")
    expect(facts.get_by_role("listitem").filter(has_text=OPERATION)).to_be_visible()
    expect(page.get_by_label("Naam van de verwerker")).to_have_value(PROCESSOR)
    expect(page.get_by_label("Organisatie (ministerie)")).to_have_value(organisation)
    expect(page.get_by_label("Aard van de verwerking")).to_have_value(
        re.compile(rf"^{OPERATION}: ")
    )
    expect(page.get_by_label("Doeleinden")).to_have_value(PURPOSE)
    expect(page.get_by_label("Beveiligingsmaatregelen")).to_have_value(
        re.compile("DigiD op niveau substantieel")
    )
    data = page.get_by_role("group", name="Persoonsgegevens die de verwerker verwerkt")
    expect(data.get_by_label("Naam", exact=True)).to_be_checked()  # §6: this party's data
    expect(data.get_by_label("Adres", exact=True)).to_be_checked()
    expect(data.get_by_label("BSN", exact=True)).not_to_be_checked()
    main_agreement = page.get_by_role("group", name="Hoofdovereenkomst", exact=True)
    expect(main_agreement.get_by_label(re.compile(r"^ARBIT-2022"))).to_be_checked()  # default
    expect(page.get_by_label("Meldtermijn datalekken (uren)")).to_have_value("24")
    still_open = page.get_by_role("status").filter(has_text="Nog niet ingevuld")
    expect(still_open).to_contain_text("Adres van de verwerker")

    # Once with the breach-notification term left empty and a wrong KvK number
    page.get_by_label("Adres van de verwerker").fill("Voorbeeldstraat 1, 2511 AA Den Haag")
    page.get_by_label("Onderwerp").fill("Het zaaksysteem voor de energiesubsidie.")
    page.get_by_label("KvK-nummer van de verwerker").fill("1234")
    data.get_by_label("BSN", exact=True).check()
    page.get_by_label("Meldtermijn datalekken (uren)").fill("")
    response = submit(page.get_by_role("button", name="Concept opslaan"))
    assert response.status == 400
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_be_focused()  # the page starts at the list of problems
    expect(summary.get_by_role("link")).to_have_text(
        [
            "KvK-nummer van de verwerker: Een KvK-nummer heeft 8 cijfers.",
            "Meldtermijn datalekken (uren): Vul een aantal in.",
        ]
    )
    term = page.get_by_label("Meldtermijn datalekken (uren)")
    expect(term).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#meldtermijn_uren-error")).to_have_text("Fout: Vul een aantal in.")
    # what was typed is kept
    expect(page.get_by_label("Adres van de verwerker")).to_have_value(
        "Voorbeeldstraat 1, 2511 AA Den Haag"
    )
    expect(page.get_by_label("Onderwerp")).to_have_value("Het zaaksysteem voor de energiesubsidie.")
    expect(page.get_by_label("KvK-nummer van de verwerker")).to_have_value("1234")
    expect(data.get_by_label("BSN", exact=True)).to_be_checked()
    expect(page.get_by_label("Naam van de verwerker")).to_have_value(PROCESSOR)
    # the summary's link leads to the field
    summary.get_by_role("link", name=re.compile(r"^Meldtermijn")).click()
    expect(term).to_be_focused()

    # Fill in what is asked
    term.fill("36")
    page.get_by_label("KvK-nummer van de verwerker").fill("12345678")
    main_agreement.get_by_label(re.compile(r"^ARBIT-2022")).check()
    page.get_by_label("Kenmerk van de hoofdovereenkomst").fill("BZK-2027-17")
    page.get_by_label("Naam van de ondertekenaar", exact=True).fill("Sanne Tekenaar")
    page.get_by_label("Naam van de ondertekenaar van de verwerker").fill("Victor Werker")
    page.get_by_label("Meldpunt").fill("CERT van de leverancier, 24/7 bereikbaar")
    page.get_by_label("Contactpersoon verwerkingsverantwoordelijke").fill("Team Subsidies")
    page.get_by_label("Contactpersoon verwerker").fill("Servicedesk zaaksysteem")
    submit(page.get_by_role("button", name="Concept opslaan"))
    expect(flash(page, "Het concept is opgeslagen.")).to_be_visible()
    expect(still_open).to_have_count(0)  # nothing required is empty any more
    expect(page.get_by_label("Meldtermijn datalekken (uren)")).to_have_value("36")

    # Generate, back on the documents page, and download
    submit(page.get_by_role("button", name="Opslaan en document maken"))
    expect(heading(page)).to_have_text("Documenten")
    made = flash(page, re.compile(r"^Het document is gemaakt: [a-z0-9-]+\.docx\.$"))
    expect(made).to_be_visible()
    filename = re.search(r"([a-z0-9-]+\.docx)", made.inner_text()).group(1)
    drafts = page.get_by_role("table", name="Concepten van verwerkersovereenkomsten")
    expect(drafts.get_by_role("row").filter(has_text=PROCESSOR)).not_to_contain_text("Nog niet")
    row = page.get_by_role("row").filter(has_text=filename)
    expect(row.get_by_role("cell").first).to_have_text(f"Verwerkersovereenkomst: {PROCESSOR}")
    expect(row).to_contain_text("ingebouwd")  # the built-in template

    path = download(page, f"Word ({filename})", tmp_path)
    assert path.name == filename and path.suffix == ".docx"
    document = Document(str(path))
    text = all_text(document)
    assert text.startswith("Verwerkersovereenkomst")
    assert PROCESSOR in text
    assert "ARBIT-2022" in text and "ARVODI-2018" not in text
    assert "BZK-2027-17" in text and "12345678" in text
    assert "binnen 36 uur" in text
    assert "Servicedesk zaaksysteem" in text
    assert "vertegenwoordigd door Sanne Tekenaar" in text
    assert "Voorbeeldstraat 1, 2511 AA Den Haag, vertegenwoordigd door Victor Werker" in text
    items = table_with_header(document, "Persoonsgegeven")
    assert column(items) == ["Naam", "Adres", "BSN"]
    assert column(table_with_header(document, "Categorie betrokkenen")) == ["Aanvragers"]


# ---------------------------------------------------------------------------- report


def test_projectleider_generates_and_downloads_the_dpia_report(page_as, tmp_path):
    page = page_as(OWNER)
    open_documents(page)
    report = page.get_by_role("region", name="DPIA-rapport")
    submit(report.get_by_role("button", name="DPIA-rapport maken"))
    expect(heading(page)).to_have_text("Documenten")
    made = flash(
        page, re.compile(r"^Het DPIA-rapport is gemaakt: dpia-rapport-[a-z0-9-]+\.docx\.$")
    )
    expect(made).to_be_visible()
    filename = re.search(r"(dpia-rapport-[a-z0-9-]+\.docx)", made.inner_text()).group(1)
    row = page.get_by_role("row").filter(has_text=filename)
    expect(row.get_by_role("cell").first).to_have_text("DPIA-rapport")
    expect(row).to_contain_text("Pieter de Leeuw")

    path = download(page, f"Word ({filename})", tmp_path)
    assert path.name == filename and path.suffix == ".docx"
    document = Document(str(path))
    headings = headings_of(document)
    for title in ("1. Voorstel", "2. Persoonsgegevens", "16. Risico's", "17. Maatregelen"):
        assert title in headings, (title, headings)
    assert headings.index("2. Persoonsgegevens") < headings.index("16. Risico's")
    assert demo_content.TITLE in all_text(document)
    # §2 has nine columns: one two-column table per item, named by the item
    cards = [t for t in document.tables if t.rows[0].cells[0].text == "Persoonsgegeven"]
    assert [t.rows[0].cells[1].text for t in cards] == [
        item["persoonsgegeven"] for item in demo_content.DPIA["2"]
    ]
    assert "Samenvatting voor het management" in headings
    risks = table_with_header(document, "Nr.")
    assert column(risks) == ["R1", "R2", "R3"]
    risk_text = "\n".join(column(risks, 1))
    for risk in demo_content.DPIA["16"]:
        assert risk["beschrijving"] in risk_text

    pdf_link = f"PDF ({filename})"
    if page.get_by_role("link", name=pdf_link, exact=True).count():
        pdf = download(page, pdf_link, tmp_path, timeout=PDF_TIMEOUT_MS)
        assert pdf.name == filename.removesuffix(".docx") + ".pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
    else:  # no LibreOffice on this server: the page says so
        expect(
            page.get_by_role("status").filter(has_text="PDF is hier niet beschikbaar")
        ).to_be_visible()


# ---------------------------------------------------------------------------- beheer


def test_beheerder_opens_the_templates_page(page_as):
    page = page_as(BEHEERDER)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    submit(menu.get_by_role("link", name="Sjablonen"))
    expect(page).to_have_url(re.compile(r"/beheer/sjablonen/$"))
    expect(heading(page)).to_have_text("Sjablonen van de documenten")
    expect(menu.get_by_role("link", name="Sjablonen")).to_have_attribute("aria-current", "page")
    for label in (
        "Verwerkersovereenkomst",
        "Verwerkersafspraken (binnen de Staat)",
        "DPIA-rapport",
    ):
        section = page.get_by_role("region", name=label, exact=True)
        expect(section).to_contain_text("In gebruik:")
        expect(
            section.get_by_role("table", name=f"Versies van het sjabloon {label}")
        ).to_be_visible()
    upload = page.get_by_role("region", name="Nieuw sjabloon uploaden")
    expect(upload.get_by_label("Soort document")).to_be_visible()
    expect(upload.get_by_label("Sjabloon (.docx)")).to_be_visible()


# ---------------------------------------------------------------------------- access


def test_user_without_access_gets_403_on_the_documents(page_as, live_server, page_checks):
    page_checks.allow_console_error(r"status of 403")
    assessment_id = demo_assessment_id(live_server)
    with live_server.app_context():  # a document to try to download
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        document = document_service.generate_report(
            db.session.get(Assessment, assessment_id), actor=owner
        )
        db.session.commit()
        document_id = document.id

    page = page_as(OUTSIDER)
    base = f"/assessments/{assessment_id}/documenten"
    for url in (f"{base}/", f"{base}/{document_id}.docx", f"{base}/{document_id}.pdf"):
        response = page.goto(url)
        assert response.status == 403, url
        expect(heading(page)).to_have_text("Geen toegang")
        expect(page.get_by_role("main")).not_to_contain_text(demo_content.TITLE)
