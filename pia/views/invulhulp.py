"""The Invulhulpen: the result of an import (what did not come across), and the export."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from pia.extensions import db
from pia.models import ImportImage, ImportRecord
from pia.permissions import can_export_assessment, can_view_assessment
from pia.services import audit, invulhulp_export
from pia.views.assessments import get_assessment

bp = Blueprint("invulhulp", __name__, url_prefix="/assessments")


def _record(assessment_id: int, record_id: int) -> ImportRecord:
    assessment = get_assessment(assessment_id, check=can_view_assessment)
    record = db.get_or_404(ImportRecord, record_id)
    if record.assessment_id != assessment.id:
        abort(404)
    return record


@bp.get("/<int:assessment_id>/import/<int:record_id>")
def result(assessment_id: int, record_id: int):
    """What an import from the Invulhulp brought, and every answer it could not place."""
    record = _record(assessment_id, record_id)
    return render_template("invulhulp/result.html", assessment=record.assessment, record=record)


@bp.get("/<int:assessment_id>/import/<int:record_id>/afbeelding/<int:image_id>")
def image(assessment_id: int, record_id: int, image_id: int):
    """An image from the imported file (checked on import: a raster type, not too large)."""
    record = _record(assessment_id, record_id)
    found = db.get_or_404(ImportImage, image_id)
    if found.record_id != record.id:
        abort(404)
    return Response(
        found.content,
        mimetype=found.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="afbeelding-{found.id}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/<int:assessment_id>/invulhulp")
def export_page(assessment_id: int):
    """Download for the Invulhulp, with the answers the file cannot carry named."""
    assessment = get_assessment(assessment_id, check=can_export_assessment)
    return render_template(
        "invulhulp/export.html",
        assessment=assessment,
        forms=invulhulp_export.available(assessment),
        left_out=invulhulp_export.left_out(assessment),
    )


@bp.get("/<int:assessment_id>/invulhulp/<form_name>.json")
def download(assessment_id: int, form_name: str):
    """The file for the Invulhulp (assessment output v2): the pre-scan, or the DPIA."""
    assessment = get_assessment(assessment_id, check=can_export_assessment)
    if form_name not in invulhulp_export.available(assessment):
        abort(404)
    body = invulhulp_export.export_json(assessment, form_name, actor=current_user)
    audit.record(
        "assessment.exported",
        object_type="assessment",
        object_id=assessment.id,
        summary=f"“{assessment.title}” gedownload voor de Invulhulp ({form_name})",
    )
    db.session.commit()
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="invulhulp-{form_name}-{assessment.id}.json"'
            )
        },
    )
