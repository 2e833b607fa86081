"""Assessments: list, create, overview, sharing."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from pia.extensions import db
from pia.formkit import BaseForm
from pia.models import (
    Assessment,
    AssessmentMember,
    AssessmentRole,
    Organisation,
    Questionnaire,
)
from pia.permissions import (
    access,
    can_create_assessment,
    can_edit_assessment,
    can_export_assessment,
    can_share_assessment,
    can_view_assessment,
)
from pia.roles import Role
from pia.services import accounts, audit, invulhulp, listing, par, questionnaires, review, transfer
from pia.services import assessments as service
from pia.views.admin_organisations import ToggleForm
from workflows import departmental
from workflows.terms import dutch_date

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class AssessmentForm(BaseForm):
    title = StringField(
        "Titel",
        description="Een korte naam voor de verwerking, zoals “Nieuw zaaksysteem vergunningen”.",
        validators=[DataRequired("Geef het assessment een titel."), Length(max=200)],
    )
    description = TextAreaField(
        "Korte omschrijving",
        description="Twee of drie zinnen: wat gaat er gebeuren en waarom.",
        validators=[Length(max=5000)],
    )
    organisation_id = SelectField("Organisatie", coerce=int)
    government_wide = BooleanField(
        "Dit is een rijksbrede ontwikkeling",
        description="Dan loopt de beoordeling via de PAR-procedure, met de FG's van alle "
        "ministeries.",
    )


class ShareForm(BaseForm):
    email = StringField(
        "E-mailadres van de collega",
        validators=[DataRequired("Vul het e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    role = RadioField(
        "Rol",
        choices=[
            SelectChoice(
                AssessmentRole.EDITOR.value, "Mede-opsteller: kan alles invullen en wijzigen"
            ),
            SelectChoice(AssessmentRole.VIEWER.value, "Lezer: kan alles lezen, niets wijzigen"),
        ],
        default=AssessmentRole.EDITOR.value,
        validators=[DataRequired("Kies een rol.")],
    )


def get_assessment(assessment_id: int, check=can_view_assessment) -> Assessment:
    """Load an assessment and check the permission; 404 or 403 otherwise."""
    assessment = db.get_or_404(Assessment, assessment_id)
    if not check(current_user, assessment):
        abort(403)
    return assessment


@bp.get("/")
def index():
    """The assessments this user may open (the same rule as the pages), a page at a time,
    with search, filters and sorting in the URL and counts per state."""
    filters = listing.parse(request.args)
    result = listing.list_assessments(current_user, filters, review.today())
    return render_template(
        "assessments/index.html",
        listing=result,
        filters=result.filters,
        can_create=can_create_assessment(current_user),
        states=departmental.STATES,
        outcomes=listing.OUTCOMES,
        terms=listing.TERMS,
        sorts=listing.SORTS,
        organisations=listing.organisations() if current_user.has_role(Role.AUDITOR) else [],
        dutch_date=dutch_date,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
def create():
    """Start a new assessment (pre-scan first)."""
    if not can_create_assessment(current_user):
        abort(403)
    form = AssessmentForm(organisation_id=current_user.organisation_id)
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name)
    )
    form.organisation_id.choices = [SelectChoice(o.id, str(o)) for o in orgs]
    if form.validate_on_submit():
        assessment = service.create_assessment(
            title=form.title.data,
            description=form.description.data or "",
            organisation=db.session.get(Organisation, form.organisation_id.data),
            government_wide=form.government_wide.data,
            owner=current_user,
        )
        db.session.commit()
        flash("Het assessment is aangemaakt. Begin met de pre-scan.", "success")
        return redirect(url_for(".overview", assessment_id=assessment.id))
    return render_template("assessments/create.html", form=form)


@bp.get("/<int:assessment_id>")
def overview(assessment_id: int):
    """State, pre-scan outcome, progress per section, what is still missing."""
    assessment = get_assessment(assessment_id)
    status = questionnaires.status(assessment)
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        status=status,
        prescan_definition=questionnaires.definition_for(assessment, Questionnaire.PRESCAN),
        dpia_definition=(
            questionnaires.definition_for(assessment, Questionnaire.DPIA)
            if assessment.has_dpia
            else None
        ),
        risks=status.risks,
        imports=invulhulp.records_of(assessment),
        may_edit=can_edit_assessment(current_user, assessment),
        may_share=can_share_assessment(current_user, assessment),
        start_form=BaseForm(),
        employees=par.employee_data(assessment) if assessment.government_wide else None,
        may_change_route=access(current_user, assessment).may_change_route,
    )


@bp.route("/<int:assessment_id>/delen", methods=["GET", "POST"])
def sharing(assessment_id: int):
    """Who works on this assessment; the owner adds and removes colleagues."""
    assessment = get_assessment(assessment_id)
    may_share = can_share_assessment(current_user, assessment)
    form = ShareForm()
    if form.is_submitted() and not may_share:
        abort(403)
    if form.validate_on_submit():
        # The same answer whether or not the address has an account: the form is no way to
        # find out who has one (the list below shows whom the owner actually shares with).
        neutral = (
            f"Als {accounts.normalise_email(form.email.data)} een actief account heeft, heeft "
            "die persoon nu toegang en staat die hieronder. Staat de persoon er niet bij, "
            "controleer dan het adres of vraag een beheerder een account aan te maken."
        )
        try:
            service.active_user(form.email.data)
        except service.AssessmentError:
            flash(neutral, "info")
            return redirect(url_for(".sharing", assessment_id=assessment.id))
        try:
            service.share(
                assessment, form.email.data, AssessmentRole(form.role.data), actor=current_user
            )
        except service.AssessmentError as exc:
            form.add_error(exc.field, str(exc))
        else:
            db.session.commit()
            flash(neutral, "info")
            return redirect(url_for(".sharing", assessment_id=assessment.id))
    return render_template(
        "assessments/sharing.html",
        assessment=assessment,
        form=form,
        may_share=may_share,
        revoke_form=ToggleForm(),
    )


@bp.post("/<int:assessment_id>/delen/<int:member_id>/intrekken")
def revoke(assessment_id: int, member_id: int):
    """Take a colleague's access away."""
    assessment = get_assessment(assessment_id, check=can_share_assessment)
    member = db.get_or_404(AssessmentMember, member_id)
    if member.assessment_id != assessment.id:
        abort(404)
    if ToggleForm().validate_on_submit():
        try:
            service.revoke(assessment, member, actor=current_user)
        except service.AssessmentError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"De toegang van {member.user.name} is ingetrokken.", "success")
    return redirect(url_for(".sharing", assessment_id=assessment.id))


class ImportForm(BaseForm):
    file = FileField(
        "Exportbestand (.json)",
        description="Een bestand dat u eerder met ‘Downloaden als JSON’ heeft gemaakt, of een "
        "bestand uit de Invulhulp van de Rijksoverheid (pre-scan of DPIA).",
        validators=[FileRequired("Kies een bestand.")],
    )


@bp.get("/<int:assessment_id>/export.json")
def export(assessment_id: int):
    """Download the assessment as JSON (answers by question id, metadata, results)."""
    assessment = get_assessment(assessment_id, check=can_export_assessment)
    body = transfer.export_json(assessment)
    audit.record(
        "assessment.exported",
        object_type="assessment",
        object_id=assessment.id,
        summary=f"“{assessment.title}” gedownload als JSON",
    )
    db.session.commit()
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="assessment-{assessment.id}.json"'},
    )


@bp.route("/importeren", methods=["GET", "POST"])
def import_file():
    """Create a new assessment from an export file; a bad file changes nothing."""
    if not can_create_assessment(current_user):
        abort(403)
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            problems = ["Het bestand is te groot (hoogstens 10 MB)."]
        else:
            outcome = invulhulp.import_file(
                data, actor=current_user, file_name=form.file.data.filename or ""
            )
            problems = outcome.problems
            if outcome.assessment is not None:
                db.session.commit()
                flash("Het assessment is geïmporteerd. U bent de eigenaar.", "success")
                if outcome.record is not None:
                    return redirect(
                        url_for(
                            "invulhulp.result",
                            assessment_id=outcome.assessment.id,
                            record_id=outcome.record.id,
                        )
                    )
                return redirect(url_for(".overview", assessment_id=outcome.assessment.id))
        db.session.rollback()
    status = 400 if problems or form.errors else 200
    return render_template("assessments/import.html", form=form, problems=problems), status
