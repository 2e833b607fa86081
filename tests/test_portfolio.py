"""The portfolio: every figure checked against counts computed here from the rows."""

import io
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pia.demo import DEMO_PASSWORD, seed_demo
from pia.extensions import db
from pia.models import Advice, Assessment, AssessmentFigures, RegisterRecord, Review
from pia.services import review
from tests.conftest import text_of
from workflows import departmental, par


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


def _as(app, email):
    client = app.test_client()
    response = client.post_form("/inloggen", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def _sheets(client, query=""):
    response = client.get(f"/portfolio/portfolio.xlsx{query}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def _label(assessment):
    """The state as its route names it (a government-wide DPIA follows the PAR route)."""
    route = par if assessment.government_wide else departmental
    return route.WORKFLOW.state(assessment.state).label


def _spread_the_dates():
    """Submissions and advice on different days, so the lead times differ per DPIA."""
    reviews = db.session.scalars(select(Review).order_by(Review.id)).all()
    for n, item in enumerate(reviews):
        item.submitted_at -= timedelta(days=10 + 7 * n)
    for n, advice in enumerate(db.session.scalars(select(Advice).order_by(Advice.id))):
        advice.given_at -= timedelta(days=n)
    db.session.commit()


def _expected_to_advice(org_ids=None):
    """Days from the first submission of the round to the round's latest advice, per DPIA."""
    days = []
    for assessment in db.session.scalars(select(Assessment)):
        if org_ids is not None and assessment.organisation_id not in org_ids:
            continue
        advices = [a for a in review.advices(assessment)]
        for round_ in {a.round for a in advices}:
            latest = max((a for a in advices if a.round == round_), key=lambda a: a.id)
            first = min(r.submitted_at for r in review.reviews(assessment) if r.round == round_)
            days.append((latest.given_at.date() - first.date()).days)
    return days


@pytest.mark.demo
def test_state_and_outcome_counts_equal_the_assessments(app, demo):
    sheets = _sheets(_as(app, "cpo@pia.test"))
    everything = db.session.scalars(select(Assessment)).all()
    expected = Counter((a.organisation.abbreviation, _label(a)) for a in everything)
    header, *rows = sheets["Per status"]
    found = Counter()
    for row in rows:
        for column, value in zip(header[1:-1], row[1:-1], strict=True):
            if value:
                found[(row[0], column)] = value
        assert row[-1] == sum(v for (org, _), v in expected.items() if org == row[0])
    assert found == expected
    outcomes = Counter(
        (a.organisation.abbreviation, db.session.get(AssessmentFigures, a.id).prescan_outcome)
        for a in everything
    )
    header, *rows = sheets["Per uitkomst pre-scan"]
    assert sum(sum(r[1:]) for r in rows) == len(everything)
    bzk = next(r for r in rows if r[0] == "BZK")
    assert bzk[header.index("DPIA verplicht")] == outcomes[("BZK", "verplicht")]


@pytest.mark.demo
def test_a_cpo_of_one_organisation_counts_only_its_own(app, demo):
    sheets = _sheets(_as(app, "cpo.bzk@pia.test"))
    bzk = db.session.scalars(
        select(Assessment).join(Assessment.organisation).where(Assessment.title != "")
    ).all()
    total = sum(1 for a in bzk if a.organisation.abbreviation == "BZK")
    _, *rows = sheets["Per status"]
    assert [r[0] for r in rows] == ["BZK"] and rows[0][-1] == total
    # the organisation filter of those who see every organisation does not widen it
    jenv = db.session.scalar(
        select(Assessment).where(Assessment.organisation.has(abbreviation="JenV"))
    )
    _, *rows = _sheets(_as(app, "cpo.bzk@pia.test"), f"?organisatie={jenv.organisation_id}")[
        "Per status"
    ]
    assert [r[0] for r in rows] == ["BZK"]
    _, *rows = _sheets(_as(app, "cpo@pia.test"), f"?organisatie={jenv.organisation_id}")[
        "Per status"
    ]
    assert [r[0] for r in rows] == ["JenV"]


@pytest.mark.demo
def test_high_residual_risk_and_overdue_terms(app, demo):
    sheets = _sheets(_as(app, "auditor@pia.test"))
    high = db.session.scalars(
        select(Assessment)
        .join(AssessmentFigures, AssessmentFigures.assessment_id == Assessment.id)
        .where(AssessmentFigures.highest_residual_risk == "hoog")
    ).all()
    assert [a.title for a in high] == ["Cameratoezicht en toegangspassen rijkskantoren"]
    _, *rows = sheets["Hoog restrisico"]
    assert [r[1] for r in rows] == [a.title for a in high]
    assert rows[0][3].startswith("Verzoek verstuurd op ")
    today = review.today()
    overdue = [
        r.assessment_id
        for r in db.session.scalars(select(Review))
        if r.outcome is None and r.due_on < today
    ]
    _, *rows = sheets["FG-termijn verstreken"]
    assert len(rows) == len(overdue) == 1
    assert rows[0][1] == db.session.get(Assessment, overdue[0]).title
    # A re-assessment date that has passed shows up as late.
    in_use = db.session.scalar(select(Assessment).where(Assessment.state == "in_use"))
    in_use.review_due_on = today - timedelta(days=3)
    db.session.commit()
    sheets = _sheets(_as(app, "auditor@pia.test"))
    _, *rows = sheets["Herbeoordeling te laat"]
    assert [r[1] for r in rows] == [in_use.title]
    counts = dict(sheets["Verstreken termijnen"][1:])
    assert counts == {"FG-termijn verstreken": 1, "Herbeoordeling te laat": 1}


@pytest.mark.demo
def test_median_lead_times_equal_the_ones_computed_here(app, demo):
    _spread_the_dates()
    sheets = _sheets(_as(app, "cpo@pia.test"))
    days = _expected_to_advice()
    assert len(days) >= 4 and len(set(days)) > 1
    _, *rows = sheets["Tot advies per organisatie"]
    assert rows == [("BZK", pytest.approx(statistics.median(days)), len(days))]
    # to adoption: first submission of the round to the adoption date of the register
    adopted = {}
    for record in db.session.scalars(select(RegisterRecord)):
        adopted[(record.assessment_id, record.round)] = record.adopted_on
    expected = []
    for (assessment_id, round_), on in adopted.items():
        first = min(
            r.submitted_at
            for r in db.session.scalars(select(Review).where(Review.assessment_id == assessment_id))
            if r.round == round_
        )
        expected.append((on - first.date()).days)
    _, *rows = sheets["Tot vaststelling per org."]
    assert rows == [("BZK", pytest.approx(statistics.median(expected)), len(expected))]
    _, *quarters = sheets["Tot advies per kwartaal"]
    assert sum(n for _, _, n in quarters) == len(days)


@pytest.mark.demo
def test_the_page_shows_each_figure_as_a_chart_with_its_numbers(app, demo):
    client = _as(app, "cpo.bzk@pia.test")
    page = client.get("/portfolio/")
    assert page.status_code == 200
    html = page.get_data(True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 9
    text = text_of(page)
    assert "Cameratoezicht en toegangspassen rijkskantoren" in text
    assert "Subsidieregeling verduurzaming maatschappelijk vastgoed" in text
    # a CPO counts the DPIAs but opens them only when the assessment's own rules allow
    assert "/assessments/" not in html.split("<main", 1)[1]
    fg = _as(app, "auditor@pia.test").get("/portfolio/").get_data(True)
    assert "/beoordeling" in fg.split("<main", 1)[1]
    for email in ("projectleider@pia.test", "fg.bzk@pia.test", "beheerder@pia.test"):
        assert _as(app, email).get("/portfolio/").status_code == 403


def test_the_beheerder_makes_someone_cpo_and_they_see_the_register_and_portfolio(app, client):
    from pia.models import User
    from pia.roles import Role
    from tests.conftest import PASSWORD, checked_values, log_in, make_user

    user = make_user(Role.PROJECTLEIDER, name="Petra Privacy")
    log_in(client, make_user(Role.BEHEERDER))
    page = client.get(f"/beheer/gebruikers/{user.id}")
    assert "CPO Rijk (alle organisaties)" in text_of(page)
    response = client.post_form(
        f"/beheer/gebruikers/{user.id}",
        {
            "name": user.name,
            "email": user.email,
            "function": "Privacy office",
            "organisation_id": str(user.organisation_id),
            "roles": ["cpo"],
        },
    )
    assert response.status_code == 302
    assert db.session.get(User, user.id).roles == {Role.CPO}
    assert checked_values(client.get(f"/beheer/gebruikers/{user.id}"), "roles") == {"cpo"}
    other = app.test_client()
    log_in(other, user, PASSWORD)
    dashboard = other.get("/").get_data(True)
    assert 'href="/verwerkingsregister/"' in dashboard and 'href="/portfolio/"' in dashboard
    assert other.get("/verwerkingsregister/").status_code == 200
    assert other.get("/portfolio/").status_code == 200


@pytest.mark.demo
def test_the_queries_do_not_grow_with_the_number_of_assessments(app, demo):
    from sqlalchemy import event

    from tests.factories_assessments import make_assessment

    client = _as(app, "cpo@pia.test")

    def statements(path):
        seen = []

        def count(*args):
            seen.append(1)

        engine = db.engines[None]
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    before = {p: statements(p) for p in ("/portfolio/", "/portfolio/portfolio.xlsx")}
    for n in range(15):
        make_assessment(title=f"Nog een assessment {n}")
    db.session.commit()
    after = {p: statements(p) for p in before}
    assert after == before
    assert "Totaal" in text_of(client.get("/portfolio/"))
