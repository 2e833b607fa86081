"""The start page: what there is for this user, per role."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from pia.extensions import db
from pia.models import Organisation, User
from pia.roles import Role
from pia.services import inbox, review
from pia.services.par import overview as par_overview
from workflows.terms import dutch_date

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    """Dashboard with one panel per role the user holds."""
    counts = {}
    if current_user.has_role(Role.BEHEERDER):
        counts["users"] = db.session.scalar(select(func.count()).where(User.active.is_(True)))
        counts["organisations"] = db.session.scalar(
            select(func.count()).where(Organisation.active.is_(True))
        )
    roles = [r for r in Role if r in current_user.roles]
    today = review.today()
    return render_template(
        "dashboard/index.html",
        roles=roles,
        counts=counts,
        fg=inbox.fg_inbox(current_user, today) if Role.FG in roles else None,
        lead=inbox.lead_inbox(current_user, today),
        to_sign=inbox.to_sign(current_user),
        due=inbox.reassessments_due(today) if Role.AUDITOR in roles else [],
        fg_due=(
            inbox.reassessments_due(today, current_user.organisation_id) if Role.FG in roles else []
        ),
        par_fg=par_overview.fg_consultations(current_user, today) if Role.FG in roles else [],
        par_steps=(
            par_overview.step_counts(current_user, today)
            if {Role.PAR_COORDINATOR, Role.SECRETARIAAT} & set(roles)
            else []
        ),
        dutch_date=dutch_date,
    )
