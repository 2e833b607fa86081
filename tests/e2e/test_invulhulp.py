"""Importing a file from the Invulhulpen in a real browser: the result page lists what did
not come across, the overview points to it, and the download page for their tool (axe
checks every page; 1280 and 390 px)."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import submit
from tests.invulhulp_files import answer, dpia_with_prescan

WIDTHS = (1280, 390)


@pytest.mark.parametrize("width", WIDTHS)
def test_importing_a_file_from_the_invulhulp(page_as, tmp_path, width):
    file = dpia_with_prescan()
    file["answers"]["99.9"] = answer("Een vraag uit een nieuwere versie")
    file["answers"]["16.1"][0]["16.1.3"] = answer("zeer hoog")
    path = tmp_path / "uit-de-invulhulp.json"
    path.write_text(json.dumps(file), encoding="utf-8")

    page = page_as("projectleider@pia.test", viewport={"width": width, "height": 900})
    page.goto("/assessments/importeren")
    page.get_by_label("Exportbestand (.json)").set_input_files(str(path))
    submit(page.get_by_role("button", name="Importeren"))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Resultaat van de import uit de Invulhulp"
    )
    table = page.get_by_role("table", name="Niet overgenomen")
    expect(table).to_contain_text("Onbekende vraag (99.9)")
    expect(table).to_contain_text("‘zeer hoog’")
    expect(table).to_contain_text("deze keuze bestaat niet")
    expect(page.get_by_role("link", name="Schema 0")).to_be_visible()

    submit(page.get_by_role("link", name="Naar het assessment").last)
    expect(page.get_by_text("Geïmporteerd uit de Invulhulp")).to_be_visible()
    submit(page.get_by_role("link", name="Downloaden voor de Invulhulp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Downloaden voor de Invulhulp")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de DPIA (met de pre-scan)").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["metadata"]["urn"] == "urn:nl:dpia:3.0"
    assert "_prescanAnswers" in exported
