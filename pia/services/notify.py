"""Notifications in the app, and the e-mail queue behind them.

A notification and its e-mail are written in the transaction of the action that
caused them; the mail is sent after that transaction has committed. A failed send
never undoes the action: the message stays queued, is retried with a growing
pause, and after MAIL_MAX_ATTEMPTS it is marked failed and reported (log, and the
beheerder's mail page).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import func, select, update

from pia import mail
from pia.extensions import db
from pia.models import Assessment, Notification, OutgoingMail, User
from pia.models.types import utcnow

log = logging.getLogger("pia.mail")

KINDS = {
    "submitted": "Ingediend",
    "no_fg": "Geen FG",
    "retracted": "Teruggenomen",
    "claimed": "In behandeling",
    "released": "Teruggegeven",
    "comment": "Opmerking",
    "changes_requested": "Aanpassingen gevraagd",
    "advice_given": "Advies gegeven",
    "offered": "Ter vaststelling",
    "returned": "Teruggestuurd",
    "signed": "Ondertekend",
    "adopted": "Vastgesteld",
    "designated": "Aangewezen",
    "reassessment": "Herbeoordeling",
    "withdrawn": "Ingetrokken",
    "ap_requested": "AP geraadpleegd",
    "deadline_near": "Termijn loopt af",
    "deadline_passed": "Termijn verstreken",
    "reassessment_due": "Herbeoordeling nodig",
    "par_consultation": "Rijksbrede raadpleging",
    "par_position": "Standpunt gegeven",
    "par_consolidation": "Advies in consolidatie",
    "par_offered": "Ter goedkeuring",
    "par_decision": "Besluit vastgelegd",
    "par_established": "Rijksbreed advies vastgesteld",
}

RETRY_MINUTES = (1, 5, 15, 60, 240)
# After a request, send at most this much; the rest waits for the next one or the cron job.
AFTER_REQUEST_LIMIT = 20
AFTER_REQUEST_SECONDS = 15.0


def send(
    users: Iterable[User],
    assessment: Assessment | None,
    kind: str,
    message: str,
    link: str,
    bundle: Bundle | None = None,
) -> list[Notification]:
    """Notify each user (once) in the app, and queue an e-mail to them.

    With `bundle`, a notice of the same kind on the same assessment that the user has not
    read yet and that is younger than NOTIFICATION_BUNDLE_MINUTES takes this one in (one
    notice, one mail, sent when the window has passed) instead of a new one each time.
    A user who chose the daily digest gets no mail per notice (see pia.services.digest).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    made = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not may_receive(user, assessment, kind):
            continue
        seen.add(user.id)
        if bundle is not None and assessment is not None:
            joined = _join_bundle(user, assessment, kind, bundle)
            if joined is not None:
                made.append(joined)
                continue
        note = Notification(
            user_id=user.id,
            assessment_id=assessment.id if assessment else None,
            kind=kind,
            message=message[:500],
            link=link[:300],
        )
        db.session.add(note)
        db.session.flush()
        if current_app.config["MAIL_BACKEND"] != "none" and not user.mail_digest:
            if has_request_context():
                g.mail_queued = True
            db.session.add(
                OutgoingMail(
                    notification_id=note.id,
                    to_address=user.email,
                    subject=_one_line(
                        f"[pia] {KINDS[kind]}: {assessment.title if assessment else ''}"
                    )[:300],
                    body=_body(user, message, link),
                    # a bundled notice's mail waits for the window, so it carries them all
                    next_attempt_at=utcnow() + _window() if bundle else utcnow(),
                )
            )
        made.append(note)
    return made


@dataclass(frozen=True)
class Bundle:
    """How several notices read as one: `message` with {count}, and where it leads."""

    message: str
    link: str


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["NOTIFICATION_BUNDLE_MINUTES"]))


def _join_bundle(
    user: User, assessment: Assessment, kind: str, bundle: Bundle
) -> Notification | None:
    """Add one event to the user's open bundle of this kind on this assessment, if any."""
    note = db.session.scalar(
        select(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.assessment_id == assessment.id,
            Notification.kind == kind,
            Notification.read_at.is_(None),
            Notification.created_at >= utcnow() - _window(),
        )
        .order_by(Notification.id.desc())
        .limit(1)
    )
    if note is None:
        return None
    note.bundled += 1
    note.message = bundle.message.format(count=note.bundled)[:500]
    note.link = bundle.link[:300]
    waiting = db.session.scalar(
        select(OutgoingMail).where(
            OutgoingMail.notification_id == note.id, OutgoingMail.sent_at.is_(None)
        )
    )
    if waiting is not None:
        waiting.body = _body(user, note.message, note.link)
    return note


def queue_account_mail(user: User, subject: str, body: str) -> OutgoingMail:
    """Queue a mail about the account itself (a password link, a role change) to `user`.

    It has no notification in the app, and its body is erased once it has been sent: it
    may hold a one-time link, which nobody but the recipient should ever read.
    """
    if has_request_context():
        g.mail_queued = True
    item = OutgoingMail(
        notification_id=None,
        to_address=user.email,
        subject=_one_line(subject)[:300],
        body=f"Beste {user.name},\n\n{body}\n",
    )
    db.session.add(item)
    return item


def absolute(path: str) -> str:
    """An address in the app as users reach it (BASE_URL), for a link in a mail."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + path


ERASED_BODY = ""
"""What an account mail's body becomes once it has been sent."""


def may_receive(user: User, assessment: Assessment | None, kind: str) -> bool:
    """An active account; a comment's notice only for who may (still) read the comments.

    Asked when the notice is queued and again when its e-mail is sent: access revoked in
    between (a co-editor taken off the assessment) stops the mail.
    """
    if not user.active:
        return False
    if assessment is None or kind != "comment":
        return True
    from pia.services.review.people import may_read_comments

    return may_read_comments(user, assessment)


def _still_addressed(item: OutgoingMail) -> bool:
    """The recipient of a queued mail may still receive it (see may_receive)."""
    note = db.session.get(Notification, item.notification_id) if item.notification_id else None
    if note is None:
        return True
    user = db.session.get(User, note.user_id)
    assessment = db.session.get(Assessment, note.assessment_id) if note.assessment_id else None
    return user is not None and may_receive(user, assessment, note.kind)


def _one_line(text: str) -> str:
    """A header value: no line breaks or control characters, whatever a title holds."""
    return " ".join(_CONTROL.sub(" ", text).split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _body(user: User, message: str, link: str) -> str:
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return (
        f"Beste {user.name},\n\n{message}\n\nBekijk het in pia: {base}{link}\n\n"
        "U krijgt dit bericht omdat u bij dit assessment betrokken bent. "
        "Al uw meldingen staan ook in pia onder ‘Meldingen’.\n"
    )


def unread_count(user: User) -> int:
    """How many notifications the user has not opened yet."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user: User, note: Notification | None = None) -> None:
    """Mark one notification (or all of the user's) as read."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if note is not None:
        query = query.where(Notification.id == note.id)
    db.session.execute(query.values(read_at=utcnow()))


LEASE = timedelta(minutes=10)
"""A sender claims a message for this long; if it dies mid-send, the message is retried."""


def dispatch_pending(limit: int = 100, seconds: float | None = None) -> tuple[int, int]:
    """Try to send queued mail that is due; return (sent, failed this time).

    Each message is claimed first (a conditional update), so two senders at once (two
    requests, or a request and `flask send-mail`) never send the same message twice.
    `seconds` caps the time spent, so an unreachable mail server cannot hold a worker.
    """
    config = current_app.config
    max_attempts = int(config["MAIL_MAX_ATTEMPTS"])
    if config["MAIL_BACKEND"] == "folder" and not config.get("MAIL_FOLDER"):
        config["MAIL_FOLDER"] = f"{current_app.instance_path}/mail"
    stop_at = time.monotonic() + seconds if seconds is not None else None
    due = db.session.scalars(
        select(OutgoingMail.id)
        .where(
            OutgoingMail.sent_at.is_(None),
            OutgoingMail.failed.is_(False),
            OutgoingMail.next_attempt_at <= utcnow(),
        )
        .order_by(OutgoingMail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for mail_id in due:
        if stop_at is not None and time.monotonic() > stop_at:
            break
        item = _claim(mail_id)
        if item is None:
            continue  # another sender has it
        if not _still_addressed(item):
            item.failed = True
            item.last_error = (
                "Niet verstuurd: de ontvanger mag dit assessment (of de opmerkingen erbij) "
                "niet meer inzien."
            )
            log.info("E-mail %s aan %s niet verstuurd: geen toegang meer", item.id, item.to_address)
            db.session.commit()
            continue
        try:
            mail.send(config, mail.Message(item.to_address, item.subject, item.body))
        except (mail.MailError, ValueError) as exc:
            failed += 1
            _failed(item, str(exc), max_attempts)
        else:
            sent += 1
            item.sent_at = utcnow()
            if item.notification_id is None:
                item.body = ERASED_BODY  # an account mail: its link is the recipient's alone
        db.session.commit()
    return sent, failed


def _claim(mail_id: int) -> OutgoingMail | None:
    """Take one due message for this sender (one attempt more), or None if taken."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.id == mail_id,
            OutgoingMail.sent_at.is_(None),
            OutgoingMail.failed.is_(False),
            OutgoingMail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE, attempts=OutgoingMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    item = db.session.get(OutgoingMail, mail_id)
    db.session.refresh(item)
    return item


def _failed(item: OutgoingMail, reason: str, max_attempts: int) -> None:
    """Record a failed attempt: retry after a growing pause, or give up and report."""
    item.last_error = reason[:500]
    if item.attempts >= max_attempts:
        item.failed = True
        # Metadata only: the message's id, never its address, subject or body.
        log.error(
            "E-mail %s definitief niet verstuurd na %s pogingen: %s",
            item.id,
            item.attempts,
            item.last_error,
        )
        return
    pause = RETRY_MINUTES[min(item.attempts - 1, len(RETRY_MINUTES) - 1)]
    item.next_attempt_at = utcnow() + timedelta(minutes=pause)
    log.warning(
        "E-mail %s niet verstuurd (poging %s), nieuwe poging over %s min: %s",
        item.id,
        item.attempts,
        pause,
        item.last_error,
    )


def retry(item: OutgoingMail) -> None:
    """Put a failed message back in the queue (the beheerder's retry button)."""
    item.failed, item.attempts, item.next_attempt_at = False, 0, utcnow()


def after_commit_dispatch(response):
    """Send what was queued once the response is out, so the user does not wait for SMTP."""
    if has_request_context() and g.get("mail_queued"):
        app = current_app._get_current_object()

        def _send() -> None:
            with app.app_context():
                try:
                    dispatch_pending(limit=AFTER_REQUEST_LIMIT, seconds=AFTER_REQUEST_SECONDS)
                except Exception:  # noqa: BLE001 - mail trouble must never reach the user
                    log.exception("Versturen van de e-mailwachtrij mislukt")
                    db.session.rollback()

        response.call_on_close(_send)
    return response


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Deadline notices: the FG's term approaching and passed; re-assessments due.

    Each notice is sent once per submission (or per due date); run daily (cron).
    """
    from pia.models import Review
    from pia.services import review
    from workflows import departmental, terms

    today = today or review.today()
    warn_days = int(current_app.config["DEADLINE_WARNING_DAYS"])
    counts = {"deadline_near": 0, "deadline_passed": 0, "reassessment_due": 0}
    open_reviews = db.session.scalars(select(Review).where(Review.outcome.is_(None))).all()
    for item in open_reviews:
        assessment = db.session.get(Assessment, item.assessment_id)
        fgs = [item.claimed_by] if item.claimed_by else review.organisation_fgs(assessment)
        link = f"/assessments/{assessment.id}/beoordeling"
        due = terms.dutch_date(item.due_on)
        if terms.is_overdue(item.due_on, today) and item.overdue_notified_at is None:
            send(
                fgs + review.authors(assessment),
                assessment,
                "deadline_passed",
                f"De termijn voor het FG-advies over “{assessment.title}” is verstreken ({due}).",
                link,
            )
            item.overdue_notified_at = utcnow()
            counts["deadline_passed"] += 1
        elif (
            not terms.is_overdue(item.due_on, today)
            and terms.days_left(item.due_on, today) <= warn_days
            and item.warned_at is None
        ):
            send(
                fgs,
                assessment,
                "deadline_near",
                f"Het FG-advies over “{assessment.title}” moet uiterlijk {due} klaar zijn.",
                link,
            )
            item.warned_at = utcnow()
            counts["deadline_near"] += 1
    due_assessments = db.session.scalars(
        select(Assessment).where(
            Assessment.state.in_(departmental.FINAL.values),
            Assessment.review_due_on.is_not(None),
            Assessment.review_due_on <= today + timedelta(days=30),
        )
    ).all()
    for assessment in due_assessments:
        already = db.session.scalar(
            select(Notification.id).where(
                Notification.assessment_id == assessment.id,
                Notification.kind == "reassessment_due",
                Notification.message.contains(terms.dutch_date(assessment.review_due_on)),
            )
        )
        if already:
            continue
        send(
            review.authors(assessment) + review.controller_users(assessment),
            assessment,
            "reassessment_due",
            f"“{assessment.title}” moet uiterlijk {terms.dutch_date(assessment.review_due_on)} "
            "opnieuw worden beoordeeld.",
            f"/assessments/{assessment.id}/beoordeling",
        )
        counts["reassessment_due"] += 1
    from pia.services.par.reminders import send_par_reminders

    counts.update(send_par_reminders(today, warn_days))
    return counts
