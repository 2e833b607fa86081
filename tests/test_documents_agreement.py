"""Processor agreements: pick a processor from §6, a pre-filled draft, the generated document."""

import copy

import pytest

from pia import demo_content
from pia.models import AssessmentRole, DocumentKind, ProcessorAgreement
from pia.roles import Role
from tests.conftest import audit_events, count, make_org, make_user, text_of
from tests.documents_helpers import (
    all_text,
    column,
    demo_assessment,
    latest_document,
    open_docx,
    table_with_header,
)
from tests.factories_assessments import add_member, page_forms

OP = demo_content.OP_AANVRAAG


def dpia_with(*parties, locations=None) -> dict:
    """The demo DPIA with extra §6 parties in the first operation (and extra §8 rows)."""
    answers = copy.deepcopy(demo_content.DPIA)
    answers["6"][OP]["6.1"].extend(parties)
    answers["8"][OP]["8.1"].extend(locations or [])
    return answers


def party(row_id, name, role, data=(demo_content.P_NAAM,)):
    return {
        "_id": row_id,
        "naam": name,
        "rol": [role],
        "functies": "Beheer",
        "persoonsgegevens": list(data),
        "betrokkenen": [demo_content.P_NAAM],
    }


def start(client, assessment, party_id=demo_content.PARTY_CLOUD):
    response = client.post_form(
        f"/assessments/{assessment.id}/documenten/verwerkersovereenkomsten",
        {"party_id": party_id},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def agreement_form(page) -> dict[str, list[str]]:
    form = next(f for f in page_forms(page) if "verwerkersovereenkomsten/" in f["attrs"]["action"])
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        if name != "csrf_token":
            data.setdefault(name, []).append(value)
    return data


def submit(client, url, changes, press="save"):
    data = agreement_form(client.get(url))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    data[press] = ["1"]
    return client.post_form(url, data)


COMPLETE = {
    "ondertekenaar_naam": "Sanne Tekenaar",
    "verwerker_kvk": "12345678",
    "verwerker_adres": "Voorbeeldstraat 1, Den Haag",
    "verwerker_ondertekenaar_naam": "Victor Werker",
    "onderwerp": "Het zaaksysteem voor de energiesubsidie",
    "hoofdovereenkomst": "arvodi-2018",
    "hoofdovereenkomst_kenmerk": "BZK-2027-17",
    "meldtermijn_uren": "36",
    "meldpunt": "CERT BZK",
    "contact_verantwoordelijke": "Team Subsidies",
    "contact_verwerker": "Servicedesk",
}


def test_processor_agreement_from_the_dpia(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    hosting = party("partysb1", "Hosting Noord B.V.", "subverwerker")
    mail = party("partysb2", "Mailbezorger & Co", "subverwerker")
    assessment = demo_assessment(owner, dpia=dpia_with(hosting, mail))
    login(owner)
    page = client.get(f"/assessments/{assessment.id}/documenten/")
    assert "Leverancier zaaksysteem B.V." in text_of(page)
    url = start(client, assessment)
    form = agreement_form(client.get(url))
    # pre-filled from the DPIA: organisation, processor, its data (§6), purposes (§5), measures
    assert form["verantwoordelijke_organisatie"] == ["Ministerie BZK"]
    assert form["verwerker_naam"] == ["Leverancier zaaksysteem B.V."]
    assert set(form["persoonsgegevens"]) == {demo_content.P_NAAM, demo_content.P_ADRES}
    assert "Vaststellen of de aanvrager recht heeft op subsidie." in form["doeleinden"][0]
    assert "DigiD op niveau substantieel" in form["beveiligingsmaatregelen"][0]
    assert form["subverwerkers-0-party_id"] == ["partysb1"]
    changes = {
        **COMPLETE,
        "persoonsgegevens": [demo_content.P_NAAM, demo_content.P_ADRES, demo_content.P_BSN],
        "subverwerkers-0-land": "Nederland",
        "subverwerkers-1-land": "Duitsland",
        "subverwerkers-1-activiteit": "E-mail versturen",
    }
    saved = submit(client, url, changes)
    assert saved.status_code == 302
    draft = ProcessorAgreement.query.one()
    assert draft.fields["verwerker_kvk"] == "12345678"
    assert draft.fields["subverwerkers"]["partysb2"]["land"] == "Duitsland"
    assert latest_document() is None  # saved as a draft only

    assert submit(client, url, {}, press="generate").status_code == 302
    record = latest_document()
    assert record.kind == DocumentKind.PROCESSOR_AGREEMENT and record.agreement_id == draft.id
    doc = open_docx(record.content)
    text = all_text(doc)
    assert "Verwerkersovereenkomst" in text and "Leverancier zaaksysteem B.V." in text
    assert "12345678" in text
    assert "ARVODI-2018" in text and "ARBIT-2022" not in text
    assert "binnen 36 uur" in text
    items = table_with_header(doc, "Persoonsgegeven")
    assert column(items) == ["Naam", "Adres", "BSN"]
    assert "nationaal identificatienummer" in column(items, 4)[2]
    assert column(table_with_header(doc, "Categorie betrokkenen")) == ["Aanvragers"]
    subs = table_with_header(doc, "Naam")
    assert column(subs) == ["Hosting Noord B.V.", "Mailbezorger & Co"]
    assert column(subs, 1) == ["Nederland", "Duitsland"]
    assert column(table_with_header(doc, "Verwerking"), 0)  # retention, from §10
    assert "Bijlage 4. Contactgegevens" in text and "Servicedesk" in text
    assert len(audit_events("agreement.saved")) == 1  # the second save changed nothing
    assert audit_events("document.generated")[-1].details["processor"] == draft.processor_name


@pytest.mark.parametrize(
    "choice, expected", [("arbit-2022", "ARBIT-2022"), ("anders", "Raamovereenkomst Cloud 2026")]
)
def test_the_chosen_main_agreement(client, login, choice, expected):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    url = start(client, assessment)
    changes = {
        **COMPLETE,
        "hoofdovereenkomst": choice,
        "hoofdovereenkomst_anders": "Raamovereenkomst Cloud 2026",
    }
    assert submit(client, url, changes, press="generate").status_code == 302
    text = all_text(open_docx(latest_document().content))
    assert expected in text
    assert "ARVODI-2018" not in text


def test_one_draft_per_processor_and_several_per_assessment(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    other = party("partyv02", "Printstraat Nederland", "verwerker")
    assessment = demo_assessment(owner, dpia=dpia_with(other))
    login(owner)
    first = start(client, assessment)
    assert start(client, assessment) == first  # the same draft again
    second = start(client, assessment, "partyv02")
    assert second != first
    assert count(ProcessorAgreement) == 2
    assert "Printstraat Nederland" in text_of(
        client.get(f"/assessments/{assessment.id}/documenten/")
    )


def test_a_processor_within_the_state_gets_processing_arrangements(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    make_org("SSO", name="Rijksdienst Gedeelde Hosting")
    sso = party("partysso", "Rijksdienst Gedeelde Hosting", "verwerker")
    assessment = demo_assessment(owner, dpia=dpia_with(sso))
    login(owner)
    url = start(client, assessment, "partysso")
    page = client.get(url)
    assert agreement_form(page)["binnen_staat"] == ["y"]  # recognised as an organisation here
    assert "Dit worden verwerkersafspraken, geen overeenkomst" in text_of(page)
    assert "één rechtspersoon" in text_of(page)
    assert submit(client, url, COMPLETE, press="generate").status_code == 302
    record = latest_document()
    assert record.kind == DocumentKind.PROCESSING_ARRANGEMENTS
    text = all_text(open_docx(record.content))
    assert text.startswith("Verwerkersafspraken")
    assert "Waarom verwerkersafspraken en geen overeenkomst" in text
    assert "Kamer van Koophandel" not in text and "12345678" not in text
    assert "Rijksdienst Gedeelde Hosting" in text


def test_errors_keep_the_input(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    url = start(client, assessment)
    response = submit(
        client,
        url,
        {"verwerker_kvk": "12-AB", "meldtermijn_uren": "100", "verwerker_adres": "Straat 5 <b>"},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "Een KvK-nummer heeft 8 cijfers." in body and "1 tot en met 72" in body
    form = agreement_form(response)
    assert form["verwerker_kvk"] == ["12-AB"] and form["verwerker_adres"] == ["Straat 5 <b>"]
    assert latest_document() is None


def test_only_editors_open_the_form(client, login):
    owner, viewer = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    login(owner)
    url = start(client, assessment)
    client.post_form("/uitloggen")
    login(viewer)
    assert client.get(url).status_code == 403
    response = client.post_form(
        f"/assessments/{assessment.id}/documenten/verwerkersovereenkomsten",
        {"party_id": demo_content.PARTY_CLOUD},
    )
    assert response.status_code == 403
