"""The PAR register: every government-wide trajectory of a year, its lead times, and CSV."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from pia.extensions import db
from pia.permissions import can_view_par_register
from pia.services import audit
from pia.services.par import register
from pia.services.par.register_export import EXPORT_HEADER, export_rows
from pia.services.par.register_figures import ALL_YEARS, figures, median_words
from pia.services.review import today
from pia.services.spreadsheets import csv_text
from workflows.terms import dutch_date

bp = Blueprint("par_register", __name__, url_prefix="/par/register")


def _filters() -> register.Filters:
    if not can_view_par_register(current_user):
        abort(403)
    return register.parse(request.args, today().year)


@bp.get("/")
def index():
    """The trajectories of the chosen year and state, and the figures per year."""
    filters = _filters()
    return render_template(
        "par/register.html",
        filters=filters,
        rows=register.rows(current_user, filters, today()),
        limit=register.LIMIT,
        years=sorted(set(register.years(current_user)) | {today().year}, reverse=True),
        states=register.STATE_LABELS,
        steps=register.LEAD_TIMES,
        figures=figures(current_user),
        all_years=ALL_YEARS,
        median_words=median_words,
        dutch_date=dutch_date,
    )


@bp.get("/register.csv")
def export_csv():
    """The selection as CSV; no cell is read as a formula."""
    filters = _filters()
    text = csv_text(EXPORT_HEADER, export_rows(current_user, filters, today()))
    audit.record(
        "par_register.downloaded",
        object_type="par_register",
        summary="PAR-register gedownload als CSV",
        details=filters.args(),
    )
    db.session.commit()
    name = f"par-register-{filters.year or 'alle-jaren'}-{today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
