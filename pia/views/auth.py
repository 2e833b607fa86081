"""Logging in, logging out and changing one's own password."""

from math import ceil
from urllib.parse import urljoin, urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from pia.extensions import db
from pia.formkit import BaseForm
from pia.mail import parse_bool
from pia.models.types import utcnow
from pia.services import accounts, auth, password_links

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = (
    "Het e-mailadres of het wachtwoord klopt niet. Controleer beide en probeer het opnieuw."
)


class LoginForm(BaseForm):
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Huidig wachtwoord",
        validators=[DataRequired("Vul uw huidige wachtwoord in.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Een zin van een paar losse woorden werkt goed.",
        validators=[DataRequired("Vul een nieuw wachtwoord in.")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[DataRequired("Herhaal het nieuwe wachtwoord.")],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(BaseForm):
    new_password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Een zin van een paar losse woorden werkt goed.",
        validators=[DataRequired("Vul een nieuw wachtwoord in."), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[DataRequired("Herhaal het nieuwe wachtwoord.")],
        render_kw={"autocomplete": "new-password"},
    )


def _minutes_until(until) -> int:
    return max(1, ceil((until - utcnow()).total_seconds() / 60))


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the dashboard.

    Browsers read a backslash as a slash and drop tabs and line breaks, so "/\\evil",
    "/\t/evil" and "\\/evil" would leave the site: the target is normalised the way a
    browser does it, resolved against the app's own address, and must stay on its host.
    """
    fallback = url_for("dashboard.index")
    if not target or len(target) > 2000:
        return fallback
    cleaned = "".join(c for c in target if c >= " " and c != "\x7f").replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return fallback
    own = urlsplit(request.host_url)
    resolved = urlsplit(urljoin(request.host_url, cleaned))
    if (resolved.scheme, resolved.netloc) != (own.scheme, own.netloc):
        return fallback
    path = resolved.path or "/"
    if path.startswith("//"):
        return fallback
    return path + (f"?{resolved.query}" if resolved.query else "")


def _login_page(form: LoginForm | None):
    from pia.services import oidc_providers
    from pia.views.sso import StartForm

    return render_template(
        "auth/login.html",
        form=form,
        providers=list(oidc_providers.providers().values()),
        start_form=StartForm(),
        next=request.args.get("next"),
    )


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password (and a code, when set up), or choose a provider."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if not parse_bool(current_app.config.get("PASSWORD_LOGIN"), default=True):
        return _login_page(None), 200 if request.method == "GET" else 400
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = auth.attempt_login(form.email.data, form.password.data)
        if result.ok:
            from pia.services import second_factor
            from pia.views import second_factor as second_step

            target = safe_next(request.args.get("next"))
            if second_factor.confirmed(result.user):
                second_step.start_pending(result.user, target)
                db.session.commit()
                return redirect(url_for("second_factor.verify"))
            session.clear()  # a fresh session: the identifier changes at login
            session["sid"] = auth.start_session(result.user)
            login_user(result.user)
            db.session.commit()
            return redirect(target)
        db.session.commit()
        if result.throttled_until:
            minutes = _minutes_until(result.throttled_until)
            form.form_errors.append(
                "Er zijn te veel mislukte inlogpogingen gedaan. Om uw account te beschermen kunt "
                f"u het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw proberen."
            )
            status = 429
        else:
            form.form_errors.append(GENERIC_FAILURE)
        form.password.data = ""
    html = _login_page(form)
    if status == 429:
        retry = max(60, int((result.throttled_until - utcnow()).total_seconds()))
        return html, 429, {"Retry-After": str(retry)}
    return html


@bp.post("/uitloggen")
def logout():
    """Log out and end the session on the server."""
    provider, id_token = auth.end_session(session.get("sid"), current_user)
    logout_user()
    session.clear()
    db.session.commit()
    flash("U bent uitgelogd.", "success")
    if provider:
        from pia.services import oidc, oidc_providers

        # RP-initiated logout: the provider ends its session too, then sends the browser
        # back to the login page.
        after = oidc_providers.absolute(url_for("auth.login"))
        elsewhere = oidc.logout_url(provider, id_token, after)
        if elsewhere:
            return redirect(elsewhere)
    return redirect(url_for("auth.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
def change_password():
    """Change one's own password; the current one is checked and throttled like a login."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        if form.new_password.data != form.confirm_password.data:
            form.add_error("confirm_password", "De twee nieuwe wachtwoorden zijn niet gelijk.")
        else:
            try:
                accounts.change_own_password(
                    current_user, form.current_password.data, form.new_password.data
                )
            except accounts.PasswordCheckThrottled as exc:
                db.session.commit()  # the refusal is audited
                minutes = _minutes_until(exc.until)
                form.form_errors.append(
                    "Er zijn te veel onjuiste wachtwoorden ingevuld. U kunt het over "
                    f"{minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw proberen."
                )
                status = 429
            except accounts.AccountError as exc:
                db.session.commit()  # the password check counts towards the throttle
                form.add_error(exc.field, str(exc))
            else:
                # Whoever else holds a session (a stolen one?) is logged out; this one stays.
                auth.end_all_sessions(current_user, "password_changed", session.get("sid"))
                db.session.commit()
                flash("Uw wachtwoord is gewijzigd.", "success")
                return redirect(url_for("dashboard.index"))
    return render_template("auth/change_password.html", form=form), status


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a password through a one-time link from a mail (new account or reset).

    Public: whoever holds the link is the account's owner for this purpose. Opening the
    page does not use the link (mail scanners open links too); saving a password does.
    """
    try:
        link = password_links.open_link(token[:100])
    except password_links.LinkError as exc:
        return render_template("auth/set_password.html", form=None, problem=str(exc)), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        if form.new_password.data != form.confirm_password.data:
            form.add_error("confirm_password", "De twee nieuwe wachtwoorden zijn niet gelijk.")
        else:
            try:
                password_links.use_link(token[:100], form.new_password.data)
            except password_links.LinkError as exc:
                return render_template("auth/set_password.html", form=None, problem=str(exc)), 404
            except accounts.AccountError as exc:
                db.session.rollback()
                form.add_error(exc.field, str(exc))
            else:
                db.session.commit()
                if current_user.is_authenticated:
                    # Someone else's session in this browser: it ends, to avoid confusion.
                    auth.end_session(session.get("sid"), current_user)
                    logout_user()
                    db.session.commit()
                session.clear()
                flash("Uw wachtwoord is opgeslagen. Log nu in met uw nieuwe wachtwoord.", "success")
                return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, problem=None, link=link)
