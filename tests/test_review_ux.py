"""Reviewing as people do it: reading the submitted DPIA, remarks beside their questions,
confirmations with open remarks, versions named the same everywhere, a resubmission that
stays with its FG."""

import re

from pia.extensions import db
from pia.models import Notification
from pia.roles import Role
from pia.services import documents, review
from tests.conftest import make_user, text_of
from tests.test_review_procedure import (
    REASONING,
    REC_LOGGING,
    acting,
    advised,
    browser,
    claimed,
    offered,
    people,
    procedure,
    respond,
    sign_form,
    state,
    url,
)


def _remark(app, assessment, fg, section="2", question="2", body="Is het IBAN nodig?"):
    with acting(app):
        return review.add_comment(assessment, fg, section, question, body)


def _send_back(app, assessment, fg):
    with acting(app):
        review.request_changes(assessment, fg, "Zie de opmerkingen.")


def test_the_fg_reads_the_submitted_version_from_the_review_page(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    fg_browser = browser(app, fg)

    page = procedure(fg_browser, assessment)
    html = page.get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-read-dpia>([^<]+)</a>', html)
    assert link is not None, "the review page links to the DPIA the FG must read"
    assert link.group(2) == "De ingediende DPIA lezen (versie 1)"

    version_page = fg_browser.get(link.group(1))
    assert version_page.status_code == 200
    text = text_of(version_page)
    assert "versie 1" in text and "Deze versie verandert niet meer." in text
    # the frozen answers, section by section, each with a way to its remarks
    frozen = review.version(assessment, 1).dpia
    assert frozen["1"][:40] in text
    assert f"/assessments/{assessment.id}/opmerkingen/2" in version_page.get_data(as_text=True)


def test_each_remark_on_the_comments_page_links_to_its_question(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    remark = _remark(app, assessment, fg)
    whole = _remark(app, assessment, fg, section="9", question=None, body="Bewaartermijn?")
    page = browser(app, fg).get(url(assessment, "opmerkingen"))
    html = page.get_data(as_text=True)

    links = dict(re.findall(r'<a href="([^"]+)" data-comment-link>([^<]+)</a>', html))
    assert links[f"/assessments/{assessment.id}/opmerkingen/2#antwoord-2"] == (
        "Bij vraag 2: ‘Persoonsgegevens’"
    )
    assert links[f"/assessments/{assessment.id}/opmerkingen/9#answers-title"] == (
        "Bij het hele onderdeel 9"
    )
    # the anchor exists on the section's comments page
    section_page = browser(app, fg).get(url(assessment, "opmerkingen/2")).get_data(as_text=True)
    assert 'id="antwoord-2"' in section_page
    assert remark.id and whole.id


def test_drafters_see_open_remarks_beside_the_question_and_reply_and_resolve_there(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    remark = _remark(app, assessment, fg)
    _send_back(app, assessment, fg)
    drafter = browser(app, owner)
    section_url = f"/assessments/{assessment.id}/dpia/2"

    page = drafter.get(section_url)
    html = page.get_data(as_text=True)
    beside = re.search(rf'<aside [^>]*data-inline-comment="{remark.id}".*?</aside>', html, re.S)
    assert beside is not None, "the remark is on the section page itself"
    assert "Is het IBAN nodig?" in beside.group(0)
    assert "Open opmerking bij vraag 2: ‘Persoonsgegevens’" in text_of(page)
    # after the table of question 2, not at the top of the page
    assert html.index('id="q_2"') < html.index(f'data-inline-comment="{remark.id}"')

    answered = drafter.post_form(
        f"/assessments/{assessment.id}/opmerkingen/2",
        {
            "reply-parent_id": str(remark.id),
            "reply-body": "Alleen bij toekenning.",
            "terug": "onderdeel",
        },
    )
    assert answered.status_code == 302
    assert answered.headers["Location"].endswith(f"/dpia/2#c{remark.id}")
    assert "Alleen bij toekenning." in text_of(drafter.get(section_url))

    resolved = drafter.post_form(
        f"/assessments/{assessment.id}/opmerkingen/{remark.id}/afhandelen",
        {"resolved": "1", "terug": "onderdeel"},
    )
    assert resolved.headers["Location"].endswith(f"/dpia/2#c{remark.id}")
    after = drafter.get(section_url).get_data(as_text=True)
    assert "data-inline-comment" not in after
    assert review.open_comment_counts(assessment) == {}


def test_advice_with_open_remarks_asks_for_confirmation(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    _remark(app, assessment, fg)
    fg_browser = browser(app, fg)
    advice = {"conclusion": "positive", "reasoning": REASONING}

    refused = fg_browser.post_form(url(assessment, "beoordeling/advies"), advice)
    assert refused.status_code == 400
    assert "Er staat nog 1 open opmerking. Bevestig dat u toch doorgaat" in text_of(refused)
    assert state(assessment) == "in_review"
    assert REASONING in text_of(refused), "what was typed stays"

    confirmed = fg_browser.post_form(
        url(assessment, "beoordeling/advies"), {**advice, "confirm_open_remarks": "y"}
    )
    assert confirmed.status_code == 302
    assert state(assessment) == "advice_given"


def test_adoption_with_open_remarks_asks_for_confirmation(app):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    _remark(app, assessment, owner, body="Nog na te lopen met de FG.")
    offered(app, assessment, owner, controller)
    signer = browser(app, controller)

    refused = signer.post_form(url(assessment, "beoordeling/ondertekenen"), sign_form(assessment))
    assert refused.status_code == 400
    assert "Er staat nog 1 open opmerking" in text_of(refused)
    assert state(assessment) == "awaiting_adoption"

    signed = signer.post_form(
        url(assessment, "beoordeling/ondertekenen"),
        sign_form(assessment, confirm_open_remarks="y"),
    )
    assert signed.status_code == 302
    assert state(assessment) == "adopted"


def test_the_review_page_names_both_the_submitted_and_the_newest_version(app):
    owner, fg = people()
    controller = make_user(Role.PROJECTLEIDER, name="Karin Bestuur")
    assessment = advised(app, owner, fg, recommendations=[REC_LOGGING])
    respond(app, assessment, owner, ("adopted", ""))
    offered(app, assessment, owner, controller)  # freezes version 2, the processed one

    text = text_of(procedure(browser(app, controller), assessment))
    assert "Ingediend bij de FG Versie 1," in text
    assert "Nieuwste versie Versie 2 — Advies verwerkt, ter vaststelling" in text
    sign_page = text_of(browser(app, controller).get(url(assessment, "beoordeling/ondertekenen")))
    assert "U stelt versie 2 van" in sign_page
    assert "Laatste indiening" not in text


def test_the_fg_advice_file_carries_the_number_of_the_version_advised_on(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    _remark(app, assessment, fg)
    _send_back(app, assessment, fg)
    with acting(app):
        review.submit(assessment, owner)  # version 2
        advice = review.give_advice(
            assessment, fg, review.AdviceInput("positive", REASONING, {}, [])
        )
    with acting(app):
        document = documents.generate_advice(assessment, advice, actor=fg)
    assert advice.version.number == 2
    assert document.filename.endswith("-v2.docx"), document.filename


def test_a_resubmission_stays_with_the_fg_of_the_previous_round(app):
    owner, fg = people()
    colleague = make_user(Role.FG, name="Frank Collega")
    assessment = claimed(app, owner, fg)
    _remark(app, assessment, fg)
    _send_back(app, assessment, fg)

    with acting(app):
        review.submit(assessment, owner)

    assert state(assessment) == "in_review"
    assert review.current_review(assessment).claimed_by_id == fg.id
    db.session.expire_all()
    told = {
        n.user_id: n.message
        for n in db.session.scalars(
            db.select(Notification).where(Notification.assessment_id == assessment.id)
        )
        if "opnieuw ingediend" in n.message
    }
    assert "staat meteen bij u" in told[fg.id]
    assert "blijft bij Fenna Gerritsen" in told[colleague.id]
    # the FG can give advice at once, without claiming it again
    page = procedure(browser(app, fg), assessment).get_data(as_text=True)
    assert 'data-action="give_advice"' in page and 'data-action="claim"' not in page
