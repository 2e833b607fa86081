"""Import from the Invulhulpen: a pre-scan, a DPIA, a DPIA with its pre-scan; every answer in
its place or listed (their question, their value, why); bad files change nothing."""

from __future__ import annotations

import copy
import io
import json
import re

import pytest

from forms.invulhulp import load_mapping
from forms.invulhulp.values import MAX_IMAGE_BYTES, Unmappable, read_image
from pia.extensions import db
from pia.models import Assessment, ImportImage, ImportRecord, Questionnaire
from pia.roles import Role
from pia.services.assessments import load_answers
from tests.conftest import count, make_user, text_of
from tests.invulhulp_files import (
    PNG,
    answer,
    data_url,
    document,
    dpia_with_prescan,
    full_answers,
    text_for,
)


def upload(client, content: dict | bytes, name: str = "invulhulp.json"):
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post_form(
        "/assessments/importeren",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def imported(client, content) -> tuple[Assessment, ImportRecord, str]:
    response = upload(client, content)
    assert response.status_code == 302, text_of(response)
    match = re.search(r"/assessments/(\d+)/import/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assessment = db.session.get(Assessment, int(match[1]))
    return assessment, db.session.get(ImportRecord, int(match[2])), text_of(page)


def spoiled(file: dict) -> dict:
    """The full file with the wrong things a real file may hold, one of each."""
    answers = file["answers"]
    answers["99.9"] = answer("Een vraag uit een nieuwere versie")
    answers["16.1"][2]["16.1.3"] = answer("zeer hoog")  # not one of their options
    answers["1.2"][2]["1.2.1"] = answer({"data": data_url(b"<svg onload=x>", "image/svg+xml")})
    answers["19.2"] = answer("concept")
    answers["2.1"][0]["2.1.99"] = answer("Een kolom uit een nieuwere versie")  # unknown cell
    answers["20.1"] = [{"_index": 0, "20.1.4": answer("Mr. A. de Vries")}]
    # a checkbox naming a personal data row in other case still finds it
    answers["3.1"][0]["3.1.3"] = answer([text_for("2.1.1", 0).upper()])
    file["_prescanAnswers"]["0.5.2"] = answer(
        ["Een Saas, IaaS of PaaS oplossing", "Cloudopslag van data"]
    )
    return file


EXPECTED_NOTES = {
    "99.9",  # unknown id
    "2.1.99",  # unknown id inside a repeating group
    "16.1.3",  # wrong option value
    "1.2.1",  # the SVG
    "19.2",  # filled by our procedure
    "20.1.4",
    "0.5.2",  # one of theirs is three of ours
    "7.1",  # interests are not kept per operation here
}


def test_a_dpia_with_its_prescan_imports_with_every_answer_in_place(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    before = count(Assessment)
    assessment, record, page = imported(client, spoiled(dpia_with_prescan()))
    assert count(Assessment) == before + 1
    assert assessment.owner.id == owner.id
    assert assessment.has_dpia

    # Exactly the wrong things are listed, nothing else: every other answer found its place.
    noted = {re.findall(r"\(([^()]+)\)", note["vraag"])[-1] for note in record.notes}
    assert noted == EXPECTED_NOTES, record.notes
    for note in record.notes:
        assert note["waarde"] and note["reden"] and note["deel"] in ("DPIA", "pre-scan")

    # The result page says it in words: their question, their value, why.
    assert "Niet overgenomen: 8 antwoorden" in page
    assert "Risiconiveau (16.1.7)" not in page
    assert "‘zeer hoog’" in page and "deze keuze bestaat niet" in page
    assert "image/svg+xml" in page and "geen SVG" in page
    assert "‘Mr. A. de Vries’" in page and "paragraaf 20" in page
    assert "Onbekende vraag (99.9)" in page and "‘Een vraag uit een nieuwere versie’" in page

    prescan = load_answers(assessment, Questionnaire.PRESCAN)
    assert prescan["0.1"] is True
    assert prescan["0.4"] == "toestemming"
    assert prescan["0.5.2"] == ["opslag"]
    assert prescan["1.1.2"] == ["apparaat_internet", "content"]
    assert prescan["2.1.2"] == "binnen_eer"
    assert prescan["2.1.7"] == text_for("2.1.7")

    dpia = load_answers(assessment, Questionnaire.DPIA)
    assert dpia["0"] == text_for("0") and dpia["1"] == text_for("1.1")
    assert dpia["4.1"] == text_for("4")
    assert dpia["17.2"] == text_for("17.3") and dpia["17.aanvullend"] == text_for("17.2")
    assert dpia["15.1.1"] == "nvt"
    # A repeating group: the empty row is gone, the gap closed, the order kept.
    rows = dpia["2"]
    assert [r["persoonsgegeven"] for r in rows] == [text_for("2.1.1", 0), text_for("2.1.1", 2)]
    assert rows[0]["type"] == "gewoon" and rows[0]["via_partij"] is True
    # The operations, and their rows by index: 0 → first, 3 and 4 → second.
    operations = dpia["3"]
    assert [o["naam"] for o in operations] == [text_for("3.1.1", 0), text_for("3.1.1", 3)]
    first, second = (o["_id"] for o in operations)
    assert operations[0]["persoonsgegevens"] == [rows[0]["_id"]]
    purposes = dpia["5"]
    assert [r["doel"] for r in purposes[first]["5.1"]] == [text_for("5.1.1", 0)]
    assert [r["doel"] for r in purposes[second]["5.1"]] == [
        text_for("5.1.1", 3),
        text_for("5.1.1", 4),
    ]
    # A nested group (6.1 → 6.1.1): the link to the operation kept.
    parties = dpia["6"]
    assert [p["naam"] for p in parties[first]["6.1"]] == [text_for("6.1.1.1", 0)]
    assert [p["naam"] for p in parties[second]["6.1"]] == [
        text_for("6.1.1.1", 3),
        text_for("6.1.1.1", 4),
    ]
    assert parties[first]["6.1"][0]["rol"] == [
        "verwerkingsverantwoordelijke",
        "gezamenlijk_verwerkingsverantwoordelijke",
    ]
    assert parties[first]["6.1"][0]["betrokkenen"] == [rows[0]["_id"]]
    # 8.1.1.2 implies the location is outside the EEA.
    location = dpia["8"][second]["8.1"][0]
    assert location["doorgiftemechanisme"] == "adequaatheidsbesluit"
    assert location["buiten_eer"] is True
    # A choice that names a purpose by its text points to that purpose's row.
    retention = dpia["10"][second]["10.1"][0]
    assert retention["doeleinde"] == purposes[first]["5.1"][0]["_id"]
    assert retention["termijn"] == "aantal_jaren"
    assert dpia["11"][first]["11.1"][0]["rechtsgrond"] == "toestemming"
    assert dpia["12.1.2"][0]["verwerkingen"] == [first]
    assert dpia["13"][first]["13.1"][0]["beoordeling"] == "toelaatbaar_recht"
    assert dpia["17.1"][0]["risicos"] == [dpia["16"][0]["_id"]]
    assert dpia["3.1"] == "https://wiki/samenhang; https://wiki/samenhang-2"
    assert [r["belang"] for r in dpia["7.1"]] == [
        text_for("7.1.1", 0),
        text_for("7.1.1", 2),
    ]

    # The PNG is kept, with a row in §1 naming it; the SVG is not.
    images = db.session.query(ImportImage).filter_by(record_id=record.id).all()
    assert [(i.mimetype, i.content, i.title) for i in images] == [("image/png", PNG, "Schema 0")]
    assert dpia["1.1"] == [
        {"_id": dpia["1.1"][0]["_id"], "omschrijving": "Schema 0", "link": "Intranet"}
    ]
    picture = client.get(
        f"/assessments/{assessment.id}/import/{record.id}/afbeelding/{images[0].id}"
    )
    assert picture.status_code == 200 and picture.data == PNG
    assert (
        picture.mimetype == "image/png" and picture.headers["X-Content-Type-Options"] == "nosniff"
    )

    # The note stays with the assessment: the overview points to it.
    overview = text_of(client.get(f"/assessments/{assessment.id}"))
    assert (
        "Geïmporteerd uit de Invulhulp" in overview
        and "8 antwoorden zijn niet overgenomen" in overview
    )


def test_a_prescan_alone_becomes_an_assessment_without_a_dpia(client, login):
    login(make_user(Role.PROJECTLEIDER))
    file = document("urn:nl:prescan:2.0", full_answers(load_mapping("prescan-2.0")))
    assessment, record, page = imported(client, file)
    assert not assessment.has_dpia
    assert record.notes == []
    assert "Alle antwoorden uit het bestand zijn overgenomen" in page
    answers = load_answers(assessment, Questionnaire.PRESCAN)
    assert answers["5.1.2"] == ["bgt", "bri"]
    assert assessment.title == f"Uit de Invulhulp: {text_for('0.2')}"


def test_a_dpia_without_prescan_and_without_operations_lists_the_rows_it_cannot_link(client, login):
    login(make_user(Role.PROJECTLEIDER))
    answers = full_answers(load_mapping("dpia-3.0"))
    del answers["3.1"]
    assessment, record, page = imported(client, document("urn:nl:dpia:3.0", answers))
    assert load_answers(assessment, Questionnaire.PRESCAN) == {}
    dpia = load_answers(assessment, Questionnaire.DPIA)
    assert "5" not in dpia and "3" not in dpia
    assert any(
        "(5.1.1)" in n["vraag"] and "noemt geen gegevensverwerkingen" in n["reden"]
        for n in record.notes
    )
    # the names of operations its checkboxes point to are listed too
    assert any("(12.1.2.1)" in n["vraag"] for n in record.notes)


BAD_FILES = [
    (lambda f: f.pop("$schema"), "‘$schema’ ontbreekt"),
    (lambda f: f.update(extra=1), "Onbekend onderdeel ‘extra’"),
    (lambda f: f["metadata"].pop("createdAt"), "‘createdAt’"),
    (lambda f: f["metadata"].update(urn="dpia 3"), "‘urn’"),
    (lambda f: f["metadata"].update(urn="urn:nl:dpia:9.0"), "niet kent (urn:nl:dpia:9.0)"),
    (lambda f: f["metadata"].update(urn="urn:nl:iama:2.0"), "PIA Rijk heeft geen IAMA"),
    (lambda f: f.update(answers=[]), "‘answers’"),
    (lambda f: f["answers"].update({"0": "los"}), "vraag 0: het antwoord heeft niet de vorm"),
    (lambda f: f["answers"].update({"0": {"value": 3, "lastEditedAt": "x"}}), "geen tekst"),
    (lambda f: f["answers"]["2.1"].append({"_index": 0}), "volgnummer 0 komt twee keer"),
    (lambda f: f["answers"]["2.1"].append({"_index": -1}), "geen geldig volgnummer"),
    (lambda f: f["answers"]["2.1"].append("regel"), "regel 4 is geen object"),
    (
        lambda f: f["answers"].update({"1.1": {"value": ["a", 1], "lastEditedAt": "x"}}),
        "alleen tekst",
    ),
    (lambda f: f["answers"].update({"0": {"value": "x"}}), "‘lastEditedAt’"),
    (lambda f: f["answers"]["1.2"][0]["1.2.1"]["value"].update(script="x"), "onbekende velden"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_list_and_nothing_is_made(client, login, spoil, message):
    login(make_user(Role.PROJECTLEIDER))
    file = dpia_with_prescan()
    spoil(file)
    before = (count(Assessment), count(ImportRecord))
    response = upload(client, file)
    assert response.status_code == 400
    page = text_of(response)
    assert "Het bestand is niet geïmporteerd" in page and "Er is niets opgeslagen" in page
    assert message in page, page
    assert (count(Assessment), count(ImportRecord)) == before


def test_prescan_answers_in_a_prescan_file_and_too_many_rows_are_refused(client, login):
    login(make_user(Role.PROJECTLEIDER))
    prescan = full_answers(load_mapping("prescan-2.0"))
    response = upload(client, document("urn:nl:prescan:2.0", prescan, prescan))
    assert response.status_code == 400 and "Alleen een DPIA" in text_of(response)
    answers = full_answers(load_mapping("dpia-3.0"))
    answers["2.1"] = [{"_index": i, "2.1.1": answer(f"G{i}")} for i in range(501)]
    response = upload(client, document("urn:nl:dpia:3.0", answers))
    assert response.status_code == 400 and "te veel regels" in text_of(response)
    assert count(Assessment) == 0


def test_our_own_export_still_imports_through_the_same_page(client, login):
    from tests.factories_assessments import make_assessment

    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    ours = make_assessment(owner, prescan={"0.1": True})
    exported = client.get(f"/assessments/{ours.id}/export.json").data
    response = upload(client, exported)
    assert response.status_code == 302 and "/import/" not in response.headers["Location"]


def test_only_who_may_start_an_assessment_imports(client, login):
    login(make_user(Role.FG))
    assert upload(client, dpia_with_prescan()).status_code == 403
    assert count(Assessment) == 0


def test_another_organisation_cannot_read_the_notes_or_images(client, login, app):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    assessment, record, _ = imported(client, dpia_with_prescan())
    image = record.images[0]
    other = app.test_client()
    from tests.conftest import log_in

    log_in(other, make_user(Role.PROJECTLEIDER, org="IenW"))
    base = f"/assessments/{assessment.id}/import/{record.id}"
    assert other.get(base).status_code == 403
    assert other.get(f"{base}/afbeelding/{image.id}").status_code == 403
    # an image of another import is not found under this one
    assert client.get(f"/assessments/{assessment.id}/import/{record.id + 1}").status_code == 404


def test_images_are_checked_type_bytes_and_size():
    png = read_image({"data": data_url(PNG), "title": " Schema "})
    assert png.mimetype == "image/png" and png.data == PNG and png.title == "Schema"
    jpeg = read_image({"data": data_url(b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg")})
    assert jpeg.mimetype == "image/jpeg"
    refused = [
        ({"data": data_url(b"<svg/>", "image/svg+xml")}, "geen SVG"),
        ({"data": data_url(b"GIF89a....", "image/png")}, "geen image/png"),
        ({"data": "data:image/png;base64,@@@"}, "base64"),
        ({"data": "data:image/png," + "x"}, "base64"),
        ({"data": data_url(PNG + b"0" * MAX_IMAGE_BYTES)}, "groter dan 2 MB"),
        ({"data": data_url(b"RIFF0000WAVE", "image/webp")}, "geen image/webp"),
        ("plaatje", "geen afbeelding"),
    ]
    for value, message in refused:
        with pytest.raises(Unmappable, match=re.escape(message)):
            read_image(copy.deepcopy(value))
