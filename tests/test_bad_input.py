"""Bad input never gives a 500, and nothing half-stored: numbers beyond what the database
holds, text no UTF-8 encodes, deeply nested JSON, a login target that leaves the site,
and an autosave that fails in any way answers in JSON with a Dutch message."""

import json
import re

import pytest
from werkzeug.exceptions import NotFound

from pia.extensions import db
from pia.models import Assessment
from pia.roles import Role
from pia.services import transfer
from tests.conftest import count, log_in, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    answers_of,
    form_data,
    make_assessment,
    section_url,
)
from tests.test_transfer import export, upload

BAD_NUMBERS = ["9223372036854775808", "99999999999999999999999", "-1", "1e9", "abc", "٣"]
# As a client sends them: the bytes of a lone surrogate (CESU-8), NUL, a noncharacter, an
# overlong slash.
BAD_TEXT = ["%ED%A0%80", "a%ED%BF%BFb", "%00", "%EF%BF%BE", "%C0%AF"]


def _route_args(app, assessment) -> list[str]:
    """Every GET route with its arguments filled with real ids (and with huge ones)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for arg in rule.arguments:
            converter = rule._converters[arg]  # noqa: SLF001
            values[arg] = assessment.id if type(converter).__name__ != "UnicodeConverter" else "1"
        try:
            urls.append(app.url_for(rule.endpoint, **values, _external=False))
        except Exception:  # noqa: BLE001, S112 - a rule this simple filler cannot build
            continue
    return urls


def test_every_get_route_survives_bad_numbers_and_text_in_every_parameter(app, client):
    owner = make_user(Role.PROJECTLEIDER, Role.BEHEERDER, Role.AUDITOR)
    assessment = make_assessment(owner, start_dpia=True)
    log_in(client, owner)
    params = [
        "pagina",
        "status",
        "organisatie",
        "q",
        "van",
        "naar",
        "vraag",
        "actie",
        "next",
        "uitkomst",
        "termijn",
        "sorteer",
        "richting",
        "eigenaar",
        "afgehandeld",
        "behandeling",
        "wacht",
    ]
    with app.test_request_context():
        urls = _route_args(app, assessment)
    assert len(urls) > 40
    for url in urls:
        for bad in BAD_NUMBERS + BAD_TEXT:
            query = "&".join(f"{p}={bad}" for p in params)
            response = client.get(f"{url}?{query}")
            assert response.status_code < 500, (url, bad, response.status_code)
        # and ids beyond the database's range in the path
        big = re.sub(rf"/{assessment.id}(?=/|$)", "/99999999999999999999", url)
        if big != url:
            assert client.get(big).status_code == 404, big


def test_every_post_route_survives_bad_numbers_in_every_field(app, client):
    owner = make_user(Role.PROJECTLEIDER, Role.BEHEERDER)
    assessment = make_assessment(owner, start_dpia=True)
    log_in(client, owner)
    fields = [
        "base_version",
        "version",
        "reply-parent_id",
        "organisation_id",
        "pagina",
        "new-question_id",
        "review_date",
        "response",
        "role",
    ]
    with app.test_request_context():
        rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
        urls = []
        for rule in rules:
            values = {a: assessment.id for a in rule.arguments}
            try:
                urls.append(app.url_for(rule.endpoint, **values))
            except Exception:  # noqa: BLE001, S112 - string arguments: skipped here
                continue
    before = count(Assessment)
    for url in urls:
        if url.endswith("/uitloggen"):
            continue
        for bad in BAD_NUMBERS[:3]:
            response = client.post_form(url, {f: bad for f in fields})
            assert response.status_code < 500, (url, bad, response.status_code)
        for bad in BAD_TEXT[:3]:
            body = "&".join(f"{f}={bad}" for f in [*fields, "title", "body", "email"])
            response = client.post(
                url,
                data=f"csrf_token={client.csrf_token()}&{body}",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code < 500, (url, bad, response.status_code)
    assert count(Assessment) == before


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/pad",
        "///evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "https://evil.example/",
        "https:evil.example",
        "/%0d%0a//evil.example",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_the_login_target_never_leaves_the_site(client, target):
    user = make_user(Role.PROJECTLEIDER)
    from urllib.parse import quote

    response = client.post_form(
        f"/inloggen?next={quote(target)}",
        {"email": user.email, "password": "een-lang-testwachtwoord-42"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil" not in location.split("?")[0].lstrip("/").split("/")[0], location


def test_a_login_target_on_the_site_is_kept(client):
    user = make_user(Role.PROJECTLEIDER)
    response = client.post_form(
        "/inloggen?next=/assessments/%3Fq%3Dx",
        {"email": user.email, "password": "een-lang-testwachtwoord-42"},
    )
    assert response.headers["Location"] == "/assessments/?q=x"


def test_deeply_nested_json_is_refused_in_dutch(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    log_in(client, owner)
    for depth in (40, 100_000):
        response = upload(client, "[" * depth + "]" * depth)
        assert response.status_code == 400
        assert "te diep genest" in text_of(response)
    assert count(Assessment) == 0
    assert not transfer.json_too_deep('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')


def test_lone_surrogates_in_an_import_are_dropped_not_stored(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    original = make_assessment(owner, dpia={"14.1": "Noodzaak"}, title="Bron")
    log_in(client, owner)
    document = export(client, original)
    document["assessment"]["titel"] = "Titel \ud800met\udfff rommel"
    document["vragenlijsten"]["dpia"]["antwoorden"]["14.1"] = "Tekst \ud83d zonder paar"
    text = json.dumps(document)  # escapes them as \ud800 in the JSON text
    assert "\\ud800" in text
    response = upload(client, text)
    assert response.status_code == 302, text_of(response)
    imported = db.session.scalars(db.select(Assessment).where(Assessment.id != original.id)).one()
    assert imported.title == "Titel met rommel"
    assert answers_of(imported, DPIA)["14.1"] == "Tekst  zonder paar"
    for url in (f"/assessments/{imported.id}", f"/assessments/{imported.id}/volledig"):
        assert client.get(url).status_code == 200


def test_an_answer_stored_with_a_lone_surrogate_does_not_break_the_pages(app, client, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL cannot store one at all")
    from pia.models import Answer

    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"14.1": "Goed"})
    # as an older release could have left it: JSON escapes it, SQLite keeps it
    db.session.execute(
        db.update(Answer)
        .where(Answer.assessment_id == assessment.id, Answer.question_id == "14.1")
        .values(value="Oud \ud800 antwoord")
    )
    db.session.commit()
    log_in(client, owner)
    for url in (
        f"/assessments/{assessment.id}",
        f"/assessments/{assessment.id}/volledig",
        section_url(assessment, "dpia", "14"),
        f"/assessments/{assessment.id}/export.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "\ud800" not in response.get_data(as_text=True)
    assert answers_of(assessment, DPIA)["14.1"] == "Oud  antwoord"


def test_templates_replace_a_lone_surrogate_they_are_given(app):
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string("{{ value }}", value="a\ud800b")
    assert html == "a\ufffdb"


# -- autosave ---------------------------------------------------------------------------------

TABLE, PREFIX = "1.1", "q_1_1"


def _rows(count_: int, base_version: int = 0) -> dict:
    data = {"base_version": str(base_version)}
    for n in range(count_):
        data[f"{PREFIX}-{n}-row_id"] = f"r{n:07d}"
        data[f"{PREFIX}-{n}-omschrijving"] = f"Schema {n + 1}"
    return data


def test_a_500_row_table_is_saved_by_autosave_and_by_the_button(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    log_in(client, owner)
    url = section_url(assessment, "dpia", "1")
    response = client.post_form(
        url, _rows(500), headers={"X-Autosave": "1"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.json["status"] == "saved"
    assert len(answers_of(assessment, DPIA)[TABLE]) == 500
    response = client.post_form(url, {**_rows(500, base_version=1), "save": "1"})
    assert response.status_code == 302


def test_an_autosave_that_fails_answers_in_json_in_dutch(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    log_in(client, owner)
    url = section_url(assessment, "dpia", "1")
    autosave = {"X-Autosave": "1", "Accept": "application/json"}

    # the browser's autosave sends multipart/form-data (FormData), where the limit applies
    too_big = {**_rows(1), **{f"x{n}": "1" for n in range(app.config["MAX_FORM_PARTS"] + 10)}}
    response = client.post_form(url, too_big, headers=autosave, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.is_json and "te groot" in response.json["message"]
    # The test client spooled that body to a temporary file, which the refused request
    # never read to the end: close it here rather than leave it to a later test's GC.
    response.request.environ["wsgi.input"].close()

    response = client.post(url, data=_rows(1), headers=autosave)  # no CSRF token
    assert response.status_code == 400
    assert response.is_json and "verlopen" in response.json["message"]

    other = make_user(Role.PROJECTLEIDER)
    stranger = app.test_client()
    log_in(stranger, other)
    response = stranger.post_form(url, _rows(1), headers=autosave)
    assert response.status_code == 403 and response.is_json

    anonymous = app.test_client()
    page = client.get(url)
    response = anonymous.post(url, data=form_data(page), headers=autosave)
    assert response.status_code in (400, 401) and response.is_json
    assert TABLE not in answers_of(assessment, DPIA)


def test_ids_beyond_the_integer_column_are_not_found(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    make_assessment(owner)
    log_in(client, owner)
    for big in (2**31, 3_000_000_000, 2**63 - 1):
        assert client.get(f"/assessments/{big}").status_code == 404
        assert client.get(f"/assessments/{big}/beoordeling").status_code == 404


def test_a_row_number_that_is_no_ascii_number_is_ignored(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    log_in(client, owner)
    url = section_url(assessment, "dpia", "1")
    data = {**_rows(1), f"{PREFIX}-²-omschrijving": "superscript", f"{PREFIX}-9999999-x": "1"}
    response = client.post_form(url, {**data, "save": "1"})
    assert response.status_code in (302, 400)
    assert [r["omschrijving"] for r in answers_of(assessment, DPIA)[TABLE]] == ["Schema 1"]


def test_a_route_id_is_exactly_the_integer_range_for_every_method(app, client):
    """Beyond 2**31-1 no row can exist: 404 for GET and POST alike (never 405 or a 500),
    also where a GET and a POST rule share one path."""
    owner = make_user(Role.PROJECTLEIDER)
    log_in(client, owner)
    adapter = app.url_map.bind("localhost")
    for number, found in ((2**31 - 1, True), (2**31, False), (10**10, False), (10**20, False)):
        for method in ("GET", "POST"):
            path = f"/api/v1/assessments/{number}/documenten/dpia-rapport"
            try:
                endpoint, args = adapter.match(path, method=method)
            except NotFound:
                assert not found, (number, method)
            else:
                assert found and args == {"assessment_id": number}, (number, method, endpoint)
        assert client.get(f"/assessments/{number}").status_code == 404
