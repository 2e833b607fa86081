"""The risk heat map as PNG images for Word: the same matrices as the page's SVG."""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from forms.risk import LEVELS, RISK_MATRIX, RiskAssessment
from pia.heatmap import FILLS, LABELS, risk_number

CELL_W, LINE_H, PAD = 300, 28, 12
MARGIN_LEFT, MARGIN_TOP, MARGIN_BOTTOM = 130, 50, 80
INK = "#1b1b1b"
CHARS_PER_LINE = 24


@functools.cache
def _font(size: int, bold: bool = False):
    # Pillow's own scalable font: no system fonts needed (it has no dashes: "-" for none).
    return ImageFont.load_default(size=size + (1 if bold else 0))


def _wrapped(names: list[str]) -> list[str]:
    return textwrap.wrap(", ".join(names), CHARS_PER_LINE) if names else ["-"]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _cell(draw, x: int, y: int, height: int, level: str, caption: str, lines: list[str]) -> None:
    draw.rectangle((x, y, x + CELL_W, y + height), fill=FILLS[level], outline=INK, width=2)
    draw.text((x + PAD, y + PAD), caption, fill=INK, font=_font(18))
    for number, line in enumerate(lines):
        draw.text((x + PAD, y + PAD + 30 + number * LINE_H), line, fill=INK, font=_font(22, True))


def _names(risks: Sequence[RiskAssessment], kans: str, impact: str) -> list[str]:
    return [
        risk_number(risks, r.row_id) + ("*" if r.overridden else "")
        for r in risks
        if r.likelihood == kans and r.impact == impact
    ]


def before_png(risks: Sequence[RiskAssessment]) -> bytes:
    """3 × 3 matrix of kans (across) and impact (up): where each risk lies before measures."""
    cells = {(k, i): _wrapped(_names(risks, k, i)) for k in LEVELS for i in LEVELS}
    height = PAD * 2 + 30 + LINE_H * max(len(lines) for lines in cells.values())
    width = MARGIN_LEFT + 3 * CELL_W + 20
    image = Image.new("RGB", (width, MARGIN_TOP + 3 * height + MARGIN_BOTTOM), "white")
    draw = ImageDraw.Draw(image)
    for col, kans in enumerate(LEVELS):
        x = MARGIN_LEFT + col * CELL_W
        for row, impact in enumerate(reversed(LEVELS)):
            level = RISK_MATRIX[(kans, impact)]
            caption = f"niveau {LABELS[level].lower()}"
            _cell(draw, x, MARGIN_TOP + row * height, height, level, caption, cells[(kans, impact)])
        draw.text(
            (x + CELL_W // 2, MARGIN_TOP + 3 * height + 20),
            LABELS[kans],
            fill=INK,
            font=_font(20),
            anchor="mt",
        )
    for row, impact in enumerate(reversed(LEVELS)):
        draw.text(
            (MARGIN_LEFT - 14, MARGIN_TOP + row * height + height // 2),
            LABELS[impact],
            fill=INK,
            font=_font(20),
            anchor="rm",
        )
    draw.text((10, 12), "Impact", fill=INK, font=_font(20, True))
    draw.text(
        (MARGIN_LEFT + 3 * CELL_W // 2, MARGIN_TOP + 3 * height + 52),
        "Kans",
        fill=INK,
        font=_font(20, True),
        anchor="mt",
    )
    return _png(image)


def after_png(risks: Sequence[RiskAssessment]) -> bytes:
    """Three cells, laag – midden – hoog: each risk's residual level after measures."""
    cells = {
        level: _wrapped([risk_number(risks, r.row_id) for r in risks if r.residual_level == level])
        for level in LEVELS
    }
    height = PAD * 2 + 30 + LINE_H * max(len(lines) for lines in cells.values())
    image = Image.new("RGB", (MARGIN_LEFT + 3 * CELL_W + 20, height + 20), "white")
    draw = ImageDraw.Draw(image)
    draw.text((10, 10 + height // 2), "Restrisico", fill=INK, font=_font(20, True), anchor="lm")
    for col, level in enumerate(LEVELS):
        _cell(
            draw, MARGIN_LEFT + col * CELL_W, 10, height, level, f"restrisico {level}", cells[level]
        )
    return _png(image)
