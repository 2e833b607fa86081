"""Where the procedure could get stuck or be fooled: people who leave, versions that move
on while someone reads, risks lowered after the advice, and who is told."""

import copy

from sqlalchemy import select, update

from pia.extensions import db
from pia.models import AssessmentRole, Notification, OutgoingMail, Signature
from pia.roles import Role
from pia.services import notify, review
from pia.services.assessments import AssessmentError, load_answers, revoke, share, store_answers
from pia.services.questionnaires import save_section
from tests.conftest import make_user, text_of
from tests.factories_assessments import DPIA, add_member
from tests.test_review_procedure import (
    REC_LOGGING,
    act,
    acting,
    actions,
    advised,
    browser,
    claimed,
    high_risk_dpia,
    offered,
    people,
    procedure,
    respond,
    sign_form,
    state,
    submitted,
    url,
)


def test_when_the_claiming_fg_leaves_a_colleague_takes_over(app, client, login):
    owner, fg = people()
    colleague = make_user(Role.FG, name="Gert Collega")
    assessment = claimed(app, owner, fg)
    login(colleague)
    assert "take_over" not in actions(procedure(client, assessment))
    page = act(client, assessment, "take_over")
    assert "Een andere FG heeft deze beoordeling in behandeling." in text_of(page)

    fg.active = False  # the claiming FG leaves
    db.session.commit()
    assert "take_over" in actions(procedure(client, assessment))
    page = act(client, assessment, "take_over")
    assert "U heeft de beoordeling overgenomen." in text_of(page)
    assert state(assessment) == "in_review"
    assert review.current_review(assessment).claimed_by_id == colleague.id
    assert {"request_changes", "give_advice"} <= actions(procedure(client, assessment))


def test_the_claiming_fg_cannot_be_made_a_co_author(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    try:
        share(assessment, fg.email, AssessmentRole.EDITOR, actor=owner)
    except AssessmentError as exc:
        assert "beoordeelt deze DPIA als FG" in str(exc)
    else:
        raise AssertionError("the claiming FG became an editor")
    db.session.rollback()
    assert assessment.role_of(fg) is None


def test_a_revoked_co_author_who_wrote_answers_never_reviews_it(app, client, login):
    owner, _ = people()
    writer = make_user(Role.FG, name="Schrijvende FG")
    assessment = submitted(app, owner)
    with acting(app):
        review.retract(assessment, owner)
    add_member(assessment, writer, AssessmentRole.EDITOR)
    with acting(app):
        answers = load_answers(assessment, DPIA) | {"1.aanvullend": "Door de FG geschreven."}
        save_section(assessment, DPIA, "1", answers, base_version=0, actor=writer)
        member = next(m for m in assessment.members if m.user_id == writer.id)
        revoke(assessment, member, actor=owner)
        review.submit(assessment, owner)
    login(writer)
    # Not this DPIA's FG: no access at all, so no claim either.
    assert client.get(url(assessment)).status_code == 403
    response = client.post_form(url(assessment, "beoordeling/actie/claim"))
    assert response.status_code == 403
    assert state(assessment) == "submitted"


def test_no_controller_leaves_the_list_during_adoption(app):
    owner, fg = people()
    first = make_user(name="Karin Bestuur")
    second = make_user(name="Bart Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    offered(app, assessment, owner, first, second)
    with acting(app):
        review.sign(assessment, first, "DG", "", review.latest_version(assessment).number)
    pending = next(c for c in review.controllers(assessment) if c.user_id == second.id)
    try:
        with acting(app):
            review.remove_controller(assessment, pending, owner)
    except AssessmentError as exc:
        assert "Tijdens de vaststelling" in str(exc)
    else:
        raise AssertionError("a controller was removed while the others were signing")
    db.session.rollback()
    assert len(review.controllers(assessment)) == 2


def test_a_controller_signs_only_the_version_they_read(app, client, login):
    owner, fg = people()
    first = make_user(name="Karin Bestuur")
    second = make_user(name="Bart Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    offered(app, assessment, owner, first, second)
    read = review.latest_version(assessment).number
    # Meanwhile the other controller sends it back and the owner offers a new version.
    with acting(app):
        review.return_to_drafters(assessment, second, "Graag §9 aanvullen.")
        review.offer_for_adoption(assessment, owner, None)
    assert review.latest_version(assessment).number == read + 1

    login(first)
    signing = url(assessment, "beoordeling/ondertekenen")
    response = client.post_form(signing, sign_form(assessment, version=read))
    assert response.status_code == 400
    assert f"Intussen is versie {read + 1} aangeboden" in text_of(response)
    assert db.session.scalar(select(Signature.id)) is None
    # The form now carries the new version: signing again works.
    response = client.post_form(signing, sign_form(assessment, version=read + 1))
    assert response.status_code == 302


def test_a_controller_who_signed_an_older_version_is_asked_again(app, client, login):
    owner, fg = people()
    first = make_user(name="Karin Bestuur")
    second = make_user(name="Bart Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    offered(app, assessment, owner, first, second)
    with acting(app):
        review.sign(assessment, first, "DG", "", review.latest_version(assessment).number)
        review.return_to_drafters(assessment, second, "Graag §9 aanvullen.")
        review.offer_for_adoption(assessment, owner, None)
    login(first)
    assert "Wacht op uw vaststelling en handtekening" in text_of(client.get("/"))


def test_lowering_the_risk_after_the_advice_does_not_skip_the_ap(app, client, login):
    owner, fg = people()
    assessment = advised(app, owner, fg, dpia=high_risk_dpia())
    lowered = copy.deepcopy(high_risk_dpia()["17.1"])
    for measure in lowered:
        measure["resterend_risico"] = "laag"
    with acting(app):
        store_answers(assessment, DPIA, {"17.1": lowered}, actor=owner)
        review.designate(assessment, make_user().email, "DG", owner)
    login(owner)
    page = procedure(client, assessment)
    assert "offer_for_adoption" not in actions(page)
    assert "request_ap_consultation" in actions(page)
    try:
        with acting(app):
            review.offer_for_adoption(assessment, owner, None)
    except Exception as exc:  # noqa: BLE001 - the refusal's message is what matters
        assert "antwoord van de AP" in str(exc)
    else:
        raise AssertionError("offered without consulting the AP")
    db.session.rollback()
    assert state(assessment) == "advice_given"


def test_the_ap_can_be_consulted_again_after_the_dpia_was_sent_back(app, client, login):
    owner, fg = people()
    boss = make_user(name="Karin Bestuur")
    assessment = advised(app, owner, fg, dpia=high_risk_dpia())
    with acting(app):
        review.designate(assessment, boss.email, "DG", owner)
        review.request_ap_consultation(assessment, owner, review.today(), "AP-1")
        review.record_ap_answer(assessment, owner, review.today(), "Eerste antwoord.", False)
        review.return_to_drafters(assessment, boss, "Nieuwe versie nodig.")
    login(owner)
    page = client.get(url(assessment, "beoordeling/ap"))
    assert page.status_code == 200
    assert "Verzoek vastleggen" in text_of(page)  # a new request, not the old answer form
    response = client.post_form(
        url(assessment, "beoordeling/ap"),
        {"sent_on": review.today().isoformat(), "reference": "AP-2"},
    )
    assert response.status_code == 302
    assert state(assessment) == "ap_consultation"
    assert review.ap_consultation(assessment).reference == "AP-2"


def test_a_withdrawal_during_review_tells_the_fg(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    with acting(app):
        review.withdraw(assessment, owner, "Het project is gestopt.")
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "withdrawn")
    ).all()
    assert fg.id in told


def test_a_remark_on_an_unclaimed_submission_reaches_every_fg(app):
    owner, fg = people()
    colleague = make_user(Role.FG)
    assessment = submitted(app, owner)
    with acting(app):
        review.add_comment(assessment, owner, "2", None, "Let op het IBAN.")
    told = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "comment"))
    )
    assert {fg.id, colleague.id} <= told


def test_a_reply_to_a_malformed_thread_id_is_not_found(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)
    for bad in ("abc", "9" * 30, ""):
        response = client.post_form(
            url(assessment, "opmerkingen/2"), {"reply-parent_id": bad, "reply-body": "Ja."}
        )
        assert response.status_code in (400, 404), (bad, response.status_code)


def test_a_message_claimed_by_one_sender_is_not_sent_by_another(app):
    owner, _ = people()
    submitted(app, owner)
    item = db.session.scalars(select(OutgoingMail)).first()
    assert notify._claim(item.id) is not None
    assert notify._claim(item.id) is None  # the second sender finds it taken
    db.session.execute(update(OutgoingMail).values(next_attempt_at=item.created_at))
    db.session.commit()
    assert notify._claim(item.id) is not None  # after the lease, it is free again


def test_viewers_do_not_read_the_fgs_summary(app, client, login):
    owner, fg = people()
    reader = make_user(Role.PROJECTLEIDER)
    assessment = claimed(app, owner, fg)
    with acting(app):
        review.request_changes(assessment, fg, "Vertrouwelijke toelichting voor de opstellers.")
    add_member(assessment, reader, AssessmentRole.VIEWER)
    login(reader)
    assert "Vertrouwelijke toelichting" not in text_of(procedure(client, assessment))
    other = browser(app, owner)
    assert "Vertrouwelijke toelichting" in text_of(other.get(url(assessment)))
