"""Bar charts as server-rendered SVG: no script, the numbers beside every bar, and always
shown with a table of the same numbers (the SVG is an image with a text alternative).

Each bar has its label on the line above it, so long labels need no room beside the bars
and the chart stays legible when a narrow screen scales it down.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, BAR_AREA, LABEL_LINE, BAR_HEIGHT, GAP, FONT = 400, 330, 18, 16, 10, 14
COLOURS = ("#154273", "#39870c", "#ca005d", "#a14b00", "#007bc7", "#673327", "#275937")


def bar_chart(
    title: str, bars: Sequence[tuple[str, float]], unit: str = "", chart_id: str = "chart"
) -> Markup:
    """A horizontal bar chart: one bar per (label, value), the value written at its end."""
    step = LABEL_LINE + BAR_HEIGHT + GAP
    height = max(1, len(bars)) * step
    top = max((v for _, v in bars), default=0) or 1
    summary = "; ".join(f"{label}: {_number(v)}{unit}" for label, v in bars) or "geen gegevens"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = index * step
        length = round(BAR_AREA * value / top, 1) if value else 0
        colour = COLOURS[index % len(COLOURS)]
        parts += [
            f'<text x="0" y="{y + LABEL_LINE - 5}" font-size="{FONT}" fill="#1a1a1a">'
            f"{escape(_short(label))}</text>",
            f'<rect x="0" y="{y + LABEL_LINE}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>',
            f'<text x="{length + 6}" y="{y + LABEL_LINE + BAR_HEIGHT - 3}" font-size="{FONT}" '
            f'fill="#1a1a1a">{escape(_number(value))}{escape(unit)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _short(label: str, limit: int = 50) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
