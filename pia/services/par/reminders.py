"""Reminders about the FGs' term in a PAR consultation: soon, and passed; each sent once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pia.extensions import db
from pia.models import Assessment, ParRound
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import notify
from pia.services.par.record import participating_fgs, positions, users_with_role
from workflows import par, terms


def send_par_reminders(today: date, warn_days: int) -> dict[str, int]:
    """Per open consultation: the FGs of ministries without a position are warned when the
    term ends soon; when it passed, they and the coordinators are told. Once each."""
    counts = {"par_deadline_near": 0, "par_deadline_passed": 0}
    open_rounds = db.session.execute(
        select(ParRound, Assessment)
        .join(Assessment, Assessment.id == ParRound.assessment_id)
        .where(
            Assessment.state == par.FG_CONSULTATION.value,
            ParRound.sent_at.is_not(None),
            ParRound.outcome.is_(None),
        )
    ).all()
    for item, assessment in open_rounds:
        given = positions(item)
        missing = [u for u in participating_fgs(assessment, item) if u.organisation_id not in given]
        link = f"/assessments/{assessment.id}/par"  # also from the CLI, outside a request
        due = terms.dutch_date(item.due_on)
        if terms.is_overdue(item.due_on, today):
            if item.overdue_notified_at is None:
                notify.send(
                    missing + users_with_role(Role.PAR_COORDINATOR),
                    assessment,
                    "deadline_passed",
                    f"De termijn voor de standpunten over “{assessment.title}” is verstreken "
                    f"({due}); {len(given)} van {len(item.participants)} ministeries reageerden.",
                    link,
                )
                item.overdue_notified_at = utcnow()
                counts["par_deadline_passed"] += 1
        elif terms.days_left(item.due_on, today) <= warn_days and item.warned_at is None:
            notify.send(
                missing,
                assessment,
                "deadline_near",
                f"Geef uiterlijk {due} het standpunt van uw ministerie over “{assessment.title}”.",
                link,
            )
            item.warned_at = utcnow()
            counts["par_deadline_near"] += 1
    return counts
