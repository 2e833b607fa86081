"""Render a docxtpl template in Jinja's sandbox: user text is data, never template code.

Every template, built-in or uploaded, renders in pia.documents.sandbox: autoescaping
and StrictUndefined, attributes and calls of plain data only, no loader (so no
include or import of files), no `safe` filter and no `autoescape` block (so no value
can become raw XML), and a budget of work. The context holds plain dicts, lists,
strings and numbers, and Pictures: bytes and a width, which this module (not the
template) turns into a drawing while the template renders. Every string is cleaned
of the characters XML forbids before rendering.
"""

from __future__ import annotations

import contextvars
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from pia.documents.layout import fit_table_columns
from pia.documents.sandbox import Budget, DocumentSandbox, TemplateLimit

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

# XML 1.0 allows tab, newline and carriage return below 0x20; no surrogates, no U+FFFE/F.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The document being rendered now (in this thread): where a Picture puts its image.
_RENDERING: contextvars.ContextVar[_Document | None] = contextvars.ContextVar(
    "pia_rendering", default=None
)


class TemplateProblem(ValueError):
    """A template that cannot be used; the message (Dutch) says why."""


class Picture:
    """An image in a document context: PNG bytes and a width, nothing a template can call.

    The template writes it with `{{ name }}`; the renderer makes the drawing in the part
    being rendered. It has no public attributes (the sandbox allows none anyway).
    """

    __slots__ = ("_png", "_width_mm")

    def __init__(self, png: bytes, width_mm: float) -> None:
        object.__setattr__(self, "_png", bytes(png))
        object.__setattr__(self, "_width_mm", float(width_mm))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Picture cannot be changed")

    def __repr__(self) -> str:
        return "<afbeelding>"

    def __html__(self) -> str:
        document = _RENDERING.get()
        if document is None or document.current_rendering_part is None:
            return ""  # outside a document part (e.g. in its properties): no image
        image = InlineImage(document, io.BytesIO(self._png), width=Mm(self._width_mm))
        return image.__html__()  # the drawing's XML, in the part being rendered


class _Document(DocxTemplate):
    """docxtpl's template, with no image outside the document's parts."""

    def render_properties(self, context, jinja_env=None) -> None:
        self.current_rendering_part = None
        super().render_properties(context, jinja_env)


def sandbox(budget: Budget | None = None) -> DocumentSandbox:
    """A fresh sandboxed environment (with its own budget) for one render."""
    return DocumentSandbox(budget or Budget())


def clean_text(value: str) -> str:
    """Text without the characters XML forbids, with \\n line ends (\\n becomes a line break)."""
    text = _XML_FORBIDDEN.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if "{_" in text or "_}" in text:
        # docxtpl turns "{_{" into "{{" after rendering; character references survive that.
        escaped = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
        return Markup(escaped)  # noqa: S704 - escaped on the line above
    return text


def clean(value: Any) -> Any:
    """A context with every string cleaned; only dicts, lists, strings, numbers, None, Pictures."""
    if isinstance(value, str):
        return clean_text(str(value))  # a Markup from outside becomes plain text again
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float | Picture):
        return value
    raise TypeError(f"not allowed in a document context: {type(value).__name__}")


def template_values(
    context: Mapping[str, Any], images: Mapping[str, tuple[bytes, float]] | None = None
) -> dict[str, Any]:
    """What a template is given: the cleaned context and the images as Pictures."""
    values = clean(context)
    for name, (png, width) in (images or {}).items():
        values[name] = Picture(png, width)
    return values


def render_docx(
    template: bytes,
    context: Mapping[str, Any],
    images: Mapping[str, tuple[bytes, float]] | None = None,
    *,
    budget: Budget | None = None,
) -> bytes:
    """Render a template (the .docx bytes) with a context; images: name → (PNG, width in mm).

    Raises TemplateProblem (the reason in Dutch) when the template fails or does too much.
    """
    try:
        tpl = _Document(io.BytesIO(template))
        values = template_values(context, images)
        token = _RENDERING.set(tpl)
        try:
            tpl.render(values, jinja_env=sandbox(budget), autoescape=True)
        finally:
            _RENDERING.reset(token)
        even_table_grids(tpl.docx)
        fit_table_columns(tpl.docx)
        out = io.BytesIO()
        tpl.save(out)
    except TypeError as error:
        if "document context" in str(error):
            raise  # our own data is wrong: a bug, not a template problem
        raise TemplateProblem(describe_error(error)) from error
    except Exception as error:  # noqa: BLE001 - whatever a template does wrong refuses it
        raise TemplateProblem(describe_error(error)) from error
    return out.getvalue()


def even_table_grids(document) -> None:
    """Tables whose columns came from a loop get as many grid columns as cells, evenly wide."""
    for table in document.element.body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        if grid is None:
            continue
        columns = grid.findall(qn("w:gridCol"))
        widest = max((len(row.findall(qn("w:tc"))) for row in table.iter(qn("w:tr"))), default=0)
        if widest == 0 or widest == len(columns):
            continue
        total = sum(int(float(c.get(qn("w:w"), "0"))) for c in columns) or 9000
        width = str(total // widest)
        for column in columns:
            grid.remove(column)
        for _ in range(widest):
            grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): width}))
        for cell_width in table.iter(qn("w:tcW")):
            cell_width.set(qn("w:w"), width)
            cell_width.set(qn("w:type"), "dxa")


def check_package(data: bytes) -> None:
    """Refuse what is not a reasonable .docx before docxtpl opens it."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem("Het bestand is te groot (hoogstens 10 MB).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise TemplateProblem("Dit is geen Word-bestand (.docx).") from None
    if "word/document.xml" not in names:
        raise TemplateProblem("Dit is geen Word-bestand (.docx): word/document.xml ontbreekt.")
    if unpacked > MAX_UNPACKED_BYTES:
        raise TemplateProblem("Het bestand is uitgepakt te groot (hoogstens 100 MB).")


def describe_error(error: Exception) -> str:
    """A template error in words, with the template text around it when docxtpl has it."""
    if isinstance(error, TemplateLimit):
        kind = "het sjabloon doet te veel werk"
    elif isinstance(error, SecurityError):
        kind = "niet toegestaan in een sjabloon"
    elif isinstance(error, TemplateError):
        kind = "fout in het sjabloon"
    elif isinstance(error, RecursionError | MemoryError):
        kind = "het sjabloon doet te veel werk"
    else:
        kind = "het sjabloon kon niet worden verwerkt"
    message = f"{kind}: {type(error).__name__}: {error}"
    around = getattr(error, "docx_context", None)
    if around:
        snippet = " ".join(" ".join(line.split()) for line in around if line.strip())
        if snippet:
            message += f" (bij: “{snippet[:300]}”)"
    return message


def try_template(
    data: bytes,
    context: Mapping[str, Any],
    images: Mapping[str, tuple[bytes, float]] | None = None,
) -> bytes:
    """Render an uploaded template with a sample context; TemplateProblem if that fails."""
    from docx import Document

    check_package(data)
    try:
        rendered = render_docx(data, context, images)
        Document(io.BytesIO(rendered))
    except TemplateProblem as problem:
        raise TemplateProblem(f"Het sjabloon is geweigerd: {problem}") from problem
    except Exception as error:  # noqa: BLE001 - every failure refuses the template
        raise TemplateProblem(f"Het sjabloon is geweigerd: {describe_error(error)}") from error
    return rendered
