"""Column widths after rendering (pia.documents.layout): words whole, a maker's widths kept."""

import io

from docx import Document
from docx.shared import Cm

from pia.documents.rendering import render_docx
from tests.documents_helpers import open_docx

LONG = "Verwerkingsverantwoordelijke"


def _template(widths=None) -> bytes:
    document = Document()
    table = document.add_table(rows=2, cols=4)
    table.rows[0].cells[0].text = LONG
    table.rows[1].cells[0].text = "{{ tekst }}"
    for cell in table.rows[1].cells[1:]:
        cell.text = "kort"
    if widths:
        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _grid(data: bytes) -> list[int]:
    table = open_docx(data).tables[0]._tbl
    return [
        int(c.get(c.tag.replace("gridCol", "w")))
        for c in table.tblGrid.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"
        )
    ]


def test_an_even_table_gets_room_for_its_longest_word():
    grid = _grid(render_docx(_template(), {"tekst": "Persoonsgegevens"}))
    assert grid[0] > 2 * grid[1]  # the long word's column is widened, the short ones not
    assert grid[0] >= len(LONG) * 22 * 7.3  # room for the word at 11 pt (DejaVu Sans)


def test_a_templates_own_column_widths_are_kept():
    widths = [3, 5, 4, 4]
    grid = _grid(render_docx(_template(widths), {"tekst": "x"}))
    assert [round(w / 567) for w in grid] == widths
