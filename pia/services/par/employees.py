"""Whether employees' personal data is processed, and so whether the GOR Rijk consents."""

from __future__ import annotations

from dataclasses import dataclass

from pia.models import Assessment, Questionnaire, User
from pia.services import audit
from pia.services.assessments import AssessmentError, claim_write, load_answers
from pia.services.par.record import ensure_trajectory, trajectory

EMPLOYEES = "medewerker"


@dataclass(frozen=True)
class EmployeeData:
    """The derived answer, the initiator's correction if any, and what counts."""

    derived: bool
    where: tuple[str, ...]
    corrected: bool | None
    reason: str

    @property
    def processed(self) -> bool:
        return self.derived if self.corrected is None else self.corrected


def derive(assessment: Assessment) -> tuple[bool, tuple[str, ...]]:
    """Data subjects "medewerkers" in the pre-scan (1.4.1) or in §2 of the DPIA."""
    where = []
    prescan = load_answers(assessment, Questionnaire.PRESCAN)
    groups = prescan.get("1.4.1") or []
    if isinstance(groups, list) and "medewerkers" in groups:
        where.append("de pre-scan (vraag 1.4.1)")
    if assessment.has_dpia:
        rows = load_answers(assessment, Questionnaire.DPIA).get("2") or []
        if isinstance(rows, list) and any(
            isinstance(r, dict) and EMPLOYEES in str(r.get("categorie_betrokkene", "")).lower()
            for r in rows
        ):
            where.append("§2 van de DPIA (categorie betrokkenen)")
    return bool(where), tuple(where)


def employee_data(assessment: Assessment) -> EmployeeData:
    """What the overview and the procedure use."""
    derived, where = derive(assessment)
    found = trajectory(assessment)
    corrected = found.employee_data_override if found is not None else None
    reason = found.employee_data_reason if found is not None else ""
    return EmployeeData(derived, where, corrected, reason)


def correct_employee_data(
    assessment: Assessment, actor: User, processed: bool | None, reason: str
) -> None:
    """The initiator sets (or, with None, drops) the correction, always with a reason."""
    reason = reason.strip()
    if processed is not None and not reason:
        raise AssessmentError("Geef de reden van de correctie.", "reason")
    claim_write(assessment)
    found = ensure_trajectory(assessment)
    found.employee_data_override = processed
    found.employee_data_reason = reason if processed is not None else ""
    word = {True: "wel", False: "geen", None: "afgeleid uit de antwoorden"}[processed]
    audit.record(
        "assessment.par_employee_data",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Gegevens van medewerkers in “{assessment.title}”: {word}",
        details={"processed": processed, "reason": reason[:2000]},
    )


def set_government_wide(assessment: Assessment, actor: User, government_wide: bool) -> None:
    """The owner marks a concept as government-wide (the PAR route) or departmental."""
    from pia.permissions import access

    if not access(actor, assessment).may_change_route:
        raise AssessmentError("Alleen de eigenaar wijzigt dit, en alleen vóór het indienen.")
    if assessment.government_wide == government_wide:
        return
    claim_write(assessment)
    assessment.government_wide = government_wide
    audit.record(
        "assessment.route_changed",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"“{assessment.title}” is nu "
        + ("rijksbreed (PAR-procedure)" if government_wide else "departementaal"),
        details={"government_wide": government_wide},
    )
