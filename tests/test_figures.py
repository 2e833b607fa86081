"""The figures lists and dashboards show are stored, and always equal what a computation from
scratch gives: after the demo (every transition of the procedure), a section save, an
autosave, an import, comments and the recompute command."""

import json

import pytest
from sqlalchemy import select

from pia.demo import seed_demo
from pia.extensions import db
from pia.models import Assessment, AssessmentFigures
from pia.roles import Role
from pia.services import figures, review
from tests.conftest import log_in, make_user
from tests.documents_helpers import demo_assessment
from tests.factories_assessments import fill, form_data, section_url
from tests.test_review_procedure import acting, people
from tests.test_transfer import export, upload


def assert_current() -> int:
    """Every assessment has stored figures equal to a fresh computation; returns how many."""
    db.session.expire_all()
    assessments = db.session.scalars(select(Assessment)).all()
    for assessment in assessments:
        assert figures.stored(assessment.id) == figures.compute(assessment), assessment.title
    return len(assessments)


@pytest.mark.demo
def test_the_demo_in_every_state_has_current_figures(app):
    seed_demo()
    db.session.commit()
    assert assert_current() >= 10
    rows = {a.title: figures.stored(a.id) for a in db.session.scalars(select(Assessment)).all()}
    # the complete example DPIA: a complete pre-scan with an outcome, a DPIA at 100 %
    example = rows["Digitaal loket energiesubsidie woningeigenaren"]
    assert example["phase"] == "dpia" and example["percent"] == 100
    assert example["prescan_complete"] and example["prescan_outcome"] == "verplicht"
    assert any(r["fg_due_on"] is not None for r in rows.values()), "an open FG term"
    assert any(r["open_remarks"] for r in rows.values()), "a DPIA with open remarks"
    assert any(r["prior_consultation"] for r in rows.values()), "the AP consultation example"


def test_a_section_save_and_an_autosave_move_the_figures(app, client):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    assert_current()
    log_in(client, owner)
    # emptying §14 lowers the progress: stored at once
    before = figures.stored(assessment.id)["percent"]
    response = fill(client, assessment, "dpia", "14", {"q_14_1": "", "q_14_2": ""})
    assert response.status_code in (200, 302)
    assert_current()
    assert figures.stored(assessment.id)["percent"] < before
    url = section_url(assessment, "dpia", "14")
    page = client.get(url)
    autosave = client.post_form(
        url, form_data(page, {"q_14_1": "Weer ingevuld."}), headers={"X-Autosave": "1"}
    )
    assert autosave.status_code == 200
    assert_current()


def test_an_import_and_comments_and_the_review_move_the_figures(app, client):
    owner, fg = people()
    assessment = demo_assessment(owner)
    log_in(client, owner)
    response = upload(client, json.dumps(export(client, assessment)))
    assert response.status_code == 302
    assert assert_current() == 2

    with acting(app):
        review.submit(assessment, owner)
    assert figures.stored(assessment.id)["fg_due_on"] is not None
    with acting(app):
        review.claim(assessment, fg)
        review.add_comment(assessment, fg, "14", None, "Onderbouw de noodzaak beter.")
    assert figures.stored(assessment.id)["open_remarks"] == 1
    assert_current()


def test_recompute_command_restores_lost_figures(app):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    # a stale row, written past the ORM (as a bulk load or an old release would leave it)
    db.session.execute(
        db.update(AssessmentFigures)
        .where(AssessmentFigures.assessment_id == assessment.id)
        .values(percent=3)
    )
    db.session.commit()
    assert figures.stored(assessment.id)["percent"] == 3
    result = app.test_cli_runner().invoke(args=["recompute-figures"])
    assert result.exit_code == 0, result.output
    assert "1 assessments" in result.output
    assert_current()
