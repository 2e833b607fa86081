"""Signing in as people do it, in Chromium (axe on every page, pia's and the provider's):
through a real OpenID provider (oidc-provider from npm on a loopback port) and with a
second factor that a beheerder cannot work without.

This module has its own live server (the provider must know pia's exact return address
before it starts, and pia must name the provider) and its own browser; the fixtures of
tests/e2e/conftest.py (page_checks, new_page) use them by name.
"""

import re
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Page, expect

from pia.demo import DEMO_PASSWORD
from pia.demo_sign_in import DEMO_TOTP_SECRET, enrol_demo_second_factors
from pia.roles import Role
from tests.e2e.conftest import axe_for, chromium
from tests.e2e.live_server import start_live_server, stop_live_server
from tests.e2e.ui import submit
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, NodeProvider, free_port

PROVIDER = "Rijks-inlogdienst (test)"
BUTTON = f"Inloggen met {PROVIDER}"
STATE_REFUSED = "Dit inlogverzoek is verlopen, al gebruikt of niet in deze browser begonnen."

pytestmark = pytest.mark.xdist_group("e2e-sign-in")


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    port, provider_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    provider = NodeProvider(
        redirect_uris=[f"{base}/inloggen/sso/rijk/terug"],
        post_logout_redirect_uris=[f"{base}/inloggen"],
        port=provider_port,
    ).start()
    config = {
        "BASE_URL": base,
        "MFA_REQUIRED_ROLES": "beheerder,fg",
        "OIDC_PROVIDERS": [
            {
                "id": "rijk",
                "name": PROVIDER,
                "issuer": provider.issuer,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "organisations": ["BZK"],
            }
        ],
    }
    try:
        live = start_live_server(tmp_path_factory.mktemp("e2e-sign-in"), config, port)
    except BaseException:
        provider.stop()
        raise
    in_live_db(live, enrol_demo_second_factors)  # as `flask seed-demo` does
    yield live, provider
    stop_live_server(live)
    provider.stop()


@pytest.fixture(scope="module")
def live_server(sso):
    return sso[0]


@pytest.fixture(scope="module")
def browser(live_server):
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def axe_checker(browser):
    with axe_for(browser) as checker:
        yield checker


def in_live_db(live_server, change) -> None:
    from pia.extensions import db

    with live_server.app_context():
        change()
        db.session.commit()


def link_verified_addresses(live_server) -> None:
    """The beheerder's rule for BZK: a verified address of an existing account links it."""
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import Organisation

    def change():
        org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
        org.sso_link_verified_email = True

    in_live_db(live_server, change)


def sign_in_at_provider(page: Page, login: str, password: str):
    """Press pia's button, sign in on the provider's page; return pia's response after it."""
    submit(page.get_by_role("button", name=BUTTON))
    expect(page).to_have_title(re.compile("Inloggen bij de test-identiteitsprovider"))
    page.get_by_label("Gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation(url=re.compile(r"127\.0\.0\.1:\d+/(inloggen|$|\?)")) as nav:
        page.get_by_role("button", name="Inloggen bij de provider").click()
    return nav.value


def password_login(page: Page, email: str, password: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    submit(page.get_by_role("button", name="Inloggen", exact=True))


def alert(page: Page):
    return page.get_by_role("main").locator(".alert, [role=alert]").first


def test_sign_in_and_out_through_the_provider_in_the_browser(page, live_server, sso):
    _, provider = sso
    link_verified_addresses(live_server)
    live_server.create_user(Role.PROJECTLEIDER, email="anna@pia.test", name="Anna Aalders")
    answers = []
    page.on(
        "request",
        lambda r: answers.append(r.url) if "/inloggen/sso/rijk/terug" in r.url else None,
    )

    page.goto("/inloggen")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    expect(page.get_by_role("heading", name="Met e-mailadres en wachtwoord")).to_be_visible()
    sign_in_at_provider(page, "anna", "anna-wachtwoord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Anna Aalders")
    expect(page.get_by_role("banner")).to_contain_text("Projectleider")
    (answer,) = answers
    assert "code=" in answer and "state=" in answer

    # Uitloggen ends pia's session and asks the provider to end its own.
    page.get_by_role("banner").get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_title(re.compile("Uitloggen bij de test-identiteitsprovider"))
    assert page.url.startswith(provider.issuer)
    with page.expect_navigation(url=re.compile(r"/inloggen$")):
        page.get_by_role("button", name="Ja, log mij uit").click()
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    page.goto("/")
    assert urlsplit(page.url).path == "/inloggen"

    # The provider's answer cannot be used a second time, not even in the same browser.
    page.goto(answer)
    assert urlsplit(page.url).path == "/inloggen"
    expect(alert(page)).to_contain_text(STATE_REFUSED)
    page.goto("/")
    assert urlsplit(page.url).path == "/inloggen"

    # Signed out at the provider too: signing in again asks for the password there.
    submit(page.get_by_role("button", name=BUTTON))
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()


def test_a_newcomer_waits_for_the_beheerder_and_a_forged_answer_is_refused(new_page, live_server):
    page = new_page()
    page.goto("/inloggen/sso/rijk/terug?code=verzonnen&state=verzonnen")
    assert urlsplit(page.url).path == "/inloggen"
    expect(alert(page)).to_contain_text(STATE_REFUSED)
    page.goto("/")
    assert urlsplit(page.url).path == "/inloggen"

    # Dirk is known to the provider but not to pia: an account without roles is made, and
    # he is not signed in until a beheerder approves it.
    page.goto("/inloggen")
    sign_in_at_provider(page, "dirk", "dirk-wachtwoord")
    assert urlsplit(page.url).path == "/inloggen"
    expect(alert(page)).to_contain_text("Er is een account voor u aangemaakt")
    # Still signed in at the provider: the button brings him straight back, still waiting.
    submit(page.get_by_role("button", name=BUTTON))
    expect(alert(page)).to_contain_text("wacht nog op goedkeuring")

    # The demo beheerder signs in with password and code, gives a role and approves.
    admin = new_page()
    password_login(admin, "beheerder@pia.test", DEMO_PASSWORD)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Code invullen")
    admin.get_by_label("Code").fill(pyotp.TOTP(DEMO_TOTP_SECRET).now())
    submit(admin.get_by_role("button", name="Doorgaan"))
    admin.goto("/beheer/gebruikers/")
    row = admin.get_by_role("row").filter(has_text="Dirk Dam")
    expect(row).to_contain_text("Wacht op goedkeuring")
    submit(row.get_by_role("link").first)
    admin.get_by_role("checkbox", name="Projectleider").check()
    submit(admin.get_by_role("button", name="Opslaan"))
    admin.goto("/beheer/gebruikers/")
    submit(admin.get_by_role("row").filter(has_text="Dirk Dam").get_by_role("link").first)
    submit(admin.get_by_role("button", name="Goedkeuren en activeren"))

    submit(page.get_by_role("button", name=BUTTON))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Dirk Dam")


def test_a_beheerder_cannot_work_without_a_second_factor(page, live_server):
    account = live_server.create_user(Role.BEHEERDER, name="Bram Beheer")
    password_login(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    page.goto("/beheer/gebruikers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("img")).to_have_count(1)  # the QR code, made by pia

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit de app").fill("000000")
    submit(page.get_by_role("button", name="Instellen"))
    expect(page.get_by_role("main")).to_contain_text("Deze code klopt niet")
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    submit(page.get_by_role("button", name="Instellen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) >= 8 and len(set(codes)) == len(codes)
    submit(page.get_by_role("link", name="Ik heb de codes bewaard, ga verder"))
    page.goto("/beheer/gebruikers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")

    # Next time: the password alone is not enough; a recovery code works once.
    page.get_by_role("banner").get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/inloggen$"))
    password_login(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    page.goto("/beheer/gebruikers/")
    assert urlsplit(page.url).path == "/inloggen"  # not signed in without the code
    password_login(page, account.email, account.password)
    page.get_by_label("Code").fill("123")
    submit(page.get_by_role("button", name="Doorgaan"))
    expect(page.get_by_role("main")).to_contain_text("Deze code klopt niet")
    page.get_by_label("Code").fill(codes[0])
    submit(page.get_by_role("button", name="Doorgaan"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
