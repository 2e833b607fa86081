"""JSON export and the checks of an imported answers document."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from forms.export import answer_problems, export_answers, import_answers
from forms.loader import get_definition

DPIA = get_definition("dpia", "3.0")
OP1 = "verwerk1"
ANSWERS: dict[str, Any] = {
    "0": "Inleiding met é en ‘aanhalingstekens’.",
    "1": "Voorstel",
    "2": [
        {
            "_id": "pgnaam01",
            "persoonsgegeven": "Naam",
            "categorie_betrokkene": "Burgers",
            "type": "gewoon",
            "via_partij": True,
            "partij": "RDW",
        }
    ],
    "3": [{"_id": OP1, "naam": "Ontvangen", "persoonsgegevens": ["pgnaam01"]}],
    "4.2": False,
    "5": {OP1: {"5.1": [{"_id": "doel0001", "doel": "Beoordelen"}]}},
    "10": {OP1: {"10.1": [{"_id": "termijn1", "doeleinde": "doel0001", "termijn": "jaar"}]}},
    "12.1.1": True,
    "15.1.1": "nvt",
    "15.1.3": True,
    "16": [{"_id": "risico01", "beschrijving": "Datalek", "kans": "laag", "impact": "hoog"}],
    "17.1": [{"_id": "maatrgl1", "risicos": ["risico01"], "resterend_risico": "laag"}],
}


def test_lossless_round_trip() -> None:
    text = export_answers(DPIA, ANSWERS)
    assert json.loads(text)["definitie"] == "dpia"
    assert import_answers(DPIA, text) == (ANSWERS, [])
    assert answer_problems(DPIA, ANSWERS) == []


def changed(path: list[Any], value: Any) -> dict[str, Any]:
    answers = copy.deepcopy(ANSWERS)
    target = answers
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return answers


PROBLEMS = [
    ("unknown question", ["99.1"], "x", "Onbekende vraag '99.1'."),
    ("wrong type", ["4.2"], "nee", "Vraag 4.2: verwacht ja of nee (true of false)."),
    (
        "unknown option",
        ["16", 0, "kans"],
        "enorm",
        "Vraag 16, regel 1, kolom 'kans': onbekende keuze 'enorm'.",
    ),
    (
        "too long",
        ["1"],
        "x" * 100_001,
        "Vraag 1: de tekst is te lang: 100001 tekens, maximaal 100000.",
    ),
    ("short text too long", ["2", 0, "partij"], "x" * 1001, "kolom 'partij': de tekst is te lang"),
    (
        "too many rows",
        ["16"],
        [{"_id": f"r{i:07d}"} for i in range(501)],
        "Vraag 16: te veel regels: 501",
    ),
    ("bad row id", ["16", 0, "_id"], "1", "Vraag 16, regel 1: het regelnummer (_id)"),
    ("unknown column", ["16", 0, "kleur"], "rood", "Vraag 16, regel 1: onbekende kolom 'kleur'."),
    ("malformed reference", ["17.1", 0, "risicos"], ["Risico 99"], "onbekende keuze 'Risico 99'"),
    ("malformed operation", ["5", "Weg!"], {}, "ongeldige verwijzing naar een verwerking"),
    ("group member at top level", ["5.1"], [], "Vraag 5.1 hoort per verwerking in groep 5."),
    ("plain group", ["15.1"], {}, "Vraag 15.1 is een groep"),
    ("not applicable not allowed", ["15.1.3"], False, "Vraag 15.1.3: verwacht ja of n.v.t."),
    # §19 and §20 come from the procedure's record: a file cannot bring an FG advice along.
    (
        "filled by the procedure",
        ["19.5.6"],
        "2025-05-01",
        "Vraag 19.5.6 (onderdeel 19) vult PIA Rijk zelf uit de beoordeling en vaststelling",
    ),
    ("signature", ["20.1"], [], "Vraag 20.1 (onderdeel 20) vult PIA Rijk zelf"),
    ("yes as text", ["12.1.1"], "ja", "Vraag 12.1.1: verwacht ja of nee"),
]


@pytest.mark.parametrize(
    ("path", "value", "problem"), [p[1:] for p in PROBLEMS], ids=[p[0] for p in PROBLEMS]
)
def test_problems_are_described_in_dutch(path: list[Any], value: Any, problem: str) -> None:
    answers, problems = import_answers(DPIA, export_answers(DPIA, changed(path, value)))
    assert answers == {}
    assert any(text.startswith(problem) or problem in text for text in problems), problems


def test_document_problems() -> None:
    assert import_answers(DPIA, "{niet json") == ({}, ["Het bestand is geen geldig JSON-bestand."])
    assert import_answers(DPIA, "[]")[1] == [
        "Het bestand mist het onderdeel 'antwoorden' met de antwoorden."
    ]
    prescan = get_definition("prescan", "2.0")
    problems = import_answers(prescan, export_answers(DPIA, {}))[1]
    assert problems == ["Het bestand hoort bij dpia versie 3.0, niet bij prescan versie 2.0."]


def test_exclusive_option_cannot_be_combined() -> None:
    prescan = get_definition("prescan", "2.0")
    problems = answer_problems(prescan, {"3.1": ["geen", "cameratoezicht"]})
    assert problems == ["Vraag 3.1: 'Geen van deze' kan niet samen met andere keuzes."]


def test_references_to_rows_removed_later_are_accepted() -> None:
    """The app keeps answers pointing at removed rows (they no longer count): they import."""
    answers = changed(["17.1", 0, "risicos"], ["weg00000"])
    answers["5"] = {"weg00001": {"5.1": [{"_id": "doel0001", "doel": "Oud doel"}]}}
    imported, problems = import_answers(DPIA, export_answers(DPIA, answers))
    assert problems == []
    assert imported == answers
