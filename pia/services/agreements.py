"""Processor agreements: pick a processor from §6, keep a draft, generate the document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forms.conditions import effective_answers
from forms.model import Definition
from pia.documents import processors
from pia.documents.agreement import agreement_context, prefill
from pia.documents.processors import Facts, Party
from pia.extensions import db
from pia.models import (
    Assessment,
    GeneratedDocument,
    Organisation,
    ProcessorAgreement,
    Questionnaire,
    User,
)
from pia.models.types import utcnow
from pia.services import audit
from pia.services.assessments import AssessmentError, load_answers
from pia.services.documents import (
    document_meta,
    next_version,
    render_with,
    safe_filename,
    store_document,
    template_in_use,
)
from pia.services.questionnaires import definition_for


def _dpia(assessment: Assessment) -> tuple[Definition, dict[str, Any]]:
    if not assessment.has_dpia:
        raise AssessmentError(
            "Start eerst de DPIA: de verwerker kiest u uit de partijen in onderdeel 6."
        )
    definition = definition_for(assessment, Questionnaire.DPIA)
    answers = effective_answers(definition, load_answers(assessment, Questionnaire.DPIA))
    return definition, answers


def processors_of(assessment: Assessment) -> list[Party]:
    """The parties of §6 with the role verwerker (one entry per name)."""
    definition, answers = _dpia(assessment)
    return processors.parties(definition, answers, processors.PROCESSOR)


def agreements_of(assessment: Assessment) -> list[ProcessorAgreement]:
    """The draft agreements of an assessment, oldest first."""
    return list(
        db.session.scalars(
            select(ProcessorAgreement)
            .where(ProcessorAgreement.assessment_id == assessment.id)
            .order_by(ProcessorAgreement.id)
        )
    )


def facts_for(agreement: ProcessorAgreement) -> Facts:
    """What the DPIA says now about this agreement's processor."""
    definition, answers = _dpia(agreement.assessment)
    return processors.facts(definition, answers, agreement.party_id)


def state_organisation_names() -> set[str]:
    """Names and abbreviations of the organisations in the app (all part of the State)."""
    names: set[str] = set()
    for org in db.session.scalars(select(Organisation)):
        names.add(" ".join(org.name.split()).casefold())
        names.add(org.abbreviation.casefold())
    return names


def _signatory(answers: dict[str, Any]) -> dict[str, str] | None:
    rows = answers.get("20.1") or []
    return rows[0] if rows else None


def start_agreement(assessment: Assessment, party_id: str, *, actor: User) -> ProcessorAgreement:
    """The draft for this processor: the existing one, or a new one pre-filled from the DPIA."""
    definition, answers = _dpia(assessment)
    party = processors.processor(definition, answers, party_id)
    if party is None:
        raise AssessmentError("Deze partij staat niet (meer) als verwerker in onderdeel 6.")
    existing = db.session.scalar(
        select(ProcessorAgreement).where(
            ProcessorAgreement.assessment_id == assessment.id,
            ProcessorAgreement.party_id == party.party_id,
        )
    )
    if existing is not None:
        return existing
    fields = prefill(
        processors.facts(definition, answers, party.party_id),
        organisation=assessment.organisation.name,
        signatory=_signatory(answers),
        state_organisations=state_organisation_names(),
    )
    agreement = ProcessorAgreement(
        assessment_id=assessment.id,
        party_id=party.party_id,
        processor_name=party.name[:200],
        fields=fields,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    db.session.add(agreement)
    db.session.flush()
    audit.record(
        "agreement.started",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Verwerkersovereenkomst met {party.name} begonnen (concept)",
        details={"agreement_id": agreement.id, "party_id": party.party_id},
    )
    return agreement


def save_agreement(agreement: ProcessorAgreement, fields: dict[str, Any], *, actor: User) -> None:
    """Store the draft's fields as the user left them."""
    changed = sorted(
        k for k in set(fields) | set(agreement.fields) if fields.get(k) != agreement.fields.get(k)
    )
    agreement.fields = dict(fields)
    agreement.updated_by_id, agreement.updated_at = actor.id, utcnow()
    if changed:
        audit.record(
            "agreement.saved",
            actor=actor,
            object_type="assessment",
            object_id=agreement.assessment_id,
            summary=f"Concept verwerkersovereenkomst met {agreement.processor_name} opgeslagen",
            details={"agreement_id": agreement.id, "changed": changed},
        )


def agreement_inputs(agreement: ProcessorAgreement, actor: User, version: int) -> dict[str, Any]:
    """The document context of an agreement (the benchmark times this too)."""
    definition, answers = _dpia(agreement.assessment)
    found = processors.facts(definition, answers, agreement.party_id)
    return agreement_context(
        definition,
        answers,
        found,
        agreement.fields,
        meta=document_meta(agreement.assessment, actor, version),
    )


def generate_agreement(agreement: ProcessorAgreement, *, actor: User) -> GeneratedDocument:
    """Make the agreement (or, within the State, the arrangements) and record it."""
    kind = agreement.kind
    assessment = agreement.assessment
    version = next_version(assessment, kind, agreement.id)
    context = agreement_inputs(agreement, actor, version)
    template = template_in_use(kind)
    content = render_with(template, context)
    filename = safe_filename(f"{kind.value} {agreement.processor_name} v{version}", "docx")
    return store_document(
        assessment,
        kind,
        template,
        content,
        filename,
        actor=actor,
        agreement_id=agreement.id,
        details={"processor": agreement.processor_name},
    )


def last_generated(agreement: ProcessorAgreement) -> GeneratedDocument | None:
    """The most recent document made from this draft."""
    return db.session.scalar(
        select(GeneratedDocument)
        .where(GeneratedDocument.agreement_id == agreement.id)
        .order_by(GeneratedDocument.id.desc())
        .limit(1)
    )
