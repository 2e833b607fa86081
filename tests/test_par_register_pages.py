"""The PAR register page and its CSV as their users meet them: the filters, the days, the
figures, formula-safe cells, and who may see it (and find it in the menu)."""

import csv
import io
from datetime import date

import pytest

from pia.extensions import db
from pia.roles import Role
from pia.services import review
from tests.conftest import audit_events, header_text, log_in, make_user, text_of
from tests.par_helpers import people
from tests.par_register_helpers import date_it, walk

PAGE = "/par/register/"
CSV = "/par/register/register.csv"


@pytest.fixture
def p(app):
    found = people()
    found["owner"] = make_user(Role.PROJECTLEIDER, org="BZK")
    return found


def client_for(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def two_years(app, p):
    done = walk(app, p, "Rijksbrede werkplek")
    date_it(
        done,
        submitted=date(2025, 3, 3),
        sent=date(2025, 3, 5),
        consulted=date(2025, 4, 4),
        offered=date(2025, 4, 14),
        approvals={"ICBR": date(2025, 5, 1), "CIO-beraad": date(2025, 5, 1)},
        consented=date(2025, 5, 21),
        established=date(2025, 12, 2),
    )
    formula = walk(app, p, '=HYPERLINK("https://x.invalid","klik")', "consolidation")
    this_year = review.today().year
    date_it(
        formula,
        submitted=date(this_year, 1, 5),
        sent=date(this_year, 1, 6),
        consulted=date(this_year, 2, 5),
    )
    return done, formula


def rows_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_coordinator_filters_the_register_by_year_and_state(app, p):
    two_years(app, p)
    coordinator = client_for(app, p["par"])
    page = text_of(coordinator.get(PAGE + "?jaar=2025"))
    assert (
        "Rijksbrede werkplek (BZK) Vastgesteld 3 maart 2025 2 december 2025 30 10 17 20 274" in page
    )
    assert "HYPERLINK" not in page
    this_year = text_of(coordinator.get(PAGE))  # default: this year
    assert "HYPERLINK" in this_year and "Rijksbrede werkplek" not in this_year.split("Cijfers")[0]
    assert "Advies in consolidatie" in this_year and "loopt" in this_year
    none = text_of(coordinator.get(PAGE + "?jaar=2025&stap=approval"))
    assert "Geen trajecten in 2025 in de stap “Ter goedkeuring”" in none
    everything = text_of(coordinator.get(PAGE + "?jaar=alle"))
    assert "Rijksbrede werkplek" in everything and "HYPERLINK" in everything
    # Figures: per year and every year together.
    assert "2025 1 1 30 (1) 10 (1) 17 (1) 20 (1) 274 (1)" in everything
    assert "Alle jaren 2 1 30 (2) 10 (1)" in everything
    # Nonsense in the URL falls back to the defaults.
    assert coordinator.get(PAGE + "?jaar=%27;--&stap=%3Cx%3E").status_code == 200


def test_the_csv_has_every_date_and_day_and_no_formula(app, p):
    two_years(app, p)
    secretariat = client_for(app, p["sec"])
    response = secretariat.get(CSV + "?jaar=alle")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="par-register-alle-jaren-' in response.headers["Content-Disposition"]
    header, *rows = rows_of(response)
    by_title = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    formula = by_title['\'=HYPERLINK("https://x.invalid","klik")']  # neutralised
    assert formula["Stap"] == "Advies in consolidatie"
    assert formula["Dagen raadpleging fg's"] == "30"
    assert formula["Lopende stap"] == "Consolidatie"
    done = by_title["Rijksbrede werkplek"]
    assert done["Aangeboden op"] == "3 maart 2025"
    assert done["Vastgesteld op"] == "2 december 2025"
    assert done["Instemming GOR Rijk op"] == "21 mei 2025"
    assert (done["Dagen goedkeuring"], done["Dagen totaal"]) == ("17", "274")
    assert done["Conclusie advies"] == "positief"
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)
    only_2025 = rows_of(secretariat.get(CSV + "?jaar=2025"))
    assert [r[1] for r in only_2025[1:]] == ["Rijksbrede werkplek"]
    assert [e.details for e in audit_events("par_register.downloaded")] == [
        {"jaar": "alle"},
        {"jaar": 2025},
    ]


def test_a_title_the_user_may_not_open_is_listed_without_a_link(app, p):
    done, formula = two_years(app, p)
    secretariat = client_for(app, p["sec"])  # sees only trajectories offered for approval
    html = secretariat.get(PAGE + "?jaar=alle").get_data(as_text=True)
    assert f'href="/assessments/{done.id}/par"' in html
    assert f'href="/assessments/{formula.id}/par"' not in html
    assert "HYPERLINK" in html
    assert secretariat.get(f"/assessments/{formula.id}/par").status_code == 403


@pytest.mark.parametrize("role", [Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR])
def test_the_register_is_in_the_menu_and_on_the_par_dashboard_for_its_roles(app, role):
    client = client_for(app, make_user(role))
    assert "PAR-register" in header_text(client.get("/"))
    assert 'href="/par/register/"' in client.get("/par").get_data(as_text=True)
    assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize("role", [Role.FG, Role.PROJECTLEIDER, Role.BEHEERDER, Role.CPO_RIJK])
def test_an_fg_or_project_lead_gets_403_and_no_menu_item(app, p, role):
    two_years(app, p)
    db.session.commit()
    client = client_for(app, make_user(role))
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    assert "PAR-register" not in header_text(client.get("/"))


@pytest.mark.demo
def test_the_demo_gives_a_register_over_several_years(app):
    from pia.demo import DEMO_PASSWORD, seed_demo
    from pia.models import User
    from pia.services.par.register_figures import figures

    seed_demo()
    db.session.commit()
    coordinator = db.session.scalar(db.select(User).filter_by(email="par@pia.test"))
    found = {f.year: f for f in figures(coordinator)}
    assert {2024, 2025, 2026} <= set(found)
    assert found[2024].established == 3 and found[2024].medians["consultation"] == (34.0, 3)
    assert found[2025].started == 4  # one of them withdrawn
    assert found[2026].medians["total"][1] >= 2  # the examples of this year count too
    client = app.test_client()
    log_in(client, coordinator, DEMO_PASSWORD)
    page = text_of(client.get(PAGE + "?jaar=2024"))
    assert "Rijksbrede personeelsdossiers (BZK) Vastgesteld 12 februari 2024" in page
    seed_demo()  # idempotent: nothing is added or dated twice
    db.session.commit()
    assert {f.year: f for f in figures(coordinator)}[2024].started == 3
