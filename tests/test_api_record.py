"""The record through the API: versions and their diff, remarks, and import of an export."""

import json

import pytest
from sqlalchemy import func, select

from pia.demo import seed_demo
from pia.extensions import db
from pia.models import Assessment, AssessmentRole, AssessmentVersion, Questionnaire, User
from pia.models.api_tokens import SCOPE_READ
from pia.permissions import access
from pia.roles import Role
from pia.services import review
from pia.services.assessments import load_answers
from tests.api_helpers import bearer, token_for


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()

    def user(email):
        return db.session.scalar(select(User).where(User.email == email))

    return user


def _with_two_versions(owner: User) -> Assessment:
    """A demo DPIA of this owner that went through two submissions."""
    counted = (
        select(AssessmentVersion.assessment_id)
        .group_by(AssessmentVersion.assessment_id)
        .having(func.count() >= 2)
    )
    return db.session.scalars(
        select(Assessment)
        .where(Assessment.created_by_id == owner.id, Assessment.id.in_(counted))
        .order_by(Assessment.id)
    ).first()


@pytest.mark.demo
def test_versions_and_the_diff_say_what_the_page_says(client, demo):
    owner = demo("projectleider@pia.test")
    assessment = _with_two_versions(owner)
    assert assessment is not None
    token = token_for(owner, [SCOPE_READ])
    listed = client.get(f"/api/v1/assessments/{assessment.id}/versies", headers=bearer(token))
    assert listed.status_code == 200
    numbers = [v["nummer"] for v in listed.json["_embedded"]["versies"]]
    assert numbers == [v.number for v in review.versions(assessment)]
    one = client.get(f"/api/v1/assessments/{assessment.id}/versies/2", headers=bearer(token))
    assert one.status_code == 200
    assert one.json["antwoorden"]["dpia"] == review.version(assessment, 2).dpia
    changes = client.get(one.json["_links"]["verschillen"]["href"], headers=bearer(token))
    assert changes.status_code == 200, changes.get_data(as_text=True)
    expected = review.compare(
        assessment, review.version(assessment, 1), review.version(assessment, 2)
    )
    assert changes.json["van"] == 1 and changes.json["naar"] == 2
    assert changes.json["dpia"]["samenvatting"] == expected.summary
    assert [s["id"] for s in changes.json["dpia"]["secties"]] == [s.id for s in expected.sections]
    # The IBAN row the drafters changed after the FG's remark is in the diff, in words.
    assert "IBAN (pas na toekenning gevraagd)" in json.dumps(changes.json, ensure_ascii=False)
    missing = client.get(f"/api/v1/assessments/{assessment.id}/versies/99", headers=bearer(token))
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    bad = client.get(
        f"/api/v1/assessments/{assessment.id}/versies/2/verschillen?van=x", headers=bearer(token)
    )
    assert bad.status_code == 400 and bad.json["invalidParams"][0]["name"] == "van"


@pytest.mark.demo
def test_someone_who_may_not_open_the_assessment_sees_no_versions(client, demo):
    owner = demo("projectleider@pia.test")
    assessment = _with_two_versions(owner)
    outsider = next(
        u
        for u in db.session.scalars(
            select(User).where(User.organisation_id != assessment.organisation_id)
        )
        if u.has_role(Role.PROJECTLEIDER)
    )
    assert not access(outsider, assessment).may_view
    token = token_for(outsider)
    for path in ("versies", "versies/1", "versies/2/verschillen", "opmerkingen"):
        response = client.get(f"/api/v1/assessments/{assessment.id}/{path}", headers=bearer(token))
        assert response.status_code == 403, path


@pytest.mark.demo
def test_the_fg_places_a_remark_and_the_drafter_replies(client, demo):
    owner = demo("projectleider@pia.test")
    assessment = _with_two_versions(owner)
    fg = review.current_review(assessment).claimed_by or review.organisation_fgs(assessment)[0]
    fg_token = token_for(fg)
    url = f"/api/v1/assessments/{assessment.id}/opmerkingen"
    before = client.get(url, headers=bearer(fg_token))
    assert before.status_code == 200
    placed = client.post(
        url,
        json={"sectie": "10", "vraag": None, "tekst": "Wie mag de gegevens inzien?"},
        headers=bearer(fg_token),
    )
    assert placed.status_code == 201, placed.get_data(as_text=True)
    thread = placed.json["id"]
    owner_token = token_for(owner)
    reply = client.post(
        url,
        json={"reactieOp": thread, "tekst": "Alleen de behandelaars."},
        headers=bearer(owner_token),
    )
    assert reply.status_code == 201, reply.get_data(as_text=True)
    assert reply.json["sectie"] == "10"
    after = client.get(url, headers=bearer(owner_token)).json["_embedded"]["opmerkingen"]
    placed_thread = next(c for c in after if c["id"] == thread)
    assert placed_thread["tekst"] == "Wie mag de gegevens inzien?"
    assert [r["tekst"] for r in placed_thread["reacties"]] == ["Alleen de behandelaars."]
    assert len(after) == len(before.json["_embedded"]["opmerkingen"]) + 1


@pytest.mark.demo
@pytest.mark.parametrize(
    "body, field",
    [
        ({"sectie": "10", "tekst": "   "}, "tekst"),
        ({"sectie": "10", "tekst": "Goed.", "extra": 1}, "extra"),
        ({"sectie": "999", "tekst": "Goed."}, "sectie"),
        ({"sectie": 10, "tekst": "Goed."}, "sectie"),
        ({"reactieOp": "1", "tekst": "Goed."}, "reactieOp"),
    ],
)
def test_a_bad_remark_is_refused_per_field_and_stores_nothing(client, demo, body, field):
    owner = demo("projectleider@pia.test")
    assessment = _with_two_versions(owner)
    token = token_for(owner)
    url = f"/api/v1/assessments/{assessment.id}/opmerkingen"
    count = len(client.get(url, headers=bearer(token)).json["_embedded"]["opmerkingen"])
    response = client.post(url, json=body, headers=bearer(token))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert field in {p["name"] for p in response.json["invalidParams"]}
    assert len(client.get(url, headers=bearer(token)).json["_embedded"]["opmerkingen"]) == count


@pytest.mark.demo
def test_a_read_only_token_or_reader_places_no_remark(client, demo):
    owner = demo("projectleider@pia.test")
    assessment = _with_two_versions(owner)
    url = f"/api/v1/assessments/{assessment.id}/opmerkingen"
    read_only = client.post(
        url, json={"sectie": "10", "tekst": "Goed."}, headers=bearer(token_for(owner, [SCOPE_READ]))
    )
    assert read_only.status_code == 403
    auditor = demo("auditor@pia.test")
    assert access(auditor, assessment).may_view  # reads along, but places no remark
    response = client.post(
        url, json={"sectie": "10", "tekst": "Goed."}, headers=bearer(token_for(auditor))
    )
    assert response.status_code == 403


@pytest.mark.demo
def test_an_export_imports_as_a_new_assessment_of_the_token_user(client, demo):
    owner = demo("projectleider@pia.test")
    source = _with_two_versions(owner)
    token = token_for(owner)
    exported = client.get(f"/api/v1/assessments/{source.id}/export", headers=bearer(token))
    assert exported.status_code == 200
    created = client.post("/api/v1/assessments", json=exported.json, headers=bearer(token))
    assert created.status_code == 201, created.get_data(as_text=True)
    new = db.session.get(Assessment, created.json["id"])
    assert new.role_of(owner) == AssessmentRole.OWNER and new.id != source.id
    assert created.headers["Location"].endswith(f"/api/v1/assessments/{new.id}")
    for questionnaire in (Questionnaire.PRESCAN, Questionnaire.DPIA):
        assert load_answers(new, questionnaire) == load_answers(source, questionnaire)


@pytest.mark.demo
def test_a_bad_export_is_refused_with_its_problems_and_nothing_is_made(client, demo):
    owner = demo("projectleider@pia.test")
    token = token_for(owner)
    count = db.session.scalar(select(func.count()).select_from(Assessment))
    bad = client.post("/api/v1/assessments", json={"formaat": "iets anders"}, headers=bearer(token))
    assert bad.status_code == 400
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert bad.json["invalidParams"] and all(p["reason"] for p in bad.json["invalidParams"])
    text = client.post(
        "/api/v1/assessments",
        data="geen json",
        headers={**bearer(token), "Content-Type": "text/plain"},
    )
    assert text.status_code == 415
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == count


@pytest.mark.demo
def test_only_who_may_create_an_assessment_imports_one(client, demo):
    owner = demo("projectleider@pia.test")
    exported = client.get(
        f"/api/v1/assessments/{_with_two_versions(owner).id}/export",
        headers=bearer(token_for(owner)),
    ).json
    fg = demo("fg.bzk@pia.test")
    refused = client.post("/api/v1/assessments", json=exported, headers=bearer(token_for(fg)))
    assert refused.status_code == 403
