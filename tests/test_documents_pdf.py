"""PDF with LibreOffice when it is installed; without it the page says so instead of failing."""

import shutil
import tempfile

import pytest

from pia.documents import pdf
from pia.roles import Role
from tests.conftest import audit_events, make_user, text_of
from tests.documents_helpers import demo_assessment, latest_document

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


@needs_soffice
def test_pdf_of_the_report(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    record = latest_document()
    page = client.get(f"/assessments/{assessment.id}/documenten/")
    assert f"/documenten/{record.id}.pdf" in page.get_data(as_text=True)
    response = client.get(f"/assessments/{assessment.id}/documenten/{record.id}.pdf")
    assert response.status_code == 200, text_of(response)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert record.filename.removesuffix(".docx") in response.headers["Content-Disposition"]
    assert latest_document().pdf == response.data  # converted once, then kept
    assert [e.details["format"] for e in audit_events("document.downloaded")] == ["pdf"]


def test_a_hanging_conversion_is_stopped(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(pdf.PdfFailed, match="nog geen PDF"):
        pdf.to_pdf(b"not a document", program=str(fake), timeout=0.5)


class TestWithoutLibreOffice:
    @pytest.fixture
    def app_config(self):
        return {"SOFFICE_PATH": "/nonexistent/soffice"}

    def test_the_page_says_so(self, client, login):
        owner = make_user(Role.PROJECTLEIDER)
        assessment = demo_assessment(owner)
        login(owner)
        client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
        record = latest_document()
        page = client.get(f"/assessments/{assessment.id}/documenten/")
        assert "PDF is hier niet beschikbaar" in text_of(page)
        assert f"/documenten/{record.id}.pdf" not in page.get_data(as_text=True)
        response = client.get(
            f"/assessments/{assessment.id}/documenten/{record.id}.pdf", follow_redirects=True
        )
        assert response.status_code == 200
        assert "LibreOffice is niet geïnstalleerd" in text_of(response)
        assert audit_events("document.downloaded") == []


def test_libreoffice_gets_no_secrets_only_the_essentials(tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_SECRET_KEY", "geheime-sleutel-123")
    monkeypatch.setenv("PIA_DATABASE_URL", "postgresql://pia:wachtwoord@db/pia")
    monkeypatch.setenv("PIA_MAIL_PASSWORD", "mailgeheim")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "cloudgeheim")
    monkeypatch.setenv("LD_PRELOAD", "/tmp/evil.so")
    dumped = tmp_path / "env.txt"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nenv > {dumped}\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(pdf.PdfFailed, match="code 3"):
        pdf.to_pdf(b"not a document", program=str(fake), timeout=10)
    seen = dict(line.split("=", 1) for line in dumped.read_text().splitlines() if "=" in line)
    passed_on = {name for name in seen if name not in ("PWD", "SHLVL", "_", "OLDPWD")}
    assert passed_on <= {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ"}
    assert {"PATH", "HOME", "LANG"} <= passed_on
    assert seen["HOME"].startswith(tempfile.gettempdir()) and "pia-pdf-" in seen["HOME"]
    text = dumped.read_text()
    for secret in ("geheime-sleutel-123", "wachtwoord", "mailgeheim", "cloudgeheim", "evil"):
        assert secret not in text
