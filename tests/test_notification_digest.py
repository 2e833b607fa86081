"""Notifications people can keep up with: a quiet fresh demo, remarks bundled, the list
grouped per day and assessment, and a daily digest mail as a personal setting."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pia.demo import DEMO_USERS, seed_demo
from pia.extensions import db
from pia.models import Notification, OutgoingMail, User
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import notify
from pia.services.digest import send_digests
from tests.conftest import make_user, text_of
from tests.test_review_procedure import acting, browser, claimed, people, review


def _notes(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def _mails(user) -> list[OutgoingMail]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.to_address == user.email)
            .order_by(OutgoingMail.id)
        )
    )


def _remarks(app, assessment, fg, *bodies):
    for body in bodies:
        with acting(app):
            review.add_comment(assessment, fg, "2", "2", body)


@pytest.mark.demo
def test_a_fresh_demo_has_only_a_few_unread_notifications_per_user(app):
    seed_demo()
    db.session.commit()
    for email, *_ in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        assert notify.unread_count(user) <= 3, f"{email}: {notify.unread_count(user)} unread"
    total = db.session.scalar(select(func.count(Notification.id)))
    assert total > 30, "the history is kept, only marked read"


def test_remarks_in_a_short_window_become_one_notice_and_one_mail(app):
    owner, fg = people()
    assessment = claimed(app, owner, fg)
    before = len(_notes(owner))
    mails_before = len(_mails(owner))

    _remarks(app, assessment, fg, "Eén.", "Twee.", "Drie.")

    notes = [n for n in _notes(owner)[before:] if n.kind == "comment"]
    assert len(notes) == 1
    assert notes[0].bundled == 3
    assert notes[0].message.startswith("3 nieuwe opmerkingen bij “")
    assert notes[0].link == f"/assessments/{assessment.id}/opmerkingen"
    mails = _mails(owner)[mails_before:]
    assert len(mails) == 1, "one mail for the three remarks"
    assert "3 nieuwe opmerkingen" in mails[0].body
    # not sent at once: it waits until the window has passed, so it carries them all
    notify.dispatch_pending()
    db.session.expire_all()
    assert mails[0].sent_at is None
    mails[0].next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    notify.dispatch_pending()
    db.session.expire_all()
    assert mails[0].sent_at is not None

    # once read (or after the window), the next remark starts a new notice
    notify.mark_read(owner)
    db.session.commit()
    _remarks(app, assessment, fg, "Vier.")
    comments = [n for n in _notes(owner)[before:] if n.kind == "comment"]
    assert [n.bundled for n in comments] == [3, 1]


def test_the_list_is_grouped_per_day_and_per_assessment(app):
    owner, fg = people()
    first = claimed(app, owner, fg)
    second = claimed(app, owner, fg)
    second.title = "Tweede verwerking"
    db.session.commit()
    _remarks(app, first, fg, "Eén.")
    _remarks(app, second, fg, "Twee.")
    old = _notes(owner)[0]
    old.created_at = utcnow() - timedelta(days=3)
    db.session.commit()

    page = browser(app, owner).get("/meldingen")
    html = page.get_data(as_text=True)
    days = re.findall(r'<h2 class="notification-day__title"[^>]*>([^<]+)</h2>', html)
    assert days[0] == "Vandaag" and len(days) == 2
    assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4}", days[1]), days[1]
    groups = re.findall(r'data-group="([^"]+)"', html)
    assert groups.count("Tweede verwerking") == 1
    # compact: one line per notice, the time only (the day is the heading)
    assert re.search(r"notification__time[^>]*>\d\d:\d\d<", html)


def test_a_user_chooses_a_daily_digest_and_gets_one_mail_a_day(app):
    owner, fg = people()
    colleague = make_user(Role.PROJECTLEIDER, name="Carla Collega")
    assessment = claimed(app, owner, fg)
    drafter = browser(app, owner)

    chosen = drafter.post_form("/meldingen/e-mail", {"digest": "dag"})
    assert chosen.status_code == 302
    assert "Eén overzicht per dag" in text_of(drafter.get("/meldingen"))
    db.session.expire_all()
    assert db.session.get(User, owner.id).mail_digest is True
    mails_before = len(_mails(owner))

    _remarks(app, assessment, fg, "Eén.")
    with acting(app):
        review.request_changes(assessment, fg, "Graag aanpassen.")
    assert len(_mails(owner)) == mails_before, "no mail per notice"
    assert len([n for n in _notes(owner) if n.read_at is None]) >= 2, "the app still shows them"

    result = app.test_cli_runner().invoke(args=["send-digest"])
    assert result.exit_code == 0, result.output
    assert "Dagoverzichten: 1" in result.output
    digest = _mails(owner)[mails_before:]
    assert len(digest) == 1
    assert digest[0].subject.startswith("[pia] Uw meldingen van ")
    assert assessment.title in digest[0].body
    assert "De FG vraagt aanpassingen" in digest[0].body

    # the same day: nothing more, even with news
    _remarks(app, assessment, owner, "Antwoord.")
    again = app.test_cli_runner().invoke(args=["send-digest"])
    assert "Dagoverzichten: 0" in again.output
    assert len(_mails(owner)) == mails_before + 1
    # the next day: the news since the last digest
    with acting(app):
        notify.send([owner], assessment, "advice_given", "Nieuws van vandaag.", "/")
    with acting(app):
        assert send_digests(utcnow() + timedelta(days=1)) == 1
    # a user who did not choose it gets no digest
    assert _mails(colleague) == []

    back = drafter.post_form("/meldingen/e-mail", {"digest": "direct"})
    assert back.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, owner.id).mail_digest is False
