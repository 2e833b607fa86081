"""Small helpers for driving the app's pages the way a user does."""

from playwright.sync_api import Locator, Page, Response

from pia.demo import DEMO_PASSWORD


def submit(control: Locator) -> Response:
    """Click a button or link that loads a new page; wait for it and return its response."""
    with control.page.expect_navigation() as navigation:
        control.click()
    return navigation.value


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> Response:
    """Fill in and send the login form (opening the login page first if needed)."""
    if "/inloggen" not in page.url:
        page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    return submit(page.get_by_role("button", name="Inloggen"))


def log_out(page: Page) -> Response:
    """Press "Uitloggen" in the header."""
    return submit(page.get_by_role("banner").get_by_role("button", name="Uitloggen"))
