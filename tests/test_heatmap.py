"""Risks (§16) and measures (§17): levels, overrides, residual risk, AP consultation, heat map."""

import re
import xml.etree.ElementTree as ET
from html import unescape

from pia.roles import Role
from tests.conftest import make_user, text_of
from tests.factories_assessments import (
    DPIA,
    answers_of,
    fill,
    make_assessment,
    post_page,
    row,
    section_url,
)

SVG = "{http://www.w3.org/2000/svg}"
LEVEL_WORDS = {"Laag": "laag", "Midden": "midden", "Hoog": "hoog"}
AP_WARNING = "Voorafgaande raadpleging van de Autoriteit Persoonsgegevens is nodig."

RISKS = [
    row("risico01", beschrijving="Datalek bij de leverancier", kans="midden", impact="hoog"),
    row(
        "risico02",
        beschrijving="Onjuiste gegevens",
        kans="laag",
        impact="laag",
        risiconiveau="midden",
        risiconiveau_motivatie="Het gaat om kwetsbare groepen",
    ),
    row("risico03", beschrijving="Profilering", kans="hoog", impact="hoog"),
    row("risico04", beschrijving="Nog niet beoordeeld"),
]
MEASURES = [
    row("maatr001", risicos=["risico03"], maatregel="Mens beslist", resterend_risico="laag")
]


def svgs(response) -> list[ET.Element]:
    html = response.get_data(as_text=True)
    # the app's own markup, parsed to check it: not untrusted input
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]  # noqa: S314


def _texts(svg):
    for text in svg.iter(f"{SVG}text"):
        yield float(text.get("x")), float(text.get("y")), text.get("text-anchor"), text.text


def _inside(rect, x, y) -> bool:
    left, top = float(rect.get("x")), float(rect.get("y"))
    return left <= x <= left + float(rect.get("width")) and top <= y <= top + float(
        rect.get("height")
    )


def before_cells(svg) -> dict[tuple[str, str], tuple[str, str]]:
    """(kans, impact) -> (caption, risk numbers) of the 3 × 3 map, read from its geometry."""
    texts = list(_texts(svg))
    columns = {
        x: LEVEL_WORDS[t] for x, _, anchor, t in texts if anchor == "middle" and t in LEVEL_WORDS
    }
    rows = {y: LEVEL_WORDS[t] for _, y, anchor, t in texts if anchor == "end" and t in LEVEL_WORDS}
    cells = {}
    for rect in svg.iter(f"{SVG}rect"):
        (kans,) = [k for x, k in columns.items() if _inside(rect, x, float(rect.get("y")))]
        (impact,) = [i for y, i in rows.items() if _inside(rect, float(rect.get("x")), y)]
        caption, names = [t for x, y, _, t in texts if _inside(rect, x, y)]
        cells[(kans, impact)] = (caption, names)
    return cells


def after_cells(svg) -> dict[str, str]:
    """Caption ("restrisico hoog") -> risk numbers of the map after measures."""
    texts = list(_texts(svg))
    cells = {}
    for rect in svg.iter(f"{SVG}rect"):
        caption, names = [t for x, y, _, t in texts if _inside(rect, x, y)]
        cells[caption] = names
    return cells


def risk_table(response) -> list[list[str]]:
    html = response.get_data(as_text=True)
    table = re.search(r'id="risk-table-caption".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_a_risk_gets_its_level_from_the_matrix_and_an_override_shows_its_reason(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    fill(client, assessment, "dpia", "16", press="add_row__16")
    fill(client, assessment, "dpia", "16", press="add_row__16")
    changes = {
        "q_16-0-beschrijving": "Datalek bij de leverancier",
        "q_16-0-kans": "midden",
        "q_16-0-impact": "hoog",
        "q_16-1-beschrijving": "Onjuiste gegevens",
        "q_16-1-kans": "laag",
        "q_16-1-impact": "laag",
        "q_16-1-risiconiveau": "midden",
        "q_16-1-risiconiveau_motivatie": "Het gaat om kwetsbare groepen",
    }
    assert fill(client, assessment, "dpia", "16", changes).status_code == 302

    table = risk_table(client.get(section_url(assessment, "dpia", "16")))

    assert table == [
        ["R1", "Datalek bij de leverancier", "midden", "hoog", "hoog", "—", "hoog"],
        [
            "R2",
            "Onjuiste gegevens",
            "laag",
            "laag",
            "laag",
            "midden (aangepast: Het gaat om kwetsbare groepen)",
            "midden",
        ],
    ]


def test_measures_set_the_residual_risk_and_a_high_one_needs_the_ap(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"16": RISKS[:1]})
    login(owner)
    overview = f"/assessments/{assessment.id}"
    # a high risk without measures stays high
    assert AP_WARNING in text_of(client.get(overview))
    assert "AP-raadpleging nodig" in text_of(client.get("/assessments/"))

    page = client.get(section_url(assessment, "dpia", "17"))
    html = page.get_data(as_text=True)
    assert 'name="add_row__17.1"' in html
    shown = fill(client, assessment, "dpia", "17", press="add_row__17.1").headers["Location"]
    page = client.get(shown)
    offered = re.findall(
        r'name="q_17_1-0-risicos"[^>]*value="([^"]+)">\s*<label[^>]*>([^<]+)',
        page.get_data(as_text=True),
    )
    assert offered == [("risico01", "Datalek bij de leverancier")]
    changes = {
        "q_17_1-0-risicos": ["risico01"],
        "q_17_1-0-maatregel": "Versleutelen",
        "q_17_1-0-resterend_risico": "midden",
    }

    post_page(client, shown, page, changes)

    (measure,) = answers_of(assessment, DPIA)["17.1"]
    assert measure["risicos"] == ["risico01"] and measure["resterend_risico"] == "midden"
    assert AP_WARNING not in text_of(client.get(overview))
    assert risk_table(client.get(overview))[0][-1] == "midden"

    fill(client, assessment, "dpia", "17", {"q_17_1-0-resterend_risico": "hoog"})

    text = text_of(client.get(overview))
    assert AP_WARNING in text
    assert "artikel 36 AVG" in text
    full = text_of(client.get(f"/assessments/{assessment.id}/volledig"))
    assert "Voorafgaande raadpleging van de Autoriteit Persoonsgegevens is nodig" in full


def test_the_heat_map_puts_each_risk_number_in_its_cell(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"16": RISKS, "17.1": MEASURES})
    login(owner)
    for url in (section_url(assessment, "dpia", "16"), f"/assessments/{assessment.id}"):
        before, after = svgs(client.get(url))

        cells = before_cells(before)
        assert len(cells) == 9, url
        assert cells[("midden", "hoog")] == ("niveau hoog", "R1")
        assert cells[("laag", "laag")] == ("niveau laag", "R2*")  # * = level chosen by hand
        assert cells[("hoog", "hoog")] == ("niveau hoog", "R3")
        assert cells[("laag", "hoog")] == ("niveau laag", "—")
        assert cells[("hoog", "midden")] == ("niveau hoog", "—")
        assert cells[("midden", "midden")] == ("niveau midden", "—")
        assert "R4" not in ET.tostring(before, encoding="unicode")  # no kans or impact yet
        assert after_cells(after) == {
            "restrisico laag": "R3",
            "restrisico midden": "R2",
            "restrisico hoog": "R1",
        }
        assert before.get("role") == "img" and before.find(f"{SVG}title") is not None


def test_the_table_next_to_the_heat_map_lists_every_risk(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"16": RISKS, "17.1": MEASURES})
    login(owner)
    table = risk_table(client.get(section_url(assessment, "dpia", "17")))
    assert [r[:2] for r in table] == [
        ["R1", "Datalek bij de leverancier"],
        ["R2", "Onjuiste gegevens"],
        ["R3", "Profilering"],
        ["R4", "Nog niet beoordeeld"],
    ]
    assert table[2][-1] == "laag"  # residual after the measure
    assert table[3][2:] == ["—", "—", "—", "—", "—"]


def test_risk_texts_are_escaped_in_the_risk_table(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    evil = "<svg onload=alert(1)> {{ 7*7 }}"
    assessment = make_assessment(
        owner, dpia={"16": [row("risico01", beschrijving=evil, kans="laag", impact="hoog")]}
    )
    login(owner)
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt; {{ 7*7 }}" in html


def test_an_override_of_the_risk_level_without_a_reason_is_refused(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    fill(client, assessment, "dpia", "16", press="add_row__16")
    changes = {
        "q_16-0-beschrijving": "Onjuiste gegevens",
        "q_16-0-kans": "laag",
        "q_16-0-impact": "laag",
        "q_16-0-risiconiveau": "hoog",
        "q_16-0-risiconiveau_motivatie": "   ",
    }

    refused = fill(client, assessment, "dpia", "16", changes)

    assert refused.status_code == 400
    assert "U koos een ander risiconiveau dan de risicomatrix geeft" in text_of(refused)
    stored = answers_of(assessment, DPIA).get("16") or []
    assert not any(r.get("risiconiveau") == "hoog" for r in stored)
    # the same level as the matrix needs no reason; a reason makes the override acceptable
    assert fill(client, assessment, "dpia", "16", {**changes, "q_16-0-risiconiveau": "laag"})
    accepted = fill(
        client,
        assessment,
        "dpia",
        "16",
        {**changes, "q_16-0-risiconiveau_motivatie": "Het gaat om kinderen"},
    )
    assert accepted.status_code == 302
    assert answers_of(assessment, DPIA)["16"][0]["risiconiveau"] == "hoog"
