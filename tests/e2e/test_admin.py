"""Beheer in a real browser: creating a user, who chooses a password through the mailed link."""

import re
import time
from email import message_from_bytes, policy
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.ui import log_in, log_out, submit

NEW_EMAIL = "nieuwe.collega@pia.test"
NEW_NAME = "Nina Nieuw"
OWN_PASSWORD = "mijn-eigen-lange-wachtzin-7"


def mailed_link(folder: Path, to: str, wait_seconds: float = 10) -> str:
    """The one-time link in the newest .eml the live server wrote for `to`.

    Mail leaves after the response has been sent (the user never waits for it), so the
    file may appear a moment after the page: look again for a few seconds."""
    deadline = time.monotonic() + wait_seconds
    while True:
        for path in sorted(folder.glob("*.eml"), reverse=True):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == to:
                found = re.search(r"https?://\S+/wachtwoord-instellen/\S+", message.get_content())
                assert found, message.get_content()
                return found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {to} in {folder}")
        time.sleep(0.1)


def test_beheerder_creates_user_who_chooses_a_password_through_the_link(
    page_as, live_server, tmp_path
):
    config = live_server.app.config
    saved = {key: config[key] for key in ("MAIL_BACKEND", "MAIL_FOLDER", "BASE_URL")}
    config.update(MAIL_BACKEND="folder", MAIL_FOLDER=str(tmp_path), BASE_URL=live_server.url)
    try:
        _create_and_choose(page_as, tmp_path)
    finally:
        config.update(saved)


def _create_and_choose(page_as, folder: Path) -> None:
    page = page_as("beheerder@pia.test")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    submit(menu.get_by_role("link", name="Gebruikers"))
    submit(page.get_by_role("link", name="Gebruiker toevoegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruiker toevoegen")
    expect(page.locator("input[type=password]")).to_have_count(0)

    page.get_by_label("Naam", exact=True).fill(NEW_NAME)
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_label("Functie").fill("Privacy officer")
    page.get_by_label("Organisatie", exact=True).select_option(
        label="Justitie en Veiligheid (JenV)"
    )
    page.get_by_role("checkbox", name=re.compile(r"^Projectleider")).check()
    response = submit(page.get_by_role("button", name="Gebruiker aanmaken"))

    # The error summary names the problem and links to the field; what was typed stays.
    assert response.status == 200
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_be_focused()  # keyboard and screen-reader users start at the problems
    error_link = summary.get_by_role("link", name=re.compile(r"^E-mailadres"))
    expect(error_link).to_contain_text("geldig e-mailadres")
    email_field = page.get_by_label("E-mailadres")
    expect(error_link).to_have_attribute("href", f"#{email_field.get_attribute('id')}")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    error_link.click()
    expect(email_field).to_be_focused()
    expect(page.get_by_label("Naam", exact=True)).to_have_value(NEW_NAME)
    expect(page.get_by_label("Functie")).to_have_value("Privacy officer")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Projectleider"))).to_be_checked()

    email_field.fill(NEW_EMAIL)
    submit(page.get_by_role("button", name="Gebruiker aanmaken"))
    expect(page).to_have_url(re.compile(r"/beheer/gebruikers/$"))
    expect(
        page.get_by_role("status").filter(has_text=f"Gebruiker {NEW_NAME} is aangemaakt")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text=NEW_EMAIL)
    expect(row).to_contain_text("JenV")
    expect(row).to_contain_text("Projectleider")
    log_out(page)

    # The new user opens the link from the mail and chooses a password of their own.
    page.goto(mailed_link(folder, NEW_EMAIL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord kiezen")
    expect(page.get_by_role("main")).to_contain_text(NEW_EMAIL)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("te-kort")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("te-kort")
    submit(page.get_by_role("button", name="Wachtwoord opslaan"))
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_contain_text("minstens 12 tekens")

    page.get_by_label("Nieuw wachtwoord", exact=True).fill(OWN_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(OWN_PASSWORD)
    submit(page.get_by_role("button", name="Wachtwoord opslaan"))
    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(
        page.get_by_role("status").filter(has_text="Uw wachtwoord is opgeslagen")
    ).to_be_visible()

    log_in(page, NEW_EMAIL, OWN_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {NEW_NAME}")
    expect(page.get_by_role("banner")).to_contain_text("Justitie en Veiligheid")


def test_beheerder_pages(page_as):
    """Every page in the beheerder's menu opens (and is checked with axe)."""
    page = page_as("beheerder@pia.test")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    for link, heading in [
        ("Gebruikers", "Gebruikers"),
        ("Organisaties", "Organisaties"),
        ("Auditlog", "Auditlog"),
    ]:
        submit(menu.get_by_role("link", name=link))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(menu.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")

    # The account's own pages are in "Mijn account" beside "Uitloggen", not in the menu.
    expect(menu.get_by_role("link", name="Wachtwoord wijzigen")).to_have_count(0)
    banner = page.get_by_role("banner")
    banner.get_by_text("Mijn account").click()
    account = banner.get_by_role("navigation", name="Mijn account")
    submit(account.get_by_role("link", name="Wachtwoord wijzigen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")
    banner.get_by_text("Mijn account").click()  # a new page: the menu is folded again
    expect(account.get_by_role("link", name="Wachtwoord wijzigen")).to_have_attribute(
        "aria-current", "page"
    )
    banner.get_by_text("Mijn account").click()  # folded again, it no longer covers the menu

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
