"""The reviewing pages as the FG, the drafters and the controller use them, at 1280 and
390 px (axe checks each page, see conftest): reading the submitted version, remarks beside
the questions with reply and resolve, the confirmation with open remarks, the signing
page's recommendations, the grouped notifications and the audit log in words.

Screenshots go to /tmp/shots-ux-review/ (PIA_SHOTS overrides) for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_review_pages import ids_by_state
from tests.e2e.ui import submit

SHOTS = Path(os.environ.get("PIA_SHOTS", "/tmp/shots-ux-review"))
WIDTHS = (1280, 390)
OWNER, FG2, CONTROLLER, AUDITOR = (
    "projectleider@pia.test",
    "fg2.bzk@pia.test",
    "directeur@pia.test",
    "auditor@pia.test",
)


def shot(page: Page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_reviewing_at_both_widths(page_as, live_server, page_checks, width):
    ids = ids_by_state(live_server)
    page_checks.allow_console_error(r"status of 400")  # the refused advice, on purpose
    size = {"viewport": {"width": width, "height": 900}}

    # The FG reads the submitted version from the review page and places a remark.
    fg = page_as(FG2, **size)
    fg.goto(f"/assessments/{ids['in_review']}/beoordeling")
    shot(fg, "review-page", width)
    submit(fg.locator("[data-read-dpia]"))
    expect(fg.get_by_role("heading", level=1)).to_contain_text("versie 1")
    shot(fg, "version-page", width)
    fg.goto(f"/assessments/{ids['in_review']}/opmerkingen/2")
    fg.get_by_label("Over").select_option("2")
    fg.get_by_label("Opmerking", exact=True).fill(f"Waarom het IBAN? ({width})")
    submit(fg.get_by_role("button", name="Opmerking plaatsen"))
    fg.goto(f"/assessments/{ids['in_review']}/opmerkingen")
    link = fg.locator("[data-comment-link]").first
    expect(link).to_have_text("Bij vraag 2: ‘Persoonsgegevens’")
    shot(fg, "all-comments", width)
    # Advice with that remark still open asks to confirm.
    fg.goto(f"/assessments/{ids['in_review']}/beoordeling/advies")
    expect(fg.locator("[data-open-remarks]")).to_contain_text("open opmerking")
    fg.get_by_label("Positief", exact=True).check()
    fg.get_by_label("Onderbouwing").fill("Verantwoord.")
    submit(fg.get_by_role("button", name="Advies vastleggen"))
    expect(fg.locator(".form-field__error").first).to_contain_text("Bevestig dat u toch doorgaat")
    shot(fg, "advice-confirm", width)

    # The drafters answer and resolve a remark on the section page itself.
    owner = page_as(OWNER, **size)
    # (each width answers another of the demo's two remarks: §2's and §9's)
    section = "2" if width == 1280 else "9"
    owner.goto(f"/assessments/{ids['changes_requested']}/dpia/{section}")
    remark = owner.locator("[data-inline-comment]").first
    expect(remark).to_contain_text("Open opmerking bij")
    shot(owner, "section-remarks", width)
    remark.get_by_text("Reageren").click()
    remark.get_by_label("Uw reactie").fill("Alleen bij toekenning.")
    submit(remark.get_by_role("button", name="Reactie plaatsen"))
    expect(owner.locator("[data-inline-comment]").first).to_contain_text("Alleen bij toekenning.")
    resolve = owner.locator("[data-inline-comment]").first.get_by_role(
        "button", name=re.compile("^Afhandelen")
    )
    submit(resolve)
    expect(owner.locator("[data-inline-comment]")).to_have_count(0)
    owner.goto("/meldingen")
    expect(owner.locator(".notification-day__title").first).to_have_text("Vandaag")
    shot(owner, "notifications", width)

    # The controller sees each recommendation's text with its follow-up.
    boss = page_as(CONTROLLER, **size)
    boss.goto(f"/assessments/{ids['awaiting_adoption']}/beoordeling/ondertekenen")
    expect(boss.locator("[data-recommendation='1']")).to_contain_text("Overgenomen")
    shot(boss, "sign-page", width)

    auditor = page_as(AUDITOR, **size)
    auditor.goto("/auditlog/")
    expect(auditor.get_by_role("main")).not_to_contain_text("login.succeeded")
    shot(auditor, "audit-log", width)
