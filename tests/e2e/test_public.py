"""Pages anyone can open: the statements, and a clear page for an unknown address."""

import re

from playwright.sync_api import expect

from tests.e2e.ui import submit


def test_statements_are_linked_from_every_page(page):
    page.goto("/inloggen")
    footer = page.get_by_role("contentinfo")
    submit(footer.get_by_role("link", name="Toegankelijkheid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")

    submit(page.get_by_role("contentinfo").get_by_role("link", name="Privacyverklaring"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    expect(page).to_have_title(re.compile(r"Privacyverklaring"))


def test_unknown_address_shows_dutch_not_found_page(page, page_checks):
    page_checks.allow_console_error(r"status of 404")
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
