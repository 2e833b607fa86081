"""§19 and §20 of the DPIA model, filled from the procedure's record."""

from __future__ import annotations

from pia.extensions import db
from pia.models import (
    Assessment,
    User,
)
from pia.services.review.record import advices, current_advice, local_date, signatures, versions
from workflows import departmental


def workflow_answers(assessment: Assessment) -> dict[str, object]:
    """The answers of §19 (versions, FG advice) and §20 (signatures), from the procedure's record.

    Nobody types these: they are what the procedure recorded.
    """
    answers: dict[str, object] = {}
    all_versions = versions(assessment)
    if all_versions:
        answers["19.1"] = [
            {
                "_id": f"v{v.number:07d}",
                "nummer": str(v.number),
                "datum": local_date(v.created_at).isoformat(),
                "toelichting": f"{v.reason_label} ({v.created_by.name})",
            }
            for v in all_versions
        ]
    final = assessment.state in departmental.FINAL.values
    answers["19.2"] = "definitief" if final else "concept"
    owner = assessment.owner
    if owner is not None:
        answers.update(
            {
                "19.4.1": assessment.organisation.name,
                "19.4.4": owner.name,
                "19.4.5": owner.function or "Projectleider",
                "19.4.6": "PIA Rijk",
            }
        )
    advice = current_advice(assessment)
    if advice is not None:
        fg = db.session.get(User, advice.fg_id)
        answers.update(
            {
                "19.5.1": fg.organisation.name if fg else assessment.organisation.name,
                "19.5.4": advice.fg_name,
                "19.5.5": advice.fg_function,
                "19.5.6": local_date(advice.given_at).isoformat(),
                "19.5.7": f"Advies van de FG over versie {advice.version.number}: "
                f"{advice.conclusion_label.lower()}",
                "19.5.8": f"versie {advice.processed_version.number}"
                if advice.processed_version
                else "",
            }
        )
        answers["19.3"] = [
            {
                "_id": f"a{a.id:07d}",
                "soort": "Advies van de FG",
                "naam": f"{a.conclusion_label} ({a.fg_name})",
                "versie": f"over versie {a.version.number}",
                "locatie": "PIA Rijk",
            }
            for a in advices(assessment)
        ]
    if assessment.government_wide:  # §19 shows the PAR advice instead of an FG advice
        from pia.services.par.sections import advice_answers

        answers.update(advice_answers(assessment))
    sigs = signatures(assessment)
    if sigs:
        by_user = {u.id: u for u in (db.session.get(User, s.user_id) for s in sigs) if u}
        answers["20.1"] = [
            {
                "_id": f"s{s.id:07d}",
                "organisatie": by_user[s.user_id].organisation.name if s.user_id in by_user else "",
                "naam": s.name,
                "functie": s.function,
                "datum": s.signed_on.isoformat(),
                "opgesteld_door": owner.name if owner else "",
            }
            for s in sigs
        ]
        answers["20.2"] = [
            {"_id": f"d{s.id:07d}", "naam": s.name, "reden": s.deviation_reason}
            for s in sigs
            if s.deviation_reason
        ]
    return {k: v for k, v in answers.items() if v not in ("", None, [])}
