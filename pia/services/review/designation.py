"""The controllers (verwerkingsverantwoordelijken) the owner designates to adopt and sign."""

from __future__ import annotations

from pia.extensions import db
from pia.models import (
    Assessment,
    Controller,
    User,
)
from pia.permissions import access
from pia.roles import Role
from pia.services import audit, notify
from pia.services.assessments import AssessmentError, active_user, claim_write
from pia.services.review.machine import link
from pia.services.review.record import (
    is_controller,
    signatures,
    took_part,
)
from workflows import departmental


def designate(assessment: Assessment, email: str, function: str, actor: User) -> Controller:
    """Designate a controller (a user with an account) who adopts and signs."""
    user = active_user(email)
    if is_controller(user, assessment):
        raise AssessmentError(f"{user.name} is al aangewezen.", "email")
    own_fg = user.has_role(Role.FG) and user.organisation_id == assessment.organisation_id
    # A government-wide DPIA: the FGs of every ministry consulted in the PAR rounds advised.
    if own_fg or (assessment.government_wide and access(user, assessment).is_fg):
        raise AssessmentError(
            "De FG adviseert onafhankelijk en kan de DPIA niet zelf vaststellen.", "email"
        )
    if took_part(user, assessment):
        raise AssessmentError(
            f"{user.name} heeft deze DPIA mee opgesteld en kan haar daarom niet als "
            "verwerkingsverantwoordelijke vaststellen: wie de DPIA schrijft, stelt haar niet "
            "zelf vast. Wijs iemand aan die er niet aan heeft meegeschreven.",
            "email",
        )
    claim_write(assessment)
    controller = Controller(
        assessment_id=assessment.id,
        user_id=user.id,
        function=function.strip() or user.function,
        added_by_id=actor.id,
    )
    db.session.add(controller)
    db.session.flush()
    audit.record(
        "assessment.controller_added",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{user.name} aangewezen als verwerkingsverantwoordelijke van “{assessment.title}”",
        details={"user_id": user.id, "function": controller.function},
    )
    notify.send(
        [user],
        assessment,
        "designated",
        f"U bent aangewezen als verwerkingsverantwoordelijke voor “{assessment.title}”.",
        link(assessment),
    )
    return controller


def remove_controller(assessment: Assessment, controller: Controller, actor: User) -> None:
    """Undo a designation (a signature already given stays on record)."""
    if assessment.state == departmental.AWAITING_ADOPTION.value:
        raise AssessmentError(
            "Tijdens de vaststelling kan niemand van de lijst af: laat een "
            "verwerkingsverantwoordelijke de DPIA eerst terugsturen naar de opstellers."
        )
    if any(s.user_id == controller.user_id for s in signatures(assessment)):
        raise AssessmentError("Deze verwerkingsverantwoordelijke heeft al ondertekend.")
    claim_write(assessment)
    db.session.delete(controller)
    audit.record(
        "assessment.controller_removed",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{controller.user.name} is niet langer verwerkingsverantwoordelijke van "
        f"“{assessment.title}”",
        details={"user_id": controller.user_id},
    )
