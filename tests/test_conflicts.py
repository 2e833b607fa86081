"""No lost work: two people on one section, autosave, and a refused save that keeps the input."""

import pytest
from markupsafe import escape

from pia.models import AssessmentRole, SectionVersion
from pia.roles import Role
from tests.conftest import audit_events, log_in, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    add_member,
    answers_of,
    fill,
    form_data,
    make_assessment,
    questionnaire_form,
    section_url,
    textarea_value,
)

MINE = "Mijn tekst: <minder> gegevens kan niet & dat is “zo”."
THEIRS = "Tekst van de collega: een alternatief is onderzocht."


@pytest.fixture
def two_editors(app, client, login):
    """(assessment, client of the owner, client of an editor): both logged in."""
    owner = make_user(Role.PROJECTLEIDER, name="Olga Eigenaar")
    editor = make_user(Role.PROJECTLEIDER, name="Erik Mede")
    assessment = make_assessment(owner, start_dpia=True)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    login(owner)
    other = app.test_client()
    log_in(other, editor)
    return assessment, client, other


def version_of(assessment, section_id: str) -> int:
    from pia.extensions import db

    db.session.expire_all()
    row = db.session.get(SectionVersion, (assessment.id, "dpia", section_id))
    return row.version if row else 0


def test_the_second_save_is_refused_and_shows_both_versions(two_editors):
    assessment, first, second = two_editors
    url = section_url(assessment, "dpia", "14")
    fill(first, assessment, "dpia", "14", {"q_14_1": "Eerdere tekst"})
    page_1, page_2 = first.get(url), second.get(url)
    assert form_data(page_1)["base_version"] == form_data(page_2)["base_version"] == ["1"]

    saved = first.post_form(url, form_data(page_1, {"q_14_1": THEIRS, "save": "1"}))
    assert saved.status_code == 302
    refused = second.post_form(
        url, form_data(page_2, {"q_14_1": MINE, "q_14_2": "Evenredig.", "save": "1"})
    )

    assert refused.status_code == 409
    text = text_of(refused)
    assert "Niet opgeslagen: iemand anders heeft dit onderdeel intussen gewijzigd" in text
    assert "Olga Eigenaar heeft onderdeel 14 opgeslagen" in text
    assert "er is niets overschreven" in text
    html = refused.get_data(as_text=True)
    table = html.split('id="conflict-caption"')[1].split("</table>")[0]
    assert str(escape(MINE)) in table and THEIRS in table
    assert textarea_value(refused, "q_14_1") == MINE
    assert textarea_value(refused, "q_14_2") == "Evenredig."
    form = questionnaire_form(refused)
    assert ("base_version", "2") in form["fields"]
    assert "Mijn versie opslaan" in text
    assert answers_of(assessment, DPIA) == {"14.1": THEIRS}
    assert version_of(assessment, "14") == 2

    again = second.post_form(url, form_data(refused, {"save": "1"}))

    assert again.status_code == 302
    assert answers_of(assessment, DPIA) == {"14.1": MINE, "14.2": "Evenredig."}
    assert version_of(assessment, "14") == 3


def test_the_first_save_of_a_section_also_detects_a_conflict(two_editors):
    assessment, first, second = two_editors
    url = section_url(assessment, "dpia", "18")
    page_1, page_2 = first.get(url), second.get(url)
    first.post_form(url, form_data(page_1, {"q_18": THEIRS, "save": "1"}))
    refused = second.post_form(url, form_data(page_2, {"q_18": MINE, "save": "1"}))
    assert refused.status_code == 409
    assert textarea_value(refused, "q_18") == MINE
    assert answers_of(assessment, DPIA) == {"18": THEIRS}
    assert second.post_form(url, form_data(refused, {"save": "1"})).status_code == 302
    assert answers_of(assessment, DPIA) == {"18": MINE}


def test_saves_of_different_sections_do_not_conflict(two_editors):
    assessment, first, second = two_editors
    page_1 = first.get(section_url(assessment, "dpia", "14"))
    page_2 = second.get(section_url(assessment, "dpia", "18"))
    url_14, url_18 = section_url(assessment, "dpia", "14"), section_url(assessment, "dpia", "18")
    assert (
        first.post_form(url_14, form_data(page_1, {"q_14_1": THEIRS, "save": "1"})).status_code
        == 302
    )
    assert (
        second.post_form(url_18, form_data(page_2, {"q_18": MINE, "save": "1"})).status_code == 302
    )
    assert answers_of(assessment, DPIA) == {"14.1": THEIRS, "18": MINE}


def test_autosave_answers_in_json_saved_and_conflict(two_editors):
    assessment, first, second = two_editors
    url = section_url(assessment, "dpia", "14")
    autosave = {"X-Autosave": "1"}
    page_1, page_2 = first.get(url), second.get(url)

    response = first.post_form(url, form_data(page_1, {"q_14_1": THEIRS}), headers=autosave)

    assert response.status_code == 200
    assert (response.json["status"], response.json["version"]) == ("saved", 1)
    data = form_data(page_1, {"q_14_1": THEIRS + " Aangevuld.", "base_version": "1"})
    response = first.post_form(url, data, headers=autosave)
    assert (response.json["status"], response.json["version"]) == ("saved", 2)

    response = second.post_form(url, form_data(page_2, {"q_14_1": MINE}), headers=autosave)

    assert response.status_code == 409
    assert response.json["status"] == "conflict"
    assert "Iemand anders heeft dit onderdeel intussen opgeslagen" in response.json["message"]
    assert answers_of(assessment, DPIA) == {"14.1": THEIRS + " Aangevuld."}


def test_autosave_of_the_prescan_reports_no_outcome_before_it_is_complete(two_editors):
    assessment, first, _ = two_editors
    url = section_url(assessment, "prescan", "0")
    data = form_data(first.get(url), {"q_0_1": "ja"})
    response = first.post_form(url, data, headers={"X-Autosave": "1"})
    assert response.json["status"] == "saved"
    assert response.json["outcome"] == "nog niet bekend (eerst alle vragen beantwoorden)"
    assert "Uitkomst van de pre-scan tot nu toe: nog niet bekend" in text_of(first.get(url))


def test_autosave_of_invalid_input_saves_nothing(two_editors):
    assessment, first, _ = two_editors
    url = section_url(assessment, "dpia", "14")
    data = form_data(first.get(url), {"q_14_1": "x" * 100_001, "q_14_2": "Geldig"})
    response = first.post_form(url, data, headers={"X-Autosave": "1"})
    assert response.status_code == 400
    assert response.json["status"] == "invalid"
    assert answers_of(assessment, DPIA) == {}


def test_a_too_long_text_is_refused_and_everything_typed_stays(two_editors):
    assessment, first, _ = two_editors
    url = section_url(assessment, "dpia", "14")
    fill(first, assessment, "dpia", "14", {"q_14_aanvullend": "Bewaard"})
    data = form_data(
        first.get(url),
        {"q_14_1": "x" * 100_001, "q_14_2": "Zorgvuldig getypt antwoord", "save": "1"},
    )

    response = first.post_form(url, data)

    assert response.status_code == 400
    text = text_of(response)
    assert "Er is een probleem" in text
    assert "Gebruik hoogstens 100000 tekens. Nu zijn het er 100001." in text
    assert textarea_value(response, "q_14_2") == "Zorgvuldig getypt antwoord"
    assert textarea_value(response, "q_14_1") == "x" * 100_001
    assert ("base_version", "1") in questionnaire_form(response)["fields"]
    assert answers_of(assessment, DPIA) == {"14.aanvullend": "Bewaard"}
    assert version_of(assessment, "14") == 1


def test_a_text_of_100000_characters_is_saved(two_editors):
    assessment, first, _ = two_editors
    long_text = ("Lange toelichting. " * 5300)[:99_999] + "é"
    assert len(long_text) == 100_000
    response = fill(first, assessment, "dpia", "14", {"q_14_1": long_text})
    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["14.1"] == long_text
    (event,) = audit_events("assessment.answers_saved")
    assert len(event.details["changes"]["14.1"][1]) < 2100  # the log keeps a short copy


def test_a_post_without_base_version_is_refused(two_editors):
    assessment, first, _ = two_editors
    url = section_url(assessment, "dpia", "14")
    response = first.post_form(url, {"q_14_1": "Zonder versie", "save": "1"})
    assert response.status_code == 400
    assert answers_of(assessment, DPIA) == {}


def test_simultaneous_first_saves_give_a_conflict_not_an_error(two_editors, monkeypatch):
    """Both read "no version yet"; the primary key refuses the second first save."""
    from pia.services import questionnaires

    assessment, first, second = two_editors
    url = section_url(assessment, "dpia", "18")
    page_1, page_2 = first.get(url), second.get(url)
    first.post_form(url, form_data(page_1, {"q_18": THEIRS, "save": "1"}))
    # the second request read "no version yet" before the first one committed
    monkeypatch.setattr(questionnaires, "section_version", lambda *args: None)

    refused = second.post_form(url, form_data(page_2, {"q_18": MINE, "save": "1"}))

    assert refused.status_code == 409
    assert textarea_value(refused, "q_18") == MINE
    assert answers_of(assessment, DPIA) == {"18": THEIRS}
    assert second.post_form(url, form_data(refused, {"save": "1"})).status_code == 302
    assert answers_of(assessment, DPIA) == {"18": MINE}
