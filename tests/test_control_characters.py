"""Control characters a user pastes or an import carries never break a save (PostgreSQL
refuses NUL outright) and never reach the database; tabs and line breaks stay."""

import json

from pia.extensions import db
from pia.models import Assessment, Comment
from pia.roles import Role
from pia.services import review
from tests.conftest import make_user
from tests.documents_helpers import demo_assessment
from tests.factories_assessments import DPIA, answers_of, fill, form_data, section_url


def test_a_new_assessment_with_a_nul_in_its_title(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    response = client.post_form(
        "/assessments/nieuw",
        {
            "title": "Loket\x00 energie\x1b",
            "description": "Regel een\r\nregel\ttwee\x07",
            "organisation_id": str(owner.organisation_id),
        },
    )
    assert response.status_code == 302
    assessment = db.session.query(Assessment).one()
    assert assessment.title == "Loket energie"
    assert assessment.description == "Regel een\r\nregel\ttwee"


def test_answers_and_table_cells_with_control_characters_are_saved_clean(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    response = fill(client, assessment, "dpia", "1", {"q_1_aanvullend": "Zie\x00 bijlage\x0b A"})
    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["1.aanvullend"] == "Zie bijlage A"
    # A table cell (a row of §2) goes through a sub-form: cleaned where it is stored.
    cell = "q_2-0-persoonsgegeven"
    assert cell in form_data(client.get(section_url(assessment, "dpia", "2")))
    response = fill(client, assessment, "dpia", "2", {cell: "Naam\x00 en voorletters\x1b"})
    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["2"][0]["persoonsgegeven"] == "Naam en voorletters"


def test_a_comment_with_a_nul_is_placed_without_it(app, client, login):
    owner, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    assessment = demo_assessment(owner)
    with app.test_request_context():
        review.submit(assessment, owner)
        review.claim(assessment, fg)
        db.session.commit()
    login(fg)
    response = client.post_form(
        f"/assessments/{assessment.id}/opmerkingen/2",
        {"new-question_id": "", "new-body": "Waarom\x00 dit?"},
    )
    assert response.status_code == 302
    assert db.session.query(Comment).one().body == "Waarom dit?"


def test_an_import_with_control_characters(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    exported = json.loads(client.get(f"/assessments/{assessment.id}/export.json").data)
    exported["assessment"]["titel"] = "Kopie\x00 van het loket"
    exported["vragenlijsten"]["dpia"]["antwoorden"]["1"] = "Tekst\x00 met\x1f rommel"
    body = json.dumps(exported).encode()
    from io import BytesIO

    response = client.post_form(
        "/assessments/importeren",
        {"file": (BytesIO(body), "export.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    copy = db.session.query(Assessment).filter(Assessment.id != assessment.id).one()
    assert copy.title == "Kopie van het loket"
    assert answers_of(copy, DPIA)["1"] == "Tekst met rommel"


def test_an_id_beyond_the_databases_range_is_not_found(client, login):
    login(make_user(Role.AUDITOR))
    huge = "9" * 30
    for path in (f"/assessments/{huge}", f"/assessments/{huge}/beoordeling", f"/meldingen/{huge}"):
        assert client.get(path).status_code == 404, path
