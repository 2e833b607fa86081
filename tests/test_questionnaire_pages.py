"""Section pages: rendering, tables with stable rows, per-operation groups, options from answers."""

import re

from pia.roles import Role
from tests.conftest import checked_values, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    PRESCAN,
    answers_of,
    fill,
    form_data,
    make_assessment,
    post_page,
    questionnaire_form,
    row,
    section_url,
)

PRESCAN_TITLES = {
    "0": "Algemeen",
    "1": "Persoonsgegevens en betrokkenen",
    "2": "Doorgifte buiten de EER",
    "3": "Lijst van de Autoriteit Persoonsgegevens",
    "4": "Criteria van de EDPB",
    "5": "Basisregistraties",
    "6": "Algoritmen",
    "7": "Digitale diensten en kinderen",
}


def test_every_prescan_section_renders_with_a_form(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    login(owner)
    for section_id, title in PRESCAN_TITLES.items():
        page = client.get(section_url(assessment, "prescan", section_id))
        assert page.status_code == 200, section_id
        assert f"{section_id}. {title}" in text_of(page)
        form = questionnaire_form(page)
        assert ("base_version", "0") in form["fields"]
        assert {"save", "save_next"} <= set(form["buttons"])


def test_save_and_next_goes_to_the_following_section_and_the_last_to_the_overview(
    app, client, login
):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    login(owner)
    response = fill(client, assessment, "prescan", "0", {"q_0_1": "nee"}, press="save_next")
    assert response.headers["Location"].endswith(section_url(assessment, "prescan", "1"))
    response = fill(client, assessment, "prescan", "7", {"q_7_1_1": "nee"}, press="save_next")
    assert response.headers["Location"].endswith(f"/assessments/{assessment.id}")
    assert answers_of(assessment, PRESCAN) == {"0.1": False, "7.1.1": False}


def test_a_table_row_is_added_filled_and_removed_and_row_ids_stay_stable(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)

    # "Regel toevoegen" shows an empty row; it is stored once something is typed in it.
    response = fill(client, assessment, "dpia", "2", press="add_row__2")
    assert response.status_code == 302
    shown_url = response.headers["Location"]
    assert shown_url == section_url(assessment, "dpia", "2") + "?regel=add_row__2#q_2"
    assert "2" not in answers_of(assessment, DPIA)
    page = client.get(shown_url)
    typed = {"q_2-0-persoonsgegeven": "Naam", "q_2-0-type": "gewoon", "q_2-0-via_partij": "nee"}
    response = post_page(client, shown_url, page, typed, press="add_row__2")
    (first,) = (r["_id"] for r in answers_of(assessment, DPIA)["2"])
    page = client.get(response.headers["Location"])
    assert ("q_2-0-row_id", first) in questionnaire_form(page)["fields"]
    second_row = {"q_2-1-persoonsgegeven": "BSN", "q_2-1-type": "nationaal_identificatienummer"}
    assert post_page(client, shown_url, page, second_row).status_code == 302
    first_id, second = (r["_id"] for r in answers_of(assessment, DPIA)["2"])
    assert first_id == first and second != first
    assert answers_of(assessment, DPIA)["2"] == [
        row(first, persoonsgegeven="Naam", type="gewoon", via_partij=False),
        row(second, persoonsgegeven="BSN", type="nationaal_identificatienummer"),
    ]
    # saved again unchanged: the same ids
    fill(client, assessment, "dpia", "2")
    assert [r["_id"] for r in answers_of(assessment, DPIA)["2"]] == [first, second]

    response = fill(client, assessment, "dpia", "2", press=f"remove_row__2__{first}")

    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["2"] == [
        row(second, persoonsgegeven="BSN", type="nationaal_identificatienummer")
    ]
    page = client.get(section_url(assessment, "dpia", "2"))
    assert ("q_2-0-row_id", second) in questionnaire_form(page)["fields"]
    assert "Regel 2" not in text_of(page)


def test_removing_the_last_row_leaves_the_table_unanswered(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"16": [row("risico01", beschrijving="Lek")]})
    login(owner)
    fill(client, assessment, "dpia", "16", press="remove_row__16__risico01")
    assert "16" not in answers_of(assessment, DPIA)


def test_each_operation_of_section_3_gets_its_own_group_in_section_5(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    page = client.get(section_url(assessment, "dpia", "5"))
    assert "Er zijn nog geen gegevensverwerkingen. Vul eerst onderdeel 3 in" in text_of(page)

    shown_url = fill(client, assessment, "dpia", "3", press="add_row__3").headers["Location"]
    page = client.get(shown_url)
    names = {"q_3-0-naam": "Aanvraag ontvangen"}
    shown_url = post_page(client, shown_url, page, names, press="add_row__3").headers["Location"]
    post_page(client, shown_url, client.get(shown_url), {"q_3-1-naam": "Besluit versturen"})
    ontvangen, besluit = (r["_id"] for r in answers_of(assessment, DPIA)["3"])

    page = client.get(section_url(assessment, "dpia", "5"))
    text = text_of(page)
    assert "Verwerking: Aanvraag ontvangen" in text
    assert "Verwerking: Besluit versturen" in text
    fields = questionnaire_form(page)["fields"]
    assert ("q_5-0-operation", ontvangen) in fields and ("q_5-1-operation", besluit) in fields

    response = fill(client, assessment, "dpia", "5", press=f"add_row__5.1__{besluit}")
    assert "5" not in answers_of(assessment, DPIA)  # shown, not stored while empty
    shown_url = response.headers["Location"]
    response = post_page(
        client, shown_url, client.get(shown_url), {"q_5-1-q_5_1-0-doel": "Besluit nemen"}
    )

    assert response.status_code == 302
    (purpose,) = answers_of(assessment, DPIA)["5"][besluit]["5.1"]
    assert answers_of(assessment, DPIA)["5"] == {
        besluit: {"5.1": [{"_id": purpose["_id"], "doel": "Besluit nemen"}]}
    }
    full = text_of(client.get(f"/assessments/{assessment.id}/volledig"))
    assert "Verwerking: Besluit versturen" in full
    assert "Besluit nemen" in full


def test_options_from_section_2_are_its_rows_and_are_stored_as_row_ids(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    naam, bsn = "naam0001", "bsn00001"
    assessment = make_assessment(
        owner,
        dpia={
            "2": [row(naam, persoonsgegeven="Naam"), row(bsn, persoonsgegeven="BSN")],
            "3": [row("verw0001", naam="Aanvraag ontvangen")],
        },
    )
    login(owner)
    page = client.get(section_url(assessment, "dpia", "3"))
    html = page.get_data(as_text=True)
    offered = dict(
        re.findall(
            r'<input[^>]*name="q_3-0-persoonsgegevens"[^>]*value="([^"]+)">\s*<label[^>]*>([^<]+)',
            html,
        )
    )
    assert offered == {naam: "Naam", bsn: "BSN"}

    response = fill(client, assessment, "dpia", "3", {"q_3-0-persoonsgegevens": [bsn, naam]})

    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["3"][0]["persoonsgegevens"] == [bsn, naam]
    page = client.get(section_url(assessment, "dpia", "3"))
    assert checked_values(page, "q_3-0-persoonsgegevens") == {naam, bsn}
    # renaming the source row changes the label, not the stored choice
    fill(client, assessment, "dpia", "2", {"q_2-1-persoonsgegeven": "Burgerservicenummer"})
    full = client.get(f"/assessments/{assessment.id}/volledig")
    cells = re.findall(r'<td class="answer__text">([^<]*)</td>', full.get_data(as_text=True))
    assert "BSN; Naam" not in cells
    assert "Burgerservicenummer; Naam" in cells
    assert bsn not in text_of(full)


def test_an_option_not_offered_is_refused(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        dpia={
            "2": [row("naam0001", persoonsgegeven="Naam")],
            "3": [row("verw0001", naam="Aanvraag ontvangen")],
        },
    )
    login(owner)
    response = fill(client, assessment, "dpia", "3", {"q_3-0-persoonsgegevens": ["verzonnen"]})
    assert response.status_code == 400
    assert "Kies een van de antwoorden uit de lijst." in text_of(response)
    assert "persoonsgegevens" not in answers_of(assessment, DPIA)["3"][0]


def test_the_read_only_full_view_shows_every_answer_in_words(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        prescan={"0.1": True, "0.4": "algemeen_belang", "1.4.1": ["burgers", "kinderen"]},
        dpia={"15.1.1": "nvt", "14.1": "Geen alternatief"},
    )
    login(owner)
    page = client.get(f"/assessments/{assessment.id}/volledig")
    assert page.status_code == 200
    text = text_of(page)
    assert "Pre-scan: Pre-scan DPIA (versie 2.0)" in text
    assert "DPIA: Rapportagemodel DPIA Rijksdienst (versie 3.0)" in text
    for words in (
        "0.1 Gaat het om nieuwe wet- of regelgeving? Ja",
        "0.4 Op welke rechtsgrond verwerkt u de persoonsgegevens? Taak van algemeen belang",
        "Burgers; Kinderen jonger dan 16 jaar",
        "15.1.1 Is er een procedure om dit recht uit te oefenen? Niet van toepassing",
        "14.1 Subsidiariteit Geen alternatief",
    ):
        assert words in text
    assert "<form" not in page.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]


def test_the_page_offers_what_a_form_post_needs(app, client, login):
    """The page's form, posted unchanged, saves nothing new (no hidden drift)."""
    owner = make_user(Role.PROJECTLEIDER)
    answers = {
        "2": [row("naam0001", persoonsgegeven="Naam", via_partij=True, partij="RDW")],
        "15.1.1": True,
        "15.1.2": "Via het webformulier.\nOf per brief.",
        "15.1.3": "nvt",
    }
    assessment = make_assessment(owner, dpia=answers)
    login(owner)
    for section_id in ("2", "15"):
        url = section_url(assessment, "dpia", section_id)
        data = form_data(client.get(url))
        data["save"] = ["1"]
        assert client.post_form(url, data).status_code == 302
    stored = answers_of(assessment, DPIA)
    assert {k: stored[k] for k in answers} == answers
