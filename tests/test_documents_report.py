"""The DPIA report: the model's sections with real tables, heat map, pre-scan, FG advice."""

import copy
import hashlib

from pia import demo_content
from pia.models import AssessmentRole, DocumentKind, Questionnaire
from pia.roles import Role
from pia.services.assessments import store_answers
from tests.conftest import audit_events, log_in, make_user, text_of
from tests.documents_helpers import (
    DOCX,
    all_text,
    column,
    demo_assessment,
    latest_document,
    open_docx,
    table_with_header,
)
from tests.factories_assessments import add_member, make_assessment


def _generate(client, assessment):
    response = client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    assert response.status_code == 302
    return latest_document()


def test_report_follows_the_model_with_tables_heat_map_and_pre_scan(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    page = client.get(f"/assessments/{assessment.id}/documenten/")
    assert page.status_code == 200 and "DPIA-rapport maken" in page.get_data(as_text=True)

    record = _generate(client, assessment)
    assert record.kind == DocumentKind.DPIA_REPORT
    assert record.template_version == 0 and record.template_id is None
    response = client.get(f"/assessments/{assessment.id}/documenten/{record.id}.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert hashlib.sha256(response.data).hexdigest() == record.sha256
    doc = open_docx(response.data)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    definition_titles = [
        "0. Inleiding",
        "1. Voorstel",
        "2. Persoonsgegevens",
        "16. Risico's",
        "17. Maatregelen",
        "18. Managementsamenvatting",
        "20. Vaststelling en ondertekening",
    ]
    for title in definition_titles:
        assert title in headings, title
    assert (
        headings.index("1. Voorstel")
        < headings.index("16. Risico's")
        < headings.index("20. Vaststelling en ondertekening")
    )
    text = all_text(doc)
    assert demo_content.TITLE in text
    assert "DPIA verplicht" in text  # the pre-scan outcome
    assert "Rapportagemodel DPIA Rijksdienst, versie 3.0" in text
    # §2 (9 columns) as one two-column table per personal-data item, with the option labels
    cards = [t for t in doc.tables if t.rows[0].cells[0].text == "Persoonsgegeven"]
    assert [t.rows[0].cells[1].text for t in cards] == [
        row["persoonsgegeven"] for row in demo_content.DPIA["2"]
    ]
    assert "Nationaal identificatienummer" in column(cards[2], 1)
    # the risks: the heat map as two images and an overview with the residual risk
    assert len(doc.inline_shapes) == 2
    risks = table_with_header(doc, "Nr.")
    assert column(risks) == ["R1", "R2", "R3"]
    assert "Midden (aangepast)" in column(risks, 2)
    assert "De FG heeft nog geen advies gegeven" in text
    assert "De DPIA is nog niet ondertekend" in text
    assert [e.details["document_id"] for e in audit_events("document.generated")] == [record.id]
    assert len(audit_events("document.downloaded")) == 1


def test_stored_answers_for_19_and_20_never_reach_the_report(client, login):
    """An FG advice or a signature is what the procedure recorded, never a stored answer."""
    import pytest

    from pia.extensions import db
    from pia.models import Answer
    from pia.services.assessments import AssessmentError

    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    forged = {
        "19.5.4": "Fatima Gerritsen",
        "19.5.6": "2027-03-01",
        "20.1": [{"_id": "teken001", "naam": "Sanne Tekenaar", "datum": "2027-04-01"}],
    }
    with pytest.raises(AssessmentError, match="Onderdeel 19 en 20 vult PIA Rijk zelf"):
        store_answers(assessment, Questionnaire.DPIA, forged, actor=owner)
    # Rows stored before the store refused them are not read either.
    for qid, value in forged.items():
        db.session.add(
            Answer(
                assessment_id=assessment.id,
                questionnaire="dpia",
                question_id=qid,
                value=value,
                updated_by_id=owner.id,
            )
        )
    db.session.commit()
    login(owner)
    record = _generate(client, assessment)
    text = all_text(open_docx(record.content))
    assert "Fatima Gerritsen" not in text and "Sanne Tekenaar" not in text
    assert "De FG heeft nog geen advies gegeven" in text
    assert "De DPIA is nog niet ondertekend" in text


def test_an_editor_makes_the_report_and_versions_count_up_a_viewer_only_downloads(
    client, login, app
):
    owner, editor = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    viewer = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    login(editor)
    first = _generate(client, assessment)
    second = _generate(client, assessment)
    assert first.filename.endswith("-v1.docx") and second.filename.endswith("-v2.docx")
    assert "Documentversie" in all_text(open_docx(second.content))
    reader = app.test_client()
    log_in(reader, viewer)
    page = reader.get(f"/assessments/{assessment.id}/documenten/")
    assert "DPIA-rapport maken" not in text_of(page)
    assert f"/documenten/{second.id}.docx" in page.get_data(as_text=True)
    refused = reader.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    assert refused.status_code == 403
    assert latest_document().id == second.id
    download = reader.get(f"/assessments/{assessment.id}/documenten/{second.id}.docx")
    assert download.status_code == 200


def test_no_report_before_the_dpia_starts(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    login(owner)
    response = client.post_form(
        f"/assessments/{assessment.id}/documenten/dpia-rapport", follow_redirects=True
    )
    assert "Start eerst de DPIA" in response.get_data(as_text=True)
    assert latest_document() is None


def test_a_very_large_dpia_renders(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    answers = dict(demo_content.DPIA)
    answers["1"] = "Lange tekst. " * 7692 + "EINDE"  # just under 100,000 characters
    answers["2"] = [
        {
            "_id": f"item{n:04d}",
            "persoonsgegeven": f"Gegeven {n}",
            "categorie_betrokkene": "Aanvragers",
            "categorie_persoonsgegevens": "Contactgegevens",
            "type": "gewoon",
            "doeleinde": "Aanvraag",
            "via_partij": False,
        }
        for n in range(500)
    ]
    assessment = demo_assessment(owner, dpia=answers)
    login(owner)
    record = _generate(client, assessment)
    doc = open_docx(record.content)
    cards = [t for t in doc.tables if t.rows[0].cells[0].text == "Persoonsgegeven"]
    assert len(cards) == 500 and cards[-1].rows[0].cells[1].text == "Gegeven 499"
    assert any(p.text.endswith("EINDE") and len(p.text) > 99_000 for p in doc.paragraphs)


def test_the_report_flags_prior_consultation_as_the_engine_does():
    from forms.conditions import effective_answers
    from forms.loader import get_definition
    from forms.risk import assess_risks, needs_prior_consultation
    from pia.documents.report import _prior_consultation

    definition = get_definition("dpia", "3.0")
    high = copy.deepcopy(demo_content.DPIA)
    high["17.1"][1]["resterend_risico"] = "hoog"
    unlinked = copy.deepcopy(demo_content.DPIA)
    unlinked["17.1"] = []  # R3 (midden × hoog = hoog) keeps its inherent level
    for answers in (demo_content.DPIA, high, unlinked):
        effective = effective_answers(definition, answers)
        risks = assess_risks(effective, definition)
        assert _prior_consultation(risks, effective) == needs_prior_consultation(
            answers, definition
        )
    assert needs_prior_consultation(high, definition) and needs_prior_consultation(
        unlinked, definition
    )
