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
        """Fill the database with the demo (idempotent); refused in production."""
        from pia.demo import seed_demo

        if app.config["ENV"] != "development":
            click.echo(
                "Fout: seed-demo vult de database met demo-accounts die een bekend wachtwoord "
                "hebben; dat gebeurt alleen met PIA_ENV=development, nooit in productie.",
                err=True,
            )
            sys.exit(1)

        from pia.demo_sign_in import enrol_demo_second_factors, seed_pending_account

        added = seed_demo()
        enrolled = enrol_demo_second_factors()
        added["users"] += seed_pending_account()
        db.session.commit()
        click.echo(
            f"Demo klaar: {added['organisations']} organisaties, "
            f"{added['users']} gebruikers en {added['assessments']} voorbeeld-assessments "
            f"toegevoegd; {enrolled} demo-accounts kregen tweestapsverificatie (zie README)."
        )

    @app.cli.command("verify-audit")
    @click.option(
        "--expect-head",
        metavar="HASH",
        help="Een eerder getoonde kop-hash (bijvoorbeeld uit een ander systeem); "
        "die gebeurtenis moet er nog zijn.",
    )
    @click.option(
        "--no-anchor", is_flag=True, help="Controleer alleen; sla de huidige kop niet op als anker."
    )
    def verify_audit(expect_head: str | None, no_anchor: bool) -> None:
        """Check the audit log: the hash chain, and the stored anchors (a removed tail).

        Then print the head (count and hash; keep it outside pia, e.g. in the cron mail)
        and store it as a new signed anchor.
        """
        from pia.models import AuditEvent
        from pia.services import audit

        problems = []
        broken = audit.verify_chain()
        if broken is not None:
            problems.append(f"Auditlog beschadigd vanaf gebeurtenis {broken}.")
        problems += audit.verify_anchors()
        if expect_head and not db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.hash == expect_head.strip().lower())
        ):
            problems.append(f"De verwachte kop {expect_head} staat niet (meer) in het auditlog.")
        current = audit.head()
        click.echo(
            f"Kop: {current.count} gebeurtenissen, laatste {current.event_id}, "
            f"hash {current.event_hash}"
        )
        if problems:
            for problem in problems:
                click.echo(problem, err=True)
            sys.exit(1)
        if not no_anchor:
            audit.anchor()
            db.session.commit()
        click.echo("Auditlog intact.")

    @app.cli.command("recompute-figures")
    def recompute_figures() -> None:
        """Compute the stored figures of every assessment again (lists and dashboards)."""
        from pia.services import register
        from pia.services.figures import refresh_all

        click.echo(f"Kengetallen opnieuw berekend voor {refresh_all()} assessments.")
        click.echo(f"Verwerkingsregister opnieuw berekend: {register.refresh_all()} regels.")

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """Send queued e-mail that is due (failed messages are retried with a pause)."""
        from pia.services.notify import dispatch_pending

        sent, failed = dispatch_pending(limit=1000)
        click.echo(f"{sent} verstuurd, {failed} mislukt.")
        if failed:
            sys.exit(1)

    @app.cli.command("send-digest")
    def send_digest_command() -> None:
        """Daily: one mail with the day's notifications to each user who chose a digest."""
        from pia.services.digest import send_digests
        from pia.services.notify import dispatch_pending

        queued = send_digests()
        db.session.commit()
        sent, failed = dispatch_pending(limit=1000)
        click.echo(f"Dagoverzichten: {queued}; {sent} e-mail(s) verstuurd, {failed} mislukt.")

    @app.cli.command("send-reminders")
    def send_reminders_command() -> None:
        """Daily: warn about FG terms that end soon or have passed, and re-assessments due."""
        from pia.services.notify import dispatch_pending, send_reminders

        counts = send_reminders()
        db.session.commit()
        sent, failed = dispatch_pending(limit=1000)
        click.echo(
            f"Termijn bijna om: {counts['deadline_near']}, verstreken: "
            f"{counts['deadline_passed']}, herbeoordeling: {counts['reassessment_due']}, "
            f"rijksbreed bijna om: {counts['par_deadline_near']}, verstreken: "
            f"{counts['par_deadline_passed']}; "
            f"{sent} e-mail(s) verstuurd, {failed} mislukt."
        )
