"""The history of an assessment is shown a page at a time, newest first."""

import re

from pia.extensions import db
from pia.roles import Role
from pia.services import audit
from tests.conftest import log_in, make_user, text_of
from tests.factories_assessments import make_assessment


def test_history_pages_newest_first(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    with app.test_request_context():
        for i in range(110):
            audit.record(
                "assessment.exported",
                actor=owner,
                object_type="assessment",
                object_id=assessment.id,
                summary=f"Gebeurtenis {i:03d}",
            )
    db.session.commit()
    log_in(client, owner)
    first = client.get(f"/assessments/{assessment.id}/historie")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert html.count("<tr data-action=") == 50
    assert "Gebeurtenis 109" in html and "Gebeurtenis 059" not in html
    total = int(re.search(r"(\d+) gebeurtenissen, nieuwste eerst", text_of(first)).group(1))
    assert total >= 111  # and the creation
    last = client.get(f"/assessments/{assessment.id}/historie?pagina=3")
    assert "Gebeurtenis 000" in last.get_data(as_text=True)
    assert "Nieuwere gebeurtenissen" in text_of(last)
    for bad in ("0", "-5", "99999999999999999999999", "x"):
        assert client.get(f"/assessments/{assessment.id}/historie?pagina={bad}").status_code == 200
