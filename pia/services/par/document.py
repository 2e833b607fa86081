"""The rijksbreed privacyadvies as a Word file, from the PAR record (a concept until it
is established)."""

from __future__ import annotations

from pia.documents.par_advice import par_advice_context
from pia.models import Assessment, DecisionKind, DocumentKind, GeneratedDocument, User
from pia.services import documents
from pia.services.assessments import AssessmentError
from pia.services.par import adoption, overview
from pia.services.par.employees import employee_data
from pia.services.par.record import decisions, trajectory
from pia.services.par.sections import established_advice
from pia.services.review.record import today
from pia.templating import local_datetime, state_label
from workflows import par, terms


def _decision_rows(assessment: Assessment, offer: int, kind: DecisionKind) -> list[dict]:
    return [
        {
            "overleg": d.body,
            "besluit": d.label,
            "datum": terms.dutch_date(d.decided_on),
            "verwijzing": d.reference,
            "opmerkingen": d.remarks,
        }
        for d in (decisions(assessment, offer, kind) if offer else [])
    ]


def advice_document_context(assessment: Assessment, actor: User, version: int) -> dict:
    """What the PAR advice template shows, from the record as it is now."""
    return par_advice_context(
        meta=documents.document_meta(assessment, actor, version), **_parts(assessment)
    )


def report_section(assessment: Assessment) -> dict | None:
    """§19 of the DPIA report of a government-wide DPIA: the established PAR advice."""
    if established_advice(assessment) is None:
        return None
    return par_advice_context(meta={}, **_parts(assessment))


def _parts(assessment: Assessment) -> dict:
    """The advice, positions, conditions and decisions, as document rows."""
    found = trajectory(assessment)
    if found is None or found.advice_drafted_at is None or not found.advice_conclusion:
        raise AssessmentError("Er is nog geen rijksbreed privacyadvies opgesteld.")
    sent = overview.sent_rounds(assessment)
    advised = sent[-1] if sent else None
    final = found.established_at is not None and assessment.state in par.FINAL
    cells = overview.matrix(assessment, advised, today()) if advised else []
    positions = []
    for cell in cells:
        given = cell.position
        reasoning = given.reasoning if given else ""
        if given and given.conditions:
            reasoning += f"\nVoorwaarden: {given.conditions}"
        positions.append(
            {
                "ministerie": f"{cell.organisation.name} ({cell.organisation.abbreviation})",
                "standpunt": cell.status,
                "onderbouwing": reasoning,
                "door": f"{given.given_by.name}, {local_datetime(given.updated_at, False)}"
                if given
                else "",
            }
        )
    staff = employee_data(assessment).processed
    responded = sum(1 for c in cells if c.position)
    return dict(
        advice={
            "concept": not final,
            "stand": f"Stand: {state_label(assessment.state, True).lower()}.",
            "status": "Vastgesteld" if final else "Concept",
            "initiatiefnemer": assessment.owner.name + ", " + assessment.organisation.name
            if assessment.owner
            else assessment.organisation.name,
            "versie": str(advised.version.number) if advised else "",
            "versie_datum": local_datetime(advised.version.created_at, False) if advised else "",
            "conclusie": found.conclusion_label.capitalize(),
            "samenvatting": found.advice_summary,
            "risicos": found.advice_risks,
            "vastgesteld": local_datetime(found.established_at, False) if final else "",
            "ronde": f"Ronde {advised.number}: {responded} van {len(cells)} ministeries gereageerd."
            if advised
            else "",
            "instemming_nodig": "Er worden gegevens van medewerkers verwerkt; de GOR Rijk moet "
            "instemmen (artikel 27 WOR)."
            if staff
            else "Er worden geen gegevens van medewerkers verwerkt; instemming van de GOR Rijk "
            "is niet nodig.",
        },
        positions=positions,
        conditions=[
            {
                "nummer": str(c.number),
                "tekst": c.text,
                "ministeries": ", ".join(c.ministries) or "—",
                "opvolging": c.response_label + (f": {c.explanation}" if c.explanation else "")
                if c.response
                else "—",
            }
            for c in adoption.conditions(found)
        ],
        decisions=_decision_rows(assessment, found.offer, DecisionKind.APPROVAL),
        consent=_decision_rows(assessment, found.offer, DecisionKind.CONSENT),
    )


def generate_par_advice(assessment: Assessment, *, actor: User) -> GeneratedDocument:
    """Make the rijksbreed privacyadvies as a Word file and record it."""
    kind = DocumentKind.PAR_ADVICE
    version = documents.next_version(assessment, kind, None)
    context = advice_document_context(assessment, actor, version)
    template = documents.template_in_use(kind)
    content = documents.render_with(template, context)
    stem = "par-advies" if not context["par"]["concept"] else "par-advies concept"
    filename = documents.safe_filename(f"{stem} {assessment.title} v{version}", "docx")
    return documents.store_document(assessment, kind, template, content, filename, actor=actor)
