"""The portfolio for the privacy office: figures with charts and tables, and an .xlsx."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from pia.charts import bar_chart
from pia.extensions import db
from pia.formkit import parse_int
from pia.permissions import can_view_portfolio, sees_every_organisation
from pia.services import audit, portfolio
from pia.services.portfolio_figures import ap_status, figures, item_rows
from pia.services.review import today
from pia.services.spreadsheets import xlsx_bytes

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEM_HEADER = ("Organisatie", "DPIA", "Status")


def _load():
    if not can_view_portfolio(current_user):
        abort(403)
    organisation = parse_int(request.args.get("organisatie"))
    day = today()
    return portfolio.compute(current_user, day, organisation), day, organisation


@bp.get("/")
def index():
    """Counts, lists and lead times of the DPIAs in this user's scope."""
    result, day, organisation = _load()
    shown = result.high_risk + result.overdue_terms + result.overdue_reviews
    found = figures(result, day)
    return render_template(
        "portfolio/index.html",
        result=result,
        figures=found,
        charts={f.key: bar_chart(f.title, f.bars, f.unit, f"chart-{f.key}") for f in found},
        openable=portfolio.openable(current_user, [i.assessment_id for i in shown]),
        ap_status=lambda item: ap_status(item, day),
        all_organisations=sees_every_organisation(current_user),
        organisations=portfolio.organisations(current_user),
        organisation=organisation,
    )


@bp.get("/portfolio.xlsx")
def export_xlsx():
    """Every figure and list as a sheet of an Excel workbook."""
    result, day, organisation = _load()
    sheets = [(f.sheet or f.title, f.header, f.rows) for f in figures(result, day)]
    sheets += [
        (
            "Hoog restrisico",
            (*ITEM_HEADER, "Raadpleging AP"),
            item_rows(result.high_risk, day, ap=True),
        ),
        (
            "FG-termijn verstreken",
            (*ITEM_HEADER, "Termijn"),
            item_rows(result.overdue_terms, day, ap=False),
        ),
        (
            "Herbeoordeling te laat",
            (*ITEM_HEADER, "Herbeoordeling uiterlijk"),
            item_rows(result.overdue_reviews, day, ap=False),
        ),
    ]
    data = xlsx_bytes(sheets)
    audit.record(
        "portfolio.downloaded",
        object_type="portfolio",
        summary="DPIA-overzicht gedownload als Excel-bestand",
        details={"organisatie": organisation} if organisation else {},
    )
    db.session.commit()
    name = f"dpia-overzicht-{day.isoformat()}.xlsx"
    return Response(
        data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
