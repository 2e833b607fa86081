"""The risk heat map (§16–17) as server-rendered SVG; the page also shows it as a table."""

from collections.abc import Sequence

from markupsafe import Markup, escape

from forms.risk import LEVELS, RISK_MATRIX, RiskAssessment

LABELS = {"laag": "Laag", "midden": "Midden", "hoog": "Hoog"}
# Fill colours with dark text on top: contrast ≥ 4.5:1 for the labels.
FILLS = {"laag": "#d7ecd9", "midden": "#ffe3b3", "hoog": "#f7c9c9"}
CELL, MARGIN_X, MARGIN_Y = 150, 110, 40


def risk_number(risks: Sequence[RiskAssessment], row_id: str) -> str:
    """R1, R2, … in the order of §16."""
    for number, risk in enumerate(risks, start=1):
        if risk.row_id == row_id:
            return f"R{number}"
    return "R?"


def _cell(x: int, y: int, level: str, names: list[str], caption: str) -> str:
    text = ", ".join(names) if names else "—"
    return (
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL // 2}" fill="{FILLS[level]}" '
        f'stroke="#1b1b1b" stroke-width="1"/>'
        f'<text x="{x + 8}" y="{y + 20}" font-size="13" fill="#1b1b1b">{escape(caption)}</text>'
        f'<text x="{x + 8}" y="{y + 48}" font-size="15" font-weight="bold" fill="#1b1b1b">'
        f"{escape(text)}</text>"
    )


def before_svg(risks: Sequence[RiskAssessment]) -> Markup:
    """3 × 3 matrix of kans (across) and impact (up): where each risk lies before measures."""
    height = CELL // 2
    parts = [
        f'<svg class="heatmap" role="img" aria-labelledby="hm-before-title" '
        f'viewBox="0 0 {MARGIN_X + 3 * CELL + 10} {MARGIN_Y + 3 * height + 50}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        '<title id="hm-before-title">Risico’s vóór maatregelen, naar kans en impact '
        "(zie de tabel hieronder)</title>",
    ]
    for col, kans in enumerate(LEVELS):
        for row, impact in enumerate(reversed(LEVELS)):
            level = RISK_MATRIX[(kans, impact)]
            names = [
                risk_number(risks, r.row_id) + ("*" if r.overridden else "")
                for r in risks
                if r.likelihood == kans and r.impact == impact
            ]
            x, y = MARGIN_X + col * CELL, MARGIN_Y + row * height
            parts.append(_cell(x, y, level, names, f"niveau {LABELS[level].lower()}"))
        parts.append(
            f'<text x="{MARGIN_X + col * CELL + CELL // 2}" y="{MARGIN_Y + 3 * height + 20}" '
            f'font-size="14" text-anchor="middle" fill="#1b1b1b">{LABELS[kans]}</text>'
        )
    for row, impact in enumerate(reversed(LEVELS)):
        parts.append(
            f'<text x="{MARGIN_X - 10}" y="{MARGIN_Y + row * height + height // 2 + 5}" '
            f'font-size="14" text-anchor="end" fill="#1b1b1b">{LABELS[impact]}</text>'
        )
    parts.append(
        f'<text x="{MARGIN_X + 3 * CELL // 2}" y="{MARGIN_Y + 3 * height + 42}" font-size="14" '
        f'text-anchor="middle" font-weight="bold" fill="#1b1b1b">Kans</text>'
        f'<text x="10" y="{MARGIN_Y - 15}" font-size="14" font-weight="bold" '
        f'fill="#1b1b1b">Impact</text></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 - every dynamic piece is escaped above


def after_svg(risks: Sequence[RiskAssessment]) -> Markup:
    """Three cells, laag – midden – hoog: each risk's residual level after measures."""
    height = CELL // 2
    parts = [
        f'<svg class="heatmap" role="img" aria-labelledby="hm-after-title" '
        f'viewBox="0 0 {MARGIN_X + 3 * CELL + 10} {MARGIN_Y + height + 30}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        '<title id="hm-after-title">Restrisico’s na maatregelen (zie de tabel hieronder)</title>',
    ]
    for col, level in enumerate(LEVELS):
        names = [risk_number(risks, r.row_id) for r in risks if r.residual_level == level]
        parts.append(_cell(MARGIN_X + col * CELL, MARGIN_Y, level, names, f"restrisico {level}"))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every dynamic piece is escaped above
