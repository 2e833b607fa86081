"""Error pages: Dutch, lang="nl", no stack traces; a 500 has a reference that is also logged."""

import logging
import re

import pytest
from flask import abort
from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation
from pia.roles import Role
from tests.conftest import PASSWORD, log_in, make_user, text_of

SECRET_DETAIL = "geheime-details-uit-de-database-4711"
ENGLISH = ("Traceback", "Not Found", "Forbidden", "Bad Request", "Internal Server Error")


def assert_dutch_error_page(response, status: int, title: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert re.search(r'<html\b[^>]*\blang="nl"', html), "error page is not marked as Dutch"
    text = text_of(response)
    assert title in text
    for word in ENGLISH:
        assert word not in html, f"{status} page shows {word!r}"
    return text


def test_404_page(client):
    assert_dutch_error_page(client.get("/bestaat-niet"), 404, "Pagina niet gevonden")


def test_404_for_a_missing_object(client, login):
    login(make_user(Role.BEHEERDER))
    assert_dutch_error_page(client.get("/beheer/gebruikers/999999"), 404, "Pagina niet gevonden")


def test_403_page(client, login):
    login(make_user(Role.PROJECTLEIDER))
    assert_dutch_error_page(client.get("/beheer/gebruikers/"), 403, "Geen toegang")


def test_405_page_names_the_allowed_methods(client):
    response = client.get("/uitloggen")
    assert_dutch_error_page(response, 405, "Methode niet toegestaan")
    assert "POST" in response.headers.get("Allow", "")


def test_400_page_for_a_form_without_csrf_token(client):
    text = assert_dutch_error_page(client.post("/inloggen"), 400, "Ongeldig verzoek")
    assert "laad de pagina opnieuw" in text


def test_429_page_after_too_many_login_attempts(client):
    user = make_user(Role.FG)
    for _ in range(5):
        client.post_form("/inloggen", {"email": user.email, "password": "fout-fout-fout"})
    response = client.post_form("/inloggen", {"email": user.email, "password": PASSWORD})
    assert_dutch_error_page(response, 429, "te veel mislukte inlogpogingen")


@pytest.fixture
def failing_app(app, make_app):
    """A production-like app with test-only routes that fail."""
    # Production refuses unsafe settings (pia.settings_check): give it those of a real one.
    failing = make_app(
        TESTING=False,
        BASE_URL="https://pia.example.nl",
        PROXY_COUNT=1,
        MFA_REQUIRED_ROLES="beheerder,fg",
    )

    @failing.get("/test/kapot")
    def broken():
        db.session.add(Organisation(name="Half opgeslagen", abbreviation="HALF"))
        db.session.flush()
        raise RuntimeError(SECRET_DETAIL)

    @failing.get("/test/te-veel")
    def too_many():
        abort(429)

    client = failing.test_client()
    log_in(client, make_user(Role.PROJECTLEIDER))
    return client


def test_429_error_page(failing_app):
    assert_dutch_error_page(failing_app.get("/test/te-veel"), 429, "Te veel pogingen")


def test_500_page_shows_a_reference_that_is_in_the_log(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="pia"):
        response = failing_app.get("/test/kapot")
    text = assert_dutch_error_page(response, 500, "Er ging iets mis")
    assert SECRET_DETAIL not in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)

    (record,) = [r for r in caplog.records if "reference" in r.getMessage()]
    reference = re.search(r"reference (\w+)", record.getMessage()).group(1)
    assert len(reference) >= 6
    assert reference in text, "the user can quote the logged reference"
    assert record.exc_info and SECRET_DETAIL in str(record.exc_info[1]), "the log has the cause"

    again = failing_app.get("/test/kapot")
    assert reference not in text_of(again), "each error gets its own reference"


def test_500_rolls_back_what_the_request_wrote(failing_app):
    failing_app.get("/test/kapot")
    assert (
        db.session.scalar(select(Organisation).where(Organisation.abbreviation == "HALF")) is None
    )


def test_500_page_renders_when_the_database_fails_mid_session(failing_app, monkeypatch, caplog):
    """The layout needs the current user; when loading it fails, a plain page still answers."""
    import pia.services.auth as auth

    def database_gone(token):
        raise RuntimeError(SECRET_DETAIL)

    monkeypatch.setattr(auth, "current_session", database_gone)
    with caplog.at_level(logging.ERROR, logger="pia"):
        response = failing_app.get("/")
    text = assert_dutch_error_page(response, 500, "Er ging iets mis")
    assert SECRET_DETAIL not in response.get_data(as_text=True)
    reference = re.search(r"reference (\w+)", caplog.records[0].getMessage()).group(1)
    assert reference in text
    assert response.headers.get("Content-Security-Policy"), "still with security headers"
