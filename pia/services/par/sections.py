"""§19 of a government-wide DPIA: the rijksbreed privacyadvies instead of an FG advice."""

from __future__ import annotations

from typing import Any

from pia.extensions import db
from pia.models import Assessment, DecisionKind, ParTrajectory, User
from pia.services.par.record import all_decisions, current_round, trajectory
from pia.services.review.record import latest_version, local_date
from workflows import par, terms

GIVER = "PAR-coördinatie, namens de FG's van de deelnemende ministeries"


def established_advice(assessment: Assessment) -> ParTrajectory | None:
    """The trajectory once its advice is established (what §19 can show as final)."""
    found = trajectory(assessment) if assessment.government_wide else None
    if found is None or found.established_at is None or assessment.state not in par.FINAL:
        return None
    return found


def advice_answers(assessment: Assessment) -> dict[str, Any]:
    """The §19.5 answers and the dossier rows (§19.3) of an established PAR advice."""
    found = established_advice(assessment)
    if found is None:
        return {}
    by = db.session.get(User, found.established_by_id) if found.established_by_id else None
    advised = current_round(assessment)
    offered = latest_version(assessment) if assessment.state != par.ESTABLISHED.value else None
    answers: dict[str, Any] = {
        "19.5.1": GIVER,
        "19.5.4": by.name if by else "",
        "19.5.5": "PAR-coördinator",
        "19.5.6": local_date(found.established_at).isoformat(),
        "19.5.7": f"Rijksbreed privacyadvies over versie {advised.version.number}: "
        f"{found.conclusion_label}"
        if advised
        else f"Rijksbreed privacyadvies: {found.conclusion_label}",
        "19.5.8": f"versie {offered.number}" if offered else "",
    }
    dossier = [
        {
            "_id": f"p{found.id:07d}",
            "soort": "Rijksbreed privacyadvies (PAR)",
            "naam": found.conclusion_label.capitalize(),
            "versie": f"over versie {advised.version.number}" if advised else "",
            "locatie": "PIA Rijk",
        }
    ]
    dossier += [
        {
            "_id": f"b{d.id:07d}",
            "soort": "Instemming" if d.kind == DecisionKind.CONSENT else "Besluit",
            "naam": f"{d.body}: {d.label} ({terms.dutch_date(d.decided_on)})",
            "versie": "",
            "locatie": d.reference,
        }
        for d in all_decisions(assessment)
        if d.offer == found.offer
    ]
    answers["19.3"] = dossier
    return answers
