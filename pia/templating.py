"""What every template may use."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from pia.roles import Role

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


def init_app(app: Flask) -> None:
    """Filters and globals."""
    app.add_template_filter(local_datetime, "datetime_nl")
    app.add_template_global(Role, "Role")
    app.jinja_env.globals["app_name"] = "PIA Rijk"

    @app.context_processor
    def _config():
        return {"security_contact": current_app.config["SECURITY_CONTACT"]}
