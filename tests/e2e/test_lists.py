"""The assessment list in a real browser: pages, search, filters and sorting, with axe on
every page; the dashboard's "Alle N bekijken" leads to the same rows."""

import re

from playwright.sync_api import expect

from pia.roles import Role
from tests.e2e.ui import log_in, submit
from tests.factories_assessments import make_assessment


def test_a_long_list_pages_searches_filters_and_sorts(page, live_server):
    owner = live_server.create_user(Role.PROJECTLEIDER, name="Lotte Lijst")
    with live_server.app_context():
        from pia.extensions import db
        from pia.models import User

        user = db.session.get(User, owner.id)
        for i in range(28):
            make_assessment(
                user, title=f"Registratie {i:02d} {'archief' if i % 4 == 0 else 'loket'}"
            )
    log_in(page, owner.email, owner.password)
    submit(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Assessments", exact=True
        )
    )
    expect(page.get_by_role("status").filter(has_text="28 assessments")).to_contain_text(
        "pagina 1 van 2"
    )
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(26)  # the header and 25
    submit(
        page.get_by_role("navigation", name="Paginering").get_by_role(
            "link", name="Volgende pagina"
        )
    )
    expect(page).to_have_url(re.compile(r"pagina=2"))
    expect(rows).to_have_count(4)

    page.get_by_label("Zoek op titel").fill("archief")
    submit(page.get_by_role("button", name="Zoeken"))
    expect(page.get_by_role("status").filter(has_text="7 assessments")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=archief"))

    # sorting by title keeps the search; clicking again reverses it
    submit(page.get_by_role("columnheader", name=re.compile("^Titel")).get_by_role("link"))
    first = page.get_by_role("table").get_by_role("row").nth(1)
    expect(first).to_contain_text("Registratie 00 archief")
    expect(page.get_by_role("columnheader", name=re.compile("^Titel"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    submit(page.get_by_role("columnheader", name=re.compile("^Titel")).get_by_role("link"))
    expect(first).to_contain_text("Registratie 24 archief")

    page.get_by_label("Status", exact=True).select_option(label="Vastgesteld")
    submit(page.get_by_role("button", name="Zoeken"))
    expect(page.get_by_text("Geen assessments met dit filter.")).to_be_visible()
    submit(page.get_by_role("link", name="Filters wissen").first)
    expect(page.get_by_role("status").filter(has_text="28 assessments")).to_be_visible()


def test_the_fg_dashboard_links_to_its_list(page):
    log_in(page, "fg.bzk@pia.test")
    panel = page.get_by_role("region", name="Functionaris gegevensbescherming")
    expect(panel.get_by_role("heading", name="Termijn verstreken")).to_be_visible()
    submit(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Assessments", exact=True
        )
    )
    expect(page.get_by_role("navigation", name="Aantal per status")).to_be_visible()
    page.get_by_label("Termijn").select_option(label="FG-termijn verstreken")
    submit(page.get_by_role("button", name="Zoeken"))
    expect(page.get_by_role("table")).to_contain_text(
        "Subsidieregeling verduurzaming maatschappelijk vastgoed"
    )
