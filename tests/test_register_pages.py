"""The register page, its filters and who sees what, and the CSV and .xlsx downloads."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from pia.demo import DEMO_PASSWORD, seed_demo
from pia.extensions import db
from pia.models import Assessment, RegisterRecord
from pia.services import register_list
from tests.conftest import text_of

ADOPTED = ("Samenwerkingsplatform beleidsdirecties", "Declaratiesysteem reiskosten")


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


def _as(app, email):
    client = app.test_client()
    response = client.post_form("/inloggen", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.demo
def test_who_sees_the_register_and_whose_records(app, demo):
    for email in ("fg.bzk@pia.test", "cpo.bzk@pia.test", "cpo@pia.test", "auditor@pia.test"):
        page = _as(app, email).get("/verwerkingsregister/")
        assert page.status_code == 200, email
        text = text_of(page)
        assert "4 verwerkingen." in text, email
        for title in ADOPTED:
            assert title in text
    for email in ("projectleider@pia.test", "beheerder@pia.test", "directeur@pia.test"):
        assert _as(app, email).get("/verwerkingsregister/").status_code == 403, email
    # JenV's FG sees JenV's register: nothing is adopted there.
    text = text_of(_as(app, "fg.jenv@pia.test").get("/verwerkingsregister/"))
    assert "het register is nog leeg" in text


@pytest.mark.demo
def test_the_link_to_the_dpia_version_is_there_only_for_who_may_open_it(app, demo):
    adopted = db.session.scalar(select(Assessment).where(Assessment.title == ADOPTED[0]))
    link = f'href="/assessments/{adopted.id}/versies/3"'
    assert link in _as(app, "fg.bzk@pia.test").get("/verwerkingsregister/").get_data(True)
    assert link in _as(app, "auditor@pia.test").get("/verwerkingsregister/").get_data(True)
    page = _as(app, "cpo.bzk@pia.test").get("/verwerkingsregister/").get_data(True)
    assert link not in page and "versie 3" in page


@pytest.mark.demo
def test_search_and_filters_work_in_the_query(app, demo):
    client = _as(app, "cpo@pia.test")
    text = text_of(client.get("/verwerkingsregister/?q=uitbetalen"))
    assert "2 verwerkingen." in text and "Aanvraag beoordelen" not in text
    text = text_of(client.get("/verwerkingsregister/?q=Declaratiesysteem"))
    assert "2 verwerkingen." in text
    assert "Geen verwerkingen met dit filter" in text_of(
        client.get("/verwerkingsregister/?doorgifte=ja")
    )
    assert "4 verwerkingen." in text_of(client.get("/verwerkingsregister/?doorgifte=nee"))
    # One record gets a transfer outside the EEA: the filter finds just that one.
    db.session.execute(
        update(RegisterRecord)
        .where(RegisterRecord.name == "Subsidie uitbetalen")
        .values(third_country=True)
    )
    db.session.commit()
    assert "2 verwerkingen." in text_of(client.get("/verwerkingsregister/?doorgifte=ja"))
    other = db.session.scalar(select(Assessment.organisation_id).limit(1)) + 1000
    assert "Geen verwerkingen" in text_of(client.get(f"/verwerkingsregister/?organisatie={other}"))
    # A CPO of one organisation has no organisation filter: it cannot widen the view.
    page = _as(app, "cpo.bzk@pia.test").get("/verwerkingsregister/?organisatie=99999")
    assert 'name="organisatie"' not in page.get_data(True)


@pytest.mark.demo
def test_earlier_versions_are_history_and_shown_when_asked(app, demo):
    record = db.session.scalar(select(RegisterRecord).limit(1))
    db.session.execute(
        update(RegisterRecord)
        .where(RegisterRecord.assessment_id == record.assessment_id)
        .values(current=False)
    )
    db.session.commit()
    client = _as(app, "cpo@pia.test")
    assert "2 verwerkingen." in text_of(client.get("/verwerkingsregister/"))
    text = text_of(client.get("/verwerkingsregister/?historie=ja"))
    assert "4 verwerkingen." in text and "Eerdere versie" in text


@pytest.mark.demo
def test_pages_of_25(app, demo):
    record = db.session.scalar(select(RegisterRecord).limit(1))
    for n in range(30):
        db.session.add(
            RegisterRecord(
                **{
                    c.name: getattr(record, c.name)
                    for c in RegisterRecord.__table__.columns
                    if c.name not in ("id", "operation_id", "name")
                },
                operation_id=f"extra{n:03d}",
                name=f"Extra verwerking {n}",
            )
        )
    db.session.commit()
    client = _as(app, "auditor@pia.test")
    text = text_of(client.get("/verwerkingsregister/"))
    assert "34 verwerkingen, pagina 1 van 2." in text
    second = text_of(client.get("/verwerkingsregister/?pagina=2"))
    assert "pagina 2 van 2" in second and second.count("Contactgegevens FG") == 9


@pytest.mark.demo
def test_the_csv_has_every_field_and_no_formulas(app, demo):
    db.session.execute(
        update(RegisterRecord)
        .where(RegisterRecord.name == "Subsidie uitbetalen")
        .values(purposes='=HYPERLINK("http://evil.example","klik")', recipients="+1+1")
    )
    db.session.commit()
    response = _as(app, "cpo@pia.test").get("/verwerkingsregister/register.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == list(register_list.EXPORT_HEADER)
    assert len(rows) == 5
    payout = [r for r in rows if r[5] == "Subsidie uitbetalen"]
    assert len(payout) == 2
    purposes = rows[0].index("Doeleinden")
    assert all(r[purposes] == '\'=HYPERLINK("http://evil.example","klik")' for r in payout)
    assert all(r[rows[0].index("Categorieën ontvangers")] == "'+1+1" for r in payout)
    assert not any(cell[:1] in "=+-@" for row in rows[1:] for cell in row if cell)


@pytest.mark.demo
def test_the_xlsx_opens_with_a_header_row_and_real_columns(app, demo):
    db.session.execute(
        update(RegisterRecord)
        .where(RegisterRecord.name == "Subsidie uitbetalen")
        .values(purposes="=1+1")
    )
    db.session.commit()
    response = _as(app, "fg.bzk@pia.test").get("/verwerkingsregister/register.xlsx?q=uitbetalen")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Verwerkingsregister"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(register_list.EXPORT_HEADER)
    assert "Contactgegevens FG" in rows[0] and "Bewaartermijnen" in rows[0]
    assert len(rows) == 3
    header = list(rows[0])
    for row in rows[1:]:
        assert row[header.index("Verwerking")] == "Subsidie uitbetalen"
        assert row[header.index("Versie")] == 3
        assert row[header.index("Doeleinden")] == "=1+1"
    # stored as text, not as a formula
    cell = sheet.cell(row=2, column=header.index("Doeleinden") + 1)
    assert cell.data_type == "s"
