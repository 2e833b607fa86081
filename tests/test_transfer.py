"""Export to JSON and import from it: lossless, a new assessment, all or nothing, audited."""

import copy
import io
import json

import pytest

from pia.extensions import db
from pia.models import Answer, Assessment, AssessmentMember
from pia.roles import Role
from tests.conftest import audit_events, count, log_in, make_org, make_user, text_of
from tests.factories_assessments import fill, make_assessment, row

PRESCAN_ANSWERS = {
    "0.1": False,
    "0.2": "Burgers vragen een vergunning aan.\nRegel twee: “quotes” & <tags> 😀",
    "0.4": "algemeen_belang",
    "0.5.1": True,
    "0.5.2": ["saas", "opslag"],
    "1.4.1": ["burgers", "kinderen"],
    "3.1": ["biometrie"],
    "4.1": ["grootschalig"],
}
DPIA_ANSWERS = {
    "1": "Het voorstel.",
    "2": [
        row("naam0001", persoonsgegeven="Naam", type="gewoon", via_partij=True, partij="RDW"),
        row("bsn00001", persoonsgegeven="BSN", type="nationaal_identificatienummer"),
    ],
    "3": [row("verw0001", naam="Aanvraag ontvangen", persoonsgegevens=["naam0001", "bsn00001"])],
    "5": {"verw0001": {"5.1": [row("doel0001", doel="Aanvraag beoordelen")]}},
    "15.1.1": "nvt",
    "16": [row("risico01", beschrijving="Datalek", kans="midden", impact="hoog")],
    "17.1": [
        row("maatr001", risicos=["risico01"], maatregel="Versleutelen", resterend_risico="laag")
    ],
}


def export(client, assessment) -> dict:
    response = client.get(f"/assessments/{assessment.id}/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def upload(client, content: bytes | str, name: str = "assessment.json"):
    data = content.encode() if isinstance(content, str) else content
    return client.post_form(
        "/assessments/importeren",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_export_is_a_json_attachment_with_answers_metadata_and_results(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner, title="Vergunningen", prescan=PRESCAN_ANSWERS, dpia=DPIA_ANSWERS
    )
    login(owner)

    response = client.get(f"/assessments/{assessment.id}/export.json")

    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="assessment-{assessment.id}.json"'
    document = json.loads(response.get_data(as_text=True))
    assert document["formaat"] == "pia-assessment"
    assert document["assessment"] == {
        "titel": "Vergunningen",
        "omschrijving": "Een test.",
        "organisatie": "BZK",
        "rijksbreed": False,
        "status": "concept",
    }
    prescan, dpia = document["vragenlijsten"]["prescan"], document["vragenlijsten"]["dpia"]
    assert (prescan["definitie"], prescan["versie"]) == ("prescan", "2.0")
    assert (dpia["definitie"], dpia["versie"]) == ("dpia", "3.0")
    assert prescan["antwoorden"] == PRESCAN_ANSWERS
    assert dpia["antwoorden"] == {**DPIA_ANSWERS, "4.4": True}  # 4.4 carried from 0.5.1
    results = document["uitkomsten"]
    assert results["prescan"]["dpia"] == "verplicht"
    assert any("(vraag 3.1)" in reason for reason in results["prescan"]["redenen"])
    assert results["voorafgaande_raadpleging_ap"] is False
    (event,) = audit_events("assessment.exported")
    assert (event.actor_id, event.object_id) == (owner.id, str(assessment.id))


def test_import_creates_a_new_assessment_and_the_round_trip_is_lossless(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    original = make_assessment(owner, prescan=PRESCAN_ANSWERS, dpia=DPIA_ANSWERS)
    login(owner)
    first = export(client, original)

    importer = make_user(Role.PROJECTLEIDER, org="JenV")
    other = app.test_client()
    log_in(other, importer)
    response = upload(other, json.dumps(first))

    assert response.status_code == 302
    imported = db.session.scalars(db.select(Assessment).where(Assessment.id != original.id)).one()
    assert response.headers["Location"].endswith(f"/assessments/{imported.id}")
    assert [(m.user_id, m.role) for m in imported.members] == [(importer.id, "owner")]
    assert imported.organisation.abbreviation == "BZK"
    assert (imported.prescan_version, imported.dpia_version) == ("2.0", "3.0")
    assert "Het assessment is geïmporteerd. U bent de eigenaar." in text_of(
        other.get(response.headers["Location"])
    )
    second = export(other, imported)
    assert second["vragenlijsten"] == first["vragenlijsten"]
    assert second["assessment"] == first["assessment"]
    assert second["uitkomsten"] == first["uitkomsten"]
    # the original is untouched and still only its owner's
    assert [m.user_id for m in original.members] == [owner.id]
    (event,) = audit_events("assessment.imported")
    assert (event.actor_id, event.object_id) == (importer.id, str(imported.id))


def test_a_prescan_only_export_imports_without_a_dpia(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    original = make_assessment(owner, prescan={"0.1": True})
    login(owner)
    document = export(client, original)
    assert list(document["vragenlijsten"]) == ["prescan"]
    assert upload(client, json.dumps(document)).status_code == 302
    imported = db.session.scalars(db.select(Assessment).order_by(Assessment.id.desc())).first()
    assert not imported.has_dpia
    assert export(client, imported)["vragenlijsten"] == document["vragenlijsten"]


@pytest.mark.parametrize("removed", ["operation", "chosen row"])
def test_an_export_after_removing_a_row_can_be_imported_again(app, client, login, removed):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        dpia={
            "2": [row("naam0001", persoonsgegeven="Naam"), row("bsn00001", persoonsgegeven="BSN")],
            "3": [
                row("verw0001", naam="Ontvangen", persoonsgegevens=["naam0001", "bsn00001"]),
                row("verw0002", naam="Besluiten"),
            ],
            "5": {"verw0002": {"5.1": [row("doel0001", doel="Besluit nemen")]}},
        },
    )
    login(owner)
    if removed == "operation":
        fill(client, assessment, "dpia", "3", press="remove_row__3__verw0002")
    else:
        fill(client, assessment, "dpia", "2", press="remove_row__2__bsn00001")
    document = export(client, assessment)

    response = upload(client, json.dumps(document))

    assert response.status_code == 302, text_of(response)
    imported = db.session.scalars(db.select(Assessment).order_by(Assessment.id.desc())).first()
    assert export(client, imported)["vragenlijsten"] == document["vragenlijsten"]


def good_document() -> dict:
    return {
        "formaat": "pia-assessment",
        "formaatversie": 1,
        "assessment": {"titel": "Uit een bestand", "organisatie": "BZK", "rijksbreed": False},
        "vragenlijsten": {
            "prescan": {"definitie": "prescan", "versie": "2.0", "antwoorden": {"0.1": True}},
            "dpia": {
                "definitie": "dpia",
                "versie": "3.0",
                "antwoorden": {"16": [row("risico01", beschrijving="Lek", kans="laag")]},
            },
        },
    }


def broken(change) -> bytes:
    document = copy.deepcopy(good_document())
    change(document)
    return json.dumps(document).encode()


BAD_FILES = {
    "geen json": (b'{"formaat": "pia-assessment", ', "Het bestand is geen geldig JSON-bestand."),
    "onbekende vraag": (
        broken(lambda d: d["vragenlijsten"]["prescan"]["antwoorden"].update({"99.9": "x"})),
        "prescan: Onbekende vraag '99.9'.",
    ),
    "verkeerde optie": (
        broken(lambda d: d["vragenlijsten"]["dpia"]["antwoorden"]["16"][0].update(kans="heel")),
        "onbekende keuze 'heel'",
    ),
    "onbekende organisatie": (
        broken(lambda d: d["assessment"].update(organisatie="XYZ")),
        "Onbekende of gedeactiveerde organisatie: 'XYZ'.",
    ),
    # a value that is there but wrong is called wrong, not missing
    "verkeerd formaat": (
        broken(lambda d: d.update(formaat="iets-anders")),
        "het veld 'formaat' is \"iets-anders\", en dat moet 'pia-assessment' zijn.",
    ),
    "titel geen tekst": (
        broken(lambda d: d["assessment"].update(titel=42)),
        "De titel moet tekst zijn, maar is 42.",
    ),
    "titel te lang": (
        broken(lambda d: d["assessment"].update(titel="x" * 201)),
        "De titel is 201 tekens lang; dat mag hoogstens 200 zijn.",
    ),
    "titel ontbreekt": (
        broken(lambda d: d["assessment"].pop("titel")),
        "De titel ontbreekt.",
    ),
    "antwoorden geen object": (
        broken(lambda d: d["vragenlijsten"]["dpia"].update(antwoorden=[])),
        "De antwoorden van de dpia hebben niet de goede vorm.",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_with_its_problems_and_creates_nothing(app, client, login, name):
    content, problem = BAD_FILES[name]
    owner = make_user(Role.PROJECTLEIDER)
    make_assessment(owner, prescan={"0.2": "Bestaand"})
    login(owner)
    before = (count(Assessment), count(Answer), count(AssessmentMember))

    response = upload(client, content)

    assert response.status_code == 400
    text = text_of(response)
    assert "Het bestand is niet geïmporteerd" in text
    assert "Er is niets opgeslagen." in text
    assert problem in text
    assert (count(Assessment), count(Answer), count(AssessmentMember)) == before
    assert audit_events("assessment.imported") == []


def test_every_problem_of_a_file_is_listed(app, client, login):
    make_org("OUD", active=False)
    login(make_user(Role.PROJECTLEIDER))

    def many(document):
        document["assessment"]["organisatie"] = "OUD"
        document["assessment"]["rijksbreed"] = "ja"
        answers = document["vragenlijsten"]["prescan"]["antwoorden"]
        answers.update({"0.4": "koffie", "onbekend": 1, "0.1": "misschien"})

    response = upload(client, broken(many))

    assert response.status_code == 400
    text = text_of(response)
    for problem in (
        "'rijksbreed' moet true of false zijn.",
        "Onbekende of gedeactiveerde organisatie: 'OUD'.",
        "prescan: Onbekende vraag 'onbekend'.",
        "onbekende keuze 'koffie'",
        "verwacht ja of nee",
    ):
        assert problem in text
    assert count(Assessment) == 0 and count(Answer) == 0


def test_a_file_that_is_not_an_export_is_refused(app, client, login):
    login(make_user(Role.PROJECTLEIDER))
    response = upload(client, json.dumps({"definitie": "prescan", "antwoorden": {}}))
    assert response.status_code == 400
    assert "Dit is geen exportbestand van PIA Rijk" in text_of(response)
    assert upload(client, b"\xff\xfe\x00garbage").status_code == 400
    assert count(Assessment) == 0


def test_import_without_a_file_asks_for_one(app, client, login):
    login(make_user(Role.PROJECTLEIDER))
    response = client.post_form("/assessments/importeren", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Kies een bestand." in text_of(response)
