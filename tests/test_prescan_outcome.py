"""The pre-scan's outcome on the overview, hidden questions, and starting the DPIA from it."""

import re
from html import unescape

from pia.roles import Role
from tests.conftest import audit_events, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    NEUTRAL_PRESCAN,
    PRESCAN,
    answers_of,
    fill,
    make_assessment,
    overview_sections,
    section_url,
    textarea_value,
)


def outcome_text(client, assessment) -> str:
    return text_of(client.get(f"/assessments/{assessment.id}"))


def score_table(response) -> dict[str, tuple[str, str]]:
    """Label -> (points, explanation) of the overview's risk score breakdown."""
    html = response.get_data(as_text=True)
    table = re.search(r"Opbouw van de risicoscore</caption>.*?</table>", html, re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return {unescape(label): (points, unescape(text)) for label, points, text in rows}


def test_new_legislation_makes_a_dpia_required_citing_question_0_1(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=dict(NEUTRAL_PRESCAN))  # all answered
    login(owner)
    assert "Uitkomst: Geen DPIA nodig." in outcome_text(client, assessment)

    fill(client, assessment, "prescan", "0", {"q_0_1": "ja"})

    text = outcome_text(client, assessment)
    assert "Uitkomst: DPIA verplicht." in text
    assert (
        "Een DPIA is verplicht, omdat het om nieuwe wet- of regelgeving gaat (vraag 0.1)." in text
    )


def test_one_edpb_criterion_makes_a_dpia_advised(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=dict(NEUTRAL_PRESCAN))  # all answered
    login(owner)

    fill(client, assessment, "prescan", "4", {"q_4_1": ["grootschalig"]})

    text = outcome_text(client, assessment)
    assert "Uitkomst: DPIA aanbevolen." in text
    assert "1 criterium van de EDPB-lijst voldoet: grootschalige verwerking (vraag 4.1)" in text


def test_the_score_breakdown_follows_the_answers(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=dict(NEUTRAL_PRESCAN))  # all answered
    login(owner)
    fill(client, assessment, "prescan", "1", {"q_1_5_4": "aantal_jaren", "q_1_5_3": "continu"})

    page = client.get(f"/assessments/{assessment.id}")

    table = score_table(page)
    assert table["Bewaartermijn"][0] == "1"
    assert table["Frequentie"][0] == "1"
    assert table["Aantal betrokkenen"][0] == "0"
    assert "Risicoscore: 2 punten (bij meer dan 4 is een DPIA verplicht)" in text_of(page)


def test_a_hidden_answer_does_not_count_toward_progress(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    login(owner)
    fill(client, assessment, "prescan", "0", {"q_0_5_1": "ja", "q_0_5_2": ["saas"]})
    page = client.get(f"/assessments/{assessment.id}")
    assert overview_sections(page, "prescan")["0"] == ("2 van 8", "Bezig")

    # the browser hides 0.5.2 but still posts the ticked box
    fill(client, assessment, "prescan", "0", {"q_0_5_1": "nee"})

    assert answers_of(assessment, PRESCAN)["0.5.2"] == ["saas"]  # kept, in case of undo
    page = client.get(f"/assessments/{assessment.id}")
    assert overview_sections(page, "prescan")["0"] == ("1 van 5", "Bezig")
    nav = client.get(section_url(assessment, "prescan", "1"))
    assert "0. Algemeen 1 van 5 ingevuld" in text_of(nav)


def test_a_hidden_answer_does_not_count_toward_the_outcome(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=dict(NEUTRAL_PRESCAN))  # all answered
    login(owner)
    fill(client, assessment, "prescan", "6", {"q_6_1_1": "ja", "q_6_1_2": "ja"})
    assert "IAMA (mensenrechten en algoritmes): aanbevolen" in outcome_text(client, assessment)

    fill(client, assessment, "prescan", "6", {"q_6_1_1": "nee"})

    assert answers_of(assessment, PRESCAN)["6.1.2"] is True
    text = outcome_text(client, assessment)
    assert "IAMA (mensenrechten en algoritmes): niet nodig" in text
    assert "hoog-risico AI-systeem" not in text


def test_starting_the_dpia_prefills_texts_and_starting_risks(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        prescan={
            "0.2": "Burgers vragen online een vergunning aan.",
            "3.1": ["biometrie"],
            "4.1": ["grootschalig", "koppelen"],
        },
    )
    login(owner)
    assert "DPIA starten" in outcome_text(client, assessment)

    response = client.post_form(f"/assessments/{assessment.id}/dpia/starten")

    assert response.status_code == 302
    page = client.get(section_url(assessment, "dpia", "1"))
    assert textarea_value(page, "q_1") == "Burgers vragen online een vergunning aan."
    assert (
        "In de pre-scan antwoordde u op de vraag ‘Beschrijf kort de verwerking’: Burgers "
        "vragen online een vergunning aan. (pre-scan, vraag 0.2)."
    ) in text_of(page)
    risks = client.get(section_url(assessment, "dpia", "16"))
    descriptions = [textarea_value(risks, f"q_16-{n}-beschrijving") for n in range(3)]
    assert descriptions[0].startswith("Biometrische gegevens (")
    assert "pre-scan vraag 3.1" in descriptions[0]
    assert descriptions[1].startswith("Grootschalige verwerking (")
    assert descriptions[2].startswith("Koppelen of combineren van datasets (")
    assert (
        "In de pre-scan antwoordde u op de vraag ‘Aan welke criteria voldoet de verwerking?’: "
        "Grootschalige verwerking; Koppelen"
    ) in text_of(risks)
    (event,) = audit_events("assessment.dpia_started")
    assert event.details["prefilled"] == ["1", "16"]
    assert "DPIA starten" not in outcome_text(client, assessment)


def test_starting_twice_changes_nothing(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.2": "Eerste beschrijving"})
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/dpia/starten")
    fill(client, assessment, "dpia", "1", {"q_1": "Zelf herschreven"})
    client.post_form(f"/assessments/{assessment.id}/dpia/starten")
    assert answers_of(assessment, DPIA) == {"1": "Zelf herschreven"}


def test_a_hidden_prescan_answer_is_not_carried_over(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner, prescan={"0.5.1": False, "0.5.3": "publiek"}, start_dpia=True
    )
    login(owner)
    text = text_of(client.get(section_url(assessment, "dpia", "4")))
    assert (
        "In de pre-scan antwoordde u op de vraag ‘Gebruikt u de cloud voor deze verwerking?’: "
        "Nee (pre-scan, vraag 0.5.1)."
    ) in text
    assert "vraag 0.5.3" not in text
    assert "Uit de pre-scan (vraag" not in text
    assert answers_of(assessment, DPIA)["4.4"] is False


def test_a_prescan_answer_for_a_table_column_is_shown_beside_that_table(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        prescan={"1.4.1": ["burgers"], "1.5.4": "jaar"},
        dpia={"2": [{"_id": "naam0001", "persoonsgegeven": "Naam"}]},
    )
    login(owner)
    page = text_of(client.get(section_url(assessment, "dpia", "2")))
    assert (
        "Voor ‘Categorie betrokkenen’ antwoordde u in de pre-scan op de vraag ‘Over welke "
        "groepen mensen verwerkt u gegevens?’: Burgers (pre-scan, vraag 1.4.1)."
    ) in page
