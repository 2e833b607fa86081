"""Every date shown or written is the date in the Netherlands: a version frozen at 00:30
Amsterdam time (23:30 UTC the day before) is of the next day, on the page, in §19 of the
record and on the FG's dashboard."""

from datetime import UTC, datetime

from pia.extensions import db
from pia.models import AssessmentVersion
from pia.roles import Role
from pia.services import review
from pia.services.review.model_sections import workflow_answers
from pia.services.review.record import local_date
from tests.conftest import log_in, make_user, text_of
from tests.documents_helpers import demo_assessment
from tests.test_review_procedure import acting

LATE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Amsterdam


def test_a_version_frozen_after_midnight_in_amsterdam_is_of_that_day(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    fg = make_user(Role.FG, name="Fenna FG")
    assessment = demo_assessment(owner)
    with acting(app):
        review.submit(assessment, owner)
    version = db.session.scalars(db.select(AssessmentVersion)).one()
    version.created_at = LATE
    db.session.commit()

    with app.test_request_context():
        record = workflow_answers(assessment)
    assert record["19.1"][0]["datum"] == "2026-03-02"
    assert local_date(LATE).isoformat() == "2026-03-02"

    log_in(client, owner)
    page = text_of(client.get(f"/assessments/{assessment.id}/versies"))
    assert "2 maart 2026 00:30" in page and "1 maart 2026" not in page

    with acting(app):
        review.claim(assessment, fg)
        review.give_advice(
            assessment,
            fg,
            review.AdviceInput(
                conclusion="positive", reasoning="Goed onderbouwd.", findings={}, recommendations=[]
            ),
        )
    advice = review.current_advice(assessment)
    advice.given_at = LATE
    db.session.commit()
    with app.test_request_context():
        assert workflow_answers(assessment)["19.5.6"] == "2026-03-02"
    fg_client = app.test_client()
    log_in(fg_client, fg)
    assert "2 maart 2026" in text_of(fg_client.get("/"))
