"""The register of processing activities and the portfolio in a real browser, at 1280 and
390 px wide (axe checks every page)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import submit

SIZES = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_the_register_searches_filters_and_downloads(page_as, size):
    page = page_as("cpo@pia.test", viewport=size)
    submit(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Verwerkingsregister"
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwerkingsregister")
    # The demo's adopted DPIAs (other browser tests on this server may adopt more).
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ verwerkingen"))
    everything = int(page.get_by_role("status").inner_text().split()[0])
    assert everything >= 4
    expect(page.get_by_role("heading", name="Subsidie uitbetalen").first).to_be_visible()
    page.get_by_label("Zoek in verwerking, doel, gegevens en ontvangers").fill("uitbetalen")
    submit(page.get_by_role("button", name="Zoeken"))
    expect(page).to_have_url(re.compile(r"q=uitbetalen"))
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ verwerkingen"))
    found = int(page.get_by_role("status").inner_text().split()[0])
    assert 2 <= found < everything
    page.get_by_label("Doorgifte buiten de EER").select_option(label="Met doorgifte buiten de EER")
    submit(page.get_by_role("button", name="Zoeken"))
    expect(page.get_by_text("Geen verwerkingen met dit filter.")).to_be_visible()
    submit(page.get_by_role("link", name="Filters wissen").first)
    with page.expect_download() as download:
        page.get_by_role("link", name="als Excel-bestand").click()
    assert download.value.suggested_filename.endswith(".xlsx")


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_the_portfolio_shows_charts_with_their_numbers(page_as, size):
    page = page_as("cpo.bzk@pia.test", viewport=size)
    page.goto("/portfolio/")
    expect(page.get_by_role("heading", level=1)).to_have_text("DPIA-overzicht")
    expect(page.get_by_role("img", name="Assessments per status")).to_be_visible()
    table = page.get_by_role("table", name="Assessments per status")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and BZK
    expect(page.get_by_role("heading", name="De DPIA’s met een hoog restrisico")).to_be_visible()
    expect(page.get_by_text("Cameratoezicht en toegangspassen rijkskantoren")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle cijfers downloaden als Excel-bestand").click()
    assert download.value.suggested_filename.startswith("dpia-overzicht-")
