"""The register of processing activities (art. 30 AVG): a page, CSV and .xlsx."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from pia.extensions import db
from pia.permissions import can_view_register, sees_every_organisation
from pia.services import audit, register_list
from pia.services.register import FIELDS
from pia.services.review import today
from pia.services.spreadsheets import csv_text, xlsx_bytes

bp = Blueprint("register", __name__, url_prefix="/verwerkingsregister")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> register_list.Filters:
    if not can_view_register(current_user):
        abort(403)
    return register_list.parse(request.args)


@bp.get("/")
def index():
    """The records this user may see, a page at a time, with search and filters."""
    filters = _filters()
    page = register_list.list_records(current_user, filters)
    return render_template(
        "register/index.html",
        result=page,
        filters=page.filters,
        fields=FIELDS,
        all_organisations=sees_every_organisation(current_user),
        organisations=register_list.organisations(current_user),
        transfers=register_list.TRANSFER_CHOICES,
    )


def _download(kind: str, filters: register_list.Filters) -> None:
    audit.record(
        "register.downloaded",
        object_type="register",
        summary=f"Verwerkingsregister gedownload als {kind}",
        details=filters.args(),
    )
    db.session.commit()


def _name(extension: str) -> dict[str, str]:
    name = f"verwerkingsregister-{today().isoformat()}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/register.csv")
def export_csv():
    """The selection (every page) as CSV; no cell is read as a formula."""
    filters = _filters()
    text = csv_text(register_list.EXPORT_HEADER, register_list.export_rows(current_user, filters))
    _download("CSV", filters)
    return Response(text, mimetype="text/csv; charset=utf-8", headers=_name("csv"))


@bp.get("/register.xlsx")
def export_xlsx():
    """The selection (every page) as an Excel workbook with a header row."""
    filters = _filters()
    rows = register_list.export_rows(current_user, filters)
    data = xlsx_bytes([("Verwerkingsregister", register_list.EXPORT_HEADER, rows)])
    _download("Excel-bestand", filters)
    return Response(data, mimetype=XLSX, headers=_name("xlsx"))
