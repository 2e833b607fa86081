"""Beheer of the Word templates: versions, a sample render before use, the sandbox."""

import io

import pytest
from docx import Document

from pia.documents.rendering import TemplateProblem, render_docx, try_template
from pia.documents.samples import sample
from pia.models import DocumentKind, DocumentTemplate
from pia.roles import Role
from pia.services.documents import builtin_path
from tests.conftest import audit_events, count, make_user, text_of
from tests.documents_helpers import DOCX, all_text, demo_assessment, latest_document, open_docx

URL = "/beheer/sjablonen/"


def docx_with(*paragraphs: str) -> bytes:
    """A small Word file with these paragraphs (template code included)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def changed_builtin(kind: DocumentKind, marker: str) -> bytes:
    """The built-in template with one more paragraph at the top, as a privacy office would."""
    document = Document(str(builtin_path(kind)))
    document.paragraphs[0].insert_paragraph_before(marker)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, kind: DocumentKind, data: bytes, name: str = "sjabloon.docx"):
    return client.post_form(
        URL,
        {"kind": kind.value, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_builtin_template_renders_with_its_full_sample(kind):
    context, images = sample(kind)
    document = open_docx(render_docx(builtin_path(kind).read_bytes(), context, images))
    text = all_text(document)
    assert "{{" not in text and "{%" not in text
    if kind is DocumentKind.DPIA_REPORT:
        assert "Beperk de bewaartermijn van het IBAN." in text  # an FG recommendation
        assert "Overgenomen" in text  # and its follow-up
    elif kind is DocumentKind.FG_ADVICE:
        assert "Positief met voorwaarden" in text  # the conclusion
        assert "1\tBeperk de bewaartermijn van het IBAN." in text or (
            "Beperk de bewaartermijn van het IBAN." in text
        )
        assert "Het IBAN is niet voor alle doelen nodig." in text  # a finding per section
        assert "Na uitbetaling na twee jaar verwijderd." in text  # the drafters' follow-up
    elif kind is DocumentKind.PAR_ADVICE:
        assert "Positief met voorwaarden" in text  # the consolidated conclusion
        assert "Justitie en Veiligheid (JenV)" in text  # a ministry's position
        assert "Verslag ICBR 2026-11" in text  # a body's decision with its reference
        assert "GOR Rijk" in text and "instemming" in text
        assert "CONCEPT" not in text  # the sample is established
    else:
        assert "Hostingbedrijf Voorbeeld B.V." in text


def test_a_beheerder_uploads_a_template_and_documents_record_its_version(client, login):
    admin = make_user(Role.BEHEERDER, Role.PROJECTLEIDER)
    login(admin)
    assert client.get(URL).status_code == 200
    response = upload(
        client,
        DocumentKind.DPIA_REPORT,
        changed_builtin(DocumentKind.DPIA_REPORT, "Huisstijl van BZK"),
    )
    assert response.status_code == 302
    row = DocumentTemplate.query.one()
    assert (row.version, row.active) == (1, True)
    assert "versie 1" in text_of(client.get(URL))
    assessment = demo_assessment(admin)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    record = latest_document()
    assert (record.template_id, record.template_version) == (row.id, 1)
    assert record.template_sha256 == row.sha256
    assert "Huisstijl van BZK" in all_text(open_docx(record.content))
    # a second version; then back to the built-in one
    assert (
        upload(
            client,
            DocumentKind.DPIA_REPORT,
            changed_builtin(DocumentKind.DPIA_REPORT, "Versie twee"),
        ).status_code
        == 302
    )
    assert [t.version for t in DocumentTemplate.query.filter_by(active=True)] == [2]
    client.post_form(f"{URL}{DocumentKind.DPIA_REPORT.value}/activeren", {"version": "0"})
    assert DocumentTemplate.query.filter_by(active=True).count() == 0
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    assert latest_document().template_version == 0
    download = client.get(f"{URL}{DocumentKind.DPIA_REPORT.value}/1.docx")
    assert download.status_code == 200 and download.mimetype == DOCX
    assert [e.action for e in audit_events() if e.action.startswith("document_template")] == [
        "document_template.uploaded",
        "document_template.uploaded",
        "document_template.activated",
    ]


def test_a_broken_template_is_refused_with_the_error_and_the_previous_stays(client, login):
    admin = make_user(Role.BEHEERDER)
    login(admin)
    good = changed_builtin(DocumentKind.PROCESSOR_AGREEMENT, "Goed")
    assert upload(client, DocumentKind.PROCESSOR_AGREEMENT, good).status_code == 302
    broken = docx_with("{% for x in verwerker %}", "geen endfor")
    response = upload(client, DocumentKind.PROCESSOR_AGREEMENT, broken)
    assert response.status_code == 400
    body = text_of(response)
    assert "Het sjabloon is niet in gebruik genomen" in body
    assert "TemplateSyntaxError" in body
    typo = upload(client, DocumentKind.PROCESSOR_AGREEMENT, docx_with("{{ verwerker.nam }}"))
    assert "nam" in text_of(typo) and typo.status_code == 400
    not_word = upload(client, DocumentKind.PROCESSOR_AGREEMENT, b"just text", "x.docx")
    assert "geen Word-bestand" in text_of(not_word)
    assert count(DocumentTemplate) == 1
    assert DocumentTemplate.query.one().active
    assert len(audit_events("document_template.refused")) == 3


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].environ }}",
    "{{ titel.__class__.__base__.__subclasses__() }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ config }}",
    "{{ request.environ }}",
    "{{ self._TemplateReference__context }}",
    "{% autoescape false %}{{ titel }}{% endautoescape %}",
    "{{ titel|safe }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
    "{{ range(100000000)|list }}",
]


@pytest.mark.parametrize("attack", ESCAPES)
def test_the_sandbox_refuses_templates_that_reach_for_internals(attack):
    context, images = sample(DocumentKind.DPIA_REPORT)
    with pytest.raises(TemplateProblem) as refused:
        try_template(docx_with("Rapport {{ titel }}", attack), context, images)
    assert "Het sjabloon is geweigerd" in str(refused.value)


def test_an_uploaded_attack_is_refused_in_the_app(client, login):
    admin = make_user(Role.BEHEERDER)
    login(admin)
    attack = docx_with("{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    response = upload(client, DocumentKind.DPIA_REPORT, attack)
    assert response.status_code == 400
    assert "niet toegestaan in een sjabloon" in text_of(response)
    assert count(DocumentTemplate) == 0


def test_only_a_beheerder_manages_templates(client, login):
    login(make_user(Role.PROJECTLEIDER, Role.AUDITOR))
    assert client.get(URL).status_code == 403
    assert upload(client, DocumentKind.DPIA_REPORT, docx_with("x")).status_code == 403
    assert client.get(f"{URL}dpia-rapport/0.docx").status_code == 403
