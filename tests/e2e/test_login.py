"""Logging in and out in a real browser: dashboard, errors, throttling, session expiry."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pia.demo import DEMO_USERS, ministries
from pia.extensions import db
from pia.models import UserSession
from pia.roles import Role
from tests.e2e.ui import log_in, log_out

GENERIC_ERROR = "Het e-mailadres of het wachtwoord klopt niet."
ORGANISATION_NAMES = {m["abbreviation"]: m["name"] for m in ministries()}
DEMO = {email: (name, function, org, roles) for email, name, function, org, roles in DEMO_USERS}


@pytest.mark.parametrize(
    "email",
    ["beheerder@pia.test", "projectleider@pia.test", "fg.bzk@pia.test", "auditor@pia.test"],
)
def test_demo_user_sees_dashboard_with_name_organisation_and_roles(page, email):
    name, function, org, roles = DEMO[email]
    response = log_in(page, email)

    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title(re.compile(r"^Overzicht"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {name}")
    expect(page.get_by_role("main")).to_contain_text(f"{function} bij {ORGANISATION_NAMES[org]}")
    header = page.get_by_role("banner")
    expect(header).to_contain_text(name)
    expect(header).to_contain_text(ORGANISATION_NAMES[org])
    for role in roles:
        expect(header.get_by_text(role.label, exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Uitloggen")).to_be_visible()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Overzicht", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.get_by_role("link", name="Gebruikers")).to_have_count(
        1 if Role.BEHEERDER in roles else 0
    )


def test_logout_ends_the_session(page_as):
    page = page_as("collega@pia.test")
    log_out(page)

    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(page.get_by_role("status").filter(has_text="U bent uitgelogd.")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="Uitloggen")).to_have_count(0)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("status").filter(has_text="Log in om verder te gaan.")).to_be_visible()


@pytest.mark.parametrize("known_account", [True, False], ids=["wrong-password", "unknown-email"])
def test_failed_login_shows_generic_error_and_keeps_the_email(page, live_server, known_account):
    email = live_server.create_user().email if known_account else "niemand@pia.test"
    response = log_in(page, email, "niet-het-goede-wachtwoord")

    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/inloggen"))
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_be_focused()  # keyboard and screen-reader users start at the problems
    expect(summary).to_contain_text(GENERIC_ERROR)
    expect(page.get_by_label("E-mailadres")).to_have_value(email)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")


def test_sixth_attempt_after_five_failures_is_refused(page, page_checks, live_server):
    page_checks.allow_console_error(r"status of 429")
    account = live_server.create_user()
    for _ in range(5):
        response = log_in(page, account.email, "niet-het-goede-wachtwoord")
        assert response.status == 200
        expect(page.get_by_role("alert").filter(has_text=GENERIC_ERROR)).to_be_visible()

    # Even the right password is refused now.
    response = log_in(page, account.email, account.password)

    assert response.status == 429
    assert int(response.headers["retry-after"]) >= 60
    expect(page).to_have_url(re.compile(r"/inloggen"))
    summary = page.get_by_role("alert").filter(has_text="Er is een probleem")
    expect(summary).to_contain_text("te veel mislukte inlogpogingen")
    expect(summary).to_contain_text(re.compile(r"over \d+ minu(ut|ten) opnieuw"))
    expect(page.get_by_label("E-mailadres")).to_have_value(account.email)


def test_idle_session_expires_and_login_returns_to_the_page(page, live_server):
    account = live_server.create_user(Role.PROJECTLEIDER)
    log_in(page, account.email, account.password)
    # Let the dashboard finish loading (the axe check reads every page) before leaving it.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    page.goto("/account/wachtwoord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")

    token_hash = live_server.session_token_hash(page)
    with live_server.app_context():
        sess = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))
        sess.last_seen_at -= timedelta(minutes=31)
        db.session.commit()

    page.reload()
    expect(page).to_have_url(re.compile(r"/inloggen\?next=/account/wachtwoord"))
    idle_message = "U was te lang niet actief. Om veiligheidsredenen is uw sessie beëindigd."
    expect(page.get_by_role("alert").filter(has_text=idle_message)).to_be_visible()
    with live_server.app_context():
        sess = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))
        assert (sess.end_reason, sess.ended_at is not None) == ("idle", True)

    log_in(page, account.email, account.password)
    expect(page).to_have_url(re.compile(r"/account/wachtwoord"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")


def test_login_and_logout_work_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    log_in(page, "projectleider@pia.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Pieter de Leeuw")

    log_out(page)
    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(page.get_by_role("status").filter(has_text="U bent uitgelogd.")).to_be_visible()
