"""Import a file from the Invulhulpen (the government's fill-in tool) as a new assessment.

All or nothing, as our own import: a file whose shape is wrong changes nothing. A file of
the right shape imports; every answer without a place here is listed (their question,
their value, why) on the result page and kept with the assessment as an import note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from forms.invulhulp import PRESCAN_ANSWERS, mapping_for_urn
from forms.invulhulp.reading import read_answers
from forms.invulhulp.result import Reading
from forms.invulhulp.shape import document_problems, looks_like_theirs
from forms.loader import get_definition
from pia.extensions import db
from pia.formkit import strip_control
from pia.models import Assessment, ImportImage, ImportRecord, Questionnaire, User
from pia.models.types import utcnow
from pia.services import audit, transfer
from pia.services.assessments import create_assessment, store_answers
from workflows.terms import dutch_date

PARTS = {"prescan": ("pre-scan", Questionnaire.PRESCAN), "dpia": ("DPIA", Questionnaire.DPIA)}
SUPPORTED = "de pre-scan versie 2.0 en de DPIA versie 3.0"


@dataclass
class ImportOutcome:
    assessment: Assessment | None = None
    problems: list[str] = field(default_factory=list)
    record: ImportRecord | None = None


def import_file(data: bytes, *, actor: User, file_name: str = "") -> ImportOutcome:
    """One of our export files, or one of theirs: a new assessment, or the problems."""
    if transfer.json_too_deep(data):
        return ImportOutcome(
            problems=[
                f"Het bestand is te diep genest (meer dan {transfer.MAX_JSON_DEPTH} niveaus)."
            ]
        )
    try:
        document = strip_control(json.loads(data))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ImportOutcome(problems=["Het bestand is geen geldig JSON-bestand."])
    if not looks_like_theirs(document):
        assessment, problems = transfer.import_document(data, actor=actor)
        return ImportOutcome(assessment=assessment, problems=problems)
    return _import_theirs(document, actor=actor, file_name=file_name)


def _readings(document: dict[str, Any]) -> tuple[dict[str, Reading], list[str]]:
    """Their answers per form of ours (prescan, dpia), converted; or the problems."""
    problems = document_problems(document)
    if problems:
        return {}, problems
    urn = document["metadata"]["urn"]
    mapping = mapping_for_urn(urn)
    if mapping is None:
        return {}, [
            f"Dit bestand is van een vragenlijst die PIA Rijk niet kent ({urn}); "
            f"PIA Rijk leest {SUPPORTED}."
        ]
    if mapping.definition_key is None:
        return {}, [f"Dit bestand is een {mapping.form.upper()} ({urn}). {mapping.not_mappable}"]
    parts = {mapping.definition_key[0]: (mapping, document["answers"])}
    if PRESCAN_ANSWERS in document:
        if mapping.form != "dpia":
            return {}, [f"Alleen een DPIA kan ‘{PRESCAN_ANSWERS}’ bevatten, dit bestand is {urn}."]
        prescan = mapping_for_urn("urn:nl:prescan:2.0")
        assert prescan is not None
        parts["prescan"] = (prescan, document[PRESCAN_ANSWERS])
    readings = {}
    for name, (part_mapping, answers) in parts.items():
        assert part_mapping.definition_key is not None
        definition = get_definition(*part_mapping.definition_key)
        readings[name] = read_answers(part_mapping, definition, answers, PARTS[name][0])
        problems += readings[name].problems
    return readings, problems


def _title(readings: dict[str, Reading]) -> str:
    dpia = readings.get("dpia")
    operations = dpia.answers.get("3", []) if dpia else []
    name = next((row.get("naam") for row in operations if row.get("naam")), None)
    if name is None and "prescan" in readings:
        described = str(readings["prescan"].answers.get("0.2", "")).strip()
        name = described.splitlines()[0][:80] if described else None
    return (
        f"Uit de Invulhulp: {name}"[:200]
        if name
        else (f"Uit de Invulhulp geïmporteerd op {dutch_date(utcnow().date())}")
    )


def _import_theirs(document: dict[str, Any], *, actor: User, file_name: str) -> ImportOutcome:
    readings, problems = _readings(document)
    if problems:
        return ImportOutcome(problems=problems)
    if actor.organisation is None or not actor.organisation.active:
        return ImportOutcome(problems=["Uw organisatie is gedeactiveerd; u kunt niet importeren."])
    assessment = create_assessment(
        title=_title(readings),
        description="",
        organisation=actor.organisation,
        government_wide=False,
        owner=actor,
    )
    if "prescan" in readings:
        store_answers(assessment, Questionnaire.PRESCAN, readings["prescan"].answers, actor=actor)
    if "dpia" in readings:
        assessment.dpia_definition, assessment.dpia_version = get_definition("dpia", "3.0").key
        assessment.dpia_started_at = utcnow()
        store_answers(assessment, Questionnaire.DPIA, readings["dpia"].answers, actor=actor)
    notes = [note.as_dict() for reading in readings.values() for note in reading.notes]
    urns = [document["metadata"]["urn"]]
    if PRESCAN_ANSWERS in document:
        urns.append("urn:nl:prescan:2.0")
    record = ImportRecord(
        assessment=assessment,
        created_by=actor,
        file_name=file_name[:255],
        forms=", ".join(urns),
        notes=notes,
    )
    for reading in readings.values():
        for where, image, row_id in reading.images:
            record.images.append(
                ImportImage(
                    question=where[:500],
                    row_id=row_id,
                    mimetype=image.mimetype,
                    size=len(image.data),
                    title=image.title,
                    description=image.description,
                    source=image.source,
                    content=image.data,
                )
            )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "assessment.imported",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=(
            f"Assessment “{assessment.title}” geïmporteerd uit de Invulhulp ({record.forms}); "
            f"{len(notes)} antwoord(en) niet overgenomen"
        ),
    )
    return ImportOutcome(assessment=assessment, record=record)


def records_of(assessment: Assessment) -> list[ImportRecord]:
    """The imports that made this assessment, newest first (for the overview)."""
    return list(
        db.session.scalars(
            select(ImportRecord)
            .where(ImportRecord.assessment_id == assessment.id)
            .order_by(ImportRecord.id.desc())
        )
    )
