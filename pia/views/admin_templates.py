"""Beheer: the Word templates of the documents, versioned; an upload is tried before use."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from pia.documents.rendering import DOCX_MIMETYPE, MAX_TEMPLATE_BYTES, TemplateProblem
from pia.extensions import db
from pia.formkit import BaseForm, parse_int
from pia.models import DocumentKind, DocumentTemplate
from pia.permissions import requires_role
from pia.roles import Role
from pia.services import documents
from pia.services.assessments import AssessmentError

bp = Blueprint("admin_templates", __name__, url_prefix="/beheer/sjablonen")


class UploadForm(BaseForm):
    kind = SelectField(
        "Soort document",
        choices=[SelectChoice(k.value, k.label) for k in DocumentKind],
        validators=[InputRequired("Kies de soort document.")],
    )
    file = FileField(
        "Sjabloon (.docx)",
        description="Een Word-bestand met docxtpl-velden, zoals het ingebouwde sjabloon. "
        "PIA Rijk probeert het eerst met een volledig voorbeeld; lukt dat niet, dan blijft het "
        "huidige sjabloon in gebruik.",
        validators=[FileRequired("Kies een bestand.")],
    )


class ActivateForm(BaseForm):
    version = HiddenField(validators=[InputRequired()])


def _kind(name: str) -> DocumentKind:
    try:
        return DocumentKind(name)
    except ValueError:
        abort(404)


@bp.route("/", methods=["GET", "POST"])
@requires_role(Role.BEHEERDER)
def index():
    """Per kind: the template in use and its earlier versions; upload a new one."""
    form = UploadForm()
    problem = None
    if form.validate_on_submit():
        kind = DocumentKind(form.kind.data)
        data = form.file.data.read(MAX_TEMPLATE_BYTES + 1)
        try:
            template = documents.upload_template(
                kind, form.file.data.filename or "sjabloon.docx", data, actor=current_user
            )
        except TemplateProblem as exc:
            problem = str(exc)
            db.session.commit()  # the audit record of the refusal; nothing else changed
        else:
            db.session.commit()
            flash(
                f"Het sjabloon is goedgekeurd en in gebruik als {kind.label} versie "
                f"{template.version}.",
                "success",
            )
            return redirect(url_for(".index"))
    kinds = [(k, documents.template_in_use(k), documents.versions(k)) for k in DocumentKind]
    status = 400 if problem or form.errors else 200
    return render_template(
        "documents/templates.html",
        form=form,
        problem=problem,
        kinds=kinds,
        activate=ActivateForm(),
    ), status


@bp.post("/<kind_name>/activeren")
@requires_role(Role.BEHEERDER)
def activate(kind_name: str):
    """Use an earlier version again, or the built-in template (version 0)."""
    kind = _kind(kind_name)
    form = ActivateForm()
    if form.validate_on_submit():
        try:
            version = parse_int(form.version.data, low=0)
            if version is None:
                abort(404)
            documents.activate_template(kind, version, actor=current_user)
        except (AssessmentError, ValueError):
            abort(404)
        db.session.commit()
        flash(f"Het sjabloon voor {kind.label} is gewijzigd.", "success")
    return redirect(url_for(".index"))


@bp.get("/<kind_name>/<int:version>.docx")
@requires_role(Role.BEHEERDER)
def download(kind_name: str, version: int):
    """A template as a Word file, to edit it (version 0: the built-in one)."""
    kind = _kind(kind_name)
    if version == 0:
        body, name = documents.builtin_path(kind).read_bytes(), f"{kind.value}-ingebouwd.docx"
    else:
        row = db.session.query(DocumentTemplate).filter_by(kind=kind.value, version=version).first()
        if row is None:
            abort(404)
        body, name = row.content, f"{kind.value}-versie-{version}.docx"
    return send_file(BytesIO(body), mimetype=DOCX_MIMETYPE, as_attachment=True, download_name=name)
