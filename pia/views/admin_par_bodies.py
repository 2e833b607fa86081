"""Beheer: the interdepartmental bodies that approve a rijksbreed privacyadvies."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import ParBody
from pia.permissions import can_manage_par_bodies, requires_role
from pia.roles import Role
from pia.services.par import bodies as service

bp = Blueprint("admin_par_bodies", __name__, url_prefix="/beheer/overleggen")


class BodyForm(BaseForm):
    name = StringField(
        "Naam",
        description="Zoals het overleg in besluiten heet, bijvoorbeeld ICBR.",
        validators=[
            DataRequired("Vul de naam van het overleg in."),
            Length(max=service.NAME_LIMIT),
        ],
    )
    description = StringField(
        "Korte omschrijving",
        description="Optioneel. Wat dit overleg doet, in één zin.",
        validators=[Length(max=service.DESCRIPTION_LIMIT)],
    )


class ToggleForm(BaseForm):
    """A form with only the CSRF token, for (de)activate buttons."""


def _get(body_id: int) -> ParBody:
    body = db.get_or_404(ParBody, body_id)
    if not can_manage_par_bodies(current_user):
        abort(403)
    return body


@bp.get("/")
@requires_role(Role.BEHEERDER)
def index():
    """Every body, active first, with how many decisions were recorded under its name."""
    return render_template(
        "admin/par_bodies.html",
        bodies=service.all_bodies(),
        counts=service.decision_counts(),
        toggle=ToggleForm(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def create():
    """Add a body."""
    form = BodyForm()
    if form.validate_on_submit():
        try:
            body = service.create_body(
                name=form.name.data, description=form.description.data or "", actor=current_user
            )
        except service.BodyError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"Overleg {body.name} is toegevoegd.", "success")
            return redirect(url_for(".index"))
    return render_template("admin/par_body_form.html", form=form, body=None)


@bp.route("/<int:body_id>", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def edit(body_id: int):
    """Rename a body or change its description."""
    body = _get(body_id)
    form = BodyForm(obj=body)
    if form.validate_on_submit():
        try:
            service.update_body(
                body,
                name=form.name.data,
                description=form.description.data or "",
                actor=current_user,
            )
        except service.BodyError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"Overleg {body.name} is opgeslagen.", "success")
            return redirect(url_for(".index"))
    return render_template("admin/par_body_form.html", form=form, body=body)


@bp.post("/<int:body_id>/actief")
@requires_role(Role.BEHEERDER)
def toggle_active(body_id: int):
    """Deactivate or reactivate."""
    body = _get(body_id)
    if ToggleForm().validate_on_submit():
        service.set_body_active(body, not body.active, actor=current_user)
        db.session.commit()
        state = "geactiveerd" if body.active else "gedeactiveerd"
        flash(f"Overleg {body.name} is {state}.", "success")
    return redirect(url_for(".index"))
