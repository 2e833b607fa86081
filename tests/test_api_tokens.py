"""Personal access tokens: hashed, scoped, expiring, revocable, audited; the account page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import ApiToken, AuditEvent
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import api_tokens
from tests.api_helpers import bearer, token_for
from tests.conftest import audit_events, log_in, make_user, text_of


def test_the_secret_is_stored_nowhere_only_its_hash(app):
    user = make_user(Role.PROJECTLEIDER)
    token, secret = api_tokens.create_token(user, "koppeling", ["lezen"], 30)
    db.session.commit()
    assert secret.startswith("pia_") and len(secret) > 40
    assert token.token_hash == api_tokens.hash_token(secret)
    assert secret not in token.token_hash and secret not in token.prefix
    for event in db.session.scalars(select(AuditEvent)):
        assert secret not in f"{event.summary} {event.details}"
    assert api_tokens.find_usable(secret).id == token.id
    assert api_tokens.find_usable(secret + "x") is None
    assert api_tokens.find_usable("zonder-prefix") is None


@pytest.mark.parametrize(
    ("name", "scopes", "days", "field"),
    [
        ("", ["lezen"], 30, "name"),
        ("x", [], 30, "scopes"),
        ("x", ["alles"], 30, "scopes"),
        ("x", ["lezen"], 0, "days"),
        ("x", ["lezen"], 366, "days"),
    ],
)
def test_a_token_needs_a_name_known_scopes_and_at_most_a_year(app, name, scopes, days, field):
    user = make_user(Role.PROJECTLEIDER)
    with pytest.raises(api_tokens.TokenError) as refused:
        api_tokens.create_token(user, name, scopes, days)
    assert refused.value.field == field


def test_expired_revoked_and_deactivated_tokens_stop_working(app, client):
    user = make_user(Role.PROJECTLEIDER)
    secret = token_for(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    token = db.session.scalar(select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    token.expires_at = utcnow() + timedelta(days=1)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    user.active = True
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    api_tokens.revoke(user, token)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_every_use_is_audited_without_the_token_and_last_use_kept(app, client):
    user = make_user(Role.PROJECTLEIDER)
    secret = token_for(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert client.get("/api/v1/assessments/999999", headers=bearer(secret)).status_code == 404
    events = audit_events("api.request")
    assert [e.details["status"] for e in events] == [200, 404]
    assert all(e.actor_id == user.id for e in events)
    for event in audit_events():
        assert secret not in f"{event.summary} {event.details}"
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_a_scope_limits_what_the_token_may_do(app, client):
    user = make_user(Role.PROJECTLEIDER)
    review_only = token_for(user, scopes=["beoordelen"])
    response = client.get("/api/v1/me", headers=bearer(review_only))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "lezen" in response.json["detail"]


def test_the_account_page_shows_a_new_token_once_and_revokes_it(app, client):
    user = make_user(Role.PROJECTLEIDER)
    log_in(client, user)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "Mijn API-tokens" in text_of(page)
    created = client.post_form(
        "/account/tokens", {"name": "register", "scopes": ["lezen"], "days": "90"}
    )
    assert created.status_code == 200
    token = db.session.scalar(select(ApiToken))
    secret = created.get_data(as_text=True).split('<code id="new-token">')[1].split("<")[0]
    assert api_tokens.hash_token(secret) == token.token_hash
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and token.prefix in again and "nooit" in again
    # Without a CSRF token nothing is revoked.
    assert client.post(f"/account/tokens/{token.id}/intrekken").status_code == 400
    done = client.post_form(f"/account/tokens/{token.id}/intrekken")
    assert done.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert [e.action for e in audit_events() if e.action.startswith("api_token.")] == [
        "api_token.created",
        "api_token.revoked",
    ]


def test_a_beheerder_lists_and_revokes_the_tokens_of_their_organisation_only(app, client):
    own = make_user(Role.PROJECTLEIDER, org="BZK")
    other = make_user(Role.PROJECTLEIDER, org="JenV")
    token_for(own, name="bzk-koppeling")
    token_for(other, name="jenv-koppeling")
    beheerder = make_user(Role.BEHEERDER, org="BZK")
    log_in(client, beheerder)
    page = text_of(client.get("/beheer/api-tokens"))
    assert "bzk-koppeling" in page and "jenv-koppeling" not in page
    mine, theirs = (
        db.session.scalar(select(ApiToken).where(ApiToken.user_id == u.id)) for u in (own, other)
    )
    assert client.post_form(f"/account/tokens/{theirs.id}/intrekken").status_code == 404
    assert client.post_form(f"/account/tokens/{mine.id}/intrekken").status_code == 302
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.revoked_at is not None and theirs.revoked_at is None
    # A colleague who is not a beheerder cannot revoke someone else's token.
    colleague = make_user(Role.PROJECTLEIDER, org="JenV")
    other_client = app.test_client()
    log_in(other_client, colleague)
    assert other_client.post_form(f"/account/tokens/{theirs.id}/intrekken").status_code == 404
