"""What every template may use."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from markupsafe import Markup

from forms.diff_text import text_diff
from pia.formkit import error_items
from pia.models.types import utcnow
from pia.roles import Role
from workflows import terms

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def local_datetime(value: datetime | None, with_time: bool = True) -> str:
    """Dutch date (and time) in Amsterdam time, e.g. '23 november 2026 14:05'."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(AMSTERDAM)
    text = f"{local.day} {MONTHS.split()[local.month - 1]} {local.year}"
    return f"{text} {local:%H:%M}" if with_time else text


def local_time(value: datetime | None) -> str:
    """The time of day in Amsterdam, e.g. '14:05'."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return f"{value.astimezone(AMSTERDAM):%H:%M}"


def state_label(state: str, government_wide: bool = False) -> str:
    """The Dutch label of a workflow state (see workflows.state_label)."""
    import workflows

    return workflows.state_label(state, government_wide)


_UNENCODABLE = re.compile("[\ud800-\udfff]")


def printable(value: object) -> object:
    """Every {{ value }} of every page: a lone surrogate (no UTF-8 encodes it) becomes the
    replacement character, so text stored before it was refused on the way in cannot
    break a page."""
    if isinstance(value, str) and _UNENCODABLE.search(value):
        cleaned = _UNENCODABLE.sub("\ufffd", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned  # noqa: S704 - was Markup
    return value


def init_app(app: Flask) -> None:
    """Filters and globals."""
    app.jinja_env.finalize = printable
    app.add_template_filter(local_datetime, "datetime_nl")
    app.add_template_filter(local_time, "time_nl")
    app.add_template_global(Role, "Role")
    app.add_template_global(state_label, "state_label")
    app.add_template_global(error_items, "form_error_items")
    from pia import questionnaire_view

    for name in (
        "help_html",
        "glossary_terms",
        "condition_text",
        "condition_json",
        "answer_text",
        "rows_of",
        "operation_name",
        "conflict_differs",
        "option_items",
        "question_words",
        "help_hint",
        "glossary_toggles",
        "answer_anchor",
    ):
        app.add_template_global(getattr(questionnaire_view, name), name)
    from forms import naming
    from pia import heatmap

    app.add_template_global(heatmap.before_svg, "heatmap_before")
    app.add_template_global(heatmap.after_svg, "heatmap_after")
    app.add_template_global(heatmap.risk_number, "risk_number")

    app.add_template_global(naming.field_name, "field_name")
    app.add_template_global(naming.add_row_button, "add_row_button")
    app.add_template_global(naming.remove_row_button, "remove_row_button")
    app.jinja_env.globals["app_name"] = "PIA Rijk"

    def unread_notifications() -> int:
        from flask_login import current_user

        from pia.services.notify import unread_count

        return unread_count(current_user) if current_user.is_authenticated else 0

    app.add_template_global(unread_notifications, "unread_notifications")

    def header_roles(user) -> list[str]:
        """The roles named in the header; someone without one who signs DPIAs is named
        for that (verwerkingsverantwoordelijke), never an empty list."""
        from pia.roles import Role

        labels = [role.label for role in Role if role in user.roles]
        if labels:
            return labels
        from sqlalchemy import exists, select

        from pia.extensions import db
        from pia.models import Controller

        signs = db.session.scalar(select(exists().where(Controller.user_id == user.id)))
        return ["Verwerkingsverantwoordelijke"] if signs else ["Geen rol"]

    app.add_template_global(header_roles, "header_roles")
    app.add_template_global(terms.dutch_date, "dutch_date")
    from pia.services.audit import event_label

    app.add_template_global(event_label, "event_label")
    app.add_template_global(text_diff, "text_diff")
    from pia.permissions import can_view_par_register, can_view_portfolio, can_view_register

    app.add_template_global(can_view_register, "can_view_register")
    app.add_template_global(can_view_par_register, "can_view_par_register")
    app.add_template_global(can_view_portfolio, "can_view_portfolio")

    @app.context_processor
    def _config():
        return {"security_contact": current_app.config["SECURITY_CONTACT"], "now": utcnow()}
