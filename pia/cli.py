"""Command-line tasks: `flask --app pia <command>`."""

import sys

import click
from flask import Flask
from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation
from pia.roles import Role


def init_app(app: Flask) -> None:
    """Register the commands."""

    @app.cli.command("create-admin")
    @click.option("--email", required=True, help="E-mailadres van de beheerder.")
    @click.option("--name", required=True, help="Naam van de beheerder.")
    @click.option("--organisation", default="BZK", show_default=True, help="Afkorting.")
    @click.option(
        "--password",
        prompt="Wachtwoord",
        hide_input=True,
        confirmation_prompt="Herhaal het wachtwoord",
        envvar="PIA_ADMIN_PASSWORD",
        help="Wordt gevraagd als het niet is opgegeven (of via PIA_ADMIN_PASSWORD).",
    )
    def create_admin(email: str, name: str, organisation: str, password: str) -> None:
        """Create the first beheerder (adds the ministries if there are none yet)."""
        from pia.demo import seed_organisations
        from pia.services.accounts import AccountError, create_user

        seed_organisations()
        org = db.session.scalar(
            select(Organisation).where(Organisation.abbreviation == organisation)
        )
        if org is None:
            raise click.UsageError(f"Onbekende organisatie: {organisation}")
        try:
            create_user(
                email=email,
                name=name,
                organisation=org,
                roles={Role.BEHEERDER},
                password=password,
                must_change_password=False,
            )
        except AccountError as exc:
            db.session.rollback()
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(1)
        db.session.commit()
        click.echo(f"Beheerder {email} is aangemaakt.")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Fill the database with the demo (idempotent)."""
        from pia.demo import seed_demo

        added = seed_demo()
        db.session.commit()
        click.echo(
            f"Demo klaar: {added['organisations']} organisaties, "
            f"{added['users']} gebruikers en {added['assessments']} voorbeeld-assessments "
            "toegevoegd."
        )

    @app.cli.command("verify-audit")
    def verify_audit() -> None:
        """Check the hash chain of the audit log."""
        from pia.services.audit import verify_chain

        broken = verify_chain()
        if broken is None:
            click.echo("Auditlog intact.")
        else:
            click.echo(f"Auditlog beschadigd vanaf gebeurtenis {broken}.", err=True)
            sys.exit(1)

    @app.cli.command("recompute-figures")
    def recompute_figures() -> None:
        """Compute the stored figures of every assessment again (lists and dashboards)."""
        from pia.services.figures import refresh_all

        click.echo(f"Kengetallen opnieuw berekend voor {refresh_all()} assessments.")

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """Send queued e-mail that is due (failed messages are retried with a pause)."""
        from pia.services.notify import dispatch_pending

        sent, failed = dispatch_pending(limit=1000)
        click.echo(f"{sent} verstuurd, {failed} mislukt.")
        if failed:
            sys.exit(1)

    @app.cli.command("send-reminders")
    def send_reminders_command() -> None:
        """Daily: warn about FG terms that end soon or have passed, and re-assessments due."""
        from pia.services.notify import dispatch_pending, send_reminders

        counts = send_reminders()
        db.session.commit()
        sent, failed = dispatch_pending(limit=1000)
        click.echo(
            f"Termijn bijna om: {counts['deadline_near']}, verstreken: "
            f"{counts['deadline_passed']}, herbeoordeling: {counts['reassessment_due']}; "
            f"{sent} e-mail(s) verstuurd, {failed} mislukt."
        )
