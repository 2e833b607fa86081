"""Dashboards read bounded queries: a panel shows at most ten items and links to the list
with all of them; the number of queries does not grow with the number of assessments."""

import re

from pia.extensions import db
from pia.roles import Role
from pia.services import inbox, review
from tests.conftest import log_in, make_user, text_of
from tests.documents_helpers import demo_assessment
from tests.test_listing import listed, queries_for
from tests.test_review_procedure import acting


def _submit(app, owner, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        assessment = demo_assessment(owner, title=f"Ingediend {i:02d}")
        with acting(app):
            review.submit(assessment, owner)


def test_the_fg_dashboard_is_bounded_and_links_to_all(app, client):
    owner = make_user(Role.PROJECTLEIDER, name="Opsteller")
    fg = make_user(Role.FG, name="Fenna FG")
    _submit(app, owner, 5)
    log_in(client, fg)
    client.get("/")
    few = queries_for(client, "/")
    _submit(app, owner, 20, start=5)
    many = queries_for(client, "/")
    assert many == few, (few, many)

    page = client.get("/")
    html = page.get_data(as_text=True)
    new = re.search(r"<h3>Nieuw ingediend</h3>(.*?)<h3>", html, re.S).group(1)
    assert new.count("<li>") == inbox.PANEL_SIZE
    assert "Alle 25 bekijken" in new
    more = re.search(r'<a href="([^"]+)">Alle 25 bekijken', new).group(1).replace("&amp;", "&")
    assert len(set(listed(client, more))) == 25


def test_the_lead_dashboard_counts_per_state_in_one_query(app, client):
    owner = make_user(Role.PROJECTLEIDER, name="Opsteller")
    for i in range(5):
        demo_assessment(owner, title=f"Concept {i}")
    log_in(client, owner)
    client.get("/")
    few = queries_for(client, "/")
    for i in range(40):
        demo_assessment(owner, title=f"Meer {i}")
    many = queries_for(client, "/")
    assert many == few, (few, many)
    assert "Concept : 45" in text_of(client.get("/"))


def test_an_overdue_dpia_is_listed_once_on_the_fg_dashboard(app, client):
    owner = make_user(Role.PROJECTLEIDER, name="Opsteller")
    fg = make_user(Role.FG, name="Fenna FG")
    assessment = demo_assessment(owner, title="Te laat ingediend")
    with acting(app):
        review.submit(assessment, owner)
    current = review.current_review(assessment)
    current.due_on = review.today().replace(year=review.today().year - 1)
    db.session.commit()
    log_in(client, fg)
    html = client.get("/").get_data(as_text=True)
    assert html.count("Te laat ingediend") == 1
    overdue = re.search(r"<h3>Termijn verstreken</h3>(.*?)<h3>", html, re.S).group(1)
    assert "Te laat ingediend" in overdue
