"""What the PAR procedure has recorded: the trajectory, rounds, positions, decisions."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from pia.extensions import db
from pia.models import (
    Assessment,
    DecisionKind,
    Organisation,
    ParDecision,
    ParPosition,
    ParRound,
    ParTrajectory,
    User,
    UserRole,
)
from pia.roles import Role
from pia.services.review.record import took_part
from workflows import terms


def trajectory(assessment: Assessment) -> ParTrajectory | None:
    """The PAR facts of this assessment, once it was submitted to the coordination."""
    return db.session.scalar(
        select(ParTrajectory).where(ParTrajectory.assessment_id == assessment.id)
    )


def ensure_trajectory(assessment: Assessment) -> ParTrajectory:
    """The trajectory, made on first use (with the active bodies as the default)."""
    from pia.services.par.bodies import active_names

    found = trajectory(assessment)
    if found is None:
        found = ParTrajectory(assessment_id=assessment.id, bodies=active_names())
        db.session.add(found)
        db.session.flush()
    return found


def rounds(assessment: Assessment) -> list[ParRound]:
    """Every round, oldest first."""
    return list(
        db.session.scalars(
            select(ParRound)
            .where(ParRound.assessment_id == assessment.id)
            .order_by(ParRound.number)
        )
    )


def current_round(assessment: Assessment) -> ParRound | None:
    found = rounds(assessment)
    return found[-1] if found else None


def previous_round(assessment: Assessment, of: ParRound) -> ParRound | None:
    """The round sent to the FGs before this one (what the FGs last reviewed)."""
    earlier = [r for r in rounds(assessment) if r.number < of.number and r.sent_at is not None]
    return earlier[-1] if earlier else None


def positions(of: ParRound | None) -> dict[int, ParPosition]:
    """The positions of one round per organisation id."""
    if of is None:
        return {}
    found = db.session.scalars(select(ParPosition).where(ParPosition.round_id == of.id))
    return {p.organisation_id: p for p in found}


def ministries() -> list[Organisation]:
    """The active ministries: who takes part by default (data, managed by the beheerder)."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.active.is_(True), Organisation.is_ministry.is_(True))
            .order_by(Organisation.name)
        )
    )


def response_due(sent: date) -> date:
    """The FGs' response date for a consultation sent on `sent`."""
    return terms.deadline(sent, int(current_app.config["PAR_RESPONSE_WEEKS"]))


def users_with_role(role: Role, organisation_ids: list[int] | None = None) -> list[User]:
    """Active users holding this role (of these organisations, when given)."""
    query = (
        select(User)
        .join(UserRole)
        .where(User.active.is_(True), UserRole.role == role.value)
        .order_by(User.name)
    )
    if organisation_ids is not None:
        query = query.where(User.organisation_id.in_(organisation_ids))
    return list(db.session.scalars(query))


def participating_fgs(assessment: Assessment, of: ParRound | None) -> list[User]:
    """The FGs of the ministries consulted in this round, except the DPIA's authors."""
    if of is None:
        return []
    fgs = users_with_role(Role.FG, of.organisation_ids)
    return [u for u in fgs if not took_part(u, assessment)]


def decisions(assessment: Assessment, offer: int, kind: DecisionKind) -> list[ParDecision]:
    """The decisions recorded for one offer of the advice."""
    return list(
        db.session.scalars(
            select(ParDecision)
            .where(
                ParDecision.assessment_id == assessment.id,
                ParDecision.offer == offer,
                ParDecision.kind == kind.value,
            )
            .order_by(ParDecision.id)
        )
    )


def all_decisions(assessment: Assessment) -> list[ParDecision]:
    """Every decision ever recorded (also of earlier offers), oldest first."""
    return list(
        db.session.scalars(
            select(ParDecision)
            .where(ParDecision.assessment_id == assessment.id)
            .order_by(ParDecision.id)
        )
    )
