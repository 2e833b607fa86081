"""The blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint."""
    from pia.views import (
        admin_organisations,
        admin_par_bodies,
        admin_templates,
        admin_users,
        api_tokens,
        assessments,
        audit_log,
        auth,
        dashboard,
        documents,
        invulhulp,
        notifications,
        par,
        par_register,
        portfolio,
        public,
        questionnaires,
        register,
        review,
        second_factor,
        sso,
    )

    for module in (
        public,
        auth,
        dashboard,
        admin_organisations,
        admin_par_bodies,
        admin_users,
        audit_log,
        assessments,
        invulhulp,
        questionnaires,
        documents,
        admin_templates,
        review,
        par,
        par_register,
        notifications,
        api_tokens,
        sso,
        second_factor,
        register,
        portfolio,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(par.dashboard_bp)
