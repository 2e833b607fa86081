"""The definitions hold the reference's sections, questions, options and conditions."""

from __future__ import annotations

import pytest

from forms.glossary import help_parts, help_terms, plain_help
from forms.loader import get_definition
from forms.model import AllOf, Compare, FieldType, FilledBy, Question, Section

PRESCAN = get_definition("prescan", "2.0")
DPIA = get_definition("dpia", "3.0")

PRESCAN_QUESTIONS = {
    "0.1": "yesno",
    "0.2": "textarea",
    "0.3": "textarea",
    "0.4": "choice",
    "0.5.1": "yesno",
    "0.5.2": "multichoice",
    "0.5.3": "choice",
    "0.5.4": "yesno",
    "1.1.1": "yesno",
    "1.1.2": "multichoice",
    "1.1.3": "textarea",
    "1.2.1": "yesno",
    "1.2.2": "multichoice",
    "1.3.1": "yesno",
    "1.3.2": "multichoice",
    "1.4.1": "multichoice",
    "1.4.2": "textarea",
    "1.5.1": "yesno",
    "1.5.2": "yesno",
    "1.5.3": "choice",
    "1.5.4": "choice",
    "2.1.1": "yesno",
    "2.1.2": "choice",
    "2.1.3": "choice",
    "2.1.4": "choice",
    "2.1.5": "choice",
    "2.1.6": "choice",
    "2.1.7": "text",
    "2.1.8": "yesno",
    "3.1": "multichoice",
    "4.1": "multichoice",
    "5.1.1": "yesno",
    "5.1.2": "multichoice",
    "6.1.1": "yesno",
    "6.1.2": "yesno",
    "6.1.3": "yesno",
    "7.1.1": "yesno",
    "7.1.2": "yesno",
    "7.1.3": "yesno",
}


def test_prescan_has_exactly_the_reference_questions() -> None:
    found = {q.id: q.type.value for q in PRESCAN.questions()}
    assert found == PRESCAN_QUESTIONS


PRESCAN_CONDITIONS = {
    "0.5.2": ("0.5.1", "equals", True),
    "0.5.3": ("0.5.1", "equals", True),
    "0.5.4": ("0.5.1", "equals", True),
    "1.1.2": ("1.1.1", "equals", True),
    "1.1.3": ("1.1.2", "answered", True),
    "1.2.2": ("1.2.1", "equals", True),
    "1.3.2": ("1.3.1", "equals", True),
    "1.4.2": ("1.4.1", "answered", True),
    "2.1.2": ("2.1.1", "equals", True),
    "2.1.3": ("2.1.1", "equals", True),
    "2.1.4": ("2.1.1", "equals", True),
    "2.1.5": ("2.1.1", "equals", True),
    "2.1.6": ("2.1.1", "equals", True),
    "2.1.7": ("2.1.6", "equals", "overig"),
    "2.1.8": ("2.1.1", "equals", True),
    "5.1.2": ("5.1.1", "equals", True),
    "6.1.2": ("6.1.1", "equals", True),
    "7.1.2": ("7.1.1", "equals", True),
    "7.1.3": ("7.1.2", "equals", False),
}


@pytest.mark.parametrize(("question_id", "condition"), PRESCAN_CONDITIONS.items())
def test_prescan_conditions(question_id: str, condition: tuple[str, str, object]) -> None:
    show_if = PRESCAN.question(question_id).show_if
    assert isinstance(show_if, Compare)
    assert (show_if.ref, show_if.op, show_if.value) == condition


def test_prescan_algorithm_condition_combines_two_answers() -> None:
    show_if = PRESCAN.question("6.1.3").show_if
    assert isinstance(show_if, AllOf)
    parts = {(c.ref, c.value) for c in show_if.conditions if isinstance(c, Compare)}
    assert parts == {("6.1.1", True), ("6.1.2", False)}


def test_unconditional_prescan_questions_have_no_condition() -> None:
    for question in PRESCAN.questions():
        if question.id not in PRESCAN_CONDITIONS and question.id != "6.1.3":
            assert question.show_if is None, question.id


def _real_options(question: Question) -> list[str]:
    return [o.value for o in question.options if not o.exclusive]


@pytest.mark.parametrize(
    ("definition_id", "question_id", "count"),
    [
        ("prescan", "0.4", 6),
        ("prescan", "0.5.2", 6),
        ("prescan", "0.5.3", 3),
        ("prescan", "1.1.2", 9),
        ("prescan", "1.2.2", 8),
        ("prescan", "1.3.2", 9),
        ("prescan", "1.4.1", 5),
        ("prescan", "1.5.3", 6),
        ("prescan", "1.5.4", 5),
        ("prescan", "2.1.3", 3),
        ("prescan", "2.1.6", 8),
        ("prescan", "3.1", 17),
        ("prescan", "4.1", 9),
        ("prescan", "5.1.2", 10),
    ],
)
def test_option_counts_match_the_reference(
    definition_id: str, question_id: str, count: int
) -> None:
    question = get_definition(definition_id, "2.0" if definition_id == "prescan" else "3.0")
    assert len(_real_options(question.question(question_id))) == count


def test_lists_that_may_be_empty_offer_an_exclusive_none() -> None:
    for question_id in ("3.1", "4.1"):
        exclusive = [o for o in PRESCAN.question(question_id).options if o.exclusive]
        assert [o.value for o in exclusive] == ["geen"]


DPIA_SECTIONS = {
    "0": "Inleiding",
    "1": "Voorstel",
    "2": "Persoonsgegevens",
    "3": "Gegevensverwerkingen",
    "4": "Technieken en methoden",
    "5": "Verwerkingsdoeleinden",
    "6": "Betrokken partijen",
    "7": "Belangen",
    "8": "Verwerkingslocaties",
    "9": "Juridisch en beleidsmatig kader",
    "10": "Bewaartermijnen",
    "11": "Rechtsgrond",
    "12": "Bijzondere persoonsgegevens, strafrechtelijke persoonsgegevens en nationale "
    "identificatienummers",
    "13": "Doelbinding",
    "14": "Noodzaak en evenredigheid",
    "15": "Rechten van de betrokkenen",
    "16": "Risico's",
    "17": "Maatregelen",
    "18": "Managementsamenvatting",
    "19": "Versie, status, dossier, documentbeheerder en advies FG",
    "20": "Vaststelling en ondertekening",
}


def test_dpia_has_sections_0_to_20_in_parts_a_to_d() -> None:
    assert {s.id: s.title for s in DPIA.sections} == DPIA_SECTIONS
    assert [s.id for s in DPIA.sections] == [str(n) for n in range(21)]
    parts = {p.id: p.section_ids for p in DPIA.parts}
    assert parts == {
        "A": tuple(str(n) for n in range(1, 11)),
        "B": ("11", "12", "13", "14", "15"),
        "C": ("16",),
        "D": ("17",),
    }
    assert DPIA.section("5").part == "A" and DPIA.section("18").part is None


def test_sections_19_and_20_are_filled_by_the_workflow() -> None:
    workflow = [s.id for s in DPIA.sections if s.is_workflow]
    assert workflow == ["19", "20"]
    for section in DPIA.sections:
        for question in section.questions:
            expected = FilledBy.WORKFLOW if section.is_workflow else FilledBy.USER
            assert question.filled_by is expected
    assert [s.id for s in DPIA.user_sections] == [str(n) for n in range(19)]


@pytest.mark.parametrize("section", DPIA.user_sections, ids=lambda s: s.id)
def test_every_user_section_ends_with_optional_additional_information(section: Section) -> None:
    last = section.questions[-1]
    assert last.id == f"{section.id}.aanvullend"
    assert last.type is FieldType.TEXTAREA
    assert last.required is False
    assert last.label == "Aanvullende informatie"


@pytest.mark.parametrize("group_id", ["5", "6", "8", "9", "10", "11", "13"])
def test_groups_repeated_per_processing_operation(group_id: str) -> None:
    group = DPIA.question(group_id)
    assert group.is_repeated
    assert str(group.per) == "3.naam"


OPTIONS_FROM = {
    ("3", "persoonsgegevens"): "2.persoonsgegeven",
    ("6.1", "persoonsgegevens"): "2.persoonsgegeven",
    ("6.1", "betrokkenen"): "2.categorie_betrokkene",
    ("7.1", "partij"): "6.1.naam",
    ("10.1", "doeleinde"): "5.1.doel",
    ("10.1", "betrokkenen"): "2.categorie_betrokkene",
    ("10.1", "persoonsgegevens"): "2.persoonsgegeven",
    ("12.1.2", "verwerkingen"): "3.naam",
    ("12.2.2", "persoonsgegevens"): "2.persoonsgegeven",
    ("12.3.2", "betrokkenen"): "2.categorie_betrokkene",
    ("13.1", "persoonsgegevens"): "2.persoonsgegeven",
    ("17.1", "risicos"): "16.beschrijving",
}


@pytest.mark.parametrize(("column", "source"), OPTIONS_FROM.items())
def test_options_taken_from_earlier_answers(column: tuple[str, str], source: str) -> None:
    assert str(DPIA.question(column[0]).column(column[1]).options_from) == source


@pytest.mark.parametrize(
    ("question_id", "column_id", "values"),
    [
        (
            "2",
            "type",
            ["gewoon", "gevoelig", "bijzonder", "strafrechtelijk", "nationaal_identificatienummer"],
        ),
        (
            "6.1",
            "rol",
            [
                "verwerkingsverantwoordelijke",
                "gezamenlijk_verwerkingsverantwoordelijke",
                "verwerker",
                "subverwerker",
                "derde",
                "verstrekker",
                "ontvanger",
            ],
        ),
        ("13.1", "beoordeling", ["toelaatbaar_recht", "verenigbaar", "niet_van_toepassing"]),
        ("16", "kans", ["laag", "midden", "hoog"]),
        ("16", "impact", ["laag", "midden", "hoog"]),
        ("17.1", "resterend_risico", ["laag", "midden", "hoog"]),
    ],
)
def test_dpia_option_lists(question_id: str, column_id: str, values: list[str]) -> None:
    assert [o.value for o in DPIA.question(question_id).column(column_id).options] == values


@pytest.mark.parametrize(
    ("prescan_id", "dpia_target"),
    [
        ("0.4", "11.1.rechtsgrond"),
        ("1.2.2", "12.1.2.type"),
        ("1.5.4", "10.1.termijn"),
        ("2.1.6", "8.1.doorgiftemechanisme"),
    ],
)
def test_shared_option_lists_have_the_same_values(prescan_id: str, dpia_target: str) -> None:
    source = [o.value for o in PRESCAN.question(prescan_id).options]
    target = [o.value for o in DPIA.resolve(dpia_target).options]
    assert source == target


def test_dpia_conditions_from_the_model() -> None:
    party = DPIA.question("2").column("partij").show_if
    assert party == Compare("via_partij", "column", "equals", True)
    assert DPIA.question("12.1.2").show_if == Compare("12.1.1", "question", "equals", True)
    assert DPIA.question("12.3.2").show_if == Compare("12.3.1", "question", "equals", True)
    article = DPIA.question("13.1").column("artikel").show_if
    assert article == Compare("beoordeling", "column", "equals", "toelaatbaar_recht")
    advice = DPIA.question("17.1").column("ap_advies").show_if
    assert advice == Compare("resterend_risico", "column", "equals", "hoog")


def test_rights_of_data_subjects() -> None:
    rights = [q for q in DPIA.section("15").questions if q.is_group]
    assert len(rights) == 8
    for right in rights:
        procedure, description, restricted, basis = right.questions
        assert procedure.type is FieldType.YESNO_NA and procedure.allow_no
        assert description.show_if == Compare(procedure.id, "question", "equals", True)
        assert restricted.type is FieldType.YESNO_NA and not restricted.allow_no
        assert basis.show_if == Compare(restricted.id, "question", "equals", True)


def test_carry_over_ids_exist_in_both_definitions() -> None:
    assert DPIA.carry_over is not None
    assert (DPIA.carry_over.source_id, DPIA.carry_over.source_version) == PRESCAN.key
    for source_id, target in DPIA.carry_over.mapping.items():
        assert PRESCAN.has_question(source_id)
        DPIA.resolve(target)  # raises KeyError when missing
    targets = {DPIA.resolve(t).section_id for t in DPIA.carry_over.mapping.values()}
    assert targets == {"1", "2", "4", "5", "8", "10", "11", "12", "16"}


def test_help_texts_link_to_the_glossary() -> None:
    text = "Zie [[verwerker]] en [[verwerkers|verwerker]] of [[EER]]."
    parts = help_parts(text, DPIA.glossary)
    assert [p.term for p in parts if p.term] == ["verwerker", "verwerker", "EER"]
    assert parts[3].text == "verwerkers" and parts[3].explanation == DPIA.glossary["verwerker"]
    assert plain_help(text) == "Zie verwerker en verwerkers of EER."
    assert help_terms(text) == ("verwerker", "EER")
    for definition in (PRESCAN, DPIA):
        texts = [definition.description] + [s.intro for s in definition.sections]
        for question in definition.questions():
            for item in (question, *question.columns):
                texts += [item.help] + [o.help for o in item.options]
        used = {term for text in texts for term in help_terms(text)}
        assert used <= set(definition.glossary)
        assert len(used) > 15
