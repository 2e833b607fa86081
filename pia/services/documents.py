"""Documents: template versions, generating the DPIA report, records of every document made."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pia import ROOT
from pia.documents import pdf, samples
from pia.documents.advice import advice_context
from pia.documents.rendering import TemplateProblem, render_docx, try_template
from pia.documents.report import report_context
from pia.extensions import db
from pia.models import (
    Assessment,
    DocumentKind,
    DocumentTemplate,
    GeneratedDocument,
    Questionnaire,
    User,
)
from pia.models.types import utcnow
from pia.services import audit
from pia.services.assessments import AssessmentError, load_answers
from pia.services.questionnaires import definition_for, prescan_outcome
from pia.templating import local_datetime, state_label

BUILTIN_DIR = ROOT / "templates" / "docx"


@dataclass(frozen=True)
class TemplateInUse:
    """The template a document is made with: an uploaded version, or the built-in file (0)."""

    kind: DocumentKind
    template_id: int | None
    version: int
    content: bytes
    filename: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def builtin_path(kind: DocumentKind) -> Path:
    """The built-in template of a kind, committed in templates/docx/."""
    return BUILTIN_DIR / f"{kind.value}.docx"


def template_in_use(kind: DocumentKind) -> TemplateInUse:
    """The active uploaded version of a kind, else the built-in file."""
    row = db.session.scalar(
        select(DocumentTemplate).where(
            DocumentTemplate.kind == kind.value, DocumentTemplate.active.is_(True)
        )
    )
    if row is not None:
        return TemplateInUse(kind, row.id, row.version, row.content, row.filename)
    path = builtin_path(kind)
    return TemplateInUse(kind, None, 0, path.read_bytes(), path.name)


def versions(kind: DocumentKind) -> list[DocumentTemplate]:
    """Every uploaded version of a kind, newest first."""
    return list(
        db.session.scalars(
            select(DocumentTemplate)
            .where(DocumentTemplate.kind == kind.value)
            .order_by(DocumentTemplate.version.desc())
        )
    )


def render_with(
    template: TemplateInUse,
    context: dict[str, Any],
    images: dict[str, tuple[bytes, float]] | None = None,
) -> bytes:
    """Render a document with the template in use; AssessmentError (in words) when it fails."""
    try:
        return render_docx(template.content, context, images)
    except TemplateProblem as problem:
        which = f"versie {template.version}" if template.version else "het ingebouwde sjabloon"
        raise AssessmentError(
            f"{template.kind.label} kon niet worden gemaakt met het sjabloon ({which}): "
            f"{problem}. Vraag een beheerder het sjabloon na te kijken onder Beheer, Sjablonen."
        ) from problem


def upload_template(kind: DocumentKind, filename: str, data: bytes, *, actor: User):
    """Try a new template on the full sample context; keep it as the active version if it works.

    Raises TemplateProblem (with the reason) and leaves the current template active
    when it does not; the refusal is written to the audit log.
    """
    context, images = samples.sample(kind)
    try:
        try_template(data, context, images)
    except TemplateProblem as problem:
        audit.record(
            "document_template.refused",
            actor=actor,
            object_type="document_template",
            object_id=kind.value,
            summary=f"Sjabloon {kind.label} geweigerd: {str(problem)[:300]}",
            details={"filename": filename[:200], "sha256": hashlib.sha256(data).hexdigest()},
        )
        raise
    latest = db.session.scalar(
        select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind.value)
    )
    for row in versions(kind):
        row.active = False
    template = DocumentTemplate(
        kind=kind.value,
        version=(latest or 0) + 1,
        filename=safe_filename(Path(filename).stem, "docx", fallback=kind.value),
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        active=True,
        uploaded_by=actor,
    )
    db.session.add(template)
    db.session.flush()
    audit.record(
        "document_template.uploaded",
        actor=actor,
        object_type="document_template",
        object_id=template.id,
        summary=f"Sjabloon {kind.label} versie {template.version} geüpload en in gebruik",
        details={"kind": kind.value, "version": template.version, "sha256": template.sha256},
    )
    return template


def activate_template(kind: DocumentKind, version: int, *, actor: User) -> None:
    """Use an earlier uploaded version again, or (version 0) the built-in template."""
    chosen = None
    for row in versions(kind):
        row.active = row.version == version
        if row.active:
            chosen = row
    if version != 0 and chosen is None:
        raise AssessmentError("Deze versie van het sjabloon bestaat niet.")
    audit.record(
        "document_template.activated",
        actor=actor,
        object_type="document_template",
        object_id=chosen.id if chosen else kind.value,
        summary=f"Sjabloon {kind.label}: "
        + (f"versie {version} in gebruik" if chosen else "ingebouwd sjabloon in gebruik"),
        details={"kind": kind.value, "version": version},
    )


def safe_filename(stem: str, extension: str, *, fallback: str = "document") -> str:
    """A file name of ASCII letters, digits and hyphens only (never a path, never a quote)."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-").lower()[:80]
    return f"{slug or fallback}.{extension}"


def document_meta(assessment: Assessment, actor: User, version: int) -> dict[str, str]:
    """What every document says about where it comes from."""
    return {
        "titel": assessment.title,
        "assessment": assessment.title,
        "omschrijving": assessment.description,
        "organisatie": assessment.organisation.name,
        "soort": "Rijksbreed (PAR-procedure)" if assessment.government_wide else "Departementaal",
        "status": state_label(assessment.state),
        "datum": local_datetime(utcnow(), with_time=False),
        "documentversie": str(version),
        "gemaakt_door": actor.name,
    }


def next_version(assessment: Assessment, kind: DocumentKind, agreement_id: int | None) -> int:
    """1 + the number of documents of this kind made before (per agreement for agreements)."""
    query = select(func.count(GeneratedDocument.id)).where(
        GeneratedDocument.assessment_id == assessment.id
    )
    if agreement_id is None:
        query = query.where(GeneratedDocument.kind == kind.value)
    else:
        query = query.where(GeneratedDocument.agreement_id == agreement_id)
    return (db.session.scalar(query) or 0) + 1


def store_document(
    assessment: Assessment,
    kind: DocumentKind,
    template: TemplateInUse,
    content: bytes,
    filename: str,
    *,
    actor: User,
    agreement_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> GeneratedDocument:
    """Record a generated document (with the template version that made it) and audit it."""
    document = GeneratedDocument(
        assessment_id=assessment.id,
        kind=kind.value,
        agreement_id=agreement_id,
        template_id=template.template_id,
        template_version=template.version,
        template_sha256=template.sha256,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        created_by=actor,
    )
    db.session.add(document)
    db.session.flush()
    audit.record(
        "document.generated",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"{kind.label} gemaakt ({filename}, "
        + (
            "met het ingebouwde sjabloon)"
            if template.version == 0
            else f"met sjabloonversie {template.version})"
        ),
        details={
            "document_id": document.id,
            "kind": kind.value,
            "template_version": template.version,
            "sha256": document.sha256,
            **(details or {}),
        },
    )
    return document


def report_inputs(assessment: Assessment, actor: User, version: int):
    """The report's context and images for an assessment (the benchmark times this too).

    §19 and §20 come from the procedure's record (versions, advice, signatures).
    """
    from pia.services import review

    definition = definition_for(assessment, Questionnaire.DPIA)
    answers = load_answers(assessment, Questionnaire.DPIA) | review.workflow_answers(assessment)
    context, images = report_context(
        definition,
        answers,
        meta=document_meta(assessment, actor, version),
        prescan=prescan_outcome(assessment),
    )
    if assessment.government_wide:
        from pia.services.par.document import report_section

        context["par_advies"] = report_section(assessment)
        if context["par_advies"] is not None:
            par_advice = context["par_advies"]["par"]
            context["samenvatting"]["fg"] = (
                f"Rijksbreed privacyadvies: {par_advice['conclusie'].lower()} "
                f"(vastgesteld op {par_advice['vastgesteld']})"
            )
    advice = review.current_advice(assessment)
    if advice is not None and context.get("fg_advies") is not None:
        context["fg_advies"]["oordeel"] = f"{advice.conclusion_label}. {advice.reasoning}"
        context["fg_advies"]["aanbevelingen"] = review.advice_follow_up(advice)
        context["samenvatting"]["fg"] = (
            f"{advice.conclusion_label} ({context['fg_advies']['datum']})"
        )
    return context, images


def generate_advice(assessment: Assessment, advice, *, actor: User) -> GeneratedDocument:
    """Make the FG's advice as a Word file and record it."""
    from pia.services import review

    kind = DocumentKind.FG_ADVICE
    version = next_version(assessment, kind, None)
    definition = definition_for(assessment, Questionnaire.DPIA)
    titles = {s.id: s.title for s in definition.sections}
    context = advice_context(
        meta=document_meta(assessment, actor, version),
        conclusion=advice.conclusion_label,
        reasoning=advice.reasoning,
        fg_name=advice.fg_name,
        fg_function=advice.fg_function,
        given_on=local_datetime(advice.given_at, with_time=False),
        version=str(advice.version.number),
        version_date=local_datetime(advice.version.created_at, with_time=False),
        findings=[
            (f"{sid}. {titles.get(sid, '')}", text)
            for sid, text in sorted(advice.findings.items(), key=lambda kv: _section_key(kv[0]))
        ],
        recommendations=review.advice_follow_up(advice),
        processed_in=(
            f"versie {advice.processed_version.number}" if advice.processed_version else ""
        ),
    )
    template = template_in_use(kind)
    content = render_with(template, context)
    filename = safe_filename(f"fg-advies {assessment.title} v{advice.version.number}", "docx")
    document = store_document(
        assessment, kind, template, content, filename, actor=actor, details={"advice_id": advice.id}
    )
    document.advice_id = advice.id
    return document


def _section_key(section_id: str) -> tuple[int, str]:
    return (int(section_id), "") if section_id.isdigit() else (10_000, section_id)


def generate_report(assessment: Assessment, *, actor: User) -> GeneratedDocument:
    """Make the DPIA report as a Word file and record it."""
    if not assessment.has_dpia:
        raise AssessmentError("Start eerst de DPIA; het rapport volgt de antwoorden in de DPIA.")
    kind = DocumentKind.DPIA_REPORT
    version = next_version(assessment, kind, None)
    context, images = report_inputs(assessment, actor, version)
    template = template_in_use(kind)
    content = render_with(template, context, images)
    filename = safe_filename(f"dpia-rapport {assessment.title} v{version}", "docx")
    return store_document(assessment, kind, template, content, filename, actor=actor)


def documents_of(assessment: Assessment) -> list[GeneratedDocument]:
    """Every document made for an assessment, newest first."""
    return list(
        db.session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.assessment_id == assessment.id)
            .order_by(GeneratedDocument.id.desc())
        )
    )


def record_download(document: GeneratedDocument, fmt: str, *, actor: User) -> None:
    """Write a download to the audit log."""
    audit.record(
        "document.downloaded",
        actor=actor,
        object_type="assessment",
        object_id=document.assessment_id,
        summary=f"{document.kind_label} gedownload als {fmt.upper()} ({document.filename})",
        details={"document_id": document.id, "format": fmt, "sha256": document.sha256},
    )


def pdf_of(document: GeneratedDocument, program: str | None) -> bytes:
    """The document as PDF (converted once, then kept). Raises pdf.PdfUnavailable/PdfFailed."""
    if document.pdf is None:
        document.pdf = pdf.to_pdf(document.content, program=program)
    return document.pdf
