"""The history of one assessment, on a page and as CSV."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, render_template, request
from sqlalchemy import select

from pia.extensions import db
from pia.formkit import MAX_PAGE, parse_int
from pia.models import (
    AuditEvent,
)
from pia.services import audit, review
from pia.services.spreadsheets import csv_cell
from pia.views.assessments import get_assessment
from pia.views.review import bp, may_view_history

# -- history ----------------------------------------------------------------------------------


HISTORY_PAGE = 50


def _history_query(assessment):
    return select(AuditEvent).where(
        AuditEvent.object_type == "assessment",
        AuditEvent.object_id == str(assessment.id),
    )


def _history(assessment) -> list[AuditEvent]:
    return list(db.session.scalars(_history_query(assessment).order_by(AuditEvent.id)))


@bp.get("/historie")
def history(assessment_id: int):
    """Every recorded event of this assessment: who, when, from where, what changed."""
    assessment = get_assessment(assessment_id)
    if not may_view_history(assessment):
        abort(403)
    page = db.paginate(
        _history_query(assessment).order_by(AuditEvent.id.desc()),
        page=parse_int(request.args.get("pagina"), high=MAX_PAGE) or 1,
        per_page=HISTORY_PAGE,
        error_out=False,
    )
    return render_template(
        "review/history.html",
        assessment=assessment,
        page=page,
        question_name=_question_namer(assessment),
    )


def _question_namer(assessment):
    """Names the questions of a saved change in words (pre-scan or DPIA)."""
    from pia.models import Questionnaire
    from pia.questionnaire_view import question_words
    from pia.services import questionnaires

    definitions = [questionnaires.definition_for(assessment, Questionnaire.PRESCAN)]
    if assessment.has_dpia:
        definitions.insert(0, questionnaires.definition_for(assessment, Questionnaire.DPIA))

    def name(question_id: str, questionnaire: str | None = None) -> str:
        for definition in definitions:
            if questionnaire and definition.id != questionnaire:
                continue
            if definition.has_question(question_id):
                words = question_words(definition, question_id, question_id.split(".")[0])
                return words[0].upper() + words[1:]
        return f"Vraag {question_id}"

    return name


CSV_COLUMNS = (
    "id",
    "tijdstip_utc",
    "actor",
    "ip_adres",
    "actie",
    "samenvatting",
    "details_json",
    "vorige_hash",
    "hash",
)


@bp.get("/historie.csv")
def history_csv(assessment_id: int):
    """The history as CSV (UTF-8 with BOM for Excel, ';' separated)."""
    assessment = get_assessment(assessment_id)
    if not may_view_history(assessment):
        abort(403)
    events = _history(assessment)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [
                str(e.id),
                e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                csv_cell(e.actor_label),
                e.ip_address,
                e.action,
                csv_cell(e.summary),
                csv_cell(json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
                e.prev_hash,
                e.hash,
            ]
        )
    audit.record(
        "assessment.history_downloaded",
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Geschiedenis van “{assessment.title}” gedownload als CSV",
    )
    db.session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="historie-assessment-{assessment.id}'
            f'-{review.today().isoformat()}.csv"'
        },
    )
