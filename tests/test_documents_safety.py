"""User text is data, never template code; downloads check permission every time and are logged."""

import copy
import re

import pytest

from pia import demo_content
from pia.documents.rendering import clean_text
from pia.models import AssessmentRole
from pia.roles import Role
from tests.conftest import audit_events, make_user
from tests.documents_helpers import (
    DOCX,
    all_text,
    column,
    demo_assessment,
    latest_document,
    open_docx,
    table_with_header,
)
from tests.factories_assessments import add_member

NASTY = (
    "{{ 7*7 }} {% if true %}ja{% endif %} {# c #} {{ config }} {%p for x in y %} "
    "<w:t>vet</w:t></w:r> & &amp; < > \" ' “quotes” 😀🇳🇱 {_{ }_} {_% %_} "
    "tab\there\nnieuwe regel\x00\x07\x0b\x0c\x1b\ufffe einde"
)
VISIBLE = (
    NASTY.replace("\x00", "")
    .replace("\x07", "")
    .replace("\x0b", "")
    .replace("\x0c", "")
    .replace("\x1b", "")
    .replace("\ufffe", "")
)


def test_clean_text_strips_what_xml_forbids():
    assert clean_text("a\x00b\x08c\x0bd\x1fe\ud800f\uffffg\r\nh") == "abcdefg\nh"
    assert clean_text("tab\tok 😀") == "tab\tok 😀"


def _nasty_dpia() -> dict:
    answers = copy.deepcopy(demo_content.DPIA)
    answers["1"] = NASTY
    answers["2"][0]["persoonsgegeven"] = "Naam {{ x }} & <w:t>"
    answers["6"][demo_content.OP_AANVRAAG]["6.1"][1]["naam"] = "Leverancier {% raw %} & <Co>"
    return answers


def _paragraph_text(doc) -> str:
    # A newline typed by the user becomes a line break in Word: python-docx reads it as \n.
    return "\n".join(p.text for p in doc.paragraphs)


def test_user_text_appears_literally_in_the_report(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=_nasty_dpia())
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    doc = open_docx(latest_document().content)
    assert VISIBLE in _paragraph_text(doc)
    assert "Naam {{ x }} & <w:t>" in column(table_with_header(doc, "Persoonsgegeven"))
    assert "49" not in re.findall(r"\b49\b", _paragraph_text(doc))


def test_user_text_appears_literally_in_the_agreement(client, login):
    from tests.test_documents_agreement import COMPLETE, start, submit

    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=_nasty_dpia())
    login(owner)
    url = start(client, assessment)
    response = submit(
        client, url, {**COMPLETE, "meldpunt": "{{ 7*7 }} <w:br/> & 😀"}, press="generate"
    )
    assert response.status_code == 302
    text = all_text(open_docx(latest_document().content))
    assert "Leverancier {% raw %} & <Co>" in text
    assert "{{ 7*7 }} <w:br/> & 😀" in text


def test_downloads_check_permission_every_time_and_are_logged(client, login, app):
    owner, viewer = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    outsider, auditor = make_user(Role.PROJECTLEIDER), make_user(Role.AUDITOR)
    assessment = demo_assessment(owner, title="Rapport: “ÿ” / ../../etc & <script>")
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    record = latest_document()
    url = f"/assessments/{assessment.id}/documenten/{record.id}.docx"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == DOCX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.fullmatch(r"attachment; filename=[a-z0-9-]+\.docx", disposition), disposition
    assert record.filename == "dpia-rapport-rapport-y-etc-script-v1.docx"
    assert response.headers["Cache-Control"] == "no-store"

    other = app.test_client()
    for user, status in ((outsider, 403), (viewer, 200), (auditor, 200)):
        other.post_form("/uitloggen")
        from tests.conftest import log_in

        log_in(other, user)
        assert other.get(url).status_code == status
    # access taken away: the next download is refused, even with the link
    from pia.services.assessments import revoke

    member = next(m for m in assessment.members if m.user_id == viewer.id)
    revoke(assessment, member, actor=owner)
    from pia.extensions import db

    db.session.commit()
    other.post_form("/uitloggen")
    from tests.conftest import log_in

    log_in(other, viewer)
    assert other.get(url).status_code == 403
    # a document of another assessment is not reachable through this one
    elsewhere = demo_assessment(outsider)
    assert client.get(f"/assessments/{elsewhere.id}/documenten/{record.id}.docx").status_code in (
        403,
        404,
    )
    downloads = audit_events("document.downloaded")
    assert [e.actor_id for e in downloads] == [owner.id, viewer.id, auditor.id]
    assert all(e.details["document_id"] == record.id for e in downloads)


@pytest.mark.parametrize("path", ["/documenten/", "/documenten/dpia-rapport"])
def test_outsiders_see_nothing(client, login, path):
    owner, outsider = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(outsider)
    url = f"/assessments/{assessment.id}{path}"
    response = client.post_form(url) if path.endswith("rapport") else client.get(url)
    assert response.status_code == 403
