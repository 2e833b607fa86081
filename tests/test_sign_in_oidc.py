"""Single sign-on over OpenID Connect, against a real provider (oidc-provider from npm, run by
node on a loopback port) and, for the token-level refusals, ID tokens this test signs itself
and serves from a loopback JWKS."""

import base64
import hashlib
import re
import time

import pytest
from joserfc.jwk import RSAKey

from pia.roles import Role
from tests.conftest import audit_events, make_org, make_user, text_of, user_sessions
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, NodeProvider, TokenProvider, query

BASE = "http://localhost"
CALLBACK = f"{BASE}/inloggen/sso/test/terug"


@pytest.fixture(scope="session")
def node_provider():
    provider = NodeProvider(
        redirect_uris=[CALLBACK], post_logout_redirect_uris=[f"{BASE}/inloggen"]
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def token_provider():
    provider = TokenProvider().start()
    yield provider
    provider.stop()


def provider_config(provider_id: str, issuer: str, **extra) -> dict:
    return {
        "id": provider_id,
        "name": {"test": "Test-IdP", "token": "Token-IdP"}.get(provider_id, provider_id),
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "organisations": ["BZK"],
        **extra,
    }


@pytest.fixture
def app_config(node_provider, token_provider):
    return {
        "BASE_URL": BASE,
        "OIDC_PROVIDERS": [
            provider_config("test", node_provider.issuer),
            provider_config("token", token_provider.issuer),
        ],
    }


def linking(rule: bool, abbreviation: str = "BZK"):
    from pia.extensions import db

    org = make_org(abbreviation)
    org.sso_link_verified_email = rule
    db.session.commit()
    return org


def start(client, provider_id: str = "test", next_path: str | None = None) -> str:
    url = f"/inloggen/sso/{provider_id}" + (f"?next={next_path}" if next_path else "")
    response = client.post_form(url)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def open_sessions() -> int:
    from sqlalchemy import func, select

    from pia.extensions import db
    from pia.models import UserSession

    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.ended_at.is_(None))
    )


def assert_refused(client, response, message: str, host: str = BASE) -> None:
    """Refused: back to the login page with the Dutch message, and nobody signed in."""
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"] == "/inloggen"
    page = text_of(client.get(f"{host}/inloggen"))
    assert message in page, page[:1500]
    assert open_sessions() == 0
    assert client.get(f"{host}/").headers["Location"].startswith("/inloggen")


def user_by_email(email: str):
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import User

    return db.session.scalar(select(User).where(User.email == email))


def identities():
    from sqlalchemy import select

    from pia.extensions import db
    from pia.models import UserIdentity

    return db.session.scalars(select(UserIdentity)).all()


# -- the real provider ----------------------------------------------------------------------


def test_the_login_page_offers_each_provider_beside_the_password_form(client):
    page = client.get("/inloggen")
    text = text_of(page)
    assert "Inloggen met Test-IdP" in text and "Inloggen met Token-IdP" in text
    assert 'name="password"' in page.get_data(as_text=True)


def test_the_password_form_can_be_switched_off(app, client):
    app.config["PASSWORD_LOGIN"] = False
    page = client.get("/inloggen").get_data(as_text=True)
    assert "Inloggen met Test-IdP" in page
    assert 'name="password"' not in page
    user = make_user(Role.PROJECTLEIDER)
    refused = client.post_form(
        "/inloggen", {"email": user.email, "password": "een-lang-testwachtwoord-42"}
    )
    assert refused.status_code == 400
    assert not user_sessions(user)


def test_sign_in_and_out_through_the_provider_end_to_end(client, node_provider):
    from pia.extensions import db

    linking(True)
    anna = make_user(Role.PROJECTLEIDER, email="anna@pia.test", name="Anna Aalders")
    authorize = start(client, next_path="/assessments/")
    assert authorize.startswith(node_provider.issuer + "/auth?")
    params = query(authorize)
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == CALLBACK
    assert params["code_challenge_method"] == "S256"
    assert params["state"] and params["nonce"] and params["code_challenge"]
    assert "openid" in params["scope"].split()

    at_provider = node_provider.browser()
    back = node_provider.sign_in(authorize, "anna", "anna-wachtwoord", at_provider)
    assert back.startswith(CALLBACK + "?")
    assert "code" in query(back)
    signed_in = client.get(back)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/assessments/"
    assert "Anna Aalders" in text_of(client.get("/"))

    (sess,) = user_sessions(anna)
    assert (sess.method, sess.provider) == ("oidc", "test")
    assert sess.id_token and sess.id_token.count(".") == 2  # kept here, not in the cookie
    with client.session_transaction() as cookie:
        assert set(cookie) <= {"sid", "csrf_token", "_user_id", "_fresh", "_id", "_flashes"}
    (identity,) = identities()
    assert (identity.issuer, identity.subject, identity.user_id) == (
        node_provider.issuer,
        "sub-anna",
        anna.id,
    )
    assert [e.action for e in audit_events("login.sso_succeeded")] == ["login.sso_succeeded"]
    assert audit_events("sso.linked")

    # Logout ends pia's session and sends the browser to the provider to end its session.
    id_token = sess.id_token
    out = client.post_form("/uitloggen")
    assert out.status_code == 302
    logout = out.headers["Location"]
    assert logout.startswith(node_provider.issuer + "/session/end?")
    assert query(logout)["id_token_hint"] == id_token
    assert query(logout)["post_logout_redirect_uri"] == f"{BASE}/inloggen"
    db.session.expire_all()
    (ended,) = user_sessions(anna)
    assert ended.ended_at is not None and ended.id_token is None
    assert client.get("/").headers["Location"].startswith("/inloggen")
    # The provider accepts that logout request: it asks to confirm, ends its own session and
    # sends the browser back to pia's login page.
    confirm = at_provider.get(logout, allow_redirects=False, timeout=10)
    assert confirm.status_code == 200 and 'id="op.logoutForm"' in confirm.text
    action = re.search(r'action="([^"]+)"', confirm.text).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text).group(1)
    done = at_provider.post(
        action, data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert done.status_code in (302, 303)
    assert done.headers["Location"].startswith(f"{BASE}/inloggen")
    # Signed out there too: a new sign-in asks for the password again.
    again = at_provider.get(start(client), allow_redirects=True, timeout=10)
    assert "Inloggen bij de test-identiteitsprovider" in again.text


def test_a_second_sign_in_finds_the_account_by_issuer_and_subject(client, node_provider):
    from pia.extensions import db

    org = linking(True)
    anna = make_user(Role.PROJECTLEIDER, email="anna@pia.test")
    client.get(node_provider.sign_in(start(client), "anna", "anna-wachtwoord"))
    client.post_form("/uitloggen")
    # The e-mail address changes in pia; the rule is switched off: the identity still holds.
    anna.email = "anna.aalders@pia.test"
    org.sso_link_verified_email = False
    db.session.commit()
    again = client.get(node_provider.sign_in(start(client), "anna", "anna-wachtwoord"))
    assert again.headers["Location"] == "/"
    assert len(user_sessions(anna)) == 2
    assert len(identities()) == 1


def test_a_wrong_state_is_refused(client, node_provider):
    linking(True)
    make_user(Role.PROJECTLEIDER, email="anna@pia.test")
    back = node_provider.sign_in(start(client), "anna", "anna-wachtwoord")
    forged = back.replace(f"state={query(back)['state']}", "state=iets-anders")
    assert_refused(client, client.get(forged), "Dit inlogverzoek is verlopen, al gebruikt")


def test_an_answer_from_the_provider_for_another_browser_is_refused(app, client, node_provider):
    linking(True)
    make_user(Role.PROJECTLEIDER, email="anna@pia.test")
    back = node_provider.sign_in(start(client), "anna", "anna-wachtwoord")
    other_browser = app.test_client()
    assert_refused(other_browser, other_browser.get(back), "niet in deze browser begonnen")
    # The browser that asked can still finish its own sign-in.
    assert client.get(back).headers["Location"] == "/"


def test_a_replayed_answer_is_refused(client, node_provider):
    linking(True)
    anna = make_user(Role.PROJECTLEIDER, email="anna@pia.test")
    back = node_provider.sign_in(start(client), "anna", "anna-wachtwoord")
    assert client.get(back).headers["Location"] == "/"
    client.post_form("/uitloggen")
    # The browser even carries the old state again: the request was used once, that's all.
    with client.session_transaction() as cookie:
        cookie["sso_state"] = query(back)["state"]
    response = client.get(back)
    assert response.headers["Location"] == "/inloggen"
    assert "al gebruikt" in text_of(client.get("/inloggen"))
    assert all(s.ended_at is not None for s in user_sessions(anna))
    refusal = audit_events("login.sso_refused")[-1]
    assert refusal.details["reason"] == "state"
    assert refusal.details["detail"] == "state used before"


def test_an_answer_that_arrives_on_another_address_is_refused(client, node_provider):
    linking(True)
    make_user(Role.PROJECTLEIDER, email="anna@pia.test")
    back = node_provider.sign_in(start(client), "anna", "anna-wachtwoord")
    elsewhere = back.replace("http://localhost/", "http://127.0.0.2/")
    assert_refused(
        client, client.get(elsewhere), "ander adres dan waar het begon", "http://127.0.0.2"
    )


def test_the_provider_refuses_a_redirect_uri_it_does_not_know(app, client, node_provider):
    app.config["BASE_URL"] = "http://pia.elders.invalid"
    authorize = start(client)
    assert query(authorize)["redirect_uri"] == "http://pia.elders.invalid/inloggen/sso/test/terug"
    page = node_provider.refuses(authorize)
    assert "redirect_uri" in page
    assert open_sessions() == 0


def test_a_sign_in_cancelled_at_the_provider_is_refused(client):
    state = query(start(client))["state"]
    response = client.get(f"/inloggen/sso/test/terug?error=access_denied&state={state}")
    assert_refused(client, response, "afgebroken of mislukt")


def test_an_unknown_provider_is_not_found(client):
    assert client.post_form("/inloggen/sso/onbekend").status_code == 404
    page = client.get("/inloggen/sso/onbekend/terug?code=x&state=y")
    assert page.status_code == 404
    assert "niet gevonden" in text_of(page).lower()


# -- tokens signed by the test ------------------------------------------------------------


def finish_with(client, provider: TokenProvider, claims_for, key: RSAKey | None = None):
    """Start a sign-in at the token provider, have it hand out the ID token made by
    `claims_for(nonce)`, and deliver the answer."""
    params = query(start(client, "token"))
    provider.id_token = provider.sign(claims_for(params["nonce"]), key)
    return client.get(f"/inloggen/sso/token/terug?code=een-code&state={params['state']}"), params


def test_a_correct_token_signs_in_and_the_code_goes_with_its_pkce_verifier(client, token_provider):
    linking(True)
    tessa = make_user(Role.FG, email="token@pia.test")
    response, params = finish_with(client, token_provider, token_provider.claims)
    assert response.headers["Location"] == "/"
    assert user_sessions(tessa)[0].method == "oidc"
    (exchange,) = token_provider.token_requests
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code"] == "een-code"
    assert exchange["redirect_uri"] == f"{BASE}/inloggen/sso/token/terug"
    digest = hashlib.sha256(exchange["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == params["code_challenge"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong nonce", "hoort niet bij dit inlogverzoek"),
        ("another audience", "niet voor pia bestemd"),
        ("another authorised party", "niet voor pia bestemd"),
        ("expired", "is verlopen"),
        ("another key", "niet door die dienst ondertekend"),
        ("unknown key", "niet door die dienst ondertekend"),
        ("unknown issuer", "andere inlogdienst"),
        ("no subject", "klopt niet"),
    ],
)
def test_a_bad_id_token_is_refused(client, token_provider, case, message):
    linking(True)
    make_user(Role.FG, email="token@pia.test")
    now = int(time.time())
    claims = {
        "wrong nonce": lambda n: token_provider.claims("een-andere-nonce"),
        "another audience": lambda n: token_provider.claims(n, aud="een-andere-app"),
        "another authorised party": lambda n: token_provider.claims(
            n, aud=[CLIENT_ID, "een-andere-app"], azp="een-andere-app"
        ),
        "expired": lambda n: token_provider.claims(n, iat=now - 7200, exp=now - 3600),
        "another key": token_provider.claims,
        "unknown key": token_provider.claims,
        "unknown issuer": lambda n: token_provider.claims(n, iss="http://elders.invalid"),
        "no subject": lambda n: token_provider.claims(n, sub=None),
    }[case]
    key = None
    if case == "another key":  # same key id, another key: a forged signature
        key = RSAKey.generate_key(2048, {"kid": token_provider.key.kid})
    elif case == "unknown key":
        key = RSAKey.generate_key(2048, {"kid": "elders-1"})
    response, _ = finish_with(client, token_provider, claims, key)
    assert_refused(client, response, message)
    assert not identities()


def test_a_replayed_nonce_is_refused(client, token_provider):
    """An ID token from an earlier sign-in (its nonce) does not serve for a new one."""
    linking(True)
    tessa = make_user(Role.FG, email="token@pia.test")
    first, _ = finish_with(client, token_provider, token_provider.claims)
    assert first.headers["Location"] == "/"
    client.post_form("/uitloggen")
    old_token = token_provider.id_token
    params = query(start(client, "token"))
    token_provider.id_token = old_token
    response = client.get(f"/inloggen/sso/token/terug?code=x&state={params['state']}")
    assert response.headers["Location"] == "/inloggen"
    assert "hoort niet bij dit inlogverzoek" in text_of(client.get("/inloggen"))
    assert all(s.ended_at is not None for s in user_sessions(tessa))


def test_a_provider_that_names_another_issuer_is_refused(app, client, token_provider):
    """Discovery must name exactly the configured issuer (no mix-up of providers)."""
    app.config["OIDC_PROVIDERS"] = [provider_config("token", token_provider.issuer + "/realm")]
    response = client.post_form("/inloggen/sso/token")
    assert_refused(client, response, "De inlogdienst is nu niet bereikbaar")


# -- who the sign-in is ----------------------------------------------------------------------


def test_without_the_rule_an_existing_address_is_not_linked(client, token_provider):
    linking(False)
    tessa = make_user(Role.FG, email="token@pia.test")
    response, _ = finish_with(client, token_provider, token_provider.claims)
    assert_refused(client, response, "kan niet automatisch")
    assert not identities() and not user_sessions(tessa)
    assert audit_events("sso.link_refused")


def test_an_unverified_address_is_not_linked(client, token_provider):
    linking(True)
    make_user(Role.FG, email="token@pia.test")
    response, _ = finish_with(
        client, token_provider, lambda n: token_provider.claims(n, email_verified=False)
    )
    assert_refused(client, response, "kan niet automatisch")
    assert not identities()


def test_an_account_of_another_organisation_is_not_linked(client, token_provider):
    linking(True)
    make_user(Role.FG, email="token@pia.test", org="JenV")
    response, _ = finish_with(client, token_provider, token_provider.claims)
    assert_refused(client, response, "kan niet automatisch")
    assert not identities()


def test_a_newcomer_gets_an_account_without_roles_that_a_beheerder_approves(
    app, client, token_provider, login
):
    linking(True)
    response, _ = finish_with(
        client, token_provider, lambda n: token_provider.claims(n, email="Nieuw@PIA.test")
    )
    assert_refused(client, response, "Een beheerder moet het nog goedkeuren")
    newcomer = user_by_email("nieuw@pia.test")
    assert (newcomer.active, newcomer.pending_approval, newcomer.roles) == (False, True, set())
    assert newcomer.organisation.abbreviation == "BZK"
    assert newcomer.password_hash == ""
    (identity,) = identities()
    assert identity.linked_by == "created"

    # Before approval a new sign-in waits; a password login is impossible (no password).
    again, _ = finish_with(
        client, token_provider, lambda n: token_provider.claims(n, email="nieuw@pia.test")
    )
    assert_refused(client, again, "wacht nog op goedkeuring")

    beheerder = app.test_client()
    from tests.conftest import log_in

    log_in(beheerder, make_user(Role.BEHEERDER))
    assert "Wacht op goedkeuring" in text_of(beheerder.get("/beheer/gebruikers/"))
    assert "Goedkeuren en activeren" in text_of(beheerder.get(f"/beheer/gebruikers/{newcomer.id}"))
    beheerder.post_form(f"/beheer/gebruikers/{newcomer.id}/actief")
    assert audit_events("user.approved")

    approved, _ = finish_with(
        client, token_provider, lambda n: token_provider.claims(n, email="nieuw@pia.test")
    )
    assert approved.headers["Location"] == "/"
    assert user_sessions(newcomer)[0].method == "oidc"


def test_a_provider_for_several_organisations_uses_its_organisation_claim(
    app, client, token_provider
):
    make_org("BZK")
    make_org("JenV")
    app.config["OIDC_PROVIDERS"] = [
        provider_config(
            "token",
            token_provider.issuer,
            organisations=["BZK", "JenV"],
            organisation_claim="organisatie",
        )
    ]
    response, _ = finish_with(
        client, token_provider, lambda n: token_provider.claims(n, organisatie="JenV")
    )
    assert_refused(client, response, "Een beheerder moet het nog goedkeuren")
    assert user_by_email("token@pia.test").organisation.abbreviation == "JenV"

    unknown, _ = finish_with(
        client,
        token_provider,
        lambda n: token_provider.claims(n, sub="sub-2", email="b@pia.test", organisatie="Fin"),
    )
    assert_refused(client, unknown, "bij welke organisatie u hoort")


def test_a_deactivated_account_cannot_sign_in_through_the_provider(client, token_provider):
    from pia.extensions import db

    linking(True)
    tessa = make_user(Role.FG, email="token@pia.test")
    first, _ = finish_with(client, token_provider, token_provider.claims)
    client.post_form("/uitloggen")
    tessa.active = False
    db.session.commit()
    response, _ = finish_with(client, token_provider, token_provider.claims)
    assert_refused(client, response, "gedeactiveerd")


def test_an_oidc_session_follows_the_same_idle_timeout(app, client, token_provider):
    from datetime import timedelta

    from pia.extensions import db

    linking(True)
    tessa = make_user(Role.FG, email="token@pia.test")
    finish_with(client, token_provider, token_provider.claims)
    (sess,) = user_sessions(tessa)
    sess.last_seen_at -= timedelta(minutes=int(app.config["IDLE_TIMEOUT_MINUTES"]) + 1)
    db.session.commit()
    assert client.get("/").headers["Location"].startswith("/inloggen")
    assert user_sessions(tessa)[0].end_reason == "idle"


def test_an_oidc_session_of_a_beheerder_is_not_asked_for_a_local_second_factor(
    app, client, token_provider
):
    app.config["MFA_REQUIRED_ROLES"] = "beheerder,fg"
    linking(True)
    make_user(Role.BEHEERDER, email="token@pia.test")
    finish_with(client, token_provider, token_provider.claims)
    assert client.get("/beheer/gebruikers/").status_code == 200


def test_the_pages_may_send_forms_on_to_the_providers_only(client, node_provider, token_provider):
    """The button posts to pia, which redirects to the provider: the CSP allows exactly that."""
    policy = client.get("/inloggen").headers["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    origins = sorted([node_provider.issuer, token_provider.issuer])
    assert form_action.split()[1:] == ["'self'", *origins]
