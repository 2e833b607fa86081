"""Two people acting on the same state at the same moment: one wins, the other is told."""

import pytest
from sqlalchemy import select, update

from pia.extensions import db
from pia.models import Assessment, Review
from pia.roles import Role
from pia.services import review
from pia.services.assessments import AssessmentError
from tests.conftest import make_user
from tests.documents_helpers import demo_assessment


def test_a_claim_that_lost_the_race_changes_nothing(app):
    owner = make_user(Role.PROJECTLEIDER)
    first, second = make_user(Role.FG), make_user(Role.FG)
    assessment = demo_assessment(owner)
    with app.test_request_context():
        review.submit(assessment, owner)
        db.session.commit()
        # The second FG's request read the assessment while it was still "submitted" …
        stale = db.session.get(Assessment, assessment.id)
        assert stale.state == "submitted"
        # … and meanwhile the first FG's claim committed on another connection.
        with db.engine.begin() as other:
            other.execute(
                update(Assessment).where(Assessment.id == assessment.id).values(state="in_review")
            )
            other.execute(
                update(Review)
                .where(Review.assessment_id == assessment.id)
                .values(claimed_by_id=first.id)
            )
        with pytest.raises(AssessmentError, match="Iemand anders"):
            review.claim(stale, second)
        db.session.rollback()
    item = db.session.scalar(select(Review).where(Review.assessment_id == assessment.id))
    assert item.claimed_by_id == first.id
    assert db.session.get(Assessment, assessment.id).state == "in_review"


def test_a_second_claim_after_the_first_is_refused_in_words(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    first, second = make_user(Role.FG), make_user(Role.FG)
    assessment = demo_assessment(owner)
    with app.test_request_context():
        review.submit(assessment, owner)
        review.claim(assessment, first)
        db.session.commit()
    login(second)
    url = f"/assessments/{assessment.id}/beoordeling/actie/claim"
    response = client.post_form(url, {}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "niet mogelijk in de status" in page
    assert first.name in page  # the others see who has it
    item = db.session.scalar(select(Review).where(Review.assessment_id == assessment.id))
    db.session.refresh(item)
    assert item.claimed_by_id == first.id
