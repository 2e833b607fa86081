"""Notifications read together: the list grouped per day and per assessment, the daily
digest mail for who chose it instead of a mail per notice, the setting itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, Notification, OutgoingMail, User
from pia.models.types import utcnow
from pia.services import audit
from pia.services.notify import KINDS, _one_line, may_receive
from pia.templating import AMSTERDAM, local_datetime


@dataclass
class AssessmentGroup:
    """The notices of one day about one assessment (or about none)."""

    title: str
    key: int | None = None
    items: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)


@dataclass
class DayGroup:
    day: date
    groups: list[AssessmentGroup] = field(default_factory=list)


def local_day(moment: datetime) -> date:
    """The day in Amsterdam on which something happened."""
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).date()


def grouped(items: list[Notification]) -> list[DayGroup]:
    """Newest day first; within a day one group per assessment, in order of the newest."""
    days: dict[date, DayGroup] = {}
    for note in items:
        day = days.setdefault(local_day(note.created_at), DayGroup(local_day(note.created_at)))
        title = note.assessment.title if note.assessment else "Algemeen"
        group = next((grp for grp in day.groups if grp.key == note.assessment_id), None)
        if group is None:
            group = AssessmentGroup(title, note.assessment_id)
            day.groups.append(group)
        group.items.append(note)
    return list(days.values())


def day_heading(day: date, today: date) -> str:
    """'Vandaag', 'Gisteren', or the date in words."""
    if day == today:
        return "Vandaag"
    if day == today - timedelta(days=1):
        return "Gisteren"
    return local_datetime(datetime(day.year, day.month, day.day, 12), with_time=False)


def set_digest(user: User, daily: bool) -> None:
    """The user's choice: a daily digest mail, or a mail per notice."""
    if user.mail_digest == daily:
        return
    user.mail_digest = daily
    audit.record(
        "account.mail_digest",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary="Meldingen per e-mail: "
        + ("één overzicht per dag" if daily else "een e-mail per melding"),
    )


def send_digests(now: datetime | None = None) -> int:
    """Queue one digest mail per user who chose it and has news; at most once a day.

    Returns the number of digests queued. Run daily (cron), after `send-reminders`.
    """
    now = now or utcnow()
    today = local_day(now)
    users = db.session.scalars(
        select(User).where(User.mail_digest.is_(True), User.active.is_(True)).order_by(User.id)
    ).all()
    queued = 0
    for user in users:
        if user.digest_sent_at is not None and local_day(user.digest_sent_at) >= today:
            continue  # already today
        since = user.digest_sent_at or now - timedelta(days=1)
        notes = [
            n
            for n in db.session.scalars(
                select(Notification)
                .where(
                    Notification.user_id == user.id,
                    Notification.created_at > since,
                    Notification.created_at <= now,
                )
                .order_by(Notification.id)
            )
            if may_receive(user, n.assessment, n.kind)
        ]
        user.digest_sent_at = now
        if not notes or current_app.config["MAIL_BACKEND"] == "none":
            continue
        if has_request_context():
            g.mail_queued = True
        db.session.add(
            OutgoingMail(
                # tied to the newest notice: kept like any notice's mail, not erased as an
                # account mail (with a one-time link) is
                notification_id=notes[-1].id,
                to_address=user.email,
                subject=_one_line(f"[pia] Uw meldingen van {local_datetime(now, with_time=False)}")[
                    :300
                ],
                body=_digest_body(user, notes),
            )
        )
        queued += 1
    return queued


def _digest_body(user: User, notes: list[Notification]) -> str:
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    lines = [f"Beste {user.name},", "", "Dit gebeurde sinds uw vorige overzicht in pia.", ""]
    by_assessment: dict[int | None, list[Notification]] = {}
    for note in notes:
        by_assessment.setdefault(note.assessment_id, []).append(note)
    for assessment_id, group in by_assessment.items():
        assessment = db.session.get(Assessment, assessment_id) if assessment_id else None
        lines.append(assessment.title if assessment else "Algemeen")
        for note in group:
            lines.append(f"- {KINDS.get(note.kind, 'Melding')}: {note.message}")
        lines.append(f"  Bekijken: {base}{group[-1].link}")
        lines.append("")
    lines.append(
        "U krijgt één overzicht per dag omdat u dat onder ‘Meldingen’ heeft gekozen; daar "
        "kunt u ook weer een e-mail per melding kiezen."
    )
    return "\n".join(lines) + "\n"
