"""The assessment list shows exactly what its user may open, a page at a time, with search,
filters and sorting in the URL; its cost does not grow with the number of rows."""

import re

import pytest
from sqlalchemy import event, select

from pia.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from pia.extensions import db
from pia.models import Assessment, User
from pia.permissions import can_view_assessment
from pia.roles import Role
from pia.services import listing
from tests.conftest import log_in, make_user, text_of
from tests.factories_assessments import fill, make_assessment

ROW_LINK = re.compile(r'<td><a href="/assessments/(\d+)">')


def queries_for(client, url: str) -> int:
    """How many SQL statements one GET of `url` runs (asserted to load)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def listed(client, url: str = "/assessments/") -> list[int]:
    """The assessment ids on every page of the list, following "Volgende pagina"."""
    ids: list[int] = []
    for _ in range(1000):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.get_data(as_text=True)
        ids += [int(i) for i in ROW_LINK.findall(html)]
        following = re.search(r'<a [^>]*rel="next" href="([^"]+)"', html)
        if following is None:
            return ids
        url = following.group(1).replace("&amp;", "&")
    raise AssertionError("the list never ends")


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


@pytest.mark.demo
def test_every_demo_user_lists_exactly_what_opens(app, demo):
    everything = db.session.scalars(select(Assessment)).all()
    for email, *_ in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        client = app.test_client()
        client.post_form("/inloggen", {"email": email, "password": DEMO_PASSWORD})
        shown = listed(client)
        assert len(shown) == len(set(shown)), f"{email}: a row twice"
        opens = {a.id for a in everything if client.get(f"/assessments/{a.id}").status_code == 200}
        assert set(shown) == opens, email
        assert opens == {a.id for a in everything if can_view_assessment(user, a)}, email


def test_an_fg_who_wrote_answers_neither_lists_nor_opens_it(app, client):
    fg = make_user(Role.FG, Role.PROJECTLEIDER, name="Schrijvende FG")
    owner = make_user(Role.PROJECTLEIDER)
    theirs = make_assessment(fg, title="Door de FG zelf geschreven")
    from pia.services import review
    from tests.test_review_procedure import acting

    colleague = make_assessment(owner, title="Van een collega")
    with acting(app):
        # submitted without being complete: force the fact the list depends on
        from pia.models import AssessmentVersion, Review
        from pia.models.types import utcnow

        for a in (theirs, colleague):
            version = AssessmentVersion(
                assessment_id=a.id,
                number=1,
                reason="submitted",
                prescan={},
                dpia={},
                created_by_id=owner.id,
            )
            db.session.add(version)
            db.session.flush()
            db.session.add(
                Review(
                    assessment_id=a.id,
                    version_id=version.id,
                    submitted_by_id=owner.id,
                    due_on=review.today(),
                    submitted_at=utcnow(),
                )
            )
    # the FG wrote answers in the first, then handed it over and left it
    log_in(client, fg)
    assert fill(client, theirs, "prescan", "0", {"q_0_2": "Door de FG"}).status_code == 302
    from pia.models import AssessmentMember

    db.session.execute(db.delete(AssessmentMember).where(AssessmentMember.user_id == fg.id))
    db.session.commit()
    assert listed(client) == [colleague.id]
    assert client.get(f"/assessments/{theirs.id}").status_code == 403


def test_pages_search_filters_and_sorting_stay_in_the_url(app, client):
    owner = make_user(Role.PROJECTLEIDER, name="Pieter Opsteller")
    made = [make_assessment(owner, title=f"Zaaksysteem {i:02d}") for i in range(30)]
    make_assessment(owner, title="Bezoekersregistratie 100%_klaar")
    log_in(client, owner)

    first = client.get("/assessments/")
    assert "31 assessments, pagina 1 van 2." in text_of(first)
    assert len(ROW_LINK.findall(first.get_data(as_text=True))) == listing.PER_PAGE
    assert len(set(listed(client))) == 31

    by_title = listed(client, "/assessments/?sorteer=titel&richting=op")
    titles = [db.session.get(Assessment, i).title for i in by_title]
    assert titles == sorted(titles, key=str.casefold)

    found = listed(client, "/assessments/?q=zaaksysteem+0")
    assert sorted(found) == sorted(a.id for a in made[:10])
    # the search text is literal: % and _ are no wildcards
    assert len(listed(client, "/assessments/?q=100%25_")) == 1
    assert listed(client, "/assessments/?q=1%25") == []

    page = client.get("/assessments/?q=zaaksysteem&pagina=2")
    html = page.get_data(as_text=True)
    assert "pagina 2 van 2" in text_of(page)
    assert 'href="/assessments/?q=zaaksysteem"' in html  # back to page 1 keeps the search
    assert listed(client, "/assessments/?eigenaar=opsteller") and not listed(
        client, "/assessments/?eigenaar=iemand+anders"
    )
    assert listed(client, "/assessments/?uitkomst=verplicht") == []
    assert len(listed(client, "/assessments/?uitkomst=onbekend")) == 31
    assert len(listed(client, "/assessments/?status=concept")) == 31
    assert listed(client, "/assessments/?status=adopted") == []


@pytest.mark.parametrize(
    "query",
    [
        "pagina=0",
        "pagina=-1",
        "pagina=99999999999999999999",
        "pagina=abc",
        "pagina=%F0%9F%98%80",
        "organisatie=9223372036854775808",
        "status=onzin",
        "sorteer=__class__",
        "richting=zijwaarts",
        "q=" + "x" * 5000,
        "q=%00%01",
        "uitkomst=%ED%A0%80",
    ],
)
def test_bad_list_parameters_fall_back_to_the_defaults(app, client, query):
    owner = make_user(Role.PROJECTLEIDER)
    make_assessment(owner)
    log_in(client, owner)
    response = client.get(f"/assessments/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.PROJECTLEIDER, Role.AUDITOR, Role.FG])
def test_the_list_costs_the_same_number_of_queries_for_5_and_50_rows(app, client, role):
    owner = make_user(Role.PROJECTLEIDER, name="Eigenaar")
    viewer = owner if role is Role.PROJECTLEIDER else make_user(role, name="Kijker")
    log_in(client, viewer)
    for i in range(5):
        make_assessment(owner, title=f"Klein {i}")
    client.get("/assessments/")  # figures of rows loaded before are filled once
    few = queries_for(client, "/assessments/")
    for i in range(45):
        make_assessment(owner, title=f"Groot {i}")
    client.get("/assessments/")
    many = queries_for(client, "/assessments/")
    assert many == few, (few, many)
