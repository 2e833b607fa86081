"""Documents of an assessment: the DPIA report and processor agreements, as Word and PDF."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from pia.documents import pdf
from pia.documents.agreement import missing
from pia.documents.rendering import DOCX_MIMETYPE
from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import Advice, DocumentKind, GeneratedDocument, ProcessorAgreement
from pia.permissions import (
    access,
    can_edit_assessment,
    can_generate_advice_document,
    can_generate_documents,
    can_view_assessment,
)
from pia.services import agreements, documents
from pia.services.assessments import AssessmentError
from pia.views.agreement_form import AgreementForm, form_data, to_fields
from pia.views.assessments import get_assessment

bp = Blueprint("documents", __name__, url_prefix="/assessments/<int:assessment_id>/documenten")


class ProcessorChoiceForm(BaseForm):
    party_id = SelectField(
        "Verwerker", description="De partijen met de rol verwerker in onderdeel 6."
    )


def _soffice() -> str | None:
    return pdf.soffice(current_app.config.get("SOFFICE_PATH"))


@bp.get("/")
def index(assessment_id: int):
    """The documents made so far, and the buttons to make new ones."""
    assessment = get_assessment(assessment_id, check=can_view_assessment)
    choice = ProcessorChoiceForm()
    processors = agreements.processors_of(assessment) if assessment.has_dpia else []
    choice.party_id.choices = [SelectChoice(p.party_id, p.name) for p in processors]
    drafts = agreements.agreements_of(assessment)
    may_par = access(current_user, assessment).may_download_par_advice
    return render_template(
        "documents/index.html",
        assessment=assessment,
        generated=[
            d
            for d in documents.documents_of(assessment)
            if may_par or d.kind != DocumentKind.PAR_ADVICE
        ],
        may_par_advice=may_par,
        processors=processors,
        drafts=drafts,
        last={d.id: agreements.last_generated(d) for d in drafts},
        choice=choice,
        generate_form=BaseForm(),
        may_edit=can_edit_assessment(current_user, assessment),
        may_generate=can_generate_documents(current_user, assessment),
        pdf_available=_soffice() is not None,
    )


@bp.post("/dpia-rapport")
def generate_report(assessment_id: int):
    """Make the DPIA report now, from the current answers."""
    assessment = get_assessment(assessment_id, check=can_generate_documents)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        document = documents.generate_report(assessment, actor=current_user)
    except AssessmentError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Het DPIA-rapport is gemaakt: {document.filename}.", "success")
    return redirect(url_for(".index", assessment_id=assessment.id))


@bp.post("/verwerkersovereenkomsten")
def start_agreement(assessment_id: int):
    """Open the draft agreement with the chosen processor (made on first use)."""
    assessment = get_assessment(assessment_id, check=can_edit_assessment)
    form = ProcessorChoiceForm()
    form.party_id.choices = [
        SelectChoice(p.party_id, p.name) for p in agreements.processors_of(assessment)
    ]
    if not form.validate_on_submit():
        flash("Kies een verwerker uit de lijst.", "error")
        return redirect(url_for(".index", assessment_id=assessment.id))
    try:
        agreement = agreements.start_agreement(assessment, form.party_id.data, actor=current_user)
    except AssessmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".index", assessment_id=assessment.id))
    db.session.commit()
    return redirect(url_for(".agreement", assessment_id=assessment.id, agreement_id=agreement.id))


def _agreement(assessment, agreement_id: int) -> ProcessorAgreement:
    agreement = db.get_or_404(ProcessorAgreement, agreement_id)
    if agreement.assessment_id != assessment.id:
        abort(404)
    return agreement


@bp.route("/verwerkersovereenkomsten/<int:agreement_id>", methods=["GET", "POST"])
def agreement(assessment_id: int, agreement_id: int):
    """The draft agreement: the DPIA's facts, the asked fields; save, or save and generate."""
    assessment = get_assessment(assessment_id, check=can_edit_assessment)
    draft = _agreement(assessment, agreement_id)
    facts = agreements.facts_for(draft)
    sub_ids = [p.party_id for p in facts.subprocessors]
    if request.method == "POST":
        form = AgreementForm()
    else:
        form = AgreementForm(data=form_data(draft.fields, sub_ids))
    form.persoonsgegevens.choices = [SelectChoice(v, label) for v, label in facts.data_options]
    names = {p.party_id: p.name for p in facts.subprocessors}
    if form.validate_on_submit():
        agreements.save_agreement(draft, to_fields(form), actor=current_user)
        if "generate" in request.form:
            try:
                document = agreements.generate_agreement(draft, actor=current_user)
            except AssessmentError as exc:
                db.session.commit()  # the draft is saved; only the document failed
                flash(str(exc), "error")
                return redirect(
                    url_for(".agreement", assessment_id=assessment.id, agreement_id=draft.id)
                )
            db.session.commit()
            flash(f"Het document is gemaakt: {document.filename}.", "success")
            return redirect(url_for(".index", assessment_id=assessment.id))
        db.session.commit()
        flash("Het concept is opgeslagen.", "success")
        return redirect(url_for(".agreement", assessment_id=assessment.id, agreement_id=draft.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "documents/agreement.html",
        assessment=assessment,
        draft=draft,
        facts=facts,
        form=form,
        names=names,
        missing=missing(to_fields(form) if form.is_submitted() else draft.fields),
        last=agreements.last_generated(draft),
    ), status


def _document(assessment_id: int, document_id: int) -> GeneratedDocument:
    """A generated document, after checking (again) that the user may see its assessment."""
    assessment = get_assessment(assessment_id, check=can_view_assessment)
    document = db.get_or_404(GeneratedDocument, document_id)
    if document.assessment_id != assessment.id:
        abort(404)
    if document.kind == DocumentKind.PAR_ADVICE and not (
        access(current_user, assessment).may_download_par_advice
    ):
        abort(403)
    return document


def _send(body: bytes, mimetype: str, filename: str):
    response = send_file(
        BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:document_id>.docx")
def download(assessment_id: int, document_id: int):
    """The Word file as it was made."""
    document = _document(assessment_id, document_id)
    documents.record_download(document, "docx", actor=current_user)
    db.session.commit()
    return _send(document.content, DOCX_MIMETYPE, document.filename)


@bp.get("/<int:document_id>.pdf")
def download_pdf(assessment_id: int, document_id: int):
    """The same document as PDF, made with LibreOffice (once) when it is installed."""
    document = _document(assessment_id, document_id)
    try:
        body = documents.pdf_of(document, current_app.config.get("SOFFICE_PATH"))
    except pdf.PdfUnavailable:
        flash(
            "PDF is hier niet beschikbaar: LibreOffice is niet geïnstalleerd. Download het "
            "Word-bestand en sla het in Word op als PDF.",
            "warning",
        )
        return redirect(url_for(".index", assessment_id=assessment_id))
    except pdf.PdfFailed as exc:
        current_app.logger.warning("PDF conversion failed for document %s: %s", document.id, exc)
        flash(
            "Het lukte niet om een PDF te maken. Download het Word-bestand en probeer het "
            "later nog eens.",
            "error",
        )
        return redirect(url_for(".index", assessment_id=assessment_id))
    documents.record_download(document, "pdf", actor=current_user)
    db.session.commit()
    stem = document.filename.rsplit(".", 1)[0]
    return _send(body, "application/pdf", f"{stem}.pdf")


@bp.post("/fg-advies/<int:advice_id>")
def advice(assessment_id: int, advice_id: int):
    """Make the FG's advice as a Word file from the record (with the follow-up as it is now),
    keep it with its template version, and download it."""
    assessment = get_assessment(assessment_id, check=can_generate_advice_document)
    given = db.get_or_404(Advice, advice_id)
    if given.assessment_id != assessment.id:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        document = documents.generate_advice(assessment, given, actor=current_user)
    except AssessmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("review.index", assessment_id=assessment.id))
    db.session.commit()
    return redirect(url_for(".download", assessment_id=assessment.id, document_id=document.id))


@bp.post("/par-advies")
def par_advice(assessment_id: int):
    """Make the rijksbreed privacyadvies as a Word file from the PAR record (a concept
    until it is established), keep it, and download it."""
    from pia.services.par.document import generate_par_advice

    assessment = get_assessment(assessment_id)
    if not access(current_user, assessment).may_download_par_advice:
        abort(403)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        document = generate_par_advice(assessment, actor=current_user)
    except AssessmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("par.index", assessment_id=assessment.id))
    db.session.commit()
    return redirect(url_for(".download", assessment_id=assessment.id, document_id=document.id))
