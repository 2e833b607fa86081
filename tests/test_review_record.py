"""The procedure's record cannot be forged or raced: §19/§20 only from the record, no author
adopts their own DPIA, signatures carry the account's name, every write compares and sets
the assessment's state (and transitions its row version), comment mail follows access."""

import copy
import json

import pytest
from sqlalchemy import select, update

from pia import demo_content
from pia.extensions import db
from pia.models import (
    Advice,
    Answer,
    Assessment,
    AssessmentAuthor,
    AssessmentRole,
    AssessmentVersion,
    Comment,
    Controller,
    Notification,
    OutgoingMail,
    Review,
    SectionVersion,
    Signature,
)
from pia.roles import Role
from pia.services import notify, review, transfer
from pia.services.assessments import (
    AssessmentError,
    load_answers,
    revoke,
    share,
    store_answers,
)
from pia.services.questionnaires import save_section
from tests.conftest import audit_events, count, make_user, text_of
from tests.documents_helpers import all_text, demo_assessment, latest_document, open_docx
from tests.factories_assessments import DPIA, add_member, form_data, section_url
from tests.test_review_procedure import (
    REC_BEWAAR,
    REC_LOGGING,
    acting,
    advised,
    claimed,
    offered,
    people,
    respond,
    sign_form,
    state,
    url,
)
from tests.test_transfer import upload

FORGED = {
    "19.5.4": "Fatima Gerritsen",
    "19.5.7": "Advies van de FG over versie 1: positief",
    "20.1": [{"_id": "teken001", "naam": "De Minister", "datum": "2027-04-01"}],
}
REFUSED = "vult PIA Rijk zelf uit de beoordeling en vaststelling"
SOMEONE_ELSE = "Iemand anders heeft dit assessment zojuist gewijzigd"


def workflow_rows(assessment) -> list[str]:
    """Stored answer rows under an id the procedure fills."""
    ids = db.session.scalars(
        select(Answer.question_id).where(Answer.assessment_id == assessment.id)
    )
    return sorted(q for q in ids if q.split(".")[0] in ("19", "20"))


def stale(assessment) -> Assessment:
    """The assessment as a request that read it now sees it, until that request ends."""
    db.session.commit()
    db.session.expire_all()
    item = db.session.get(Assessment, assessment.id)
    assert item.state and item.revision is not None  # loaded
    return item


def meanwhile(assessment, **values) -> None:
    """Someone else's write commits on another connection (it moves the row version on)."""
    with db.engine.begin() as other:
        other.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id)
            .values(revision=Assessment.revision + 1, **values)
        )


# -- A. §19 and §20 are the procedure's, never an answer -----------------------------------------


def test_the_answer_store_refuses_what_the_procedure_fills(app):
    owner, _ = people()
    assessment = demo_assessment(owner)
    for key, value in FORGED.items():
        with pytest.raises(AssessmentError, match=REFUSED):
            store_answers(assessment, DPIA, {key: value}, actor=owner)
        db.session.rollback()
    # Also a removal, and also mixed in with honest answers: nothing is stored.
    with pytest.raises(AssessmentError, match="Onderdeel 19 vult"):
        store_answers(assessment, DPIA, {"1": "Eerlijk.", "19.2": None}, actor=owner)
    db.session.rollback()
    assert load_answers(assessment, DPIA)["1"] == demo_content.DPIA["1"]
    # Saving a workflow section as if it were the user's is refused the same way.
    with acting(app), pytest.raises(AssessmentError, match=REFUSED):
        save_section(assessment, DPIA, "20", FORGED, base_version=0, actor=owner)
    db.session.rollback()
    assert workflow_rows(assessment) == []


def test_no_entry_point_that_writes_answers_stores_19_or_20(app, client, login):
    """Section form, autosave, import, re-assessment restore: none brings §19/§20 in."""
    owner, fg = people()
    assessment = demo_assessment(owner)
    login(owner)
    # The section pages of §19 and §20 do not exist, to read or to post.
    for section in ("19", "20"):
        target = section_url(assessment, "dpia", section)
        assert client.get(target).status_code == 404
        assert client.post_form(target, {"base_version": "0", "q_20_1": "x"}).status_code == 404
    # A section form (and its autosave) with §19/§20 fields added: only its own are read.
    page = client.get(section_url(assessment, "dpia", "1"))
    data = form_data(page, {"19.5.4": "Fatima Gerritsen", "q_19_5_4": "Fatima Gerritsen"})
    assert client.post_form(section_url(assessment, "dpia", "1"), data).status_code == 302
    autosaved = client.post_form(
        section_url(assessment, "dpia", "1"), data, headers={"X-Autosave": "1"}
    )
    assert autosaved.status_code in (200, 409)
    assert workflow_rows(assessment) == []

    # An import carrying §19/§20: a clear problem, nothing created.
    document = transfer.export_document(assessment)
    document["vragenlijsten"]["dpia"]["antwoorden"].update(FORGED)
    before = count(Assessment)
    response = upload(client, json.dumps(document))
    page = text_of(response)
    assert response.status_code == 400
    assert f"Vraag 19.5.4 (onderdeel 19) {REFUSED}" in page
    assert f"Vraag 20.1 (onderdeel 20) {REFUSED}" in page
    assert count(Assessment) == before
    imported, problems = transfer.import_document(json.dumps(document), actor=owner)
    assert imported is None and any("Vraag 20.1" in p for p in problems)

    # A version frozen before the store refused them (legacy data) is restored without them.
    controller = make_user(name="Karin Bestuur")
    with acting(app):
        review.submit(assessment, owner)
        review.claim(assessment, fg)
        review.give_advice(assessment, fg, review.AdviceInput("positive", "Goed.", {}, []))
        review.designate(assessment, controller.email, "DG", owner)
        review.offer_for_adoption(assessment, owner, None)
        review.sign(assessment, controller, "DG", "", review.latest_version(assessment).number)
    adopted = review.latest_version(assessment)
    adopted.dpia = {**adopted.dpia, **FORGED}
    db.session.commit()
    with acting(app):
        review.start_reassessment(assessment, controller)
    assert state(assessment) == "concept"
    assert workflow_rows(assessment) == []
    assert load_answers(assessment, DPIA)["1"] == demo_content.DPIA["1"]


def test_stored_rows_under_19_and_20_are_never_read(app, client, login):
    """Rows written before the store refused them: not in the answers, views or exports."""
    owner, _ = people()
    assessment = demo_assessment(owner)
    for qid, value in FORGED.items():
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
    assert not set(FORGED) & set(load_answers(assessment, DPIA))
    assert review.workflow_answers(assessment).get("20.1") is None
    login(owner)
    full = text_of(client.get(url(assessment, "volledig")))
    assert "Fatima Gerritsen" not in full and "De Minister" not in full
    exported = transfer.export_document(assessment)["vragenlijsten"]["dpia"]["antwoorden"]
    assert not set(FORGED) & set(exported)
    frozen = review.freeze(assessment, review_reason(), owner)
    assert not set(FORGED) & set(frozen.dpia)
    db.session.rollback()


def review_reason():
    from pia.models import VersionReason

    return VersionReason.SUBMITTED


# -- B. No author adopts their own DPIA; the signature is the account's -------------------------


def test_no_author_is_designated_controller(app, client, login):
    owner, fg = people()
    editor = make_user(Role.PROJECTLEIDER, name="Carla Collega")
    former = make_user(Role.PROJECTLEIDER, name="Oud Collega")
    assessment = advised(app, owner, fg)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    # A former co-editor who wrote answers before losing access is still an author.
    db.session.add(AssessmentAuthor(assessment_id=assessment.id, user_id=former.id))
    db.session.commit()
    for who in (owner, editor, former):
        with pytest.raises(AssessmentError, match="heeft deze DPIA mee opgesteld"):
            review.designate(assessment, who.email, "Directeur", owner)
        db.session.rollback()
    assert review.controllers(assessment) == []

    login(owner)
    response = client.post_form(
        url(assessment, "verwerkingsverantwoordelijken"),
        {"email": owner.email, "function": "Directeur"},
    )
    assert response.status_code == 400
    assert (
        "Pieter Opsteller heeft deze DPIA mee opgesteld en kan haar daarom niet als "
        "verwerkingsverantwoordelijke vaststellen"
    ) in text_of(response)
    assert count(Controller) == 0


def test_a_controller_who_became_an_author_cannot_sign(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg)
    offered(app, assessment, owner, controller)
    share(assessment, controller.email, AssessmentRole.EDITOR, actor=owner)
    db.session.commit()
    login(controller)
    response = client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert response.status_code in (302, 400, 403)
    assert count(Signature) == 0
    assert state(assessment) == "awaiting_adoption"
    with acting(app), pytest.raises(review.TransitionNotAllowed) as refused:
        review.sign(assessment, controller, "DG", "", review.latest_version(assessment).number)
    assert "U hebt deze DPIA mee opgesteld" in " ".join(refused.value.reasons)
    db.session.rollback()


def test_the_signature_carries_the_account_name_and_the_version_read(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg)
    offered(app, assessment, owner, controller)
    login(controller)
    page = client.get(url(assessment, "beoordeling/ondertekenen"))
    assert 'name="name"' not in page.get_data(as_text=True)
    assert "U ondertekent als Karin Bestuur" in text_of(page)
    # Without the version read, nothing is signed.
    without = {k: v for k, v in sign_form(assessment).items() if k != "version"}
    response = client.post_form(url(assessment, "beoordeling/ondertekenen"), without)
    assert response.status_code == 400
    assert "mist de versie die u las" in text_of(response)
    assert count(Signature) == 0
    # A typed name is ignored: the signature is the account's.
    response = client.post_form(
        url(assessment, "beoordeling/ondertekenen"),
        sign_form(assessment, name="De Minister", function="Secretaris-generaal"),
    )
    assert response.status_code == 302
    (signature,) = review.signatures(assessment)
    assert (signature.name, signature.function) == ("Karin Bestuur", "Secretaris-generaal")


def test_the_reason_for_deviating_is_shown_wherever_the_signature_is(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    reason = "De Archiefwet vraagt zeven jaar; dat weegt zwaarder."
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING, REC_BEWAAR])
    respond(app, assessment, owner, ("adopted", ""), ("not_adopted", "Archiefwet."))
    offered(app, assessment, owner, controller)
    with acting(app):
        review.sign(assessment, controller, "DG", reason, review.latest_version(assessment).number)
    assert state(assessment) == "adopted"
    assert review.workflow_answers(assessment)["20.2"][0]["reden"] == reason

    login(owner)
    assert reason in text_of(client.get(url(assessment)))  # the procedure page
    assert reason in text_of(client.get(url(assessment, "volledig")))  # the printable view
    assert reason in text_of(client.get(url(assessment, "historie")))
    response = client.post_form(url(assessment, "documenten/dpia-rapport"))
    assert response.status_code == 302
    text = all_text(open_docx(latest_document().content))
    assert f"Karin Bestuur: {reason}" in text


# -- C. Every write compares and sets; of two at once one wins -----------------------------------


def test_a_section_save_that_read_the_concept_is_refused_once_submitted(app):
    owner, _ = people()
    assessment = demo_assessment(owner)
    with app.test_request_context():
        read = stale(assessment)
        meanwhile(read, state="submitted")  # the owner's submission committed
        answers = load_answers(read, DPIA) | {"1": "Te laat getypt."}
        with pytest.raises(AssessmentError, match=SOMEONE_ELSE):
            save_section(read, DPIA, "1", answers, base_version=0, actor=owner)
        db.session.rollback()
    assert load_answers(assessment, DPIA)["1"] == demo_content.DPIA["1"]
    assert db.session.get(SectionVersion, (assessment.id, "dpia", "1")) is None


def test_a_submission_after_a_concurrent_save_is_refused(app):
    """Otherwise the frozen version would differ from the answers that were just saved."""
    owner, _ = people()
    assessment = demo_assessment(owner)
    with app.test_request_context():
        read = stale(assessment)
        meanwhile(read)  # a co-editor's save committed; the state is still concept
        with pytest.raises(AssessmentError, match=SOMEONE_ELSE):
            review.submit(read, owner)
        db.session.rollback()
    assert state(assessment) == "concept"
    assert count(AssessmentVersion) == 0 and count(Review) == 0


def test_of_two_fgs_taking_over_at_once_one_wins(app, monkeypatch):
    """The state stays in_review, so only the row version tells the second one."""
    owner, fg = people()
    first, second = make_user(Role.FG, name="Eerste FG"), make_user(Role.FG, name="Tweede FG")
    assessment = claimed(app, owner, fg)
    fg.active = False
    db.session.commit()
    from pia.services.review import submission

    checked = submission.check

    def first_takes_over_meanwhile(*args, **kwargs):
        checked(*args, **kwargs)  # the second FG's check passes: nobody took over yet …
        with db.engine.begin() as other:  # … then the first FG's take-over commits
            other.execute(
                update(Review)
                .where(Review.assessment_id == assessment.id)
                .values(claimed_by_id=first.id)
            )
            other.execute(
                update(Assessment)
                .where(Assessment.id == assessment.id)
                .values(revision=Assessment.revision + 1)
            )

    monkeypatch.setattr(submission, "check", first_takes_over_meanwhile)
    with app.test_request_context():
        read = stale(assessment)
        with pytest.raises(AssessmentError, match=SOMEONE_ELSE):
            review.take_over(read, second)
        db.session.rollback()
    db.session.expire_all()
    assert review.current_review(assessment).claimed_by_id == first.id


def _offered(app):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    return owner, fg, controller, assessment


def _follow_up(app):
    owner, fg, _, assessment = _offered(app)
    rec = review.current_advice(assessment).recommendations[0].id

    def write(read):
        review.record_responses(read, owner, {rec: ("adopted", "")})

    def stored():
        return db.session.scalar(select(Advice)).recommendations[0].response is not None

    return assessment, "awaiting_adoption", write, stored


def _designation(app):
    owner, _, controller, assessment = _offered(app)

    def write(read):
        review.designate(read, controller.email, "DG", owner)

    return assessment, "adopted", write, lambda: count(Controller) > 0


def _comment(app):
    owner, fg, _, assessment = _offered(app)

    def write(read):
        review.add_comment(read, owner, "2", None, "Nog een vraag.")

    return assessment, "withdrawn", write, lambda: count(Comment) > 0


def _resolving(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    with acting(app):
        thread = review.add_comment(assessment, fg, "2", None, "Waarom het BSN?")
    thread_id = thread.id

    def write(read):
        review.set_resolved(read, owner, db.session.get(Comment, thread_id), True)

    def stored():
        return db.session.get(Comment, thread_id).resolved_at is not None

    return assessment, "withdrawn", write, stored


def _review_date(app):
    owner, fg, controller, assessment = _offered(app)
    with acting(app):
        review.designate(assessment, controller.email, "DG", owner)
    respond(app, assessment, owner, ("adopted", ""))
    with acting(app):
        review.offer_for_adoption(assessment, owner, None)
        review.sign(assessment, controller, "DG", "", review.latest_version(assessment).number)
    before = db.session.get(Assessment, assessment.id).review_due_on
    when = review.today().replace(year=review.today().year + 3)

    def write(read):
        review.set_review_date(read, owner, when)

    return assessment, "withdrawn", write, lambda: state_row(assessment).review_due_on != before


def state_row(assessment) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, assessment.id)


@pytest.mark.parametrize(
    "setup",
    [_follow_up, _designation, _comment, _resolving, _review_date],
    ids=["follow-up", "designation", "comment", "resolving", "review date"],
)
def test_every_write_is_refused_when_the_state_moved_on_meanwhile(app, setup):
    assessment, moved_to, write, stored = setup(app)
    with app.test_request_context():
        read = stale(assessment)
        meanwhile(read, state=moved_to)
        with pytest.raises(AssessmentError, match=SOMEONE_ELSE):
            write(read)
        db.session.rollback()
    assert not stored()
    assert state_row(assessment).state == moved_to


@pytest.mark.parametrize("autosave", [False, True], ids=["save", "autosave"])
def test_the_loser_of_a_save_race_reads_it_in_dutch(app, client, login, monkeypatch, autosave):
    """A section save whose assessment was submitted meanwhile: told so, nothing stored."""
    owner, _ = people()
    assessment = demo_assessment(owner)
    login(owner)
    target = section_url(assessment, "dpia", "1")
    data = form_data(client.get(target), {"q_1": "Te laat getypt."})
    from pia.views import questionnaires as view

    validated = view.validate_section

    def submitted_meanwhile(*args, **kwargs):
        meanwhile(assessment, state="submitted")  # after this request read "concept"
        return validated(*args, **kwargs)

    monkeypatch.setattr(view, "validate_section", submitted_meanwhile)
    headers = {"X-Autosave": "1"} if autosave else {}
    response = client.post_form(target, data, headers=headers, follow_redirects=not autosave)
    if autosave:
        assert response.status_code == 409
        assert SOMEONE_ELSE in response.get_json()["message"]
    else:
        assert SOMEONE_ELSE in text_of(response)
    assert load_answers(state_row(assessment), DPIA)["1"] == demo_content.DPIA["1"]


# -- D. Authors recorded on every write; mail follows access ------------------------------------


def test_every_answer_write_records_its_author_and_revoking_keeps_it(app):
    owner, _ = people()
    editor = make_user(Role.FG, name="Schrijvende FG")
    assessment = demo_assessment(owner)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    with acting(app):
        answers = load_answers(assessment, DPIA) | {"1.aanvullend": "Door de FG geschreven."}
        save_section(assessment, DPIA, "1", answers, base_version=0, actor=editor)
        member = next(m for m in assessment.members if m.user_id == editor.id)
        revoke(assessment, member, actor=owner)
    authors = set(db.session.scalars(select(AssessmentAuthor.user_id)))
    assert authors == {owner.id, editor.id}
    assert review.took_part(editor, assessment)
    with acting(app):
        review.submit(assessment, owner)
    assert editor not in review.organisation_fgs(assessment)
    assert not review.is_fg_for(editor, assessment)


def test_independence_reads_the_authors_not_the_audit_log(app):
    owner, _ = people()
    writer = make_user(Role.FG, name="Schrijvende FG")
    assessment = demo_assessment(owner)
    with acting(app):
        review.submit(assessment, owner)
    assert review.is_fg_for(writer, assessment)
    assert not [e for e in audit_events("assessment.answers_saved") if e.actor_id == writer.id]
    db.session.add(AssessmentAuthor(assessment_id=assessment.id, user_id=writer.id))
    db.session.commit()
    assert not review.is_fg_for(writer, assessment)


def test_a_restore_at_reassessment_does_not_make_the_controller_an_author(app):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg)
    offered(app, assessment, owner, controller)
    with acting(app):
        review.sign(assessment, controller, "DG", "", review.latest_version(assessment).number)
    with acting(app):
        review.start_reassessment(assessment, controller)
    assert not review.took_part(controller, assessment)


def _thread_with_a_co_editor(app):
    owner, fg = people()
    editor = make_user(Role.PROJECTLEIDER, name="Carla Collega")
    assessment = demo_assessment(owner, dpia=copy.deepcopy(demo_content.DPIA))
    add_member(assessment, editor, AssessmentRole.EDITOR)
    with acting(app):
        review.submit(assessment, owner)
        review.claim(assessment, fg)
    with acting(app):
        thread = review.add_comment(assessment, editor, "2", None, "Is het BSN nodig?")
    return owner, fg, editor, assessment, thread.id


def test_a_revoked_co_editor_gets_no_more_comment_notices(app):
    owner, fg, editor, assessment, thread_id = _thread_with_a_co_editor(app)
    member = next(m for m in assessment.members if m.user_id == editor.id)
    with acting(app):
        revoke(assessment, member, actor=owner)
    with acting(app):
        review.add_comment(
            assessment, fg, "2", None, "Ja, voor de koppeling.", db.session.get(Comment, thread_id)
        )
    to_editor = db.session.scalars(
        select(Notification).where(
            Notification.user_id == editor.id, Notification.kind == "comment"
        )
    ).all()
    assert to_editor == []
    assert db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == owner.id, Notification.kind == "comment"
        )
    )


def test_a_comment_mail_queued_before_the_revocation_is_not_sent(app):
    app.config["NOTIFICATION_BUNDLE_MINUTES"] = 0  # each remark's mail due at once
    owner, fg, editor, assessment, thread_id = _thread_with_a_co_editor(app)
    notify.dispatch_pending()  # what was queued so far goes out
    with acting(app):
        review.add_comment(
            assessment, fg, "2", None, "Ja, voor de koppeling.", db.session.get(Comment, thread_id)
        )
    queued = db.session.scalar(
        select(OutgoingMail).where(
            OutgoingMail.to_address == editor.email, OutgoingMail.sent_at.is_(None)
        )
    )
    assert queued is not None
    member = next(m for m in assessment.members if m.user_id == editor.id)
    with acting(app):
        revoke(assessment, member, actor=owner)
    notify.dispatch_pending()
    db.session.refresh(queued)
    assert queued.sent_at is None and queued.failed
    assert "niet meer inzien" in queued.last_error
    to_owner = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.to_address == owner.email)
    ).all()
    assert to_owner and all(m.sent_at is not None for m in to_owner)
