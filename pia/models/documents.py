"""Documents: .docx template versions, processor-agreement drafts and generated documents."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.assessments import Assessment
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


class DocumentKind(StrEnum):
    """The kinds of document the app makes, each with its own template."""

    PROCESSOR_AGREEMENT = "verwerkersovereenkomst"
    PROCESSING_ARRANGEMENTS = "verwerkersafspraken"
    DPIA_REPORT = "dpia-rapport"
    FG_ADVICE = "fg-advies"
    PAR_ADVICE = "par-advies"

    @property
    def label(self) -> str:
        return {
            "verwerkersovereenkomst": "Verwerkersovereenkomst",
            "verwerkersafspraken": "Verwerkersafspraken (binnen de Staat)",
            "dpia-rapport": "DPIA-rapport",
            "fg-advies": "Advies van de FG",
            "par-advies": "Rijksbreed privacyadvies (PAR)",
        }[self.value]


_KINDS = ", ".join(f"'{k.value}'" for k in DocumentKind)


class DocumentTemplate(db.Model):
    """An uploaded version of a template; version 0 is the built-in file (not stored here)."""

    __tablename__ = "document_templates"
    __table_args__ = (
        UniqueConstraint("kind", "version"),
        CheckConstraint(f"kind IN ({_KINDS})", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User] = relationship()


class ProcessorAgreement(db.Model):
    """A draft processor agreement: one per assessment and processor (a §6 party row)."""

    __tablename__ = "processor_agreements"
    __table_args__ = (UniqueConstraint("assessment_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    # The "_id" of the §6 row that names the processor; its name is kept as it was.
    party_id: Mapped[str] = mapped_column(String(20))
    processor_name: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])

    @property
    def intra_state(self) -> bool:
        return bool(self.fields.get("binnen_staat"))

    @property
    def kind(self) -> DocumentKind:
        if self.intra_state:
            return DocumentKind.PROCESSING_ARRANGEMENTS
        return DocumentKind.PROCESSOR_AGREEMENT


class GeneratedDocument(db.Model):
    """A document as it was generated: which template version, who, when, and its bytes."""

    __tablename__ = "generated_documents"
    __table_args__ = (CheckConstraint(f"kind IN ({_KINDS})", name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("processor_agreements.id"), index=True
    )
    advice_id: Mapped[int | None] = mapped_column(ForeignKey("fg_advices.id"), index=True)
    # None and version 0: the built-in template.
    template_id: Mapped[int | None] = mapped_column(ForeignKey("document_templates.id"))
    template_version: Mapped[int] = mapped_column(Integer)
    template_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User] = relationship()
    agreement: Mapped[ProcessorAgreement | None] = relationship()

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label
