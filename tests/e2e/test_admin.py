"""Beheer in a real browser: creating a user, the forced password change, the admin pages."""

import re

from playwright.sync_api import expect

from tests.e2e.ui import log_in, log_out, submit

NEW_EMAIL = "nieuwe.collega@pia.test"
NEW_NAME = "Nina Nieuw"
TEMPORARY_PASSWORD = "tijdelijk-wachtwoord-voor-nina"
OWN_PASSWORD = "mijn-eigen-lange-wachtzin-7"


def test_beheerder_creates_user_who_must_change_password(page_as):
    page = page_as("beheerder@pia.test")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    submit(menu.get_by_role("link", name="Gebruikers"))
    submit(page.get_by_role("link", name="Gebruiker toevoegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruiker toevoegen")

    page.get_by_label("Naam", exact=True).fill(NEW_NAME)
    page.get_by_label("E-mailadres").fill(NEW_EMAIL)
    page.get_by_label("Functie").fill("Privacy officer")
    page.get_by_label("Organisatie", exact=True).select_option(
        label="Justitie en Veiligheid (JenV)"
    )
    page.get_by_role("checkbox", name=re.compile(r"^Projectleider")).check()
    page.get_by_label("Tijdelijk wachtwoord").fill("te-kort")
    response = submit(page.get_by_role("button", name="Gebruiker aanmaken"))

    # The error summary names the problem and links to the field; what was typed stays.
    assert response.status == 200
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_be_focused()  # keyboard and screen-reader users start at the problems
    error_link = summary.get_by_role("link", name=re.compile(r"^Tijdelijk wachtwoord"))
    expect(error_link).to_contain_text("minstens 12 tekens")
    password_field = page.get_by_label("Tijdelijk wachtwoord")
    field_id = password_field.get_attribute("id")
    expect(error_link).to_have_attribute("href", f"#{field_id}")
    expect(password_field).to_have_attribute("aria-invalid", "true")
    error_link.click()
    expect(password_field).to_be_focused()
    expect(page.get_by_label("Naam", exact=True)).to_have_value(NEW_NAME)
    expect(page.get_by_label("E-mailadres")).to_have_value(NEW_EMAIL)
    expect(page.get_by_label("Functie")).to_have_value("Privacy officer")
    expect(page.get_by_label("Organisatie", exact=True).locator("option:checked")).to_contain_text(
        "Justitie en Veiligheid"
    )
    expect(page.get_by_role("checkbox", name=re.compile(r"^Projectleider"))).to_be_checked()

    password_field.fill(TEMPORARY_PASSWORD)
    submit(page.get_by_role("button", name="Gebruiker aanmaken"))
    expect(page).to_have_url(re.compile(r"/beheer/gebruikers/$"))
    expect(
        page.get_by_role("status").filter(has_text=f"Gebruiker {NEW_NAME} is aangemaakt.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text=NEW_EMAIL)
    expect(row).to_contain_text("JenV")
    expect(row).to_contain_text("Projectleider")
    log_out(page)

    # The new user logs in and must first choose a password of their own.
    log_in(page, NEW_EMAIL, TEMPORARY_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/wachtwoord"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")
    expect(page.get_by_role("main")).to_contain_text("Kies nu uw eigen wachtwoord")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/wachtwoord"))

    page.get_by_label("Huidig wachtwoord").fill(TEMPORARY_PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(OWN_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(OWN_PASSWORD)
    submit(page.get_by_role("button", name="Wachtwoord opslaan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {NEW_NAME}")
    expect(
        page.get_by_role("status").filter(has_text="Uw wachtwoord is gewijzigd.")
    ).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Justitie en Veiligheid")


def test_beheerder_pages(page_as):
    """Every page in the beheerder's menu opens (and is checked with axe)."""
    page = page_as("beheerder@pia.test")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    for link, heading in [
        ("Gebruikers", "Gebruikers"),
        ("Organisaties", "Organisaties"),
        ("Auditlog", "Auditlog"),
        ("Wachtwoord wijzigen", "Wachtwoord wijzigen"),
    ]:
        submit(menu.get_by_role("link", name=link))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(menu.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")

    submit(menu.get_by_role("link", name="Organisaties"))
    submit(page.get_by_role("link", name="Organisatie toevoegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisatie toevoegen")

    submit(menu.get_by_role("link", name="Gebruikers"))
    submit(page.get_by_role("link", name="Aukje Dijkstra"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruiker Aukje Dijkstra")
    expect(page.get_by_role("heading", name="Wachtwoord opnieuw instellen")).to_be_visible()


def test_projectleider_cannot_open_beheer(page_as, page_checks):
    page_checks.allow_console_error(r"status of 403")
    page = page_as("projectleider@pia.test")
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")).not_to_have_text(
        ["Gebruikers"]
    )

    response = page.goto("/beheer/gebruikers/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
