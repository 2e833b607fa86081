"""Bar charts as server-rendered SVG: no script, the numbers beside every bar, and always
shown with a table of the same numbers (the SVG is an image with a text alternative)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_AREA, PAD = 22, 8, 220, 300, 8
COLOURS = ("#154273", "#39870c", "#ca005d", "#e17000", "#007bc7", "#673327", "#8fcae7")


def bar_chart(
    title: str, bars: Sequence[tuple[str, float]], unit: str = "", chart_id: str = "chart"
) -> Markup:
    """A horizontal bar chart: one bar per (label, value), the value written at its end."""
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + PAD
    width = LABEL_WIDTH + BAR_AREA + 80
    top = max((v for _, v in bars), default=0) or 1
    summary = "; ".join(f"{label}: {_number(v)}{unit}" for label, v in bars) or "geen gegevens"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = PAD + index * (BAR_HEIGHT + GAP)
        length = round(BAR_AREA * value / top, 1) if value else 0
        colour = COLOURS[index % len(COLOURS)]
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(_short(label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" font-size="13" '
            f'fill="#1a1a1a">{escape(_number(value))}{escape(unit)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
