"""The DPIA report reads like a report (issue #12, item 11): one heading per section, a
management summary up front, unanswered questions once in an annex, no broken words."""

import copy
import shutil

import pytest

from pia import demo_content
from pia.roles import Role
from tests.conftest import make_user
from tests.documents_helpers import (
    broken_cell_words,
    column,
    demo_assessment,
    latest_document,
    open_docx,
    pdf_words,
    table_with_header,
)

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


def _report(client, login, dpia=None):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=dpia)
    login(owner)
    response = client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    assert response.status_code == 302
    return latest_document().content


def _headings(document):
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_one_heading_per_section_in_the_models_words(client, login):
    document = open_docx(_report(client, login))
    headings = _headings(document)
    texts = [p.text for p in document.paragraphs]
    assert "16. Risico's" in headings and "2. Persoonsgegevens" in headings
    for doubled in ("16 Risico's", "2 Persoonsgegevens", "1 Beschrijf het voorstel", "0 Inleiding"):
        assert doubled not in texts, doubled
    sections = [h for h in headings if h.split(".")[0].isdigit() and ". " in h[:4]]
    assert len(sections) == 21 and len(set(sections)) == 21  # sections 0-20, each once
    for heading in sections:
        number, title = heading.split(". ", 1)
        assert f"{number} {title}" not in texts  # no "16 Risico's" under "16. Risico's"
    assert "17.1 Maatregelen" not in texts  # a question named like its section: no label
    # a section left empty says why, and agrees with the annex
    if "Alle verplichte vragen zijn beantwoord." in texts:
        assert not any(t.startswith("Nog niet ingevuld") for t in texts)
    # a wide table's row is named by its name column (§17: the measure, not its risks)
    measure = table_with_header(document, "Maatregel")
    assert measure.rows[0].cells[1].text == demo_content.DPIA["17.1"][0]["maatregel"]


def test_a_management_summary_comes_first(client, login):
    document = open_docx(_report(client, login))
    headings = _headings(document)
    assert headings.index("Samenvatting voor het management") < headings.index("Inhoud")
    assert headings.index("Inhoud") < headings.index("1. Voorstel")
    summary = table_with_header(document, "Uitkomst van de pre-scan")
    facts = {row.cells[0].text: row.cells[1].text for row in summary.rows}
    assert facts["Uitkomst van de pre-scan"] == "DPIA verplicht"
    assert facts["Hoogste risico's"].startswith("R3 Identiteitsfraude")
    assert facts["Hoogste restrisico na maatregelen"] == "Laag"
    assert facts["Voorafgaande raadpleging van de AP"].startswith("Niet nodig")
    assert facts["Advies van de FG"] == "De FG heeft nog geen advies gegeven."
    assert facts["Status"] == "Concept, documentversie 1; nog niet ondertekend"
    texts = [p.text for p in document.paragraphs]
    # the model's own summary (§18) is up front, once
    assert sum(demo_content.DPIA["18"] in t for t in texts) == 1
    assert texts.index(demo_content.DPIA["18"]) < texts.index("Inhoud")
    # the table of contents names every section of the model in order
    contents = texts[texts.index("Inhoud") : texts.index("Bijlage. Vragen zonder antwoord")]
    assert "16. Risico's" in contents and "20. Vaststelling en ondertekening" in contents
    # ... as a Word table-of-contents field around that list (Word adds the page numbers)
    body = document.element.body.xml
    assert body.count('fldCharType="begin"') == body.count('fldCharType="end"') == 1
    assert 'TOC \\o "1-2"' in body


def test_unanswered_questions_are_listed_once_in_an_annex(client, login):
    dpia = copy.deepcopy(demo_content.DPIA)
    del dpia["14.1"]
    document = open_docx(_report(client, login, dpia=dpia))
    texts = [p.text for p in document.paragraphs]
    assert "Niet ingevuld." not in texts and "Geen regels." not in texts
    assert _headings(document)[-1] == "Bijlage. Vragen zonder antwoord"
    annex = table_with_header(document, "Onderdeel")
    questions = column(annex, 1)
    assert any(q.startswith("14.1 ") for q in questions)
    assert len(questions) == len(set(questions))
    assert "14. Noodzaak en evenredigheid" in column(annex, 0)
    section = len(texts) - 1 - texts[::-1].index("0. Inleiding")  # the heading, not contents
    assert texts[section + 1].startswith("Niet ingevuld. De vragen van dit onderdeel zijn niet")
    # optional questions left empty ("Aanvullende informatie") are not listed as missing
    assert not any("Aanvullende informatie" in q for q in questions)


@needs_soffice
def test_no_table_cell_of_the_report_breaks_a_word(client, login):
    data = _report(client, login)
    assert broken_cell_words(open_docx(data), pdf_words(data)) == []


def test_the_summary_gives_the_fg_advice_once_given(client, login, app):
    from tests.test_documents_safety import _advice_given

    owner, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    assessment = demo_assessment(owner)
    advice = _advice_given(app, assessment, owner, fg)
    login(owner)
    assert client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport").status_code
    document = open_docx(latest_document().content)
    summary = table_with_header(document, "Uitkomst van de pre-scan")
    facts = {row.cells[0].text: row.cells[1].text for row in summary.rows}
    assert facts["Advies van de FG"].startswith(advice.conclusion_label + " (")
    assert "nog geen advies" not in facts["Advies van de FG"]
