"""The PAR register and the beheerder's interdepartmental bodies in a real browser, at 1280
and 390 px wide (axe and the overflow check run on every page: conftest)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import submit

SIZES = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_the_coordinator_reads_the_register_filters_and_downloads(page_as, size):
    page = page_as("par@pia.test", viewport=size)
    submit(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="PAR-register")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("PAR-register")
    figures = page.get_by_role("table", name=re.compile("Aantal trajecten en adviezen per jaar"))
    expect(figures.get_by_role("rowheader", name="2024")).to_be_visible()
    expect(figures.get_by_role("rowheader", name="Alle jaren")).to_be_visible()
    page.get_by_label("Jaar", exact=True).select_option("2024")
    page.get_by_label("Stap", exact=True).select_option(label="Vastgesteld")
    submit(page.get_by_role("button", name="Filteren"))
    expect(page).to_have_url(re.compile(r"jaar=2024"))
    expect(page.get_by_role("status")).to_have_text("3 trajecten.")
    listed = page.get_by_role("table", name=re.compile("Doorlooptijd per stap"))
    row = listed.get_by_role("row").filter(has_text="Rijksbrede personeelsdossiers")
    expect(row).to_contain_text("12 februari 2024")
    expect(row.locator('[data-step="consultation"]')).to_have_text("34")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download deze selectie als CSV-bestand").click()
    assert download.value.suggested_filename.startswith("par-register-2024-")
    submit(row.get_by_role("link", name="Rijksbrede personeelsdossiers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rijksbreed privacyadvies (PAR)")
    expect(page.get_by_role("main")).to_contain_text("Rijksbrede personeelsdossiers")


@pytest.mark.parametrize("size", SIZES, ids=["1280", "390"])
def test_the_beheerder_adds_and_deactivates_a_body(page_as, size):
    name = f"Overleg Digitale Overheid {size['width']}"
    page = page_as("beheerder@pia.test", viewport=size)
    submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Interdepartementale overleggen")
    expect(page.get_by_role("rowheader", name="ICBR")).to_be_visible()
    submit(page.get_by_role("link", name="Overleg toevoegen"))
    submit(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_role("alert")).to_contain_text("Vul de naam van het overleg in.")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Korte omschrijving").fill("Overleg over de digitale overheid.")
    submit(page.get_by_role("button", name="Opslaan"))
    expect(
        page.get_by_role("status").filter(has_text=f"Overleg {name} is toegevoegd.")
    ).to_be_visible()
    row = page.locator(f'tr[data-body="{name}"]')
    submit(row.get_by_role("button", name=f"Deactiveren {name}"))
    expect(page.locator(f'tr[data-body="{name}"]')).to_contain_text("Gedeactiveerd")
