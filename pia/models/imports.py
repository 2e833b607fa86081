"""What an import from the Invulhulpen could not place: kept with the assessment."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pia.extensions import db
from pia.models.assessments import Assessment
from pia.models.types import UTCDateTime, utcnow
from pia.models.users import User


class ImportRecord(db.Model):
    """One import of a file from the Invulhulpen: its forms and the answers left over."""

    __tablename__ = "import_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    forms: Mapped[str] = mapped_column(String(200))  # their urns, comma separated
    # [{"deel", "vraag", "waarde", "reden"}], in the order of the result page
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    assessment: Mapped[Assessment] = relationship()
    created_by: Mapped[User] = relationship()
    images: Mapped[list["ImportImage"]] = relationship(
        back_populates="record", order_by="ImportImage.id", cascade="all, delete-orphan"
    )


class ImportImage(db.Model):
    """An image from their file, checked (raster type, size) before it was kept."""

    __tablename__ = "import_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("import_records.id"), index=True)
    question: Mapped[str] = mapped_column(String(500))
    row_id: Mapped[str] = mapped_column(String(20), default="")  # our row in §1 (1.1)
    mimetype: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    record: Mapped[ImportRecord] = relationship(back_populates="images")
