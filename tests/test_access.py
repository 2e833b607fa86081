"""One access decision per user and assessment (pia.permissions.access): what it says is
what every page does, for every demo user on every demo assessment; the workflow guards
get real facts, and the procedure page offers exactly what the access object allows."""

import pytest
from sqlalchemy import select

from pia.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from pia.extensions import db
from pia.models import Assessment, User
from pia.permissions import access
from pia.services import review
from workflows import departmental


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


def _client(app, email):
    client = app.test_client()
    response = client.post_form("/inloggen", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.demo
def test_every_page_follows_the_access_object(app, demo):
    everything = db.session.scalars(select(Assessment)).all()
    checked = 0
    for email, *_ in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        client = _client(app, email)
        for assessment in everything:
            granted = access(user, assessment)
            base = f"/assessments/{assessment.id}"
            pages = {
                "": granted.may_view,
                "/export.json": granted.may_export,
                "/beoordeling": granted.may_view,
                "/historie": granted.may_view_history,
            }
            if assessment.has_dpia:
                pages["/opmerkingen"] = granted.may_read_comments
            for path, allowed in pages.items():
                status = client.get(base + path).status_code
                assert status == (200 if allowed else 403), (email, assessment.title, path)
                checked += 1
            if granted.may_view:
                questionnaire = "dpia" if assessment.has_dpia else "prescan"
                page = client.get(f"{base}/{questionnaire}/{'14' if assessment.has_dpia else '0'}")
                assert page.status_code == 200
                editable = 'name="save"' in page.get_data(as_text=True)
                assert editable == granted.may_edit, (email, assessment.title)
    assert checked > 400


@pytest.mark.demo
def test_the_procedure_page_offers_what_the_machine_allows_with_real_facts(app, demo):
    for email, *_ in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        for assessment in db.session.scalars(select(Assessment)).all():
            granted = access(user, assessment)
            with app.test_request_context():
                offered = review.options(user, assessment)
            for option in offered:
                assert option.transition.roles & granted.roles
                assert assessment.state in option.transition.sources
                if granted.is_claiming_fg and option.name in ("give_advice", "request_changes"):
                    # the form asks for the advice or the remarks: on offer, not blocked
                    assert option.enabled, (email, option.name, option.reasons)


def test_input_guards_are_left_out_only_while_listing(app):
    ctx = departmental.Context(actor_is_author=False)
    (option,) = [
        o
        for o in departmental.WORKFLOW.available(
            departmental.IN_REVIEW, {"claimed_fg"}, ctx, input_pending=True
        )
        if o.name == "give_advice"
    ]
    assert option.enabled  # the advice form asks for the conclusion and reasoning
    refusal = departmental.WORKFLOW.check(
        departmental.IN_REVIEW, "give_advice", {"claimed_fg"}, ctx
    )
    assert refusal is not None and "conclusie" in str(refusal)
    # a real fact still blocks: an author is never the FG
    author = departmental.Context(actor_is_author=True)
    (blocked,) = [
        o
        for o in departmental.WORKFLOW.available(
            departmental.IN_REVIEW, {"claimed_fg"}, author, input_pending=True
        )
        if o.name == "give_advice"
    ]
    assert not blocked.enabled


@pytest.mark.demo
def test_the_access_object_is_computed_once_per_request(app, demo):
    from sqlalchemy import event

    user = db.session.scalar(select(User).where(User.email == "fg.bzk@pia.test"))
    assessment = db.session.scalars(
        select(Assessment).where(Assessment.state == departmental.IN_REVIEW.value)
    ).first()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.test_request_context():
        first = access(user, assessment)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            for _ in range(5):
                assert access(user, assessment) is first
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
