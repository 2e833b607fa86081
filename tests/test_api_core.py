"""/api/v1: tokens only, problem+json, headers, parameters, versions, the same rights as the
pages (a list shows exactly what opens)."""

import pytest
from sqlalchemy import select

from pia import demo_content
from pia.demo import DEMO_USERS, seed_demo
from pia.extensions import db
from pia.models import Assessment, User
from pia.permissions import access, visible_assessments
from pia.roles import Role
from tests.api_helpers import bearer, token_for
from tests.conftest import log_in, make_user
from tests.factories_assessments import make_assessment

SECTION = "/api/v1/assessments/{id}/secties/prescan/1"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


def test_without_or_with_a_wrong_token_401_and_the_session_is_ignored(app, client):
    user = make_user(Role.PROJECTLEIDER)
    log_in(client, user)
    body = _problem(client.get("/api/v1/me"), 401)
    assert body["title"] == "Niet geauthenticeerd"
    assert client.get("/api/v1/me").headers["WWW-Authenticate"].startswith("Bearer")
    _problem(client.get("/api/v1/me", headers=bearer("pia_onzin")), 401)
    _problem(client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}), 401)
    # The page itself still works with the session: only the API ignores it.
    assert client.get("/account/tokens").status_code == 200


def test_every_response_has_the_version_and_no_store(app, client):
    secret = token_for(make_user(Role.PROJECTLEIDER))
    for response in (
        client.get("/api/v1/me", headers=bearer(secret)),
        client.get("/api/v1/me"),
        client.get("/api/v1/bestaat-niet", headers=bearer(secret)),
        client.delete("/api/v1/me", headers=bearer(secret)),
    ):
        assert response.headers["API-Version"] == "1.0.0"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers
    _problem(client.get("/api/v1/bestaat-niet", headers=bearer(secret)), 404)
    _problem(client.delete("/api/v1/me", headers=bearer(secret)), 405)


def test_unknown_query_parameters_are_400_with_the_parameter_named(app, client):
    secret = token_for(make_user(Role.PROJECTLEIDER))
    body = _problem(client.get("/api/v1/assessments?q=x", headers=bearer(secret)), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["q"]
    _problem(client.get("/api/v1/me?x=1", headers=bearer(secret)), 400)
    _problem(client.get("/api/v1/assessments?pagina=nul", headers=bearer(secret)), 400)
    _problem(client.get("/api/v1/assessments?perPagina=500", headers=bearer(secret)), 400)
    ok = client.get("/api/v1/assessments?zoek=x&status=concept&pagina=1", headers=bearer(secret))
    assert ok.status_code == 200


@pytest.fixture
def owned(app):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=demo_content.PRESCAN)
    return owner, assessment, token_for(owner)


def test_a_section_put_needs_if_match_and_never_overwrites(app, client, owned):
    owner, assessment, secret = owned
    url = SECTION.format(id=assessment.id)
    got = client.get(url, headers=bearer(secret))
    assert got.status_code == 200
    etag = got.headers["ETag"]
    answers = got.json["antwoorden"]
    changed = {**answers, "1.1.3": "Naam en adres."}
    # No If-Match: 428.
    _problem(client.put(url, json={"antwoorden": changed}, headers=bearer(secret)), 428)
    saved = client.put(
        url, json={"antwoorden": changed}, headers={**bearer(secret), "If-Match": etag}
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.json["antwoorden"]["1.1.3"] == "Naam en adres."
    new_etag = saved.headers["ETag"]
    assert new_etag != etag
    # The old version again: 412 with the current version, nothing stored.
    stale = client.put(
        url,
        json={"antwoorden": {**answers, "1.1.3": "Iets anders."}},
        headers={**bearer(secret), "If-Match": etag},
    )
    body = _problem(stale, 412)
    assert f'"{body["huidigeVersie"]}"' == new_etag
    assert client.get(url, headers=bearer(secret)).json["antwoorden"]["1.1.3"] == "Naam en adres."


def test_wrong_content_type_is_415_and_bad_answers_400_per_field(app, client, owned):
    owner, assessment, secret = owned
    url = SECTION.format(id=assessment.id)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    headers = {**bearer(secret), "If-Match": etag}
    _problem(client.put(url, data="antwoorden=1", headers=headers), 415)
    _problem(client.put(url, data="{}", headers=headers, content_type="text/plain"), 415)
    body = _problem(client.put(url, json={"antwoorden": {"9.9.9": 1}}, headers=headers), 400)
    assert body["invalidParams"][0]["name"] == "antwoorden.9.9.9"
    _problem(client.put(url, json=["geen", "object"], headers=headers), 400)
    _problem(client.put(url, json={"antwoorden": {"1.1.2": 12}}, headers=headers), 400)
    # Nothing was saved by any of these.
    assert client.get(url, headers=bearer(secret)).headers["ETag"] == etag


def test_writing_needs_the_scope_and_the_right_to_edit(app, client, owned):
    owner, assessment, _ = owned
    url = SECTION.format(id=assessment.id)
    reader = token_for(owner, scopes=["lezen"])
    etag = client.get(url, headers=bearer(reader)).headers["ETag"]
    _problem(
        client.put(url, json={"antwoorden": {}}, headers={**bearer(reader), "If-Match": etag}),
        403,
    )
    auditor = token_for(make_user(Role.AUDITOR))
    assert client.get(url, headers=bearer(auditor)).status_code == 200
    _problem(
        client.put(url, json={"antwoorden": {}}, headers={**bearer(auditor), "If-Match": etag}),
        403,
    )


def test_others_assessments_are_403_and_missing_ones_404(app, client, owned):
    _, assessment, _ = owned
    stranger = token_for(make_user(Role.PROJECTLEIDER))
    for path in ("", "/export", "/secties/prescan/1"):
        _problem(
            client.get(f"/api/v1/assessments/{assessment.id}{path}", headers=bearer(stranger)), 403
        )
        _problem(client.get(f"/api/v1/assessments/999999{path}", headers=bearer(stranger)), 404)
        huge = f"/api/v1/assessments/{2**62}{path}"
        _problem(client.get(huge, headers=bearer(stranger)), 404)
    _problem(
        client.get(
            f"/api/v1/assessments/{assessment.id}/secties/onzin/1", headers=bearer(stranger)
        ),
        403,
    )


@pytest.mark.parametrize("app_config", [{"API_RATE_PER_MINUTE": 3}])
def test_more_than_the_rate_per_minute_is_429_with_retry_after(app, client, app_config):
    secret = token_for(make_user(Role.PROJECTLEIDER))
    statuses = [client.get("/api/v1/me", headers=bearer(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me", headers=bearer(secret))
    _problem(response, 429)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another token has its own window.
    assert client.get("/api/v1/me", headers=bearer(token_for(make_user()))).status_code == 200


@pytest.mark.demo
def test_the_list_shows_exactly_what_opens_for_every_demo_user(app, client):
    seed_demo()
    db.session.commit()
    everything = db.session.scalars(select(Assessment)).all()
    for email, *_ in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        secret = token_for(user, scopes=["lezen"])
        listed = set()
        url = "/api/v1/assessments"
        while url:
            page = client.get(url, headers=bearer(secret))
            assert page.status_code == 200
            listed |= {a["id"] for a in page.json["_embedded"]["assessments"]}
            url = page.json["_links"].get("next", {}).get("href")
        visible = set(db.session.scalars(select(Assessment.id).where(visible_assessments(user))))
        assert listed == visible, email
        for assessment in everything:
            status = client.get(f"/api/v1/assessments/{assessment.id}", headers=bearer(secret))
            expected = 200 if access(user, assessment).may_view else 403
            assert status.status_code == expected, (email, assessment.title)
