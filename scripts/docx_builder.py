"""Small helpers to write docxtpl templates with python-docx (used by build_docx_templates.py)."""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

ARTICLES_ID = 90
# Level 0: the article headings ("Artikel 3. Begin en duur"); level 1: its paragraphs
# (3.1, 3.2 …), restarting after every heading.
ARTICLE_LIST = (
    '<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="Artikel %1."/><w:suff w:val="space"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:tabs><w:tab w:val="num" w:pos="680"/></w:tabs>'
    '<w:ind w:left="680" w:hanging="680"/></w:pPr></w:lvl>'
    "</w:abstractNum>"
)


def _number(paragraph, list_id: int, level: int) -> None:
    """Make a paragraph an item of a Word list at this level."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    ilvl, num = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), str(level))
    num.set(qn("w:val"), str(list_id))
    numbering.extend([ilvl, num])
    properties.insert(0 if properties.find(qn("w:pStyle")) is None else 1, numbering)


class Builder:
    """A document under construction, with one method per kind of template piece."""

    def __init__(self, title: str) -> None:
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "PIA Rijk"
        # docxtpl renders these properties too: no template syntax in them.
        self.doc.core_properties.comments = "Sjabloon voor PIA Rijk (docxtpl)"
        self._articles: int | None = None
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # A4
        section.left_margin = section.right_margin = Mm(20)

    def save(self, path) -> None:
        self.doc.save(path)

    def p(self, text: str = "", style: str | None = None, bold: bool = False, compact=False):
        """A paragraph (bold: the whole paragraph; compact: no space below, as in a list)."""
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(text).bold = bold or None
        if compact:
            paragraph.paragraph_format.space_after = Pt(2)
        return paragraph

    @staticmethod
    def field(paragraph, part: str, instruction: str = "") -> None:
        """A piece of a Word field in a paragraph: 'begin' (with its code), or 'end'.

        Between them stands the field's current text: Word shows it until the field is
        updated (for a table of contents: F9 or "Veld bijwerken" adds the page numbers).
        """
        run = OxmlElement("w:r")
        if part == "begin":
            pieces = [
                ("w:fldChar", "begin"),
                ("w:instrText", instruction),
                ("w:fldChar", "separate"),
            ]
        else:
            pieces = [("w:fldChar", "end")]
        first = paragraph._p.find(qn("w:r"))
        for tag, value in pieces:
            run = OxmlElement("w:r")
            element = OxmlElement(tag)
            if tag == "w:fldChar":
                element.set(qn("w:fldCharType"), value)
            else:
                element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                element.text = value
            run.append(element)
            if part == "begin" and first is not None:
                first.addprevious(run)
            else:
                paragraph._p.append(run)

    def _after_table(self) -> None:
        """A small empty paragraph, so the text after a table does not stick to it."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(8)

    def tag(self, text: str) -> None:
        """A paragraph that holds only a {%p … %} tag (docxtpl removes the paragraph)."""
        self.doc.add_paragraph(text)

    def h(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def title(self, text: str) -> None:
        self.doc.add_heading(text, level=0)

    def article(self, title: str, *paragraphs: str) -> None:
        """An article: heading 'Artikel n. Title' and its paragraphs n.1, n.2 ….

        The numbers are Word's list numbering (numbering.xml), not typed text: a paragraph
        that docxtpl leaves out (a {%p if %} branch) takes no number with it.
        """
        heading = self.doc.add_heading(title, level=2)
        _number(heading, self._article_list(), 0)
        for text in paragraphs:
            if text.startswith("{%p"):
                self.tag(text)
                continue
            _number(self.p(text), self._article_list(), 1)

    def _article_list(self) -> int:
        """The id of the two-level list 'Artikel 1.' / '1.1' (made on first use)."""
        if self._articles is None:
            numbering = self.doc.part.numbering_part.element
            abstract = parse_xml(ARTICLE_LIST.format(ns=nsdecls("w")))
            first_num = numbering.find(qn("w:num"))
            if first_num is None:
                numbering.append(abstract)
            else:
                first_num.addprevious(abstract)
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{ARTICLES_ID}">'
                    f'<w:abstractNumId w:val="{ARTICLES_ID}"/></w:num>'
                )
            )
            self._articles = ARTICLES_ID
        return self._articles

    def bullets(self, loop: str, item: str) -> None:
        """A bulleted list: one bullet per item of a loop."""
        self.tag(f"{{%p for {loop} %}}")
        self.p(f"{{{{ {item} }}}}", style="List Bullet")
        self.tag("{%p endfor %}")

    def page_break(self) -> None:
        self.doc.add_page_break()

    def _table(self, columns: int):
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        return table

    @staticmethod
    def _header(row) -> None:
        properties = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True

    @staticmethod
    def _set(cell, text: str) -> None:
        cell.paragraphs[0].add_run(text).font.size = Pt(9)

    def table(self, headers: list[str], loop: str, cells: list[str]) -> None:
        """A table with a header row and one row per item of a loop."""
        table = self._table(len(headers))
        header = table.add_row()
        for cell, text in zip(header.cells, headers, strict=True):
            self._set(cell, text)
        self._header(header)
        self._set(table.add_row().cells[0], f"{{%tr for {loop} %}}")
        body = table.add_row()
        for cell, text in zip(body.cells, cells, strict=True):
            self._set(cell, text)
        self._set(table.add_row().cells[0], "{%tr endfor %}")
        self._after_table()

    def dynamic_table(self, columns: str, rows: str) -> None:
        """A table whose columns come from a list too: headers `columns`, rows `rows`."""
        table = self._table(3)
        header = table.add_row()
        for cell, text in zip(
            header.cells,
            [f"{{%tc for k in {columns} %}}", "{{ k }}", "{%tc endfor %}"],
            strict=True,
        ):
            self._set(cell, text)
        self._header(header)
        self._set(table.add_row().cells[0], f"{{%tr for r in {rows} %}}")
        body = table.add_row()
        for cell, text in zip(
            body.cells, ["{%tc for c in r %}", "{{ c }}", "{%tc endfor %}"], strict=True
        ):
            self._set(cell, text)
        self._set(table.add_row().cells[0], "{%tr endfor %}")
        self._after_table()

    def fields(self, rows: list[tuple[str, str]]) -> None:
        """A two-column table of label and value."""
        table = self._table(2)
        for label, value in rows:
            row = table.add_row()
            self._set(row.cells[0], label)
            row.cells[0].paragraphs[0].runs[0].bold = True
            self._set(row.cells[1], value)
        self._after_table()

    def footer(self, text: str) -> None:
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.text = text
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.font.size = Pt(8)
