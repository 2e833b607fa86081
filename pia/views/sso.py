"""Single sign-on: "Inloggen met <provider>" and the provider's answer."""

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_user

from pia.extensions import db
from pia.formkit import BaseForm
from pia.services import audit, auth, oidc, oidc_providers, sso_accounts
from pia.views.auth import safe_next

bp = Blueprint("sso", __name__, url_prefix="/inloggen/sso")


class StartForm(BaseForm):
    """A button per provider on the login page (CSRF only)."""


@bp.post("/<provider_id>")
def start(provider_id: str):
    """Send the browser to the provider, remembering the request on the server."""
    if oidc_providers.get(provider_id) is None:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        url, state = oidc.begin(provider_id[:40], safe_next(request.args.get("next")))
    except oidc.SignInRefused as exc:
        oidc.refused(exc, provider_id)
        db.session.commit()
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    session["sso_state"] = state
    db.session.commit()
    return redirect(url)


@bp.get("/<provider_id>/terug")
def callback(provider_id: str):
    """The provider sends the browser back here: check everything, then sign in."""
    if oidc_providers.get(provider_id) is None:
        abort(404)
    browser_state = session.pop("sso_state", None)
    try:
        signed = oidc.finish(provider_id[:40], request.args, browser_state, request.base_url)
    except (oidc.SignInRefused, sso_accounts.AccountRefused) as exc:
        oidc.refused(exc, provider_id)
        db.session.commit()  # a used request stays used; a requested account is kept
        flash(str(exc), "error")
        return redirect(url_for("auth.login"))
    session.clear()  # a fresh session: the identifier changes at login
    session["sid"] = auth.start_session(
        signed.user, method="oidc", provider=signed.provider.id, id_token=signed.id_token
    )
    login_user(signed.user)
    audit.record(
        "login.sso_succeeded",
        actor=signed.user,
        object_type="user",
        object_id=signed.user.id,
        summary=f"{signed.user.name} is ingelogd via {signed.provider.name}",
        details={"provider": signed.provider.id},
    )
    db.session.commit()
    return redirect(safe_next(signed.next_path))
