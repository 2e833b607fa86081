"""Table layout after rendering: column widths from the words in the cells.

A column as wide as a page divided by its column count breaks long Dutch words
("Persoo nsgege ven"); here each column gets at least its longest word.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn

# How wide a character is, in twips per half-point of font size: measured on DejaVu Sans
# (what LibreOffice falls back to on a server without Calibri), the widest case.
CHAR_TWIPS = {False: 7.3, True: 7.9}
CELL_PADDING = 240  # twips: the cell's left and right margins, with some air
LABEL_SHARE = 0.38  # of the width, for the first column of a two-column table


def _cell_needs(cell) -> tuple[float, int]:
    """(the width its longest word needs, its length in characters) for one cell."""
    longest, length = 0.0, 0
    for run in cell.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not text:
            continue
        size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        half_points = int(size.get(qn("w:val"), "22")) if size is not None else 22
        bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
        words = re.split(r"[\s/\-\u00ad]+", text)
        widest = max((len(w) for w in words), default=0)
        longest = max(longest, widest * half_points * CHAR_TWIPS[bold])
        length += len(text)
    return longest, length


def fit_table_columns(document) -> None:
    """Column widths that keep every word of a cell whole where the page allows.

    Each column gets at least the width of its longest word; what is left goes to the
    columns with the longest cells. Widths are fixed, so Word and LibreOffice lay out alike.
    """
    section = document.sections[0]
    available = int(
        (section.page_width - section.left_margin - section.right_margin) / 635
    )  # EMU to twips
    body = document.element.body
    for table in body.iter(qn("w:tbl")):
        if table.getparent().tag != qn("w:body"):
            continue  # nested tables keep their widths
        rows = [row.findall(qn("w:tc")) for row in table.iter(qn("w:tr"))]
        counts = {len(cells) for cells in rows if len(cells) > 1}
        grid = table.find(qn("w:tblGrid"))
        if len(counts) != 1 or grid is None or not _evenly_divided(grid):
            continue  # a template's own column widths are its maker's choice
        (count,) = counts
        needs, lengths = [0.0] * count, [0] * count
        full = [cells for cells in rows if len(cells) == count]
        for number, cells in enumerate(full):
            for index, cell in enumerate(cells):
                longest, length = _cell_needs(cell)
                needs[index] = max(needs[index], longest + CELL_PADDING)
                if number > 0 or len(full) == 1:  # the header row sets no share of the rest
                    lengths[index] = max(lengths[index], length)
        total = sum(needs)
        if count == 2 and total < available:
            # label and value: one label width for every such table, so they line up
            label = min(max(needs[0], available * LABEL_SHARE), available - needs[1])
            widths = [label, available - label]
        elif total >= available:
            widths = [n * available / total for n in needs]
        else:
            spare, weight = available - total, sum(lengths) or 1
            widths = [n + spare * length / weight for n, length in zip(needs, lengths, strict=True)]
        widths = [str(int(w)) for w in widths]
        for column in grid.findall(qn("w:gridCol")):
            grid.remove(column)
        for width in widths:
            grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): width}))
        for cells in rows:
            if len(cells) != count:
                continue
            for cell, width in zip(cells, widths, strict=True):
                properties = cell.get_or_add_tcPr()
                cell_width = properties.find(qn("w:tcW"))
                if cell_width is None:
                    cell_width = properties.makeelement(qn("w:tcW"), {})
                    properties.insert(0, cell_width)
                cell_width.set(qn("w:w"), width)
                cell_width.set(qn("w:type"), "dxa")
        _fixed_layout(table, available)


def _evenly_divided(grid) -> bool:
    """Columns of (nearly) one width: made by python-docx, Word's default, or a loop."""
    widths = [int(float(c.get(qn("w:w"), "0") or 0)) for c in grid.findall(qn("w:gridCol"))]
    return bool(widths) and max(widths) - min(widths) <= 20


def _fixed_layout(table, width: int) -> None:
    properties = table.find(qn("w:tblPr"))
    if properties is None:
        return
    for tag in ("w:tblW", "w:tblLayout"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    table_width = properties.makeelement(qn("w:tblW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
    layout = properties.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    style = properties.find(qn("w:tblStyle"))
    position = 1 if style is not None else 0
    properties.insert(position, table_width)
    later = [properties.find(qn(t)) for t in ("w:tblCellMar", "w:tblLook", "w:tblCaption")]
    later = [e for e in later if e is not None]
    if later:
        later[0].addprevious(layout)
    else:
        properties.append(layout)
