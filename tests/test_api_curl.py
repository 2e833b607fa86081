"""The API as an outside system uses it: scripts/api_example.sh with curl and a token against
the app on a real loopback server — list, read a section with its version, write it back
with If-Match, see the stale write refused, make and download the report."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Questionnaire, User
from pia.services.assessments import load_answers
from tests.api_helpers import token_for
from tests.e2e.live_server import start_live_server, stop_live_server

SCRIPT = Path(__file__).parent.parent / "scripts" / "api_example.sh"

pytestmark = pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("jq")), reason="curl and jq are needed"
)


@pytest.fixture
def live(tmp_path):
    server = start_live_server(tmp_path)
    yield server
    stop_live_server(server)


def test_curl_and_a_token_list_read_write_with_a_version_and_download_the_report(live, tmp_path):
    with live.app_context():
        owner = db.session.scalar(select(User).where(User.email == "projectleider@pia.test"))
        token = token_for(owner)
    report = tmp_path / "rapport.docx"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "TOKEN": token,
        "API": f"{live.url}/api/v1",
        "REPORT": str(report),
    }
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "1. Mijn assessments in concept:" in out
    assert "opgeslagen: 1.1.3 = Naam, adres en e-mailadres." in out
    assert "HTTP 412" in out
    listed_id = int(out.split("van assessment ")[1].split(":")[0])
    with live.app_context():
        assessment = db.session.get(Assessment, listed_id)
        assert load_answers(assessment, Questionnaire.PRESCAN)["1.1.3"] == (
            "Naam, adres en e-mailadres."
        )
        title = assessment.title
    document = Document(str(report))
    assert title in "\n".join(p.text for p in document.paragraphs)
