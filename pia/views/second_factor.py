"""The second factor: the code step of a password login, and setting up TOTP."""

import time

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_login import current_user, login_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import User
from pia.services import audit, auth, second_factor
from pia.views.auth import safe_next

bp = Blueprint("second_factor", __name__)

PENDING = "mfa_pending"


class CodeForm(BaseForm):
    code = StringField(
        "Code",
        description="De zes cijfers uit uw authenticator-app, of een van uw herstelcodes.",
        validators=[DataRequired("Vul de code in."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class SetUpForm(BaseForm):
    code = StringField(
        "Code uit de app",
        description="Scan de QR-code met uw app en vul de zes cijfers in die de app laat zien.",
        validators=[DataRequired("Vul de code uit de app in."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def start_pending(user: User, next_path: str) -> None:
    """The password was right; the code comes next. Kept in the signed cookie, briefly."""
    session.clear()
    session[PENDING] = {"user": user.id, "at": int(time.time()), "next": next_path}


def _pending_user() -> tuple[User | None, str]:
    from flask import current_app

    data = session.get(PENDING)
    if not isinstance(data, dict):
        return None, ""
    minutes = float(current_app.config["MFA_PENDING_MINUTES"])
    if time.time() - float(data.get("at", 0)) > minutes * 60:
        return None, ""
    user = db.session.get(User, int(data.get("user", 0)))
    if user is None or not user.active:
        return None, ""
    return user, str(data.get("next") or "")


@bp.route("/inloggen/code", methods=["GET", "POST"])
def verify():
    """The second step of a password login: a code from the app or a recovery code."""
    user, next_path = _pending_user()
    factor = second_factor.confirmed(user) if user else None
    if factor is None:
        session.pop(PENDING, None)
        flash("Log opnieuw in: de tijd voor de code is voorbij.", "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            kind = second_factor.check_code(user, form.code.data, factor, "login")
        except second_factor.CodeRefused as exc:
            db.session.commit()  # the failure counts towards the throttle
            form.add_error("code", str(exc))
            status = 429 if exc.until else 200
        else:
            session.clear()
            session["sid"] = auth.start_session(user, second_factor=True)
            login_user(user)
            audit.record(
                "login.second_factor",
                actor=user,
                object_type="user",
                object_id=user.id,
                summary=f"{user.name} is ingelogd met "
                + ("een herstelcode" if kind == "recovery" else "een code uit de app"),
                details={"kind": kind},
            )
            db.session.commit()
            if kind == "recovery":
                left = second_factor.remaining_recovery_codes(user)
                flash(
                    f"U bent ingelogd met een herstelcode. U heeft er nog {left} over; maak "
                    "nieuwe codes als u er bijna geen meer heeft.",
                    "warning",
                )
            return redirect(safe_next(next_path))
        form.code.data = ""
    return render_template("auth/second_factor.html", form=form), status


@bp.get("/account/tweestapsverificatie")
def index():
    """The state of one's own second factor, with what one can do about it."""
    return render_template(
        "account/second_factor.html",
        factor=second_factor.confirmed(current_user),
        required=second_factor.is_required(current_user),
        remaining=second_factor.remaining_recovery_codes(current_user),
        codes_form=CodeForm(prefix="codes"),
        off_form=CodeForm(prefix="off"),
        sso=_session_method() == "oidc",
    )


def _session_method() -> str:
    sess = g.get("pia_session")
    return sess.method if sess else ""


@bp.route("/account/tweestapsverificatie/instellen", methods=["GET", "POST"])
def enrol():
    """Set up an authenticator app: a QR code made here, then one code to confirm it."""
    if second_factor.confirmed(current_user):
        flash("Tweestapsverificatie is al ingesteld.", "info")
        return redirect(url_for(".index"))
    setup = second_factor.enrolment(current_user)
    form = SetUpForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm(current_user, form.code.data)
        except second_factor.CodeRefused as exc:
            db.session.commit()
            form.add_error("code", str(exc))
            form.code.data = ""
            return render_template("account/second_factor_setup.html", form=form, setup=setup), (
                429 if exc.until else 200
            )
        auth.mark_second_factor(session.get("sid"))
        db.session.commit()
        return render_template("account/recovery_codes.html", codes=codes, new=True)
    db.session.commit()  # the secret waits for its confirmation
    return render_template("account/second_factor_setup.html", form=form, setup=setup)


@bp.post("/account/tweestapsverificatie/herstelcodes")
def recovery_codes():
    """New recovery codes after a current code; shown once."""
    form = CodeForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = second_factor.replace_recovery_codes(current_user, form.code.data)
        except second_factor.CodeRefused as exc:
            db.session.commit()
            flash(str(exc), "error")
        else:
            db.session.commit()
            return render_template("account/recovery_codes.html", codes=codes, new=False)
    else:
        flash("Vul een code uit uw app in om nieuwe herstelcodes te maken.", "error")
    return redirect(url_for(".index"))


@bp.post("/account/tweestapsverificatie/uitzetten")
def switch_off():
    """Switch the second factor off (only where the role does not require it)."""
    form = CodeForm(prefix="off")
    if form.validate_on_submit():
        try:
            second_factor.switch_off(current_user, form.code.data)
        except second_factor.CodeRefused as exc:
            db.session.commit()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Tweestapsverificatie staat uit.", "success")
    else:
        flash("Vul een code uit uw app in om tweestapsverificatie uit te zetten.", "error")
    return redirect(url_for(".index"))
