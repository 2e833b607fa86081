"""Notifications: the user's own messages; the beheerder's view of the mail queue."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from pia.extensions import db
from pia.formkit import MAX_PAGE, BaseForm, parse_int
from pia.models import Notification, OutgoingMail
from pia.models.types import utcnow
from pia.permissions import requires_role
from pia.roles import Role
from pia.services import digest, notify

bp = Blueprint("notifications", __name__)

PAGE_SIZE = 50


class ActionForm(BaseForm):
    """A button: nothing but the CSRF token."""


class DigestForm(BaseForm):
    digest = RadioField(
        "E-mail over uw meldingen",
        choices=[
            SelectChoice("direct", "Een e-mail bij elke melding"),
            SelectChoice("dag", "Eén overzicht per dag"),
        ],
        validators=[InputRequired("Kies hoe u e-mail wilt krijgen.")],
    )


@bp.get("/meldingen")
def index():
    """The user's notifications, newest first."""
    page = parse_int(request.args.get("pagina"), high=MAX_PAGE) or 1
    query = select(Notification).where(Notification.user_id == current_user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.order_by(Notification.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "notifications/index.html",
        items=items,
        days=digest.grouped(items),
        day_heading=digest.day_heading,
        today=digest.local_day(utcnow()),
        unread=notify.unread_count(current_user),
        kinds=notify.KINDS,
        form=ActionForm(),
        digest_form=DigestForm(digest="dag" if current_user.mail_digest else "direct"),
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@bp.post("/meldingen/e-mail")
def set_digest():
    """The user's own choice: a mail per notification or one digest a day."""
    form = DigestForm()
    if not form.validate_on_submit():
        flash("Kies hoe u e-mail over uw meldingen wilt krijgen.", "error")
        return redirect(url_for(".index"))
    daily = form.digest.data == "dag"
    digest.set_digest(current_user, daily)
    db.session.commit()
    flash(
        "U krijgt voortaan één overzicht per dag."
        if daily
        else "U krijgt voortaan een e-mail bij elke melding.",
        "success",
    )
    return redirect(url_for(".index"))


@bp.post("/meldingen/<int:notification_id>/openen")
def open_one(notification_id: int):
    """Mark one notification read and go where it points (only ever inside the app)."""
    note = db.get_or_404(Notification, notification_id)
    if note.user_id != current_user.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    notify.mark_read(current_user, note)
    db.session.commit()
    internal = note.link.startswith("/") and not note.link.startswith(("//", "/\\"))
    target = note.link if internal else "/"
    return redirect(target)


@bp.post("/meldingen/gelezen")
def mark_all_read():
    """Mark every notification read."""
    if not ActionForm().validate_on_submit():
        abort(400)
    notify.mark_read(current_user)
    db.session.commit()
    flash("Alle meldingen zijn gelezen.", "success")
    return redirect(url_for(".index"))


@bp.get("/beheer/e-mail")
@requires_role(Role.BEHEERDER)
def mail_queue():
    """Mail that is waiting or failed, with the reason; the beheerder can retry."""
    waiting = db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.sent_at.is_(None))
        .order_by(OutgoingMail.failed.desc(), OutgoingMail.id.desc())
        .limit(200)
    ).all()
    sent = db.session.scalar(
        select(func.count(OutgoingMail.id)).where(OutgoingMail.sent_at.is_not(None))
    )
    return render_template(
        "notifications/mail_queue.html", waiting=waiting, sent=sent, form=ActionForm()
    )


@bp.post("/beheer/e-mail/opnieuw")
@requires_role(Role.BEHEERDER)
def retry_mail():
    """Put every failed message back in the queue and try now."""
    if not ActionForm().validate_on_submit():
        abort(400)
    failed = db.session.scalars(select(OutgoingMail).where(OutgoingMail.failed.is_(True))).all()
    for item in failed:
        notify.retry(item)
    db.session.commit()
    sent, still = notify.dispatch_pending()
    flash(
        f"{sent} bericht(en) verstuurd; {still} mislukt opnieuw.",
        "success" if not still else "error",
    )
    return redirect(url_for(".mail_queue"))
