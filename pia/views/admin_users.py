"""Beheer: users. Accounts are deactivated, never deleted: their history stays."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import Organisation, User
from pia.permissions import can_edit_user, requires_role
from pia.roles import Role
from pia.services import accounts, password_links, second_factor
from pia.views.admin_organisations import ToggleForm

bp = Blueprint("admin_users", __name__, url_prefix="/beheer/gebruikers")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices() -> list[tuple[str, str]]:
    # A callable: WTForms 3.3 deprecates tuples passed to the constructor (gone in 3.4).
    return [(r.value, f"{r.label} — {r.description}") for r in Role]


class UserForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul het e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    function = StringField(
        "Functie",
        description="Bijvoorbeeld: privacy officer, projectleider.",
        validators=[Length(max=200)],
    )
    organisation_id = SelectField("Organisatie", coerce=int)
    roles = MultiCheckboxField(
        "Rollen",
        choices=_role_choices,
        description="Een gebruiker kan meerdere rollen hebben.",
    )


class ResetPasswordForm(BaseForm):
    """A button: the user gets a one-time link by mail; nobody else sees it."""


def _organisation_choices(include: Organisation | None = None) -> list[tuple[int, str]]:
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return [(o.id, str(o)) for o in orgs if o.active or o == include]


def _selected(form: UserForm) -> tuple[Organisation | None, set[Role]]:
    org = db.session.get(Organisation, form.organisation_id.data)
    roles = {Role(r) for r in form.roles.data or [] if r in Role._value2member_map_}
    return org, roles


def _get(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not can_edit_user(current_user, user):
        abort(403)
    return user


@bp.get("/")
@requires_role(Role.BEHEERDER)
def index():
    """All users, searchable."""
    q = (request.args.get("q") or "").strip()[:100]
    query = (
        select(User)
        .join(User.organisation)
        .options(selectinload(User.role_rows))
        .order_by(User.active.desc(), User.name)
    )
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                User.email.like(like),
                User.name.ilike(like),
                Organisation.abbreviation.ilike(like),
            )
        )
    users = db.session.scalars(query).all()
    return render_template("admin/users.html", users=users, q=q, toggle=ToggleForm())


def _mail_off_warning() -> None:
    if str(current_app.config["MAIL_BACKEND"]).lower() == "none":
        flash(
            "Let op: e-mail staat uit (PIA_MAIL_BACKEND=none), dus de link komt niet aan. "
            "Stel e-mail in en stuur de link daarna opnieuw.",
            "warning",
        )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def create():
    """Create a user; they get a one-time link by mail to choose their own password."""
    form = UserForm()
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        org, roles = _selected(form)
        try:
            user = accounts.create_user(
                email=form.email.data,
                name=form.name.data,
                function=form.function.data or "",
                organisation=org,
                roles=roles,
                actor=current_user,
            )
            password_links.send_link(user, "welcome", actor=current_user)
        except accounts.AccountError as exc:
            db.session.rollback()
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(
                f"Gebruiker {user.name} is aangemaakt en krijgt een e-mail met een link om "
                f"zelf een wachtwoord te kiezen ({password_links.link_hours()} uur geldig).",
                "success",
            )
            _mail_off_warning()
            return redirect(url_for(".index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def edit(user_id: int):
    """Change name, e-mail, organisation and roles."""
    user = _get(user_id)
    form = UserForm(obj=user)
    form.organisation_id.choices = _organisation_choices(include=user.organisation)
    if form.validate_on_submit():
        org, roles = _selected(form)
        try:
            accounts.update_user(
                user,
                name=form.name.data,
                email=form.email.data,
                function=form.function.data or "",
                organisation=org,
                roles=roles,
                actor=current_user,
            )
        except accounts.AccountError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(f"Gebruiker {user.name} is opgeslagen.", "success")
            return redirect(url_for(".index"))
    return _user_page(form, user, ResetPasswordForm(prefix="reset"))


def _user_page(form: UserForm, user: User, reset: ResetPasswordForm):
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        reset=reset,
        toggle=ToggleForm(),
        factor=second_factor.confirmed(user),
        factor_form=ToggleForm(prefix="factor"),
    )


@bp.post("/<int:user_id>/wachtwoord")
@requires_role(Role.BEHEERDER)
def reset_password(user_id: int):
    """Mail the user a one-time link to choose a new password."""
    user = _get(user_id)
    form = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit():
        try:
            accounts.reset_password(user, actor=current_user)
        except accounts.AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                f"{user.name} krijgt een e-mail met een link om een nieuw wachtwoord te kiezen "
                f"({password_links.link_hours()} uur geldig). Tot die link is gebruikt, "
                "werkt het huidige wachtwoord nog.",
                "success",
            )
            _mail_off_warning()
            return redirect(url_for(".edit", user_id=user.id))
    edit_form = UserForm(formdata=None, obj=user)
    edit_form.organisation_id.choices = _organisation_choices(include=user.organisation)
    return _user_page(edit_form, user, form), 400


@bp.post("/<int:user_id>/actief")
@requires_role(Role.BEHEERDER)
def toggle_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = _get(user_id)
    if ToggleForm().validate_on_submit():
        try:
            accounts.set_user_active(user, not user.active, actor=current_user)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            state = "geactiveerd" if user.active else "gedeactiveerd"
            flash(f"Gebruiker {user.name} is {state}.", "success")
    return redirect(url_for(".edit", user_id=user.id))


@bp.post("/<int:user_id>/tweestapsverificatie")
@requires_role(Role.BEHEERDER)
def reset_second_factor(user_id: int):
    """Wipe a user's second factor (a lost phone); the user is logged out and mailed."""
    user = _get(user_id)
    if ToggleForm(prefix="factor").validate_on_submit():
        try:
            second_factor.reset(user, actor=current_user)
        except second_factor.CodeRefused as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                f"De tweestapsverificatie van {user.name} is gewist. {user.name} is overal "
                "uitgelogd en krijgt daarover een e-mail.",
                "success",
            )
    return redirect(url_for(".edit", user_id=user.id))
