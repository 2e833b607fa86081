"""The procedure and the report through the API: the actions this user has now, the
one-button actions (scope beoordelen), the DPIA report made and downloaded."""

import pytest
from sqlalchemy import select

from pia.demo import seed_demo
from pia.extensions import db
from pia.models import Assessment, User
from pia.roles import Role
from tests.api_helpers import bearer, token_for
from tests.conftest import make_user

LOKET = "Digitaal loket energiesubsidie woningeigenaren"


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    loket = db.session.scalar(select(Assessment).where(Assessment.title == LOKET))

    def user(email):
        return db.session.scalar(select(User).where(User.email == email))

    return loket, user


@pytest.mark.demo
def test_the_owner_submits_through_the_api_and_the_fg_claims(app, client, demo):
    loket, user = demo
    owner = token_for(user("projectleider@pia.test"))
    listed = client.get(f"/api/v1/assessments/{loket.id}/acties", headers=bearer(owner))
    assert listed.status_code == 200
    actions = {a["actie"]: a for a in listed.json["_embedded"]["acties"]}
    assert actions["submit"]["beschikbaar"] and actions["submit"]["viaApi"]
    done = client.post(actions["submit"]["_links"]["uitvoeren"]["href"], headers=bearer(owner))
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["status"] == "submitted"
    again = client.post(f"/api/v1/assessments/{loket.id}/acties/submit", headers=bearer(owner))
    assert again.status_code in (403, 409)
    assert again.mimetype == "application/problem+json"
    fg = token_for(user("fg.bzk@pia.test"))
    fg_actions = client.get(f"/api/v1/assessments/{loket.id}/acties", headers=bearer(fg)).json
    assert "claim" in {a["actie"] for a in fg_actions["_embedded"]["acties"]}
    claimed = client.post(f"/api/v1/assessments/{loket.id}/acties/claim", headers=bearer(fg))
    assert claimed.status_code == 200 and claimed.json["status"] == "in_review"


@pytest.mark.demo
def test_actions_need_the_scope_and_the_role(app, client, demo):
    loket, user = demo
    reader = token_for(user("projectleider@pia.test"), scopes=["lezen"])
    url = f"/api/v1/assessments/{loket.id}/acties/submit"
    assert client.post(url, headers=bearer(reader)).status_code == 403
    colleague_fg = token_for(user("fg.jenv@pia.test"))
    assert client.post(url, headers=bearer(colleague_fg)).status_code == 403
    owner = token_for(user("projectleider@pia.test"))
    for unknown in ("give_advice", "give-advice", "take_over", "onzin"):
        path = f"/api/v1/assessments/{loket.id}/acties/{unknown}"
        assert client.post(path, headers=bearer(owner)).status_code == 404, unknown
    assert db.session.get(Assessment, loket.id).state == "concept"


@pytest.mark.demo
def test_the_report_is_made_by_an_author_and_downloaded_by_readers(app, client, demo):
    loket, user = demo
    url = f"/api/v1/assessments/{loket.id}/documenten/dpia-rapport"
    owner = token_for(user("projectleider@pia.test"))
    assert client.get(url, headers=bearer(owner)).status_code == 404
    made = client.post(url, headers=bearer(owner))
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.headers["Location"].endswith("/documenten/dpia-rapport")
    got = client.get(url, headers=bearer(owner))
    assert got.status_code == 200 and got.data[:2] == b"PK"
    assert got.headers["API-Version"] == "1.0.0"
    auditor = token_for(user("auditor@pia.test"))
    assert client.get(url, headers=bearer(auditor)).status_code == 200
    assert client.post(url, headers=bearer(auditor)).status_code == 403
    stranger = token_for(make_user(Role.PROJECTLEIDER))
    assert client.get(url, headers=bearer(stranger)).status_code == 403
