"""The processor agreement as a signed document: numbering from the template, annexes that
agree with each other and with the DPIA (issue #12, item 12)."""

import re
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
    pdf_text,
    pdf_words,
    table_with_header,
)
from tests.test_documents_agreement import COMPLETE, dpia_with, party, start, submit

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _agreement(client, login, dpia=None, changes=None):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=dpia)
    login(owner)
    url = start(client, assessment)
    assert submit(client, url, {**COMPLETE, **(changes or {})}, press="generate").status_code == 302
    return latest_document().content


def _paragraphs_between(document, first: str, last: str) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith(first))
    end = next(i for i, t in enumerate(texts) if i > start and t.startswith(last))
    return [t for t in texts[start + 1 : end] if t.strip()]


def test_article_numbers_come_from_the_template_and_skip_nothing(client, login):
    """Without an end date article 3 has three paragraphs, numbered 3.1, 3.2, 3.3 by Word."""
    data = _agreement(client, login)  # no einddatum: its conditional paragraph drops out
    document = open_docx(data)
    typed = [p.text for p in document.paragraphs if re.match(r"\s*\d+\.\d+\s", p.text)]
    assert typed == [], "clause numbers are typed text, not the template's numbering"
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    articles = [p for p in headings if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(articles) == 17  # articles 1-17, numbered as one list
    assert [p.text for p in articles][:3] == [
        "Begrippen",
        "Onderwerp en verhouding tot de hoofdovereenkomst",
        "Begin en duur",
    ]
    clauses = _paragraphs_between(document, "Begin en duur", "Verwerken alleen in opdracht")
    assert len(clauses) == 3 and "eindigt uiterlijk" not in " ".join(clauses)
    for clause in clauses:
        paragraph = next(p for p in document.paragraphs if p.text == clause)
        assert paragraph._p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val") == "1"


@needs_soffice
def test_article_numbers_in_the_pdf_run_without_gaps(client, login):
    text = pdf_text(_agreement(client, login))
    found: dict[int, list[int]] = {}
    for article, clause in re.findall(r"^\s*(\d{1,2})\.(\d{1,2})\s", text, flags=re.M):
        found.setdefault(int(article), []).append(int(clause))
    assert sorted(found) == list(range(1, 17))  # 17 (signatures) has no numbered clauses
    for article, clauses in found.items():
        assert clauses == list(range(1, len(clauses) + 1)), (article, clauses)
    assert "Artikel 3. Begin en duur" in text and "Artikel 17. Ondertekening" in text
    assert re.search(r"^\s*3\.3\s+Wat naar zijn aard", text, flags=re.M), text


def test_the_annexes_agree_with_each_other_and_with_the_dpia(client, login):
    hosting = party("partysb1", "Hosting Noord B.V.", "subverwerker")
    dpia = dpia_with(hosting)
    dpia["17.1"].append(
        {
            "_id": "maatr003",
            "risicos": [demo_content.R_LEK],
            "oorsprong": "Beheer",
            "maatregel": "Screening en geheimhouding voor beheerders van de leverancier.",
            "soort": "organisatorisch",
            "resterend_risico": "laag",
            "beheerder": "Leverancier zaaksysteem B.V.",
        }
    )
    document = open_docx(_agreement(client, login, dpia=dpia))

    # Annex 1: the processor's data (its §6 row), with the §12 flags, and their subjects.
    items = table_with_header(document, "Persoonsgegeven")
    assert column(items) == ["Naam", "Adres"]
    assert column(table_with_header(document, "Categorie betrokkenen")) == ["Aanvragers"]
    # Its retention table names only those data, each of them, from §10 of the DPIA.
    retention = table_with_header(document, "Verwerking")
    named = [d for cell in column(retention, 2) for d in cell.split("; ")]
    assert set(named) == {"Naam", "Adres"}, named  # not the BSN of §10's row "Naam; BSN"
    rows = {row.cells[2].text: row for row in retention.rows[1:]}
    assert rows["Naam"].cells[4].text == "Zeven jaar, voor controle en bezwaar."
    assert rows["Adres"].cells[3].text == "[nog in te vullen]"  # §10 gives no period for it

    # Annex 2: the security measures of §17 that are the processor's, none of the controller's.
    annex = _paragraphs_between(document, "Bijlage 2.", "Certificeringen")
    assert annex == [
        "DigiD op niveau substantieel, versleuteling, verwerkersovereenkomst met auditrecht.",
        "Screening en geheimhouding voor beheerders van de leverancier.",
    ]
    controller_measure = dpia["17.1"][0]["maatregel"]
    assert all(controller_measure not in p.text for p in document.paragraphs)
    measures = {" ".join(m["maatregel"].split()) for m in dpia["17.1"]}
    assert set(annex) <= measures

    # Annex 3: the sub-processors of this processor's operations in §6.
    assert column(table_with_header(document, "Naam")) == ["Hosting Noord B.V."]


@needs_soffice
def test_no_table_cell_of_the_agreement_breaks_a_word(client, login):
    data = _agreement(client, login)
    assert broken_cell_words(open_docx(data), pdf_words(data)) == []
