"""What anyone may see: the health check, security.txt and the two statements."""

import re
from datetime import UTC, datetime, timedelta

from pia import create_app
from pia.extensions import db
from tests.conftest import BASE_CONFIG, text_of
from tests.pg import free_port


def test_health_reports_ok_as_json_without_a_session(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert "Set-Cookie" not in response.headers, "load balancers get no session"


def test_health_reports_an_unreachable_database_without_details():
    url = f"postgresql+psycopg://app@127.0.0.1:{free_port()}/weg"
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] != "ok"
    assert "127.0.0.1" not in response.get_data(as_text=True), "no connection details"
    with app.app_context():
        db.engine.dispose()


def test_security_txt_has_contact_and_a_future_expiry(app, client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    fields = dict(
        line.split(": ", 1) for line in response.get_data(as_text=True).splitlines() if line
    )
    assert fields["Contact"] == app.config["SECURITY_CONTACT"]
    assert re.fullmatch(r"(mailto:|https://).+", fields["Contact"])
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now < expires <= now + timedelta(days=366), "RFC 9116: less than a year ahead"
    assert "nl" in fields["Preferred-Languages"]


def test_statements_are_public_and_dutch(app, client):
    for url, title in (("/toegankelijkheid", "Toegankelijkheid"), ("/privacy", "Privacy")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="nl"' in response.get_data(as_text=True)
        assert title in text_of(response)
    assert app.config["PRIVACY_CONTACT"] in text_of(client.get("/privacy"))


def test_the_privacy_statement_says_what_is_kept_short(client):
    from pia.services.questionnaires import AUDIT_VALUE_LIMIT

    text = text_of(client.get("/privacy"))
    assert f"alleen de eerste {AUDIT_VALUE_LIMIT} tekens" in text
    assert AUDIT_VALUE_LIMIT <= 500, "the history keeps what it needs, no full copies"
    assert "niet wat er is ingetypt" in text
    assert "24 uur geldig en werkt één keer" in text
