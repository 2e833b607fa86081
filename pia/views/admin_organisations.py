"""Beheer: organisations."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import Organisation, User
from pia.permissions import can_edit_organisation, requires_role
from pia.roles import Role
from pia.services import organisations as service
from pia.services.accounts import AccountError

bp = Blueprint("admin_organisations", __name__, url_prefix="/beheer/organisaties")


class OrganisationForm(BaseForm):
    name = StringField(
        "Naam",
        validators=[DataRequired("Vul de naam van de organisatie in."), Length(max=200)],
    )
    abbreviation = StringField(
        "Afkorting",
        description="Kort, zoals BZK of JenV. Wordt gebruikt in overzichten.",
        validators=[DataRequired("Vul een afkorting in."), Length(max=20)],
    )
    is_ministry = BooleanField("Dit is een ministerie", default=True)
    sso_link_verified_email = BooleanField(
        "Eerste inlog via de inlogdienst koppelen op geverifieerd e-mailadres",
        description=(
            "Aan: wie voor het eerst inlogt via de inlogdienst van deze organisatie, komt in "
            "het bestaande account met hetzelfde e-mailadres, als de inlogdienst zegt dat het "
            "adres gecontroleerd is. Uit: er komt een nieuw account zonder rollen, dat u "
            "eerst moet goedkeuren."
        ),
    )


class ToggleForm(BaseForm):
    """A form with only the CSRF token, for (de)activate buttons."""


def _get(org_id: int) -> Organisation:
    org = db.get_or_404(Organisation, org_id)
    if not can_edit_organisation(current_user, org):
        abort(403)
    return org


@bp.get("/")
@requires_role(Role.BEHEERDER)
def index():
    """All organisations, active first."""
    rows = db.session.execute(
        select(Organisation, func.count(User.id))
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(Organisation.active.desc(), Organisation.name)
    ).all()
    return render_template("admin/organisations.html", rows=rows, toggle=ToggleForm())


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def create():
    """Add an organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = service.create_organisation(
                name=form.name.data,
                abbreviation=form.abbreviation.data,
                is_ministry=form.is_ministry.data,
                sso_link_verified_email=form.sso_link_verified_email.data,
                actor=current_user,
            )
        except AccountError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"Organisatie {org.name} is toegevoegd.", "success")
            return redirect(url_for(".index"))
    return render_template("admin/organisation_form.html", form=form, org=None)


@bp.route("/<int:org_id>", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def edit(org_id: int):
    """Rename an organisation."""
    org = _get(org_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            service.update_organisation(
                org,
                name=form.name.data,
                abbreviation=form.abbreviation.data,
                is_ministry=form.is_ministry.data,
                sso_link_verified_email=form.sso_link_verified_email.data,
                actor=current_user,
            )
        except AccountError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"Organisatie {org.name} is opgeslagen.", "success")
            return redirect(url_for(".index"))
    return render_template("admin/organisation_form.html", form=form, org=org)


@bp.post("/<int:org_id>/actief")
@requires_role(Role.BEHEERDER)
def toggle_active(org_id: int):
    """Deactivate or reactivate."""
    org = _get(org_id)
    if ToggleForm().validate_on_submit():
        try:
            service.set_organisation_active(org, not org.active, actor=current_user)
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            state = "geactiveerd" if org.active else "gedeactiveerd"
            flash(f"Organisatie {org.name} is {state}.", "success")
    return redirect(url_for(".index"))
