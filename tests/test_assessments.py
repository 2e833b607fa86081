"""Assessments: who may create, read and save them; the list; definitions; CSRF."""

import io

import pytest

from pia.extensions import db
from pia.models import Answer, Assessment, AssessmentMember, AssessmentRole, AuditEvent
from pia.roles import Role
from tests.conftest import audit_events, count, log_in, make_org, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    PRESCAN,
    add_member,
    answers_of,
    fill,
    make_assessment,
    questionnaire_form,
    section_url,
)

PRESCAN_SECTIONS = [str(n) for n in range(8)]
DPIA_SECTIONS = [str(n) for n in range(19)]


def test_projectleider_creates_an_assessment_and_becomes_its_owner(app, client, login):
    jenv = make_org("JenV", "Justitie en Veiligheid")
    pl = make_user(Role.PROJECTLEIDER)
    login(pl)
    assert client.get("/assessments/nieuw").status_code == 200

    response = client.post_form(
        "/assessments/nieuw",
        {
            "title": "  Nieuw zaaksysteem vergunningen ",
            "description": "Vergunningen digitaal behandelen.",
            "organisation_id": str(jenv.id),
            "government_wide": "y",
        },
    )

    assessment = db.session.scalars(db.select(Assessment)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{assessment.id}")
    assert assessment.title == "Nieuw zaaksysteem vergunningen"
    assert assessment.description == "Vergunningen digitaal behandelen."
    assert assessment.organisation_id == jenv.id
    assert assessment.government_wide is True
    assert assessment.owner.id == pl.id
    assert [(m.user_id, m.role) for m in assessment.members] == [(pl.id, "owner")]
    page = text_of(client.get(response.headers["Location"]))
    assert "Nieuw zaaksysteem vergunningen" in page
    assert "Justitie en Veiligheid" in page
    assert "Rijksbreed (PAR-procedure)" in page
    assert "Eigenaar" in page and pl.name in page


def test_creating_without_a_title_keeps_the_form_and_creates_nothing(app, client, login):
    login(make_user(Role.PROJECTLEIDER))
    response = client.post_form(
        "/assessments/nieuw",
        {"title": "", "description": "Alleen een omschrijving", "organisation_id": "1"},
    )
    assert response.status_code == 200
    assert "Geef het assessment een titel." in text_of(response)
    assert "Alleen een omschrijving" in response.get_data(as_text=True)
    assert count(Assessment) == 0


@pytest.mark.parametrize("role", [None, Role.FG, Role.AUDITOR, Role.BEHEERDER])
def test_only_a_projectleider_may_create_or_import(app, client, login, role):
    login(make_user(*([role] if role else [])))
    assert client.get("/assessments/nieuw").status_code == 403
    form = {"title": "Stiekem", "organisation_id": "1"}
    assert client.post_form("/assessments/nieuw", form).status_code == 403
    assert client.get("/assessments/importeren").status_code == 403
    assert count(Assessment) == 0
    assert "Nieuw assessment starten" not in text_of(client.get("/assessments/"))


def test_the_assessment_records_its_definitions_and_versions(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    assert (assessment.prescan_definition, assessment.prescan_version) == ("prescan", "2.0")
    assert (assessment.dpia_definition, assessment.dpia_version) == (None, None)
    login(owner)
    page = client.get(section_url(assessment, "prescan", "0"))
    assert "Pre-scan DPIA (versie 2.0)" in text_of(page)
    # the DPIA does not exist before it is started
    assert client.get(section_url(assessment, "dpia", "1")).status_code == 404

    response = client.post_form(f"/assessments/{assessment.id}/dpia/starten")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(section_url(assessment, "dpia", "0"))
    db.session.refresh(assessment)
    assert (assessment.dpia_definition, assessment.dpia_version) == ("dpia", "3.0")
    assert assessment.dpia_started_at is not None
    assert "Rapportagemodel DPIA Rijksdienst (versie 3.0)" in text_of(
        client.get(section_url(assessment, "dpia", "1"))
    )


def test_unknown_and_workflow_sections_are_not_found(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    for url in (
        section_url(assessment, "prescan", "8"),
        section_url(assessment, "dpia", "19"),  # filled by the review workflow
        section_url(assessment, "dpia", "20"),
        section_url(assessment, "fgadvies", "1"),
        "/assessments/999999",
    ):
        assert client.get(url).status_code == 404, url


def test_the_list_shows_my_assessments_and_the_auditor_sees_all(app, client, login):
    mine_owner = make_user(Role.PROJECTLEIDER)
    colleague = make_user(Role.PROJECTLEIDER)
    mine = make_assessment(mine_owner, title="Mijn eigen zaaksysteem")
    shared = make_assessment(colleague, title="Gedeeld subsidieportaal")
    add_member(shared, mine_owner, AssessmentRole.VIEWER)
    make_assessment(colleague, title="Geheim project van een ander", org="JenV")

    login(mine_owner)
    page = text_of(client.get("/assessments/"))
    assert "Mijn eigen zaaksysteem" in page and "Eigenaar" in page
    assert "Gedeeld subsidieportaal" in page and "Lezer" in page
    assert "Geheim project van een ander" not in page

    auditor = app.test_client()
    log_in(auditor, make_user(Role.AUDITOR))
    page = text_of(auditor.get("/assessments/"))
    assert "Alle assessments" in page
    for title in ("Mijn eigen zaaksysteem", "Gedeeld subsidieportaal", "Geheim project"):
        assert title in page
    assert auditor.get(f"/assessments/{mine.id}").status_code == 200


def test_the_auditor_reads_everything_but_saves_nothing(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.2": "Bestaand antwoord"}, start_dpia=True)
    login(make_user(Role.AUDITOR))

    for url in (
        f"/assessments/{assessment.id}",
        f"/assessments/{assessment.id}/volledig",
        f"/assessments/{assessment.id}/delen",
        f"/assessments/{assessment.id}/export.json",
        section_url(assessment, "prescan", "0"),
        section_url(assessment, "dpia", "16"),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(section_url(assessment, "prescan", "0"))
    assert questionnaire_form(page) is None
    assert "Bestaand antwoord" in text_of(page)

    before = count(Answer)
    url = section_url(assessment, "prescan", "0")
    data = {"base_version": "0", "q_0_2": "Overschreven door de auditor", "save": "1"}
    assert client.post_form(url, data).status_code == 403
    assert (
        client.post_form(f"/assessments/{assessment.id}/delen", {"email": "x@y.nl"}).status_code
        == 403
    )
    assert answers_of(assessment, PRESCAN) == {"0.2": "Bestaand antwoord"}
    assert count(Answer) == before


def test_every_post_without_a_csrf_token_is_refused(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    colleague = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    add_member(assessment, colleague, AssessmentRole.EDITOR)
    member = next(m for m in assessment.members if m.user_id == colleague.id)
    login(owner)
    snapshot = (count(Assessment), count(Answer), count(AssessmentMember), count(AuditEvent))
    posts = {
        "/assessments/nieuw": {"title": "Zonder token", "organisation_id": "1"},
        f"/assessments/{assessment.id}/delen": {"email": colleague.email, "role": "viewer"},
        f"/assessments/{assessment.id}/delen/{member.id}/intrekken": {},
        f"/assessments/{assessment.id}/dpia/starten": {},
        section_url(assessment, "prescan", "0"): {"base_version": "0", "q_0_2": "x", "save": "1"},
    }
    for url, data in posts.items():
        response = client.post(url, data=data)
        assert response.status_code == 400, url
    response = client.post(
        "/assessments/importeren",
        data={"file": (io.BytesIO(b"{}"), "a.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    db.session.refresh(assessment)
    assert not assessment.has_dpia
    assert (count(Assessment), count(Answer), count(AssessmentMember)) == snapshot[:3]
    # a token-less autosave is refused as well
    response = client.post(
        section_url(assessment, "prescan", "0"),
        data={"base_version": "0", "q_0_2": "x"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 400
    assert answers_of(assessment, PRESCAN) == {}


def test_the_owner_and_an_editor_can_start_the_dpia_a_viewer_cannot(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    viewer = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    login(viewer)
    assert "DPIA starten" not in text_of(client.get(f"/assessments/{assessment.id}"))
    assert client.post_form(f"/assessments/{assessment.id}/dpia/starten").status_code == 403
    db.session.refresh(assessment)
    assert not assessment.has_dpia
    assert answers_of(assessment, DPIA) == {}


def test_saving_is_in_the_audit_log_with_the_changed_questions(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.3": "Ongewijzigd doel"})
    login(owner)

    response = fill(client, assessment, "prescan", "0", {"q_0_1": "ja", "q_0_2": "Nieuwe tekst"})

    assert response.status_code == 302
    (event,) = audit_events("assessment.answers_saved")
    assert event.actor_id == owner.id
    assert event.object_id == str(assessment.id)
    assert sorted(event.details["changes"]) == ["0.1", "0.2"]
    assert event.details["changes"]["0.2"] == [None, "Nieuwe tekst"]
    assert "0.1" in event.summary and "0.2" in event.summary
