"""Signing in through an OpenID provider: the authorization code flow with PKCE, `state` and
`nonce` (Authlib), the ID token checked before anyone is signed in, and RP-initiated logout.

Everything the flow needs to remember (state, nonce, the PKCE verifier, where to go next)
is kept on the server in `sign_in_requests`, used once; the browser's cookie only carries the
state, to bind the answer to the browser that asked. The ID token is kept with the server-side
session for the logout; access tokens are not kept at all (pia calls no provider API).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import current_app
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from sqlalchemy import select

from pia.extensions import db
from pia.models import SignInRequest, User
from pia.models.types import utcnow
from pia.services import audit, oidc_providers, sso_accounts
from pia.services.oidc_providers import Provider, ProviderError

# Clocks differ a little between us and the provider.
LEEWAY_SECONDS = 60

MESSAGES = {
    "unknown_provider": "Deze manier van inloggen bestaat niet (meer). Kies een andere.",
    "provider_unavailable": (
        "De inlogdienst is nu niet bereikbaar. Probeer het later opnieuw of log in met uw "
        "wachtwoord, als u dat heeft."
    ),
    "redirect_uri": (
        "Het inloggen kwam terug op een ander adres dan waar het begon. Open pia via het "
        "gewone adres en log opnieuw in."
    ),
    "provider_error": (
        "Het inloggen bij de inlogdienst is afgebroken of mislukt. U bent niet ingelogd."
    ),
    "state": (
        "Dit inlogverzoek is verlopen, al gebruikt of niet in deze browser begonnen. "
        "Begin opnieuw met inloggen."
    ),
    "token_endpoint": "De inlogdienst gaf geen geldig antwoord. Probeer het opnieuw.",
    "signature": (
        "Het bewijs van de inlogdienst is niet door die dienst ondertekend. U bent niet ingelogd."
    ),
    "issuer": (
        "Het bewijs komt van een andere inlogdienst dan waar u inlogde. U bent niet ingelogd."
    ),
    "audience": "Het bewijs van de inlogdienst is niet voor pia bestemd. U bent niet ingelogd.",
    "expired": "Het bewijs van de inlogdienst is verlopen. Log opnieuw in.",
    "nonce": (
        "Het bewijs van de inlogdienst hoort niet bij dit inlogverzoek (mogelijk een "
        "herhaald bewijs). U bent niet ingelogd."
    ),
    "invalid_token": "Het bewijs van de inlogdienst klopt niet. U bent niet ingelogd.",
}


class SignInRefused(Exception):
    """The sign-in is refused; `str()` is the message for the user (Dutch)."""

    def __init__(self, reason: str, message: str | None = None, detail: str = "") -> None:
        super().__init__(message or MESSAGES[reason])
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SignedIn:
    user: User
    provider: Provider
    id_token: str
    next_path: str


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _client(provider: Provider) -> OAuth2Session:
    client = OAuth2Session(
        provider.client_id,
        provider.client_secret,
        scope=provider.scope,
        redirect_uri=oidc_providers.redirect_uri(provider),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
    )
    client.headers["User-Agent"] = "pia"
    return client


def _provider(provider_id: str) -> Provider:
    provider = oidc_providers.get(provider_id)
    if provider is None:
        raise SignInRefused("unknown_provider")
    return provider


def begin(provider_id: str, next_path: str) -> tuple[str, str]:
    """Start a sign-in: (the provider's authorisation URL, the state for the cookie)."""
    provider = _provider(provider_id)
    try:
        endpoint = oidc_providers.metadata(provider)["authorization_endpoint"]
    except ProviderError as exc:
        raise SignInRefused("provider_unavailable", detail=str(exc)) from exc
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    with _client(provider) as client:
        url, _ = client.create_authorization_url(
            endpoint, state=state, nonce=nonce, code_verifier=verifier
        )
    db.session.add(
        SignInRequest(
            state_hash=_hash(state),
            provider=provider.id,
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path[:2000],
        )
    )
    return url, state


def _claim_request(provider: Provider, state: str | None, browser_state: str | None):
    """The open sign-in request for this state, marked used; refused when there is none."""
    if not state or not browser_state or not hmac.compare_digest(state, browser_state):
        raise SignInRefused("state", detail="state differs from this browser's")
    minutes = float(current_app.config["OIDC_REQUEST_MINUTES"])
    row = db.session.scalar(
        select(SignInRequest).where(SignInRequest.state_hash == _hash(state)).with_for_update()
    )
    if row is None or row.provider != provider.id:
        raise SignInRefused("state", detail="unknown state")
    if row.used_at is not None:
        raise SignInRefused("state", detail="state used before")
    row.used_at = utcnow()
    if utcnow() - row.created_at > timedelta(minutes=minutes):
        raise SignInRefused("state", detail="request expired")
    return row


def _tokens(provider: Provider, code: str, verifier: str) -> dict:
    try:
        endpoint = oidc_providers.metadata(provider)["token_endpoint"]
        with _client(provider) as client:
            token = client.fetch_token(
                endpoint, code=code, code_verifier=verifier, timeout=oidc_providers.timeout()
            )
    except (ProviderError, AuthlibBaseError, requests.RequestException, ValueError) as exc:
        raise SignInRefused("token_endpoint", detail=f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(token.get("id_token"), str):
        raise SignInRefused("token_endpoint", detail="no id_token")
    return token


def _decode(provider: Provider, id_token: str):
    registry = JWSRegistry(algorithms=["RS256", "PS256", "ES256", "RS384", "RS512", "ES384"])
    for refresh in (False, True):
        try:
            keys = KeySet.import_key_set(oidc_providers.signing_keys(provider, refresh=refresh))
            return jwt.decode(id_token, keys, registry=registry)
        except InvalidKeyIdError:
            if refresh:
                raise SignInRefused("signature", detail="unknown kid") from None
        except BadSignatureError as exc:
            raise SignInRefused("signature", detail=str(exc)) from exc
        except ProviderError as exc:
            raise SignInRefused("provider_unavailable", detail=str(exc)) from exc
        except (JoseError, ValueError) as exc:
            raise SignInRefused("invalid_token", detail=f"{type(exc).__name__}: {exc}") from exc
    raise SignInRefused("signature")  # not reached


def check_id_token(provider: Provider, id_token: str, nonce: str, access_token: str | None):
    """The ID token's claims, once signature, issuer, audience/azp, times and nonce hold."""
    token = _decode(provider, id_token)
    claims = CodeIDToken(
        token.claims,
        token.header,
        {"iss": {"essential": True, "value": provider.issuer}, "aud": {"essential": True}},
        {"nonce": nonce, "client_id": provider.client_id, "access_token": access_token},
    )
    try:
        claims.validate(leeway=LEEWAY_SECONDS)
    except ExpiredTokenError as exc:
        raise SignInRefused("expired") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        name = getattr(exc, "claim", "")
        reason = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce"}
        raise SignInRefused(reason.get(name, "invalid_token"), detail=str(exc)) from exc
    except JoseError as exc:
        raise SignInRefused("invalid_token", detail=str(exc)) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if provider.client_id not in audiences:
        raise SignInRefused("audience", detail=f"aud {claims['aud']!r}")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise SignInRefused("invalid_token", detail="no sub")
    return dict(claims)


PROFILE_CLAIMS = ("email", "email_verified", "name")


def _with_userinfo(provider: Provider, claims: dict, access_token: str | None) -> dict:
    """Profile claims the ID token left out (a provider may keep them for its userinfo
    endpoint), from that endpoint; only for the same subject, and never over the token's."""
    if "email" in claims or not access_token:
        return claims
    try:
        endpoint = oidc_providers.metadata(provider).get("userinfo_endpoint")
        if not endpoint:
            return claims
        with oidc_providers.http() as session:
            response = session.get(
                endpoint,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=oidc_providers.timeout(),
            )
            response.raise_for_status()
            info = response.json()
    except (ProviderError, requests.RequestException, ValueError) as exc:
        raise SignInRefused("token_endpoint", detail=f"userinfo: {exc}") from exc
    if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
        raise SignInRefused("invalid_token", detail="userinfo is about another subject")
    return {**{k: info[k] for k in PROFILE_CLAIMS if k in info}, **claims}


def finish(provider_id: str, args, browser_state: str | None, callback_url: str) -> SignedIn:
    """Complete a sign-in from the provider's answer; raises SignInRefused. The caller
    commits either way (a used request stays used)."""
    provider = _provider(provider_id)
    if callback_url != oidc_providers.redirect_uri(provider):
        raise SignInRefused("redirect_uri", detail=callback_url[:300])
    row = _claim_request(provider, args.get("state"), browser_state)
    if args.get("error") or not args.get("code"):
        raise SignInRefused("provider_error", detail=str(args.get("error", "no code"))[:100])
    token = _tokens(provider, args["code"], row.code_verifier)
    claims = check_id_token(provider, token["id_token"], row.nonce, token.get("access_token"))
    claims = _with_userinfo(provider, claims, token.get("access_token"))
    user = sso_accounts.user_for(provider, claims)
    return SignedIn(user, provider, token["id_token"], row.next_path)


def refused(exc: SignInRefused, provider_id: str) -> None:
    """Audit a refused sign-in (what the provider or the browser sent, never a token)."""
    audit.record(
        "login.sso_refused",
        actor=getattr(exc, "user", None),
        object_type="user",
        object_id=getattr(getattr(exc, "user", None), "id", ""),
        summary=f"Inloggen via {provider_id[:40]} geweigerd: {exc.reason}",
        details={"provider": provider_id[:40], "reason": exc.reason, "detail": exc.detail[:300]},
    )


def logout_url(provider_id: str | None, id_token: str | None, after: str) -> str | None:
    """Where to send the browser to end the provider's session too (None: not offered)."""
    provider = oidc_providers.get(provider_id or "")
    if provider is None:
        return None
    try:
        endpoint = oidc_providers.metadata(provider).get("end_session_endpoint")
    except ProviderError:
        return None
    if not endpoint:
        return None
    from authlib.common.urls import add_params_to_uri

    params = [("post_logout_redirect_uri", after), ("client_id", provider.client_id)]
    if id_token:
        params.insert(0, ("id_token_hint", id_token))
    return add_params_to_uri(endpoint, params)
