"""Pre-scan answers shown beside or pre-filled into the DPIA."""

from __future__ import annotations

from forms.carryover import carried_answers, prefill_answers
from forms.loader import get_definition

DPIA = get_definition("dpia", "3.0")

PRESCAN_ANSWERS = {
    "0.2": "Een registratie van bezoekers.",
    "0.3": "Toegang geven.",
    "0.4": "algemeen_belang",
    "0.5.1": True,
    "0.5.2": ["saas", "opslag"],
    "1.2.1": False,
    "1.2.2": ["gezondheid"],  # hidden: 1.2.1 is "nee"
    "3.1": ["cameratoezicht", "locatiegegevens"],
    "4.1": ["geen"],
    "6.1.1": False,
}


def test_carried_answers_in_words() -> None:
    carried = {c.source_id: c for c in carried_answers(DPIA, PRESCAN_ANSWERS)}
    assert set(carried) == {"0.2", "0.3", "0.4", "0.5.1", "0.5.2", "1.2.1", "3.1", "4.1", "6.1.1"}
    assert carried["0.4"].text == "Taak van algemeen belang of openbaar gezag"
    assert carried["0.4"].target == "11.1.rechtsgrond" and carried["0.4"].section_id == "11"
    assert carried["0.5.2"].text == "Software as a Service (SaaS); Opslag in de cloud"
    assert carried["1.2.1"].text == "Nee"
    assert carried["4.1"].text == "Geen van deze"


def test_prefill_copies_safe_answers_and_starting_risks() -> None:
    answers = prefill_answers(DPIA, PRESCAN_ANSWERS, {"1": "Al ingevuld."})
    assert answers["1"] == "Al ingevuld."  # existing answers are kept
    assert answers["4.4"] is True and answers["4.5"] is False and answers["12.1.1"] is False
    assert "4.4.1" not in answers  # a list of choices is shown beside, not copied into text
    risks = [row["beschrijving"] for row in answers["16"]]
    assert risks[0].startswith("Cameratoezicht (") and "pre-scan vraag 3.1" in risks[0]
    assert len(risks) == 2
    assert len({row["_id"] for row in answers["16"]}) == 2
    assert "5" not in answers and "11" not in answers  # per-operation answers are not guessed


def test_prefill_keeps_existing_risks() -> None:
    existing = {"16": [{"_id": "risico01", "beschrijving": "Eigen risico"}]}
    assert prefill_answers(DPIA, PRESCAN_ANSWERS, existing)["16"] == existing["16"]
