"""Every API operation x every demo account x the demo's assessments (own, shared, of another
organisation, in every state): the API refuses exactly where the pages refuse.

Reads are compared with the page that shows the same thing; writes, which would change the
record, with the access object the page asks (tests/test_authorization.py proves the pages
ask it), sending bodies that are refused after the permission check so nothing changes."""

import pytest
from sqlalchemy import select

from pia.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from pia.extensions import db
from pia.models import Assessment, User
from pia.permissions import access, can_create_assessment
from pia.services import review
from tests.api_helpers import bearer, token_for
from tests.conftest import log_in

REFUSED = 403

# (method, path in the OpenAPI document) -> how to call it, and what decides.
#   "page": the page (endpoint-like URL template) that shows the same thing;
#   a callable(user, assessment) -> bool: True when it must be allowed.
READS = {
    ("get", "/api/v1/assessments/{assessment_id}"): "/assessments/{id}",
    ("get", "/api/v1/assessments/{assessment_id}/export"): "/assessments/{id}/export.json",
    (
        "get",
        "/api/v1/assessments/{assessment_id}/secties/{questionnaire_name}/{section_id}",
    ): "/assessments/{id}/prescan/1",
    ("get", "/api/v1/assessments/{assessment_id}/versies"): "/assessments/{id}/versies",
    ("get", "/api/v1/assessments/{assessment_id}/versies/{number}"): "/assessments/{id}/versies",
    (
        "get",
        "/api/v1/assessments/{assessment_id}/versies/{number}/verschillen",
    ): "/assessments/{id}/versies/vergelijken",
    ("get", "/api/v1/assessments/{assessment_id}/opmerkingen"): "/assessments/{id}/opmerkingen",
    ("get", "/api/v1/assessments/{assessment_id}/acties"): "/assessments/{id}/beoordeling",
    (
        "get",
        "/api/v1/assessments/{assessment_id}/documenten/dpia-rapport",
    ): "/assessments/{id}/documenten/",
}

API_URLS = {
    "/api/v1/assessments/{assessment_id}": "/api/v1/assessments/{id}",
    "/api/v1/assessments/{assessment_id}/export": "/api/v1/assessments/{id}/export",
    "/api/v1/assessments/{assessment_id}/secties/{questionnaire_name}/{section_id}": (
        "/api/v1/assessments/{id}/secties/prescan/1"
    ),
    "/api/v1/assessments/{assessment_id}/versies": "/api/v1/assessments/{id}/versies",
    "/api/v1/assessments/{assessment_id}/versies/{number}": "/api/v1/assessments/{id}/versies/2",
    "/api/v1/assessments/{assessment_id}/versies/{number}/verschillen": (
        "/api/v1/assessments/{id}/versies/2/verschillen"
    ),
    "/api/v1/assessments/{assessment_id}/opmerkingen": "/api/v1/assessments/{id}/opmerkingen",
    "/api/v1/assessments/{assessment_id}/acties": "/api/v1/assessments/{id}/acties",
    "/api/v1/assessments/{assessment_id}/acties/{action}": "/api/v1/assessments/{id}/acties/claim",
    "/api/v1/assessments/{assessment_id}/documenten/dpia-rapport": (
        "/api/v1/assessments/{id}/documenten/dpia-rapport"
    ),
}

SECTION = "/api/v1/assessments/{assessment_id}/secties/{questionnaire_name}/{section_id}"
WRITES = {
    # the version check comes after the permission: an editor gets 412, nobody stores
    ("put", SECTION): (
        lambda user, a: access(user, a).may_edit,
        {"json": {"antwoorden": {}}, "headers": {"If-Match": '"-1"'}},
    ),
    # an empty remark is refused after the permission
    ("post", "/api/v1/assessments/{assessment_id}/opmerkingen"): (
        lambda user, a: access(user, a).may_comment and a.has_dpia,
        {"json": {"sectie": "1", "tekst": ""}},
    ),
    ("post", "/api/v1/assessments/{assessment_id}/documenten/dpia-rapport"): (
        lambda user, a: access(user, a).may_generate_documents,
        {},
    ),
}

# Not about one assessment: everyone with a token has /me; the list is compared with the
# visible assessments in tests/test_api_core.py; import: who may create an assessment.
GENERAL = {("get", "/api/v1/me"), ("get", "/api/v1/assessments"), ("post", "/api/v1/assessments")}
ACT = ("post", "/api/v1/assessments/{assessment_id}/acties/{action}")


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    users = [db.session.scalar(select(User).where(User.email == e)) for e, *_ in DEMO_USERS]
    assessments = db.session.scalars(select(Assessment).order_by(Assessment.id)).all()
    return users, assessments


def test_the_table_covers_every_operation_of_the_document(client):
    document = client.get("/api/v1/openapi.json").json
    operations = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }
    assert operations == set(READS) | set(WRITES) | GENERAL | {ACT}


@pytest.mark.demo
@pytest.mark.parametrize("app_config", [{"API_RATE_PER_MINUTE": 100_000}])
def test_the_api_refuses_exactly_where_the_pages_refuse(app, app_config, demo):
    users, assessments = demo
    wrong = []
    for user in users:
        api = app.test_client()
        token = bearer(token_for(user))
        page = app.test_client()
        log_in(page, user, DEMO_PASSWORD)
        for assessment in assessments:
            for (_method, path), page_url in READS.items():
                url = API_URLS[path].format(id=assessment.id)
                got = api.get(url, headers=token).status_code
                shown = page.get(page_url.format(id=assessment.id)).status_code
                if (got == REFUSED) != (shown == REFUSED):
                    wrong.append(f"{user.email} GET {url}: API {got}, page {shown}")
            for (method, path), (allowed, extra) in WRITES.items():
                url = API_URLS[path].format(id=assessment.id)
                must = allowed(user, assessment)
                headers = {**token, **extra.get("headers", {})}
                body = {"json": extra["json"]} if "json" in extra else {}
                got = api.open(url, method=method.upper(), headers=headers, **body)
                if (got.status_code == REFUSED) == must:
                    wrong.append(f"{user.email} {method} {url}: {got.status_code}, may={must}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.demo
def test_a_procedure_action_runs_exactly_when_the_page_offers_it(app, demo):
    users, assessments = demo
    wrong = []
    for user in users:
        api = app.test_client()
        token = bearer(token_for(user))
        for assessment in assessments:
            db.session.refresh(assessment)
            offered = any(o.name == "claim" and o.enabled for o in review.options(user, assessment))
            got = api.post(f"/api/v1/assessments/{assessment.id}/acties/claim", headers=token)
            if (got.status_code == 200) != offered:
                wrong.append(f"{user.email} claim {assessment.title}: {got.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.demo
def test_only_who_may_create_an_assessment_may_import_one(app, demo):
    users, _ = demo
    for user in users:
        got = app.test_client().post(
            "/api/v1/assessments", json={"formaat": "x"}, headers=bearer(token_for(user))
        )
        assert got.status_code == (400 if can_create_assessment(user) else 403), user.email
