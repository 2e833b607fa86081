"""The OpenID providers from the configuration (PIA_OIDC_PROVIDERS), and what they publish:
their discovery document and signing keys, fetched over HTTPS and kept for a while."""

import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from flask import current_app, url_for

# How long a provider's discovery document and keys are reused before fetching them again.
METADATA_SECONDS = 3600
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderError(RuntimeError):
    """The provider cannot be reached or publishes something unusable (in Dutch)."""


@dataclass(frozen=True)
class Provider:
    """One OpenID provider as configured."""

    id: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    organisations: tuple[str, ...]
    organisation_claim: str = ""
    scope: str = "openid email profile"

    @property
    def button(self) -> str:
        return f"Inloggen met {self.name}"


def _parse(raw: Any) -> dict[str, Provider]:
    """Providers by id; ValueError (in Dutch) for a configuration that cannot work."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError as exc:
            raise ValueError(f"PIA_OIDC_PROVIDERS is geen geldige JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise ValueError("PIA_OIDC_PROVIDERS moet een lijst van providers zijn.")
    found: dict[str, Provider] = {}
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"PIA_OIDC_PROVIDERS: provider {n} is geen object.")
        missing = [
            k for k in ("id", "name", "issuer", "client_id", "client_secret") if not item.get(k)
        ]
        orgs = item.get("organisations") or []
        if missing or not orgs:
            raise ValueError(
                f"PIA_OIDC_PROVIDERS: provider {n} mist {', '.join(missing or ['organisations'])}."
            )
        pid = str(item["id"])
        if not pid.isascii() or not pid.replace("-", "").isalnum() or len(pid) > 40:
            raise ValueError(f"PIA_OIDC_PROVIDERS: id {pid!r}: alleen letters, cijfers en -.")
        if pid in found:
            raise ValueError(f"PIA_OIDC_PROVIDERS: id {pid!r} komt twee keer voor.")
        found[pid] = Provider(
            id=pid,
            name=str(item["name"]),
            issuer=str(item["issuer"]).rstrip("/"),
            client_id=str(item["client_id"]),
            client_secret=str(item["client_secret"]),
            organisations=tuple(str(o) for o in orgs),
            organisation_claim=str(item.get("organisation_claim") or ""),
            scope=str(item.get("scope") or "openid email profile"),
        )
    return found


def configured(config) -> dict[str, Provider]:
    """The providers of a configuration (raises ValueError when it is malformed)."""
    return _parse(config.get("OIDC_PROVIDERS"))


def providers() -> dict[str, Provider]:
    """The configured providers, by id (parsed once per configuration value)."""
    raw = current_app.config.get("OIDC_PROVIDERS")
    cache = current_app.extensions.setdefault("pia_oidc_providers", {})
    key = json.dumps(raw, sort_keys=True, default=str)
    if key not in cache:
        cache.clear()
        cache[key] = _parse(raw)
    return cache[key]


def get(provider_id: str) -> Provider | None:
    return providers().get(provider_id)


def absolute(path: str) -> str:
    """An address in the app as users reach it (PIA_BASE_URL, never the Host header)."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + path


def redirect_uri(provider: Provider) -> str:
    """The exact address the provider sends the browser back to."""
    return absolute(url_for("sso.callback", provider_id=provider.id))


def http() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "pia"
    return session


def timeout() -> float:
    return float(current_app.config["OIDC_TIMEOUT_SECONDS"])


def _fetch_json(url: str) -> dict:
    try:
        with http() as session:
            response = session.get(url, timeout=timeout())
            response.raise_for_status()
            data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderError(f"{url} antwoordt niet goed ({type(exc).__name__}).") from exc
    if not isinstance(data, dict):
        raise ProviderError(f"{url} geeft geen JSON-object.")
    return data


def _cache() -> dict:
    return current_app.extensions.setdefault("pia_oidc_metadata", {})


def metadata(provider: Provider) -> dict:
    """The provider's discovery document; its issuer must be exactly the configured one."""
    key = ("metadata", provider.issuer)
    hit = _cache().get(key)
    if hit and time.monotonic() - hit[0] < METADATA_SECONDS:
        return hit[1]
    data = _fetch_json(provider.issuer + "/.well-known/openid-configuration")
    if any(not isinstance(data.get(k), str) for k in REQUIRED_METADATA):
        raise ProviderError("Het discovery-document van de provider is onvolledig.")
    if data["issuer"].rstrip("/") != provider.issuer:
        raise ProviderError(
            f"De provider noemt zich {data['issuer']!r}, niet {provider.issuer!r} zoals ingesteld."
        )
    _cache()[key] = (time.monotonic(), data)
    return data


def signing_keys(provider: Provider, refresh: bool = False) -> dict:
    """The provider's JWKS (fetched again when asked: a key may have rotated)."""
    key = ("jwks", provider.issuer)
    hit = _cache().get(key)
    if hit and not refresh and time.monotonic() - hit[0] < METADATA_SECONDS:
        return hit[1]
    data = _fetch_json(metadata(provider)["jwks_uri"])
    if not isinstance(data.get("keys"), list):
        raise ProviderError("De JWKS van de provider bevat geen sleutels.")
    _cache()[key] = (time.monotonic(), data)
    return data
