"""Render a docxtpl template in Jinja's sandbox: user text is data, never template code.

Every template, built-in or uploaded, renders in a SandboxedEnvironment with
autoescaping and StrictUndefined: no attribute starting with an underscore, no
loader (so no include or import of files), no `safe` filter and no `autoescape`
block (so no value can become raw XML), and bounded `*` and `**`. The context
holds plain dicts, lists and strings only; every string is cleaned of the
characters XML forbids before rendering.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_REPEAT = 1_000_000  # longest string or list a template may make with * or **

# XML 1.0 allows tab, newline and carriage return below 0x20; no surrogates, no U+FFFE/F.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AUTOESCAPE_TAG = re.compile(r"{%[-+]?\s*(?:end)?autoescape\b")


class TemplateProblem(ValueError):
    """A template that cannot be used; the message (Dutch) says why."""


class DocumentSandbox(SandboxedEnvironment):
    """The sandbox with two more limits: no autoescape blocks, bounded repetition."""

    intercepted_binops = frozenset({"*", "**"})

    def preprocess(self, source: str, name: str | None = None, filename: str | None = None):
        if _AUTOESCAPE_TAG.search(source):
            raise SecurityError("the autoescape tag is not allowed in document templates")
        return super().preprocess(source, name, filename)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > MAX_REPEAT
                ):
                    raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)


def sandbox() -> DocumentSandbox:
    """A fresh sandboxed environment for one render."""
    env = DocumentSandbox(autoescape=True, undefined=StrictUndefined)
    env.filters.pop("safe", None)
    return env


def clean_text(value: str) -> str:
    """Text without the characters XML forbids, with \\n line ends (\\n becomes a line break)."""
    text = _XML_FORBIDDEN.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if "{_" in text or "_}" in text:
        # docxtpl turns "{_{" into "{{" after rendering; character references survive that.
        escaped = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
        return Markup(escaped)  # noqa: S704 - escaped on the line above
    return text


def clean(value: Any) -> Any:
    """A context with every string cleaned; only dicts, lists, strings, numbers and None."""
    if isinstance(value, str):
        return clean_text(str(value))  # a Markup from outside becomes plain text again
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    raise TypeError(f"not allowed in a document context: {type(value).__name__}")


def render_docx(
    template: bytes,
    context: Mapping[str, Any],
    images: Mapping[str, tuple[bytes, float]] | None = None,
) -> bytes:
    """Render a template (the .docx bytes) with a context; images: name → (PNG, width in mm)."""
    tpl = DocxTemplate(io.BytesIO(template))
    values = clean(context)
    for name, (png, width) in (images or {}).items():
        values[name] = InlineImage(tpl, io.BytesIO(png), width=Mm(width))
    tpl.render(values, jinja_env=sandbox(), autoescape=True)
    even_table_grids(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
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
    if isinstance(error, SecurityError):
        kind = "niet toegestaan in een sjabloon"
    elif isinstance(error, TemplateError):
        kind = "fout in het sjabloon"
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
    except Exception as error:  # noqa: BLE001 - every failure refuses the template
        raise TemplateProblem(f"Het sjabloon is geweigerd: {describe_error(error)}") from error
    return rendered
