"""Personal access tokens for the API: one's own (/account/tokens), and for the beheerder
those of their organisation (/beheer/api-tokens)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import ApiToken
from pia.models.api_tokens import SCOPE_READ, SCOPE_REVIEW, SCOPE_WRITE_ANSWERS
from pia.models.types import utcnow
from pia.permissions import requires_role
from pia.roles import Role
from pia.services import api_tokens
from pia.views.admin_users import MultiCheckboxField

bp = Blueprint("api_tokens", __name__)

SCOPE_LABELS = {
    SCOPE_READ: "lezen — assessments, secties en documenten bekijken",
    SCOPE_WRITE_ANSWERS: "antwoorden-schrijven — antwoorden in secties opslaan",
    SCOPE_REVIEW: "beoordelen — acties van de beoordelingsprocedure uitvoeren",
}


def _scope_choices() -> list[tuple[str, str]]:
    return list(SCOPE_LABELS.items())


class TokenForm(BaseForm):
    name = StringField(
        "Naam",
        description="Waarvoor gebruikt u dit token? Bijvoorbeeld: koppeling met het register.",
        validators=[DataRequired("Geef het token een naam."), Length(max=100)],
    )
    scopes = MultiCheckboxField(
        "Bevoegdheden",
        choices=_scope_choices,
        description="Het token kan nooit meer dan uzelf; hiermee beperkt u het verder.",
    )
    days = IntegerField(
        "Geldig (dagen)",
        default=90,
        description=f"Maximaal {api_tokens.MAX_DAYS} dagen.",
        validators=[
            DataRequired("Vul in hoeveel dagen het token geldig is."),
            NumberRange(1, api_tokens.MAX_DAYS, f"Kies 1 tot {api_tokens.MAX_DAYS} dagen."),
        ],
    )


class RevokeForm(BaseForm):
    pass


@bp.route("/account/tokens", methods=["GET", "POST"])
def index():
    """List one's own tokens and make a new one (its secret is shown once, on this page)."""
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = api_tokens.create_token(
                current_user, form.name.data, form.scopes.data or [], form.days.data
            )
        except api_tokens.TokenError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    return render_template(
        "account/tokens.html",
        form=form,
        secret=secret,
        tokens=api_tokens.tokens_of(current_user),
        revoke_form=RevokeForm(),
        now=utcnow(),
        own=True,
    )


@bp.get("/beheer/api-tokens")
@requires_role(Role.BEHEERDER)
def organisation():
    """The beheerder sees the tokens of the users of their organisation."""
    return render_template(
        "account/tokens.html",
        form=None,
        secret=None,
        tokens=api_tokens.tokens_of_organisation(current_user.organisation_id),
        revoke_form=RevokeForm(),
        now=utcnow(),
        own=False,
    )


@bp.post("/account/tokens/<int:token_id>/intrekken")
def revoke(token_id: int):
    """Revoke a token: one's own, or as beheerder one of one's organisation."""
    token = db.session.get(ApiToken, token_id)
    if token is None or not api_tokens.may_revoke(current_user, token):
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    api_tokens.revoke(current_user, token)
    db.session.commit()
    flash(f"Het token “{token.name}” is ingetrokken.", "success")
    if token.user_id == current_user.id:
        return redirect(url_for("api_tokens.index"))
    return redirect(url_for("api_tokens.organisation"))
