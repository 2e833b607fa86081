"""Refuse to start in production with settings that are unsafe or contradict each other.

Run by create_app() once the configuration is complete. Development (PIA_ENV=development)
and the tests (TESTING) are not checked; PIA_ALLOW_UNSAFE_SETTINGS=true starts anyway,
with the problems in the log.
"""

import logging
from urllib.parse import urlsplit

from pia.mail import BACKENDS, parse_bool

log = logging.getLogger("pia.config")

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _count(value) -> int | None:
    """A whole number >= 0 (also as text), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def problems(config) -> tuple[list[str], list[str]]:
    """(reasons to refuse, warnings) for a production configuration, in Dutch."""
    refuse: list[str] = []
    warn: list[str] = []

    base = urlsplit(str(config.get("BASE_URL") or ""))
    if base.scheme != "https" or not base.hostname:
        refuse.append(
            f"PIA_BASE_URL is {config.get('BASE_URL')!r}: in productie moet dit het https-adres "
            "zijn waarop gebruikers pia bereiken (voor de links in e-mail, zoals de "
            "eenmalige link om een wachtwoord te kiezen)."
        )
    elif base.hostname in LOOPBACK:
        refuse.append(
            f"PIA_BASE_URL wijst naar deze machine ({base.hostname}): links in e-mail werken "
            "dan voor niemand. Zet het adres waarop gebruikers pia bereiken."
        )

    raw_proxies = config.get("PROXY_COUNT")
    proxies = _count(raw_proxies)
    if proxies is None:
        refuse.append(
            f"PIA_PROXY_COUNT is {raw_proxies!r}: dat moet een geheel getal van 0 of meer zijn "
            "(het aantal reverse proxies vóór pia)."
        )
        proxies = 0

    try:
        secure = parse_bool(config.get("SESSION_COOKIE_SECURE"))
    except ValueError:
        refuse.append("PIA_SESSION_COOKIE_SECURE moet true of false zijn.")
        secure = False
    if base.scheme == "https" and proxies == 0 and not secure:
        refuse.append(
            "PIA_BASE_URL begint met https, maar PIA_PROXY_COUNT is 0 en "
            "PIA_SESSION_COOKIE_SECURE staat uit. Achter een TLS-proxy ziet pia dan gewoon "
            "http: sessiecookies zonder Secure-vlag, geen HSTS, en het adres van de proxy in "
            "plaats van dat van de gebruiker (auditlog, inlogbeperking). Zet "
            "PIA_PROXY_COUNT=1 (één proxy) of, als pia zelf TLS doet, "
            "PIA_SESSION_COOKIE_SECURE=true. Zie 'Behind a reverse proxy' in de README."
        )

    backend = str(config.get("MAIL_BACKEND") or "").strip().lower()
    if backend not in BACKENDS:
        refuse.append(
            f"PIA_MAIL_BACKEND is {config.get('MAIL_BACKEND')!r}; kies uit {', '.join(BACKENDS)}."
        )
    elif backend in {"log", "none"}:
        warn.append(
            f"PIA_MAIL_BACKEND={backend}: er gaat geen e-mail de deur uit, ook geen links om "
            "een wachtwoord te kiezen. Zet PIA_MAIL_BACKEND=smtp."
        )
    elif backend == "folder":
        warn.append(
            "PIA_MAIL_BACKEND=folder: berichten (met persoonsgegevens en eenmalige links) "
            "komen als bestanden in PIA_MAIL_FOLDER te staan; gebruik in productie smtp."
        )

    refuse.extend(_sign_in_problems(config))

    uri = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if uri.startswith("sqlite"):
        warn.append(
            "De database is SQLite: goed voor één proces, niet voor meerdere gunicorn-workers "
            "of servers. Gebruik in productie PostgreSQL (PIA_DATABASE_URL=postgresql://…)."
        )
    return refuse, warn


def _sign_in_problems(config) -> list[str]:
    """The sign-in settings: providers that can work, and a second factor for beheerders."""
    from pia.services.oidc_providers import configured

    found: list[str] = []
    try:
        providers = configured(config)
    except ValueError as exc:
        return [str(exc)]
    for provider in providers.values():
        if urlsplit(provider.issuer).scheme != "https":
            found.append(
                f"PIA_OIDC_PROVIDERS: de issuer van {provider.id!r} ({provider.issuer}) moet "
                "met https beginnen."
            )
    try:
        password_login = parse_bool(config.get("PASSWORD_LOGIN"), default=True)
    except ValueError:
        return [*found, "PIA_PASSWORD_LOGIN moet true of false zijn."]
    roles = {r.strip() for r in str(config.get("MFA_REQUIRED_ROLES") or "").split(",")}
    if password_login and "beheerder" not in roles:
        found.append(
            f"PIA_MFA_REQUIRED_ROLES is {config.get('MFA_REQUIRED_ROLES')!r}: beheerders die met "
            "een wachtwoord inloggen moeten een tweede factor hebben (BIO 5.17, ASVS 4.3.1). "
            "Zet bijvoorbeeld PIA_MFA_REQUIRED_ROLES=beheerder,fg, of PIA_PASSWORD_LOGIN=false "
            "als iedereen via de inlogdienst van de organisatie inlogt."
        )
    if not password_login and not providers:
        found.append(
            "PIA_PASSWORD_LOGIN=false zonder PIA_OIDC_PROVIDERS: dan kan niemand inloggen."
        )
    return found


def check(app) -> None:
    """Log the warnings; raise ConfigurationError when production must not start."""
    from pia import ConfigurationError

    if app.config["ENV"] != "production" or app.testing:
        return
    refuse, warn = problems(app.config)
    for message in warn:
        log.warning("Configuratie: %s", message)
    if not refuse:
        return
    if parse_bool(app.config.get("ALLOW_UNSAFE_SETTINGS"), default=False):
        for message in refuse:
            log.error("Onveilige configuratie (PIA_ALLOW_UNSAFE_SETTINGS staat aan): %s", message)
        return
    raise ConfigurationError(
        "pia start niet in productie met deze instellingen:\n- "
        + "\n- ".join(refuse)
        + "\nVoor lokaal gebruik: PIA_ENV=development."
    )
