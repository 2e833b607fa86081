"""Helpers for the document tests: an assessment with the example DPIA, reading .docx files."""

import io
import re

from docx import Document

from pia import demo_content
from pia.extensions import db
from pia.models import GeneratedDocument
from tests.factories_assessments import make_assessment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def demo_assessment(owner=None, *, dpia: dict | None = None, title: str = demo_content.TITLE):
    """An assessment with the demo's pre-scan and complete DPIA (or the answers given)."""
    return make_assessment(
        owner,
        title=title,
        prescan=demo_content.PRESCAN,
        dpia=dpia if dpia is not None else demo_content.DPIA,
    )


def open_docx(data: bytes):
    """A generated file, opened as Word would (python-docx)."""
    return Document(io.BytesIO(data))


def all_text(document) -> str:
    """Every paragraph and table cell, in order (nested tables included), one per line."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def table_with_header(document, first: str):
    """The first table whose first cell is `first`."""
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == first:
            return table
    raise AssertionError(f"no table starting with {first!r}")


def column(table, index: int = 0) -> list[str]:
    """The texts of one column, header row left out."""
    return [row.cells[index].text for row in table.rows[1:]]


def latest_document() -> GeneratedDocument:
    """The most recently generated document."""
    db.session.expire_all()
    return db.session.scalars(
        db.select(GeneratedDocument).order_by(GeneratedDocument.id.desc())
    ).first()


def document_id_from(response) -> int:
    """The id in the first Word download link of the documents page."""
    match = re.search(r"/documenten/(\d+)\.docx", response.get_data(as_text=True))
    assert match, "no download link on the page"
    return int(match.group(1))


def pdf_words(data: bytes) -> set[str]:
    """The words of a .docx as LibreOffice lays it out (pdftotext), punctuation trimmed."""
    import subprocess

    from pia.documents.pdf import to_pdf

    pdf = to_pdf(data)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return {word.strip(PUNCTUATION) for word in re.split(r"[\s/\-\u00ad]+", text)} - {""}


def pdf_text(data: bytes) -> str:
    """The text of a .docx as LibreOffice lays it out, lines as on the page (pdftotext)."""
    import subprocess

    from pia.documents.pdf import to_pdf

    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=to_pdf(data), capture_output=True, check=True
    ).stdout.decode()


PUNCTUATION = ".,;:()[]“”\"'*!?"


def broken_cell_words(document, words: set[str]) -> list[str]:
    """The words of table cells that the PDF does not have whole (a column too narrow)."""
    broken = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for word in re.split(r"[\s/\-\u00ad]+", cell.text):
                    word = word.strip(PUNCTUATION)
                    if len(word) > 1 and word not in words:
                        broken.append(word)
    return sorted(set(broken))
