"""The departmental review procedure, driven as its users drive it: submission, the FG's claim,
comments, changes requested, versions and their diff, advice and follow-up, controllers who
sign, prior consultation of the AP, re-assessment and withdrawal; and who may do what."""

import copy
import re
from contextlib import contextmanager
from datetime import timedelta

from pia import demo_content
from pia.extensions import db
from pia.models import AssessmentRole, AssessmentVersion, Comment, Signature
from pia.roles import Role
from pia.services import review
from tests.conftest import count, log_in, make_user, text_of
from tests.documents_helpers import DOCX, all_text, demo_assessment, open_docx
from tests.factories_assessments import (
    DPIA,
    add_member,
    answers_of,
    fill,
    make_assessment,
    questionnaire_form,
    section_url,
    textarea_value,
)
from workflows import terms

REC_LOGGING = "Leg vast wie welke aanvraag inziet en controleer die logging maandelijks."
REC_BEWAAR = "Verkort de bewaartermijn van afgewezen aanvragen naar een jaar."
REASONING = "De risico's zijn goed beschreven; de maatregelen zijn passend."
NO_REMARKS = "Geef in een opmerking aan wat er moet veranderen."
DEVIATION = "U wijkt af van het advies van de FG; leg vast waarom."


# -- helpers ----------------------------------------------------------------------------------


def url(assessment, rest: str = "beoordeling") -> str:
    return f"/assessments/{assessment.id}" + (f"/{rest}" if rest else "")


def browser(app, user):
    """Another browser, logged in as `user`."""
    other = app.test_client()
    log_in(other, user)
    return other


def procedure(client, assessment):
    """The procedure page (asserted to load)."""
    response = client.get(url(assessment))
    assert response.status_code == 200, response.status_code
    return response


def actions(response) -> set[str]:
    """The data-action buttons and links on the procedure page."""
    return set(re.findall(r'data-action="([^"]+)"', response.get_data(as_text=True)))


def blocked(response) -> dict[str, str]:
    """Blocked action -> its reasons, from the procedure page's "Nog niet mogelijk" list."""
    html = response.get_data(as_text=True)
    found = re.findall(r'<li data-blocked="([^"]+)">(.*?)</li>', html, re.S)
    return {name: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for name, text in found}


def act(client, assessment, action: str):
    """Press one of the one-button actions and follow to the procedure page."""
    return client.post_form(url(assessment, f"beoordeling/actie/{action}"), follow_redirects=True)


def state(assessment) -> str:
    db.session.expire_all()
    return assessment.state


@contextmanager
def acting(app):
    """Set-up through the services, as the app would run them in a request."""
    with app.test_request_context():
        yield
        db.session.commit()


def people():
    owner = make_user(Role.PROJECTLEIDER, name="Pieter Opsteller")
    fg = make_user(Role.FG, name="Fenna Gerritsen")
    return owner, fg


def submitted(app, owner, *, dpia=None):
    assessment = demo_assessment(owner, dpia=dpia)
    with acting(app):
        review.submit(assessment, owner)
    return assessment


def claimed(app, owner, fg, *, dpia=None):
    assessment = submitted(app, owner, dpia=dpia)
    with acting(app):
        review.claim(assessment, fg)
    return assessment


def advised(app, owner, fg, *, conclusion="conditional", recommendations=(), dpia=None):
    assessment = claimed(app, owner, fg, dpia=dpia)
    given = review.AdviceInput(
        conclusion=conclusion,
        reasoning=REASONING,
        findings={"2": "De lijst met persoonsgegevens is volledig."},
        recommendations=list(recommendations),
    )
    with acting(app):
        review.give_advice(assessment, fg, given)
    return assessment


def recommendation_ids(assessment) -> list[int]:
    db.session.expire_all()
    return [r.id for r in review.current_advice(assessment).recommendations]


def respond(app, assessment, owner, *responses: tuple[str, str]):
    """Record the follow-up of each recommendation, in order."""
    ids = recommendation_ids(assessment)
    with acting(app):
        review.record_responses(assessment, owner, dict(zip(ids, responses, strict=True)))


def offered(app, assessment, owner, *controllers, review_date=None):
    with acting(app):
        for controller in controllers:
            review.designate(assessment, controller.email, "Directeur-generaal", owner)
        review.offer_for_adoption(assessment, owner, review_date)
    return assessment


def sign_form(assessment, **changes) -> dict:
    """The signing form as the page sends it: function, confirmation, the version read."""
    data = {
        "function": "Directeur-generaal",
        "confirm": "y",
        "version": str(review.latest_version(assessment).number),
    }
    return {**data, **changes}


def adopted(app, owner, fg, controller):
    """A DPIA advised on (one recommendation, adopted), offered and signed."""
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    offered(app, assessment, owner, controller)
    with acting(app):
        assert review.sign(
            assessment,
            controller,
            "Directeur-generaal",
            "",
            review.latest_version(assessment).number,
        )
    return assessment


def dutch(day) -> str:
    return terms.dutch_date(day)


def high_risk_dpia() -> dict:
    dpia = copy.deepcopy(demo_content.DPIA)
    dpia["17.1"][0]["resterend_risico"] = "hoog"
    return dpia


# -- who sees what ----------------------------------------------------------------------------


def test_an_fg_of_the_organisation_sees_nothing_before_the_first_submission(app, client, login):
    owner, fg = people()
    assessment = demo_assessment(owner)
    login(fg)
    pages = [
        url(assessment, ""),
        url(assessment),
        section_url(assessment, "dpia", "2"),
        url(assessment, "opmerkingen"),
    ]
    for page in pages:
        assert client.get(page).status_code == 403, page
    assert demo_content.TITLE not in text_of(client.get("/assessments/"))

    with acting(app):
        review.submit(assessment, owner)

    for page in pages:
        assert client.get(page).status_code == 200, page
    assert demo_content.TITLE in text_of(client.get("/assessments/"))
    section = client.get(section_url(assessment, "dpia", "1"))
    assert questionnaire_form(section) is None  # read-only
    assert demo_content.DPIA["1"] in text_of(section)
    assert "claim" in actions(procedure(client, assessment))


def test_an_fg_of_another_organisation_gets_403_on_the_assessment_and_its_review(app, client):
    owner, fg = people()
    other_fg = make_user(Role.FG, org="JenV", name="Olaf Elders")
    assessment = submitted(app, owner)
    outsider = browser(app, other_fg)

    for page in [
        url(assessment, ""),
        url(assessment),
        url(assessment, "versies"),
        url(assessment, "opmerkingen"),
        url(assessment, "opmerkingen/2"),
        url(assessment, "beoordeling/advies"),
        section_url(assessment, "dpia", "2"),
    ]:
        response = outsider.get(page)
        assert response.status_code == 403, page
        assert demo_content.TITLE not in response.get_data(as_text=True)
    assert outsider.post_form(url(assessment, "beoordeling/actie/claim")).status_code == 403
    response = outsider.post_form(
        url(assessment, "opmerkingen/2"), {"new-question_id": "", "new-body": "Van buiten"}
    )
    assert response.status_code == 403
    assert state(assessment) == "submitted"
    assert count(Comment) == 0


def test_an_fg_can_never_save_answers(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = submitted(app, owner)
    login(fg)
    before = answers_of(assessment, DPIA)
    attempt = {"base_version": "1", "q_1": "Door de FG herschreven", "save": "1"}

    def try_to_save():
        assert client.post_form(section_url(assessment, "dpia", "1"), attempt).status_code == 403
        assert answers_of(assessment, DPIA) == before

    try_to_save()  # submitted
    act(client, assessment, "claim")
    assert state(assessment) == "in_review"
    try_to_save()
    review_text = {"new-question_id": "1", "new-body": "Wat is de aanleiding precies?"}
    client.post_form(url(assessment, "opmerkingen/1"), review_text)
    client.post_form(url(assessment, "beoordeling/terugsturen"), {"message": ""})
    assert state(assessment) == "changes_requested"
    try_to_save()  # the authors may edit now; the FG still may not
    with acting(app):
        review.submit(assessment, owner)  # stays with fg, who handled round one
        review.give_advice(assessment, fg, review.AdviceInput("positive", REASONING, {}, []))
    assert state(assessment) == "advice_given"
    try_to_save()
    offered(app, assessment, owner, controller)
    assert state(assessment) == "awaiting_adoption"
    try_to_save()


def test_an_author_who_is_also_an_fg_cannot_claim_or_advise_on_their_own_dpia(app, client):
    owner = make_user(Role.PROJECTLEIDER, Role.FG, name="Pieter Opsteller")
    co_author = make_user(Role.PROJECTLEIDER, Role.FG, name="Eva Mede")
    assessment = demo_assessment(owner)
    add_member(assessment, co_author, AssessmentRole.EDITOR)
    with acting(app):
        review.submit(assessment, owner)

    for user in (owner, co_author):
        own = browser(app, user)
        page = procedure(own, assessment)
        assert "claim" not in actions(page)
        response = own.post_form(url(assessment, "beoordeling/actie/claim"))
        assert response.status_code == 403
        assert "Geen toegang" in text_of(response)
        assert own.get(url(assessment, "beoordeling/advies")).status_code == 403
        assert state(assessment) == "submitted"
    # an independent FG can
    fg = make_user(Role.FG, name="Fenna Gerritsen")
    assert "claim" in actions(procedure(browser(app, fg), assessment))


def test_the_owner_cannot_give_advice_nor_send_back(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(owner)

    assert client.get(url(assessment, "beoordeling/advies")).status_code == 403
    response = client.post_form(
        url(assessment, "beoordeling/advies"),
        {"conclusion": "positive", "reasoning": "Ik vind het zelf goed.", "recommendations": ""},
    )
    assert response.status_code == 403
    assert (
        client.post_form(
            url(assessment, "beoordeling/terugsturen"), {"message": "Terug"}
        ).status_code
        == 403
    )
    assert state(assessment) == "in_review"
    assert review.current_advice(assessment) is None


def test_a_viewer_neither_reads_nor_writes_comments_and_an_editor_does(app, client, login):
    owner, fg = people()
    viewer = make_user(Role.PROJECTLEIDER, name="Lena Lezer")
    editor = make_user(Role.PROJECTLEIDER, name="Mila Jansen")
    assessment = claimed(app, owner, fg)
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    login(fg)
    client.post_form(
        url(assessment, "opmerkingen/2"),
        {"new-question_id": "2", "new-body": "Ontbreekt het telefoonnummer niet?"},
    )
    (remark,) = review.comments(assessment)

    reader = browser(app, viewer)
    assert reader.get(url(assessment, "opmerkingen")).status_code == 403
    assert reader.get(url(assessment, "opmerkingen/2")).status_code == 403
    page = procedure(reader, assessment)
    assert "telefoonnummer" not in page.get_data(as_text=True)
    assert "Alle opmerkingen bekijken" not in text_of(page)
    new = {"new-question_id": "", "new-body": "Mag ik ook iets zeggen?"}
    assert reader.post_form(url(assessment, "opmerkingen/2"), new).status_code == 403
    reply = {"reply-parent_id": str(remark.id), "reply-body": "Ik reageer"}
    assert reader.post_form(url(assessment, "opmerkingen/2"), reply).status_code == 403
    resolve = url(assessment, f"opmerkingen/{remark.id}/afhandelen")
    assert reader.post_form(resolve, {"resolved": "1"}).status_code == 403
    assert count(Comment) == 1

    co_author = browser(app, editor)
    reply["reply-body"] = "Klopt, dat voegen we toe."
    assert co_author.post_form(url(assessment, "opmerkingen/2"), reply).status_code == 302
    page = text_of(co_author.get(url(assessment, "opmerkingen/2")))
    assert "Ontbreekt het telefoonnummer niet?" in page
    assert "Mila Jansen" in page and "Klopt, dat voegen we toe." in page


def test_authors_cannot_edit_while_the_fg_has_it_and_can_after_changes_are_requested(
    app, client, login
):
    owner, fg = people()
    editor = make_user(Role.PROJECTLEIDER, name="Mila Jansen")
    assessment = demo_assessment(owner)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    login(owner)
    act(client, assessment, "submit")
    co_author = browser(app, editor)
    attempt = {"base_version": "1", "q_1": "Stiekem gewijzigd", "save": "1"}

    def neither_can_save():
        for author in (client, co_author):
            response = author.post_form(section_url(assessment, "dpia", "1"), attempt)
            assert response.status_code == 403
        assert answers_of(assessment, DPIA)["1"] == demo_content.DPIA["1"]

    neither_can_save()  # submitted
    with acting(app):
        review.claim(assessment, fg)
    neither_can_save()  # in review

    with acting(app):
        review.request_changes(assessment, fg, "Beschrijf de aanleiding uitgebreider.")
    assert state(assessment) == "changes_requested"
    response = fill(co_author, assessment, "dpia", "1", {"q_1": "Een betere aanleiding."})
    assert response.status_code == 302
    assert answers_of(assessment, DPIA)["1"] == "Een betere aanleiding."
    assert "Status Aanpassingen gevraagd" in text_of(procedure(client, assessment))


# -- submission and claim -----------------------------------------------------------------------


def test_an_incomplete_dpia_cannot_be_submitted(app, client, login):
    owner, fg = people()
    assessment = make_assessment(owner, prescan=demo_content.PRESCAN, dpia={"1": "Alleen dit."})
    login(owner)

    page = procedure(client, assessment)
    assert "submit" not in actions(page)
    assert blocked(page)["submit"] == (
        "Indienen voor FG-advies : Niet alle verplichte vragen zijn beantwoord."
    )
    response = act(client, assessment, "submit")
    assert "Niet alle verplichte vragen zijn beantwoord." in text_of(response)
    assert state(assessment) == "concept"
    assert count(AssessmentVersion) == 0
    # the FG still sees nothing of it
    assert browser(app, fg).get(url(assessment)).status_code == 403


def test_submitting_freezes_version_1_and_shows_the_fgs_deadline(app, client, login):
    owner, fg = people()
    assessment = demo_assessment(owner)
    login(owner)

    response = act(client, assessment, "submit")

    page = text_of(response)
    assert "De DPIA is ingediend." in page
    assert "Status Ingediend voor FG-advies" in page
    due = review.today() + timedelta(weeks=4)
    assert f"Reactie van de FG uiterlijk {dutch(due)} (nog 28 dagen)" in page
    assert "In behandeling bij Nog niemand: alle FG’s van BZK zien haar" in page
    assert "Versie 1 — Ingediend voor FG-advies" in page
    (frozen,) = review.versions(assessment)
    assert frozen.number == 1
    assert frozen.dpia == answers_of(assessment, DPIA)
    assert frozen.dpia["1"] == demo_content.DPIA["1"]
    assert "retract" in actions(response)
    # the FG is told, with the deadline
    inbox = text_of(browser(app, fg).get("/meldingen"))
    assert f"wacht op FG-advies; reactie uiterlijk {dutch(due)}" in inbox


def test_the_fg_claims_and_everyone_sees_who_has_it(app, client, login):
    owner, fg = people()
    colleague = make_user(Role.FG, name="Gijs Collega")
    assessment = submitted(app, owner)
    login(fg)

    response = act(client, assessment, "claim")

    assert "U heeft de beoordeling in behandeling genomen." in text_of(response)
    assert state(assessment) == "in_review"
    assert {"request_changes", "give_advice", "release"} <= actions(response)
    owner_page = text_of(procedure(browser(app, owner), assessment))
    assert "Status In behandeling bij de FG" in owner_page
    assert "In behandeling bij Fenna Gerritsen" in owner_page
    # another FG of the organisation cannot take it over
    other = browser(app, colleague)
    assert "claim" not in actions(procedure(other, assessment))
    refused = text_of(act(other, assessment, "claim"))
    assert "'In behandeling nemen' is niet mogelijk in de status 'In behandeling bij de FG'." in (
        refused
    )
    assert other.get(url(assessment, "beoordeling/advies")).status_code == 403
    assert review.current_review(assessment).claimed_by_id == fg.id
    assert state(assessment) == "in_review"


def test_the_owner_can_retract_a_submission_before_it_is_claimed(app, client, login):
    owner, fg = people()
    assessment = submitted(app, owner)
    login(owner)

    response = act(client, assessment, "retract")

    assert "De indiening is teruggenomen; u kunt de DPIA weer bewerken." in text_of(response)
    assert state(assessment) == "concept"
    assert fill(client, assessment, "dpia", "1", {"q_1": "Herzien."}).status_code == 302


# -- comments and sending back --------------------------------------------------------------------


def test_fg_comments_cite_the_question_and_replies_hang_in_the_thread(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)

    response = client.post_form(
        url(assessment, "opmerkingen/2"),
        {"new-question_id": "2", "new-body": "Waarom is het IBAN ‘gevoelig’?"},
    )
    assert response.status_code == 302
    client.post_form(
        url(assessment, "opmerkingen/2"),
        {"new-question_id": "", "new-body": "Het onderdeel als geheel is helder."},
    )
    first, second = review.comments(assessment, "2")
    author = browser(app, owner)
    response = author.post_form(
        url(assessment, "opmerkingen/2"),
        {"reply-parent_id": str(first.id), "reply-body": "Omdat het om geld gaat."},
    )
    assert response.status_code == 302

    page = client.get(url(assessment, "opmerkingen/2"))
    html = page.get_data(as_text=True)
    thread = re.search(rf'<article [^>]*data-comment="{first.id}".*?</article>', html, re.S)
    thread_text = text_of_html(thread.group(0))
    assert thread_text.startswith("Bij vraag 2: ‘Persoonsgegevens’ Open Fenna Gerritsen")
    assert "(bij versie 1)" in thread_text
    assert "Waarom is het IBAN ‘gevoelig’?" in thread_text
    assert "Pieter Opsteller" in thread_text and "Omdat het om geld gaat." in thread_text
    other = re.search(rf'<article [^>]*data-comment="{second.id}".*?</article>', html, re.S)
    assert text_of_html(other.group(0)).startswith("Bij het hele onderdeel 2 Open")
    assert "Opmerkingen (2 open)" in text_of(page)
    all_page = text_of(author.get(url(assessment, "opmerkingen")))
    assert "Waarom is het IBAN ‘gevoelig’?" in all_page
    assert "Omdat het om geld gaat." in all_page
    assert "2 open opmerkingen" in text_of(procedure(author, assessment))


def test_an_empty_comment_or_one_on_a_question_of_another_section_is_refused(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)

    response = client.post_form(
        url(assessment, "opmerkingen/2"), {"new-question_id": "17.1", "new-body": "Hier?"}
    )

    assert response.status_code == 400
    assert "Over: Ongeldige keuze." in text_of(response)
    assert textarea_value(response, "new-body") == "Hier?"
    response = client.post_form(
        url(assessment, "opmerkingen/2"), {"new-question_id": "2", "new-body": "   "}
    )
    assert response.status_code == 400
    assert "Opmerking: Schrijf een opmerking." in text_of(response)
    assert count(Comment) == 0


def test_a_thread_is_resolved_and_reopened(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)
    client.post_form(
        url(assessment, "opmerkingen/4"),
        {"new-question_id": "4.1", "new-body": "Noem de leverancier."},
    )
    (remark,) = review.comments(assessment)
    author = browser(app, owner)
    resolve = url(assessment, f"opmerkingen/{remark.id}/afhandelen")

    page = author.post_form(resolve, {"resolved": "1"}, follow_redirects=True)
    assert "De opmerking is afgehandeld." in text_of(page)
    assert "Afgehandeld door Pieter Opsteller" in text_of(page)
    assert "Opmerkingen (0 open)" in text_of(page)
    assert "0 open opmerkingen" in text_of(procedure(author, assessment))

    page = client.post_form(resolve, {"resolved": "0"}, follow_redirects=True)
    assert "De opmerking is heropend." in text_of(page)
    assert "Opmerkingen (1 open)" in text_of(page)
    db.session.expire_all()
    assert remark.resolved_at is None


def test_sending_back_needs_a_message_or_an_open_comment(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)

    response = client.post_form(url(assessment, "beoordeling/terugsturen"), {"message": "  "})
    assert response.status_code == 400
    assert NO_REMARKS in text_of(response)
    assert state(assessment) == "in_review"

    # a resolved remark is no reason either
    client.post_form(
        url(assessment, "opmerkingen/3"), {"new-question_id": "", "new-body": "Al opgelost."}
    )
    (remark,) = review.comments(assessment)
    client.post_form(url(assessment, f"opmerkingen/{remark.id}/afhandelen"), {"resolved": "1"})
    response = client.post_form(url(assessment, "beoordeling/terugsturen"), {"message": ""})
    assert response.status_code == 400
    assert NO_REMARKS in text_of(response)
    assert state(assessment) == "in_review"

    # an open one is
    client.post_form(url(assessment, f"opmerkingen/{remark.id}/afhandelen"), {"resolved": "0"})
    response = client.post_form(
        url(assessment, "beoordeling/terugsturen"), {"message": ""}, follow_redirects=True
    )
    assert "De DPIA is teruggestuurd naar de opstellers." in text_of(response)
    assert state(assessment) == "changes_requested"
    inbox = text_of(browser(app, owner).get("/meldingen"))
    assert "De FG vraagt aanpassingen" in inbox and "(1 open opmerking)" in inbox


def test_the_authors_read_why_the_fg_sent_it_back(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)
    summary = "Beschrijf in §1 de aanleiding en vul de bewaartermijnen aan."

    response = client.post_form(
        url(assessment, "beoordeling/terugsturen"), {"message": summary}, follow_redirects=True
    )
    assert "De DPIA is teruggestuurd naar de opstellers." in text_of(response)
    assert state(assessment) == "changes_requested"

    page = text_of(procedure(browser(app, owner), assessment))
    assert "Status Aanpassingen gevraagd" in page
    assert summary in page  # the FG's summary is what the authors have to work from


def test_a_reply_in_a_resolved_thread_is_no_reason_to_send_back(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)
    client.post_form(
        url(assessment, "opmerkingen/2"), {"new-question_id": "2", "new-body": "Klopt dit?"}
    )
    (remark,) = review.comments(assessment)
    client.post_form(
        url(assessment, "opmerkingen/2"),
        {"reply-parent_id": str(remark.id), "reply-body": "Aanvulling: ook §3."},
    )
    page = client.post_form(
        url(assessment, f"opmerkingen/{remark.id}/afhandelen"),
        {"resolved": "1"},
        follow_redirects=True,
    )
    assert "Opmerkingen (0 open)" in text_of(page)

    response = client.post_form(url(assessment, "beoordeling/terugsturen"), {"message": ""})

    assert response.status_code == 400
    assert NO_REMARKS in text_of(response)
    assert state(assessment) == "in_review"


def test_the_fg_releases_the_review_and_a_colleague_takes_it(app, client, login):
    owner, fg = people()
    colleague = make_user(Role.FG, name="Gijs Collega")
    assessment = claimed(app, owner, fg)
    login(fg)

    response = act(client, assessment, "release")

    assert "U heeft de beoordeling teruggegeven" in text_of(response)
    assert state(assessment) == "submitted"
    assert "In behandeling bij Nog niemand" in text_of(response)
    other = browser(app, colleague)
    assert "claim" in actions(procedure(other, assessment))
    response = act(other, assessment, "claim")
    assert "In behandeling bij Gijs Collega" in text_of(response)
    assert client.get(url(assessment, "beoordeling/advies")).status_code == 403


# -- versions and the diff ------------------------------------------------------------------------


def test_a_resubmission_is_version_2_and_the_fg_sees_what_changed(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    with acting(app):
        review.request_changes(assessment, fg, "Vul de lijst met persoonsgegevens aan.")
    login(owner)
    # add a row and change a cell in the table of §2, through the form
    fill(client, assessment, "dpia", "2", {"q_2-3-persoonsgegeven": "IBAN-nummer"}, "add_row__2")
    response = fill(
        client,
        assessment,
        "dpia",
        "2",
        {
            "q_2-6-persoonsgegeven": "Telefoonnummer",
            "q_2-6-categorie_betrokkene": "Aanvragers",
            "q_2-6-categorie_persoonsgegevens": "Contactgegevens",
            "q_2-6-type": "gewoon",
            "q_2-6-doeleinde": "Contact over de aanvraag",
            "q_2-6-via_partij": "nee",
        },
    )
    assert response.status_code == 302
    rows = answers_of(assessment, DPIA)["2"]
    assert len(rows) == 7
    assert (rows[3]["persoonsgegeven"], rows[6]["persoonsgegeven"]) == (
        "IBAN-nummer",
        "Telefoonnummer",
    )

    response = act(client, assessment, "submit")
    assert "De DPIA is ingediend." in text_of(response)
    assert [v.number for v in review.versions(assessment)] == [1, 2]
    assert review.version(assessment, 1).dpia["2"][3]["persoonsgegeven"] == "IBAN"

    reviewer = browser(app, fg)
    act(reviewer, assessment, "claim")
    page = procedure(reviewer, assessment)
    link = re.search(
        r'href="([^"]+)"[^>]*>Wat is er veranderd sinds versie 1\?', page.get_data(as_text=True)
    )
    assert link, "no link to the diff"
    assert link.group(1).replace("&amp;", "&") == url(
        assessment, "versies/vergelijken?van=1&naar=2"
    )

    diff = reviewer.get(link.group(1).replace("&amp;", "&"))
    assert diff.status_code == 200
    assert "Wat is er veranderd van versie 1 naar versie 2?" in text_of(diff)
    html = diff.get_data(as_text=True)
    section = re.search(
        r'<section class="diff-section" aria-labelledby="dpia-2">.*?</section>', html, re.S
    ).group(0)
    rows = dict(
        (label, text_of_html(body))
        for label, body in re.findall(
            r'<li data-row-kind="[^"]+">\s*(regel \d+: [^<]+?)\s*(<span.*?)</li>'
            r"\s*(?=<li data-row|</ul>)",
            section,
            re.S,
        )
    )
    assert set(rows) == {"regel 4: IBAN-nummer", "regel 7: Telefoonnummer"}
    assert rows["regel 7: Telefoonnummer"].startswith(
        "toegevoegd Persoonsgegeven: Nu Telefoonnummer"
    )
    assert rows["regel 4: IBAN-nummer"] == "gewijzigd Persoonsgegeven: Was IBAN Nu IBAN-nummer"
    assert "<del>IBAN</del>" in section and "<ins>IBAN-nummer</ins>" in section
    assert 'data-row-kind="verwijderd"' not in section
    # version 1 is left as it was
    assert review.version(assessment, 1).dpia["2"][3]["persoonsgegeven"] == "IBAN"


def test_comparing_needs_two_versions(app, client, login):
    owner, fg = people()
    assessment = submitted(app, owner)
    login(fg)

    response = client.get(url(assessment, "versies/vergelijken"), follow_redirects=True)

    assert "Er zijn nog geen twee versies om te vergelijken." in text_of(response)
    assert "Wat is er veranderd sinds" not in text_of(procedure(client, assessment))


# -- advice ---------------------------------------------------------------------------------------


def test_advice_needs_a_conclusion_and_a_reasoning(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)

    response = client.post_form(
        url(assessment, "beoordeling/advies"),
        {"conclusion": "", "reasoning": "", "recommendations": REC_LOGGING},
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "Kies de conclusie van het advies." in page
    assert "Onderbouw het advies." in page
    assert textarea_value(response, "recommendations") == REC_LOGGING
    assert state(assessment) == "in_review"
    assert review.current_advice(assessment) is None


def test_the_fg_gives_advice_with_numbered_recommendations_and_findings(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(fg)

    response = client.post_form(
        url(assessment, "beoordeling/advies"),
        {
            "conclusion": "conditional",
            "reasoning": REASONING,
            "recommendations": f"{REC_LOGGING}\n\n   \n  {REC_BEWAAR}  \n",
            "finding_2": "Het telefoonnummer ontbreekt.",
        },
        follow_redirects=True,
    )

    page = text_of(response)
    assert "Uw advies is vastgelegd" in page
    assert state(assessment) == "advice_given"
    assert "Positief met voorwaarden — Fenna Gerritsen" in page
    assert REASONING in page
    assert "Onderdeel 2 Het telefoonnummer ontbreekt." in page
    html = response.get_data(as_text=True)
    rows = re.findall(r'<tr data-recommendation="(\d+)">(.*?)</tr>', html, re.S)
    assert [(n, text_of_html(r)) for n, r in rows] == [
        ("1", f"1 {REC_LOGGING} Nog niet verwerkt"),
        ("2", f"2 {REC_BEWAAR} Nog niet verwerkt"),
    ]
    # the authors are told and may now record the follow-up
    author = browser(app, owner)
    assert "Opvolging van het advies vastleggen" in text_of(procedure(author, assessment))
    assert "met 2 aanbevelingen" in text_of(author.get("/meldingen"))


def test_follow_up_refuses_not_adopted_without_a_reason_and_keeps_what_was_typed(
    app, client, login
):
    owner, fg = people()
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING, REC_BEWAAR])
    first, second = recommendation_ids(assessment)
    login(owner)

    response = client.post_form(
        url(assessment, "beoordeling/opvolging"),
        {
            f"response-{first}": "adopted",
            f"explanation-{first}": "We loggen maandelijks.",
            f"response-{second}": "not_adopted",
            f"explanation-{second}": "   ",
        },
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "Aanbeveling 2: Geef de reden waarom deze aanbeveling niet is overgenomen." in page
    assert textarea_value(response, f"explanation-{first}") == "We loggen maandelijks."
    html = response.get_data(as_text=True)
    assert re.search(rf'name="response-{first}" value="adopted" checked', html)
    assert re.search(rf'name="response-{second}" value="not_adopted" checked', html)
    assert [r.response for r in review.current_advice(assessment).recommendations] == [None, None]

    response = client.post_form(
        url(assessment, "beoordeling/opvolging"),
        {
            f"response-{first}": "adopted",
            f"explanation-{first}": "We loggen maandelijks.",
            f"response-{second}": "not_adopted",
            f"explanation-{second}": "De Archiefwet schrijft zeven jaar voor.",
        },
        follow_redirects=True,
    )
    page = text_of(response)
    assert "De opvolging is opgeslagen (2 aanbevelingen gewijzigd)." in page
    assert f"1 {REC_LOGGING} Overgenomen We loggen maandelijks." in page
    assert f"2 {REC_BEWAAR} Niet overgenomen De Archiefwet schrijft zeven jaar voor." in page


def test_offering_waits_for_the_follow_up_and_the_controllers(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    login(owner)

    page = procedure(client, assessment)
    assert blocked(page)["offer_for_adoption"].endswith(
        "Leg bij iedere aanbeveling van de FG vast wat ermee is gedaan."
    )
    response = client.post_form(
        url(assessment, "beoordeling/aanbieden"), {"review_date": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "Leg bij iedere aanbeveling van de FG vast wat ermee is gedaan." in text_of(response)

    respond(app, assessment, owner, ("adopted", ""))
    response = client.post_form(
        url(assessment, "beoordeling/aanbieden"), {"review_date": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "Wijs eerst de verwerkingsverantwoordelijke(n) aan" in text_of(response)
    assert state(assessment) == "advice_given"

    response = client.post_form(
        url(assessment, "verwerkingsverantwoordelijken"),
        {"email": controller.email, "function": "Directeur-generaal"},
        follow_redirects=True,
    )
    assert "Karin Bestuur is aangewezen." in text_of(response)
    response = client.post_form(
        url(assessment, "beoordeling/aanbieden"),
        {"review_date": "2099-01-01"},
        follow_redirects=True,
    )
    assert "De DPIA is aangeboden ter vaststelling." in text_of(response)
    assert state(assessment) == "awaiting_adoption"
    assert [v.reason for v in review.versions(assessment)] == ["submitted", "processed"]
    assert "wacht op uw vaststelling" in text_of(browser(app, controller).get("/meldingen"))


def test_who_may_be_designated_as_controller(app, client, login):
    owner, fg = people()
    editor = make_user(Role.PROJECTLEIDER, name="Mila Jansen")
    assessment = advised(app, owner, fg)
    add_member(assessment, editor, AssessmentRole.EDITOR)
    login(owner)
    designate = url(assessment, "verwerkingsverantwoordelijken")

    response = client.post_form(designate, {"email": fg.email, "function": ""})
    assert response.status_code == 400
    assert "De FG adviseert onafhankelijk en kan de DPIA niet zelf vaststellen." in text_of(
        response
    )
    response = client.post_form(designate, {"email": "niemand@pia.test", "function": ""})
    assert response.status_code == 400
    assert "Er is geen actieve gebruiker met dit e-mailadres." in text_of(response)
    co_author = browser(app, editor)
    assert co_author.post_form(designate, {"email": editor.email}).status_code == 403
    assert review.controllers(assessment) == []


def test_signing_against_the_advice_needs_a_reason(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING, REC_BEWAAR])
    respond(app, assessment, owner, ("adopted", ""), ("not_adopted", "Archiefwet: zeven jaar."))
    offered(app, assessment, owner, controller)
    login(controller)

    page = client.get(url(assessment, "beoordeling/ondertekenen"))
    assert page.status_code == 200
    assert "U wijkt af van het advies van de FG (niet alle aanbevelingen zijn overgenomen)" in (
        text_of(page)
    )
    # each recommendation with its own text, then what was done with it
    assert f"{REC_BEWAAR} Niet overgenomen : Archiefwet: zeven jaar." in text_of(page)
    assert f"{REC_LOGGING} Overgenomen" in text_of(page)

    response = client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert response.status_code == 400
    assert DEVIATION in text_of(response)
    assert count(Signature) == 0
    assert state(assessment) == "awaiting_adoption"

    response = client.post_form(
        url(assessment, "beoordeling/ondertekenen"),
        sign_form(assessment, deviation_reason="De Archiefwet gaat voor."),
        follow_redirects=True,
    )
    assert "U heeft ondertekend. De DPIA is vastgesteld." in text_of(response)
    assert state(assessment) == "adopted"
    (signature,) = review.signatures(assessment)
    assert signature.deviation_reason == "De Archiefwet gaat voor."


def test_a_negative_advice_is_a_deviation_even_without_recommendations(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, conclusion="negative")
    offered(app, assessment, owner, controller)
    login(controller)

    response = client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))

    assert response.status_code == 400
    assert DEVIATION in text_of(response)
    assert state(assessment) == "awaiting_adoption"


def test_with_two_controllers_the_second_signature_adopts(app, client, login):
    owner, fg = people()
    first = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    second = make_user(Role.PROJECTLEIDER, name="Bram Tweede")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    when = review.today() + timedelta(days=400)
    offered(app, assessment, owner, first, second, review_date=when)
    login(first)

    response = client.post_form(
        url(assessment, "beoordeling/ondertekenen"), sign_form(assessment), follow_redirects=True
    )
    assert "Nog niet alle verwerkingsverantwoordelijken tekenden." in text_of(response)
    assert state(assessment) == "awaiting_adoption"
    assert "Karin Bestuur, Directeur-generaal — ondertekend op" in text_of(response)
    assert "Bram Tweede, Directeur-generaal — nog niet ondertekend" in text_of(response)
    # once is enough
    again = client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert again.status_code == 400
    assert "U hebt deze DPIA al ondertekend." in text_of(again)
    assert count(Signature) == 1

    other = browser(app, second)
    page = other.get(url(assessment, "beoordeling/ondertekenen"))
    assert "Ondertekend: 1 van 2." in text_of(page)
    response = other.post_form(
        url(assessment, "beoordeling/ondertekenen"),
        sign_form(assessment, function="Plv. secretaris-generaal"),
        follow_redirects=True,
    )
    page = text_of(response)
    assert "U heeft ondertekend. De DPIA is vastgesteld." in page
    assert state(assessment) == "adopted"
    assert assessment.review_due_on == when
    assert "Status Vastgesteld" in page
    assert f"Herbeoordeling Uiterlijk {dutch(when)}" in page


def test_the_record_fills_19_and_20(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = adopted(app, owner, fg, controller)

    answers = review.workflow_answers(assessment)
    assert [(v["nummer"], v["toelichting"]) for v in answers["19.1"]] == [
        ("1", "Ingediend voor FG-advies (Pieter Opsteller)"),
        ("2", "Advies verwerkt, ter vaststelling (Pieter Opsteller)"),
    ]
    assert answers["19.2"] == "definitief"
    assert answers["19.5.4"] == "Fenna Gerritsen"
    assert answers["19.5.6"] == review.today().isoformat()
    assert answers["19.5.8"] == "versie 2"
    (signed,) = answers["20.1"]
    assert signed["naam"] == "Karin Bestuur"
    assert signed["functie"] == "Directeur-generaal"
    assert signed["datum"] == review.today().isoformat()


def test_the_dpia_report_names_the_fg_the_recommendations_the_versions_and_the_signer(
    app, client, login
):
    from pia.services.documents import generate_report

    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = adopted(app, owner, fg, controller)

    with acting(app):
        document = generate_report(assessment, actor=owner)

    text = all_text(open_docx(document.content))
    assert "Fenna Gerritsen" in text
    assert REC_LOGGING in text
    assert "Karin Bestuur" in text  # §20: who adopted and signed
    assert "Advies verwerkt, ter vaststelling (Pieter Opsteller)" in text  # §19.1: versions


def test_the_fg_advice_downloads_as_a_word_file(app, client, login):
    owner, fg = people()
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING, REC_BEWAAR])
    respond(app, assessment, owner, ("adopted", ""), ("not_adopted", "Archiefwet: zeven jaar."))
    advice = review.current_advice(assessment)
    login(owner)

    page = procedure(client, assessment)
    action = url(assessment, f"documenten/fg-advies/{advice.id}")
    assert f'action="{action}"' in page.get_data(as_text=True)
    made = client.post_form(action, {})
    assert made.status_code == 302  # made and kept; on to its download
    response = client.get(made.headers["Location"])

    assert response.status_code == 200
    assert response.mimetype == DOCX
    text = all_text(open_docx(response.data))
    assert "Positief met voorwaarden" in text
    assert REASONING in text
    assert REC_LOGGING in text and REC_BEWAAR in text
    assert "Overgenomen" in text
    assert "Niet overgenomen" in text and "Archiefwet: zeven jaar." in text
    assert "Fenna Gerritsen" in text
    # not for an FG of another organisation
    other = browser(app, make_user(Role.FG, org="JenV"))
    assert other.post_form(action, {}).status_code == 403
    assert other.get(made.headers["Location"]).status_code == 403


def test_offering_with_a_review_date_in_the_past_is_refused(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg)
    with acting(app):
        review.designate(assessment, controller.email, "Directeur-generaal", owner)
    login(owner)
    yesterday = review.today() - timedelta(days=1)

    response = client.post_form(
        url(assessment, "beoordeling/aanbieden"), {"review_date": yesterday.isoformat()}
    )

    # otherwise the last signature cannot complete the adoption and the DPIA is stuck
    assert response.status_code == 400
    assert "De datum voor herbeoordeling moet in de toekomst liggen." in text_of(response)
    assert state(assessment) == "advice_given"


def test_after_a_controller_sends_it_back_every_controller_signs_the_new_version(
    app, client, login
):
    owner, fg = people()
    first = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    second = make_user(Role.PROJECTLEIDER, name="Bram Tweede")
    assessment = advised(app, owner, fg)
    offered(app, assessment, owner, first, second)
    login(first)
    client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    other = browser(app, second)
    response = other.post_form(
        url(assessment, "beoordeling/terugsturen-naar-opstellers"),
        {"message": "Eerst de bewaartermijn aanpassen."},
    )
    assert response.status_code == 302
    assert state(assessment) == "advice_given"
    with acting(app):
        review.offer_for_adoption(assessment, owner, None)
    assert [v.number for v in review.versions(assessment)] == [1, 2, 3]

    page = text_of(client.get(url(assessment, "beoordeling/ondertekenen")))
    assert "U stelt versie 3" in page
    assert "Ondertekend: 0 van 2." in page
    other.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert state(assessment) == "awaiting_adoption"  # Karin signed version 2, not version 3
    response = client.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert response.status_code == 302
    assert state(assessment) == "adopted"
    on_version_3 = {s.user_id for s in review.signatures(assessment) if s.version.number == 3}
    assert on_version_3 == {first.id, second.id}


# -- prior consultation of the AP -----------------------------------------------------------------


def test_a_high_residual_risk_blocks_offering_and_asks_for_the_ap(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, conclusion="positive", dpia=high_risk_dpia())
    with acting(app):
        review.designate(assessment, controller.email, "Directeur-generaal", owner)
    login(owner)

    page = procedure(client, assessment)
    assert "moet de Autoriteit Persoonsgegevens vooraf worden geraadpleegd" in text_of(page)
    assert "request_ap_consultation" in actions(page)
    assert "offer_for_adoption" not in actions(page)
    assert "leg eerst het antwoord van de AP vast." in blocked(page)["offer_for_adoption"]
    response = client.post_form(
        url(assessment, "beoordeling/aanbieden"), {"review_date": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "Er blijft een hoog restrisico; leg eerst het antwoord van de AP vast." in text_of(
        response
    )
    assert state(assessment) == "advice_given"
    assert len(review.versions(assessment)) == 1


def test_the_ap_consultation_shows_the_terms_and_its_answer_leads_to_adoption(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, conclusion="positive", dpia=high_risk_dpia())
    with acting(app):
        review.designate(assessment, controller.email, "Directeur-generaal", owner)
    login(owner)
    sent = review.today() - timedelta(days=3)

    future = client.post_form(
        url(assessment, "beoordeling/ap"),
        {"sent_on": (review.today() + timedelta(days=1)).isoformat(), "reference": "x"},
    )
    assert future.status_code == 400
    assert "De verzenddatum kan niet in de toekomst liggen." in text_of(future)
    response = client.post_form(
        url(assessment, "beoordeling/ap"),
        {"sent_on": sent.isoformat(), "reference": "AP-2026-117"},
        follow_redirects=True,
    )

    page = text_of(response)
    assert state(assessment) == "ap_consultation"
    assert "Status Voorafgaande raadpleging AP" in page
    assert f"{dutch(sent)} (kenmerk AP-2026-117)" in page
    assert f"Antwoord van de AP uiterlijk {dutch(sent + timedelta(weeks=8))}" in page
    assert f"bij verlenging met 6 weken uiterlijk {dutch(sent + timedelta(weeks=14))}" in page
    assert "Antwoord Nog niet ontvangen" in page

    response = client.post_form(
        url(assessment, "beoordeling/ap"),
        {"received_on": "", "summary": "Geen bezwaar."},
    )
    assert response.status_code == 400
    assert "Vul een geldige datum in" in text_of(response)
    assert state(assessment) == "ap_consultation"
    response = client.post_form(
        url(assessment, "beoordeling/ap"),
        {"received_on": review.today().isoformat(), "summary": "Geen bezwaar, mits gelogd."},
        follow_redirects=True,
    )
    assert state(assessment) == "awaiting_adoption"
    assert "Geen bezwaar, mits gelogd." in text_of(response)
    signer = browser(app, controller)
    page = signer.get(url(assessment, "beoordeling/ondertekenen"))
    assert "Antwoord van de AP" in text_of(page) and "Geen bezwaar, mits gelogd." in text_of(page)
    signer.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert state(assessment) == "adopted"


# -- after adoption -------------------------------------------------------------------------------


def test_reassessment_starts_a_new_round_from_the_adopted_version(app, client, login):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = adopted(app, owner, fg, controller)
    login(owner)
    attempt = {"base_version": "1", "q_1": "Na vaststelling gewijzigd", "save": "1"}
    assert client.post_form(section_url(assessment, "dpia", "1"), attempt).status_code == 403

    response = act(client, assessment, "put_in_use")
    assert "De DPIA staat nu op ‘In gebruik’." in text_of(response)
    assert state(assessment) == "in_use"
    response = act(client, assessment, "start_reassessment")

    page = text_of(response)
    assert "De herbeoordeling is gestart." in page
    assert state(assessment) == "concept"
    assert assessment.round == 2
    assert "Ronde Herbeoordeling 1 (vanaf versie 2)" in page
    assert answers_of(assessment, DPIA) == review.version(assessment, 2).dpia
    assert fill(client, assessment, "dpia", "1", {"q_1": "Herzien in ronde 2."}).status_code == 302
    assert answers_of(assessment, DPIA)["1"] == "Herzien in ronde 2."

    act(client, assessment, "submit")
    assert state(assessment) == "submitted"
    assert [v.number for v in review.versions(assessment)] == [1, 2, 3]
    assert review.version(assessment, 3).dpia["1"] == "Herzien in ronde 2."
    assert review.current_review(assessment).round == 2


def test_reassessment_restores_the_adopted_answers(app, client, login):
    from pia.services.assessments import store_answers

    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = adopted(app, owner, fg, controller)
    # the live answers drifted after adoption (e.g. an import); the adopted text wins
    store_answers(assessment, DPIA, {"1": "Afgedreven tekst", "18": None}, actor=owner)
    db.session.commit()
    login(owner)

    act(client, assessment, "start_reassessment")

    answers = answers_of(assessment, DPIA)
    assert answers["1"] == demo_content.DPIA["1"]
    assert answers["18"] == demo_content.DPIA["18"]


def test_withdrawal_needs_a_reason_and_ends_the_discussion(app, client, login):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    login(owner)

    response = client.post_form(url(assessment, "beoordeling/intrekken"), {"reason": " "})
    assert response.status_code == 400
    assert "Geef de reden van intrekking." in text_of(response)
    assert state(assessment) == "in_review"

    response = client.post_form(
        url(assessment, "beoordeling/intrekken"),
        {"reason": "Het project is gestopt."},
        follow_redirects=True,
    )
    page = text_of(response)
    assert "Het assessment is ingetrokken. Het blijft bewaard." in page
    assert "Status Ingetrokken" in page
    assert "Reden van intrekking Het project is gestopt." in page
    assert state(assessment) == "withdrawn"
    reviewer = browser(app, fg)
    assert reviewer.get(url(assessment, "beoordeling/advies")).status_code == 403
    comment = {"new-question_id": "", "new-body": "Nog één ding."}
    assert reviewer.post_form(url(assessment, "opmerkingen/2"), comment).status_code == 403
    assert "Het project is gestopt." in text_of(reviewer.get(url(assessment)))


def text_of_html(html: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    from html import unescape

    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())
