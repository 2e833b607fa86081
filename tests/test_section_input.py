"""Input at the edges: the row limit of a table, and text stored and shown exactly as typed."""

import json
import re

import pytest
from markupsafe import escape

from pia.roles import Role
from tests.conftest import input_value, make_org, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    add_row,
    answers_of,
    make_assessment,
    row,
    section_url,
    textarea_value,
)

# §1.1 is a light table (two text columns), so 500 rows stay fast to post and render.
TABLE, PREFIX = "1.1", "q_1_1"

TRICKY = (
    "<script>alert('x')</script> {{ 7*7 }} {% if %}{% endif %} \"dubbel\" 'enkel' "
    "&amp; <b>vet</b> ½ € ĳ Ω 😀 👩🏽‍💻 مرحبا \u200b tab\there"
)


def rows_post(count: int, base_version: int = 0) -> dict:
    data = {"base_version": str(base_version), "save": "1"}
    for n in range(count):
        data[f"{PREFIX}-{n}-row_id"] = f"r{n:07d}"
        data[f"{PREFIX}-{n}-omschrijving"] = f"Schema {n + 1}"
    return data


@pytest.fixture
def owner_with_dpia(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    return assessment


def test_a_table_with_500_rows_is_accepted(client, owner_with_dpia):
    assessment = owner_with_dpia
    response = client.post_form(section_url(assessment, "dpia", "1"), rows_post(500))
    assert response.status_code == 302
    rows = answers_of(assessment, DPIA)[TABLE]
    assert len(rows) == 500
    assert rows[499] == row("r0000499", omschrijving="Schema 500")


def test_posting_501_rows_is_refused_with_a_message(client, owner_with_dpia):
    assessment = owner_with_dpia
    response = client.post_form(section_url(assessment, "dpia", "1"), rows_post(501))
    assert response.status_code == 400
    assert "Deze tabel kan hoogstens 500 regels hebben." in text_of(response)
    assert TABLE not in answers_of(assessment, DPIA)


def test_adding_a_501st_row_is_refused_with_a_message(client, owner_with_dpia):
    assessment = owner_with_dpia
    url = section_url(assessment, "dpia", "1")
    client.post_form(url, rows_post(500))
    data = rows_post(500, base_version=1)
    del data["save"]
    data[f"add_row__{TABLE}"] = "1"

    response = client.post_form(url, data, follow_redirects=True)

    assert response.status_code < 500
    assert len(answers_of(assessment, DPIA)[TABLE]) == 500
    text = text_of(response).replace("(hoogstens 500 regels)", "")  # the table's hint
    assert "500 regels" in text


def test_tricky_text_is_stored_and_shown_exactly_as_typed(client, owner_with_dpia):
    assessment = owner_with_dpia
    changes = {
        "q_3_1": TRICKY,
        "q_3-0-naam": TRICKY,
        "q_3-0-beschrijving": TRICKY + "\r\nRegel twee",
    }
    assert add_row(client, assessment, "dpia", "3", "3", changes).status_code == 302
    (operation,) = answers_of(assessment, DPIA)["3"]

    stored = answers_of(assessment, DPIA)
    assert stored["3.1"] == TRICKY
    assert stored["3"] == [row(operation["_id"], naam=TRICKY, beschrijving=TRICKY + "\nRegel twee")]

    page = client.get(section_url(assessment, "dpia", "3"))
    assert input_value(page, "q_3_1") == TRICKY
    assert input_value(page, "q_3-0-naam") == TRICKY
    assert textarea_value(page, "q_3-0-beschrijving") == TRICKY + "\nRegel twee"
    for response in (page, client.get(f"/assessments/{assessment.id}/volledig")):
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html
        assert "{{ 7*7 }}" in html and "{% if %}" in html
        # {{ 7*7 }} never becomes 49 (times such as 14:49 and ids are not the answer)
        found = re.search(r"(?<![\w:./-])49(?!\w)", html.replace(str(assessment.id), ""))
        assert not found, html[max(0, found.start() - 200) : found.end() + 100]
        assert "&amp;amp; &lt;b&gt;vet&lt;/b&gt;" in html
        assert "😀 👩🏽‍💻 مرحبا" in html
        assert str(escape(TRICKY)) in html  # every character, escaped once
    # the operation's name, shown as a heading in §5
    html = client.get(section_url(assessment, "dpia", "5")).get_data(as_text=True)
    assert f"Verwerking: {escape(TRICKY)}</legend>" in html

    export = json.loads(client.get(f"/assessments/{assessment.id}/export.json").data)
    answers = export["vragenlijsten"]["dpia"]["antwoorden"]
    assert answers["3.1"] == TRICKY
    assert answers["3"][0]["naam"] == TRICKY


def test_a_tricky_title_is_escaped_on_every_page(client, login):
    from pia.extensions import db
    from pia.models import Assessment

    login(make_user(Role.PROJECTLEIDER))
    title = "<img src=x onerror=alert(1)> {{ 7*7 }} Zaak “één”"
    client.post_form("/assessments/nieuw", {"title": title, "organisation_id": str(make_org().id)})
    assessment = db.session.scalars(db.select(Assessment)).one()
    assert assessment.title == title
    for url in (
        "/assessments/",
        f"/assessments/{assessment.id}",
        f"/assessments/{assessment.id}/volledig",
        f"/assessments/{assessment.id}/delen",
        section_url(assessment, "prescan", "0"),
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt; {{ 7*7 }} Zaak “één”" in html, url
