"""An assessment as a file for the Invulhulpen: the pre-scan, or the DPIA with its pre-scan.

Only answers their form has go into the file; the rest is named on the download page.
"""

from __future__ import annotations

import json
from base64 import b64encode
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from forms.invulhulp import PRESCAN_ANSWERS, SCHEMA_URL, FormMapping, mapping_for_definition
from forms.invulhulp.writing import LeftOut, Writing, write_answers
from pia.extensions import db
from pia.models import Answer, Assessment, ImportImage, ImportRecord, Questionnaire, User
from pia.models.types import utcnow
from pia.services.assessments import load_answers
from pia.services.questionnaires import definition_for

FORMS = ("prescan", "dpia")


class NotExportable(ValueError):
    """This form cannot be exported for this assessment (no DPIA, or no mapping)."""


def _mapping(assessment: Assessment, questionnaire: Questionnaire) -> FormMapping | None:
    definition = definition_for(assessment, questionnaire)
    return mapping_for_definition(*definition.key)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write(assessment: Assessment, questionnaire: Questionnaire) -> Writing:
    mapping = _mapping(assessment, questionnaire)
    if mapping is None:
        raise NotExportable("Voor deze versie van de vragenlijst is er geen Invulhulp-formaat.")
    definition = definition_for(assessment, questionnaire)
    saved = db.session.execute(
        select(Answer.question_id, Answer.updated_at).where(
            Answer.assessment_id == assessment.id, Answer.questionnaire == questionnaire
        )
    )
    times = {question_id: _stamp(moment) for question_id, moment in saved}
    answers = load_answers(assessment, questionnaire)
    images = _images(assessment) if questionnaire is Questionnaire.DPIA else {}
    return write_answers(mapping, definition, answers, times or _stamp(utcnow()), images)


def _images(assessment: Assessment) -> dict[str, dict[str, str]]:
    """The images that came with an import, as their image objects, by our row in §1."""
    found = db.session.scalars(
        select(ImportImage)
        .join(ImportRecord)
        .where(ImportRecord.assessment_id == assessment.id, ImportImage.row_id != "")
    )
    result = {}
    for image in found:
        value = {"data": f"data:{image.mimetype};base64,{b64encode(image.content).decode()}"}
        for key in ("title", "description", "source"):
            if getattr(image, key):
                value[key] = getattr(image, key)
        result[image.row_id] = value
    return result


def available(assessment: Assessment) -> list[str]:
    """The forms this assessment can be downloaded as."""
    forms = []
    if _mapping(assessment, Questionnaire.PRESCAN) is not None:
        forms.append("prescan")
    if assessment.has_dpia and _mapping(assessment, Questionnaire.DPIA) is not None:
        forms.append("dpia")
    return forms


def export_document(assessment: Assessment, form: str, *, actor: User) -> dict[str, Any]:
    """Their assessment output v2 for one form; the DPIA carries its pre-scan too."""
    if form not in available(assessment):
        raise NotExportable(f"Dit assessment kan niet als {form} naar de Invulhulp.")
    now = _stamp(utcnow())
    questionnaire = Questionnaire.PRESCAN if form == "prescan" else Questionnaire.DPIA
    mapping = _mapping(assessment, questionnaire)
    assert mapping is not None
    document: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "metadata": {
            "urn": mapping.urn,
            "createdAt": now,
            "createdBy": {"name": actor.name, "email": actor.email},
        },
        "answers": _write(assessment, questionnaire).answers,
    }
    if form == "dpia":
        document[PRESCAN_ANSWERS] = _write(assessment, Questionnaire.PRESCAN).answers
    return document


def export_json(assessment: Assessment, form: str, *, actor: User) -> str:
    return json.dumps(export_document(assessment, form, actor=actor), ensure_ascii=False, indent=2)


def left_out(assessment: Assessment) -> dict[str, list[LeftOut]]:
    """Per form: the answers of ours that the file for the Invulhulp does not carry."""
    result = {}
    for form in available(assessment):
        questionnaire = Questionnaire.PRESCAN if form == "prescan" else Questionnaire.DPIA
        result[form] = _write(assessment, questionnaire).left_out
    return result
