"""The pre-scan outcome rules, table-driven, exactly as in the reference."""

from __future__ import annotations

from typing import Any

import pytest

from forms import prescan, prescan_score
from forms.loader import get_definition
from forms.prescan import PrescanOutcome, evaluate

DEFINITION = get_definition("prescan", "2.0")

# Every question answered, nothing that scores or triggers anything.
BASE: dict[str, Any] = {
    "0.1": False,
    "0.2": "Een registratie van bezoekers.",
    "0.3": "Bezoekers toegang geven.",
    "0.4": "algemeen_belang",
    "0.5.1": False,
    "1.1.1": False,
    "1.2.1": False,
    "1.3.1": False,
    "1.4.1": ["specifiek"],
    "1.4.2": "Bezoekers van het ministerie.",
    "1.5.1": False,
    "1.5.2": False,
    "1.5.3": "eenmalig",
    "1.5.4": "minder_dan_1_week",
    "2.1.1": False,
    "3.1": ["geen"],
    "4.1": ["geen"],
    "5.1.1": False,
    "6.1.1": False,
    "7.1.1": False,
}


def run(**changes: Any) -> PrescanOutcome:
    answers = dict(BASE)
    for key, value in changes.items():
        question_id = key.lstrip("q").replace("_", ".")
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = value
    return evaluate(answers)


def points(outcome: PrescanOutcome, label: str) -> int:
    return next(line.points for line in outcome.score_breakdown if line.label == label)


def test_base_answers_need_no_dpia() -> None:
    outcome = run()
    assert (outcome.dpia, outcome.dtia, outcome.kia, outcome.iama) == ("niet_nodig",) + (False,) * 3
    assert outcome.risk_score == 0
    assert outcome.complete
    assert outcome.dpia_label == "Geen DPIA nodig"
    assert len(outcome.score_breakdown) == 10
    assert any("niet verplicht" in reason for reason in outcome.reasons)
    assert any("geen van de criteria van de EDPB-lijst" in reason for reason in outcome.reasons)


# --- each DPIA criterion alone --------------------------------------------------------

CRITERIA = [
    ("new legislation", {"q0_1": True}, "verplicht", "nieuwe wet- of regelgeving"),
    ("one AP item", {"q3_1": ["cameratoezicht"]}, "verplicht", "cameratoezicht"),
    ("two EDPB criteria", {"q4_1": ["grootschalig", "koppelen"]}, "verplicht", "2 criteria"),
    ("one EDPB criterion", {"q4_1": ["grootschalig"]}, "aanbevolen", "1 criterium"),
    (
        "risk score 5",
        {"q1_4_1": ["kinderen", "burgers"], "q1_5_1": True, "q1_5_3": "continu", "q1_5_4": "jaar"},
        "verplicht",
        "omdat de risicoscore 5 is",
    ),
]


def test_the_reasons_are_dutch_sentences_that_read_aloud() -> None:
    outcome = run(
        q0_1=True, q1_4_1=["kinderen", "burgers"], q1_5_1=True, q1_5_3="continu", q1_5_4="jaar"
    )
    assert (
        "Een DPIA is verplicht, omdat de risicoscore 5 is. Bij een risicoscore van meer dan 4 "
        "is een DPIA altijd verplicht." in outcome.reasons
    )
    assert any(
        r.startswith("Een DPIA is verplicht, omdat het om nieuwe wet") for r in outcome.reasons
    )
    for reason in outcome.reasons:
        assert ", en dat is" not in reason and "omdat de risicoscore is" not in reason
        assert reason[0].isupper() and reason.endswith("."), reason


@pytest.mark.parametrize(
    ("changes", "dpia", "reason"), [c[1:] for c in CRITERIA], ids=[c[0] for c in CRITERIA]
)
def test_each_criterion_alone(changes: dict[str, Any], dpia: str, reason: str) -> None:
    outcome = run(**changes)
    assert outcome.dpia == dpia
    assert any(reason in text for text in outcome.reasons), outcome.reasons


@pytest.mark.parametrize(
    ("changes", "score", "dpia"),
    [
        ({"q1_4_1": ["kinderen", "burgers"], "q1_5_1": True, "q1_5_3": "continu"}, 4, "niet_nodig"),
        (
            {
                "q1_4_1": ["kinderen", "burgers"],
                "q1_5_1": True,
                "q1_5_3": "continu",
                "q1_5_4": "jaar",
            },
            5,
            "verplicht",
        ),
    ],
)
def test_risk_score_boundary_4_vs_5(changes: dict[str, Any], score: int, dpia: str) -> None:
    outcome = run(**changes)
    assert (outcome.risk_score, outcome.dpia) == (score, dpia)


@pytest.mark.parametrize(
    ("edpb", "dpia"),
    [
        (["geen"], "niet_nodig"),
        ([], "niet_nodig"),
        (["monitoring_x"], "niet_nodig"),
        (["koppelen"], "aanbevolen"),
        (["koppelen", "grootschalig"], "verplicht"),
        (["koppelen", "grootschalig", "innovatieve_technologie"], "verplicht"),
    ],
)
def test_edpb_items_0_1_2(edpb: list[str], dpia: str) -> None:
    assert run(q4_1=edpb).dpia == dpia


@pytest.mark.parametrize(
    ("ap", "dpia"), [(["geen"], "niet_nodig"), (["zwarte_lijsten"], "verplicht")]
)
def test_ap_items_0_vs_1(ap: list[str], dpia: str) -> None:
    assert run(q3_1=ap).dpia == dpia


def test_one_edpb_criterion_with_a_required_reason_is_required() -> None:
    assert run(q4_1=["koppelen"], q0_1=True).dpia == "verplicht"


# --- the score lines --------------------------------------------------------------------

ORDINARY = ["apparaat_internet", "content", "demografisch", "diagnostisch", "website", "helpdesk"]
SPECIAL = [
    "ras_etnisch",
    "politiek",
    "religie",
    "vakbond",
    "genetisch",
    "biometrisch",
    "gezondheid",
    "seksueel",
]
SENSITIVE = [
    "surfgedrag",
    "financieel",
    "fraudegevoelig",
    "kwetsbare_groepen",
    "inloggegevens",
    "communicatie_locatie",
    "bsn",
    "strafrechtelijk",
    "stigmatisering",
]


@pytest.mark.parametrize(
    ("yes", "count", "expected"),
    [(True, 0, 0), (True, 5, 0), (True, 6, 1), (True, 9, 1), (False, 9, 0)],
)
def test_ordinary_categories(yes: bool, count: int, expected: int) -> None:
    choices = (ORDINARY + ["logging", "naam_contact", "overig"])[:count] or None
    outcome = run(q1_1_1=yes, q1_1_2=choices, q1_1_3="Toelichting")
    assert points(outcome, "Gewone persoonsgegevens") == expected


@pytest.mark.parametrize(
    ("label", "yes_id", "list_id", "options"),
    [
        ("Bijzondere persoonsgegevens", "q1_2_1", "q1_2_2", SPECIAL),
        ("Andere gevoelige gegevens", "q1_3_1", "q1_3_2", SENSITIVE),
    ],
)
@pytest.mark.parametrize(
    ("yes", "count", "expected"),
    [(True, 0, 0), (True, 1, 1), (True, 6, 1), (True, 7, 2), (True, 8, 2), (False, 8, 0)],
)
def test_special_and_sensitive_categories(
    label: str, yes_id: str, list_id: str, options: list[str], yes: bool, count: int, expected: int
) -> None:
    outcome = run(**{yes_id: yes, list_id: options[:count] or None})
    assert points(outcome, label) == expected


@pytest.mark.parametrize(
    ("subjects", "expected"),
    [
        (["specifiek"], 0),
        (["medewerkers"], 0),
        (["medewerkers", "burgers"], 0),
        (["medewerkers", "burgers", "specifiek"], 0),
        (["kinderen"], 1),
        (["kwetsbare_groepen"], 1),
        (["kinderen", "burgers"], 2),
        (["kwetsbare_groepen", "medewerkers"], 2),
        (["kinderen", "kwetsbare_groepen"], 2),
    ],
)
def test_data_subject_weights(subjects: list[str], expected: int) -> None:
    assert points(run(q1_4_1=subjects), "Groepen betrokkenen") == expected


@pytest.mark.parametrize(("many", "expected"), [(True, 1), (False, 0), (None, 0)])
def test_ten_thousand_data_subjects(many: bool | None, expected: int) -> None:
    assert points(run(q1_5_1=many), "Aantal betrokkenen") == expected


def test_ten_thousand_records_has_no_effect() -> None:
    assert run(q1_5_2=True).risk_score == 0


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("continu", 1),
        ("vaker_dan_maandelijks", 1),
        ("minstens_maandelijks", 1),
        ("minstens_jaarlijks", 0),
        ("onregelmatig", 0),
        ("eenmalig", 0),
    ],
)
def test_frequency(frequency: str, expected: int) -> None:
    assert points(run(q1_5_3=frequency), "Frequentie") == expected


@pytest.mark.parametrize(
    ("retention", "expected"),
    [
        ("minder_dan_24_uur", 0),
        ("minder_dan_1_week", 0),
        ("minder_dan_1_maand", 0),
        ("jaar", 1),
        ("aantal_jaren", 1),
    ],
)
def test_retention(retention: str, expected: int) -> None:
    assert points(run(q1_5_4=retention), "Bewaartermijn") == expected


TRANSFER = {
    "q2_1_1": True,
    "q2_1_2": "binnen_eer",
    "q2_1_3": "datacenter_eer",
    "q2_1_4": "binnen_eer",
    "q2_1_5": "binnen_eer",
    "q2_1_6": "adequaatheidsbesluit",
    "q2_1_8": False,
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"q2_1_1": False}, 0),
        ({}, 1),
        ({"q2_1_8": True}, 2),
        (
            {
                "q0_5_1": True,
                "q0_5_2": ["saas"],
                "q0_5_3": "publiek",
                "q0_5_4": False,
                "q2_1_3": "buiten_eer",
            },
            2,
        ),
        (
            {
                "q0_5_1": True,
                "q0_5_2": ["saas"],
                "q0_5_3": "publiek",
                "q0_5_4": False,
                "q2_1_4": "buiten_eer",
            },
            2,
        ),
        ({"q0_5_1": True, "q0_5_2": ["saas"], "q0_5_3": "publiek", "q0_5_4": False}, 1),
        ({"q2_1_3": "buiten_eer"}, 1),
        ({"q2_1_4": "buiten_eer"}, 1),
    ],
)
def test_transfer_one_or_two_points(changes: dict[str, Any], expected: int) -> None:
    outcome = run(**{**TRANSFER, **changes})
    assert points(outcome, "Doorgifte buiten de EER") == expected


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ("bgt", 0),
        ("bri", 1),
        ("brk", 1),
        ("bro", 0),
        ("brp", 1),
        ("brt", 0),
        ("brv", 1),
        ("woz", 1),
        ("hr", 1),
        ("bag", 0),
    ],
)
def test_base_registers_that_count(register: str, expected: int) -> None:
    assert points(run(q5_1_1=True, q5_1_2=[register]), "Basisregistraties") == expected


def test_base_registers_hidden_list_does_not_count() -> None:
    assert points(run(q5_1_1=False, q5_1_2=["brp"]), "Basisregistraties") == 0
    assert points(run(q5_1_1=True, q5_1_2=["bgt", "brp"]), "Basisregistraties") == 1


@pytest.mark.parametrize(
    ("service", "for_minors", "provable", "expected"),
    [
        (False, True, False, 0),
        (True, True, None, 2),
        (True, False, False, 1),
        (True, False, None, 1),
        (True, False, True, 0),
        (True, None, None, 1),
    ],
)
def test_digital_service_for_minors_0_1_2(
    service: bool, for_minors: bool | None, provable: bool | None, expected: int
) -> None:
    outcome = run(q7_1_1=service, q7_1_2=for_minors, q7_1_3=provable)
    assert points(outcome, "Digitale dienst en minderjarigen") == expected


def test_score_is_the_sum_of_the_lines() -> None:
    outcome = run(
        q1_4_1=["kinderen"], q1_5_1=True, q5_1_1=True, q5_1_2=["brp"], q7_1_1=True, q7_1_2=True
    )
    assert outcome.risk_score == sum(line.points for line in outcome.score_breakdown) == 5
    assert all(line.explanation.endswith(".") for line in outcome.score_breakdown)


# --- DTIA, KIA, IAMA ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"q2_1_3": "buiten_eer", "q2_1_6": "scc"}, True),
        ({"q2_1_3": "buiten_eer", "q2_1_6": "overig", "q2_1_7": "Eigen contract"}, True),
        ({"q2_1_4": "buiten_eer", "q2_1_6": "scc"}, True),
        ({"q2_1_3": "buiten_eer", "q2_1_6": "adequaatheidsbesluit"}, False),
        ({"q2_1_3": "buiten_eer", "q2_1_6": "bcr"}, False),
        ({"q2_1_6": "scc"}, False),
        ({"q2_1_5": "buiten_eer", "q2_1_6": "scc"}, False),
        ({"q2_1_1": False, "q2_1_3": "buiten_eer", "q2_1_6": "scc"}, False),
    ],
)
def test_dtia(changes: dict[str, Any], expected: bool) -> None:
    outcome = run(**{**TRANSFER, **changes})
    assert outcome.dtia is expected
    assert any("DTIA" in reason for reason in outcome.reasons) is expected


@pytest.mark.parametrize(
    ("service", "for_minors", "expected"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_kia(service: bool, for_minors: bool, expected: bool) -> None:
    outcome = run(q7_1_1=service, q7_1_2=for_minors, q7_1_3=True)
    assert outcome.kia is expected
    assert any("KIA" in reason for reason in outcome.reasons) is expected


@pytest.mark.parametrize(
    ("algorithm", "high_risk", "other", "expected"),
    [
        (True, True, None, True),
        (True, False, True, True),
        (True, False, False, False),
        (False, True, True, False),
        (True, True, True, True),
    ],
)
def test_iama(algorithm: bool, high_risk: bool, other: bool | None, expected: bool) -> None:
    outcome = run(q6_1_1=algorithm, q6_1_2=high_risk, q6_1_3=other)
    assert outcome.iama is expected
    assert any("IAMA" in reason for reason in outcome.reasons) is expected


def test_hidden_other_algorithm_does_not_count() -> None:
    outcome = run(q6_1_1=True, q6_1_2=True, q6_1_3=True)
    reason = next(r for r in outcome.reasons if "IAMA" in r)
    assert "6.1.2" in reason and "6.1.3" not in reason


# --- findings ---------------------------------------------------------------------------


def test_storage_outside_eea_without_declared_transfer_is_a_finding_not_a_point() -> None:
    outcome = run(
        q0_5_1=True,
        q0_5_2=["opslag"],
        q0_5_3="publiek",
        q0_5_4=False,
        q2_1_1=False,
        q2_1_3="buiten_eer",
    )
    assert points(outcome, "Doorgifte buiten de EER") == 0
    assert any("2.1.1" in finding and "buiten de EER" in finding for finding in outcome.findings)
    assert not any("2.1.1" in finding for finding in run().findings)


def test_other_findings() -> None:
    assert any("gerechtvaardigd belang" in f for f in run(q0_4="gerechtvaardigd_belang").findings)
    incomplete = run(q0_2=None)
    assert not incomplete.complete
    assert any("nog niet helemaal ingevuld" in f for f in incomplete.findings)
    assert any("Rijksdienst" in f for f in run().findings)
    assert not any("Rijksdienst" in f for f in run(q0_1=True).findings)


def test_none_of_these_does_not_count_as_an_item() -> None:
    assert run(q3_1=["geen"], q4_1=["geen"]).dpia == "niet_nodig"


# --- one source of truth ------------------------------------------------------------------


def _option_values(question_id: str) -> set[str]:
    return {o.value for o in DEFINITION.question(question_id).options}


@pytest.mark.parametrize(
    ("question_id", "values"),
    [
        (prescan_score.Q_SUBJECTS, set(prescan_score.SUBJECT_WEIGHTS)),
        (prescan_score.Q_FREQUENCY, set(prescan_score.FREQUENT)),
        (prescan_score.Q_RETENTION, set(prescan_score.LONG_RETENTION)),
        (prescan_score.Q_STORAGE, {prescan_score.OUTSIDE_EEA}),
        (prescan_score.Q_SUPPORT, {prescan_score.OUTSIDE_EEA}),
        (prescan_score.Q_BASE_REGISTER_LIST, set(prescan_score.COUNTING_BASE_REGISTERS)),
        (prescan.Q_MECHANISM, set(prescan.DTIA_MECHANISMS)),
        (prescan.Q_LEGAL_BASIS, {prescan.LEGITIMATE_INTEREST}),
    ],
)
def test_rule_values_exist_in_the_definition(question_id: str, values: set[str]) -> None:
    assert values <= _option_values(question_id)


def test_subject_weights_cover_every_option() -> None:
    assert set(prescan_score.SUBJECT_WEIGHTS) == _option_values(prescan_score.Q_SUBJECTS)


def test_rule_question_ids_exist_with_the_expected_types() -> None:
    for module in (prescan, prescan_score):
        for name in dir(module):
            if name.startswith("Q_"):
                assert DEFINITION.has_question(getattr(module, name)), name
