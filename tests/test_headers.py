"""Security headers on every kind of response, and pages that a strict CSP can render."""

import re

import pytest

from pia.roles import Role
from tests.conftest import make_user

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{response.request.path}: no Content-Security-Policy"
    directives = {}
    for part in policy.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name.lower()] = values
    return directives


def assert_security_headers(response, *, https: bool = False) -> None:
    where = f"{response.request.method} {response.request.path} ({response.status_code})"
    csp = csp_directives(response)
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp.get("default-src"))
        assert sources, f"{where}: {directive} missing"
        assert "'unsafe-inline'" not in sources, f"{where}: {directive} allows inline code"
        assert "'unsafe-eval'" not in sources, f"{where}: {directive} allows eval"
        assert "*" not in sources, where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES, where
    assert response.headers.get("Permissions-Policy"), where
    hsts = response.headers.get("Strict-Transport-Security")
    if https:
        assert hsts, f"{where}: no HSTS over https"
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= 180 * 24 * 3600, f"{where}: HSTS max-age too short"
    else:
        assert hsts is None, f"{where}: HSTS over plain http"


def kinds_of_responses(client):
    """One response of each kind: page, redirect, 404, static file, JSON, 405, 400."""
    responses = {
        "page": client.get("/inloggen"),
        "redirect": client.get("/beheer/gebruikers/"),
        "not found": client.get("/bestaat-niet"),
        "static file": client.get("/static/css/pia.css"),
        "health": client.get("/health"),
        "security.txt": client.get("/.well-known/security.txt"),
        "wrong method": client.get("/uitloggen"),
        "csrf refused": client.post("/inloggen", data={"email": "a@b.nl", "password": "x"}),
    }
    expected = {
        "page": 200,
        "redirect": 302,
        "not found": 404,
        "static file": 200,
        "health": 200,
        "security.txt": 200,
        "wrong method": 405,
        "csrf refused": 400,
    }
    assert {k: r.status_code for k, r in responses.items()} == expected
    for response in responses.values():
        response.close()  # the static file is streamed from an open file
    return responses


def test_every_kind_of_response_carries_the_security_headers(client):
    for response in kinds_of_responses(client).values():
        assert_security_headers(response)


@pytest.mark.parametrize("app_config", [{"PREFERRED_URL_SCHEME": "https"}])
def test_hsts_is_sent_over_https(client):
    for response in kinds_of_responses(client).values():
        assert response.request.scheme == "https"
        assert_security_headers(response, https=True)


def test_logged_in_pages_and_errors_carry_the_headers(client, login):
    login(make_user(Role.PROJECTLEIDER))
    for url, status in (("/", 200), ("/beheer/gebruikers/", 403), ("/bestaat-niet", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert_security_headers(response)


def test_pages_with_personal_data_are_not_cached(client, login):
    login(make_user(Role.BEHEERDER))
    for url in ("/", "/beheer/gebruikers/", "/auditlog/"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url


def test_framing_is_refused_for_old_browsers_too(client):
    assert client.get("/inloggen").headers.get("X-Frame-Options") == "DENY"


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
SCRIPT_WITH_BODY = re.compile(r"<script\b[^>]*>\s*\S.*?</script>", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def inline_code(html: str) -> list[str]:
    problems = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("<script> with content", SCRIPT_WITH_BODY),
        ("<style> element", STYLE_ELEMENT),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("on...= event handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ):
        problems += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return problems


def test_the_inline_code_scanner_finds_inline_code():
    assert not inline_code('<script src="/static/js/pia.js" defer></script><p class="x">')
    for html in (
        "<script>alert(1)</script>",
        '<script src="/a.js">alert(1)</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        '<button onclick="x()">',
        '<a href="javascript:x()">',
    ):
        assert inline_code(html), html


def test_rendered_pages_have_no_inline_scripts_or_styles(client, login):
    admin = make_user(Role.BEHEERDER, Role.AUDITOR, Role.FG)
    target = make_user(Role.PROJECTLEIDER)
    pages = [(client.get(u), 200) for u in ("/inloggen", "/toegankelijkheid", "/privacy")]
    pages.append((client.get("/bestaat-niet"), 404))
    pages.append((client.post("/inloggen"), 400))  # CSRF error page
    login(admin)
    urls = [
        "/",
        "/account/wachtwoord",
        "/beheer/gebruikers/",
        "/beheer/gebruikers/nieuw",
        f"/beheer/gebruikers/{target.id}",
        "/beheer/organisaties/",
        "/beheer/organisaties/nieuw",
        f"/beheer/organisaties/{target.organisation_id}",
        "/auditlog/",
    ]
    pages += [(client.get(u), 200) for u in urls]
    pages.append((client.post_form("/beheer/gebruikers/nieuw", {"email": "x"}), 200))
    pages.append((client.get("/beheer/gebruikers/999999"), 404))
    for response, status in pages:
        where = f"{response.request.method} {response.request.path}"
        assert response.status_code == status, where
        assert response.mimetype == "text/html", where
        problems = inline_code(response.get_data(as_text=True))
        assert not problems, f"{where}: {problems}"
