"""The forms of the PAR pages."""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pia.formkit import BaseForm
from pia.views.admin_users import MultiCheckboxField
from workflows.outcome import ADVICE_LABELS, DECISION_LABELS, POSITION_LABELS, Verdict

TEXT_LIMIT = 20_000
DATE_HINT = "Vul een geldige datum in, bijvoorbeeld 2027-01-18."


class SendForm(BaseForm):
    ministries = MultiCheckboxField(
        "Deelnemende ministeries",
        description="Standaard alle actieve ministeries. Hun FG's krijgen bericht.",
        coerce=int,
        validators=[DataRequired("Kies de deelnemende ministeries.")],
    )
    due_on = DateField(
        "Reactie van de FG's uiterlijk",
        validators=[DataRequired(DATE_HINT)],
        format="%Y-%m-%d",
    )


class PositionForm(BaseForm):
    verdict = RadioField(
        "Standpunt van uw ministerie",
        choices=[SelectChoice(v.value, POSITION_LABELS[v].capitalize()) for v in Verdict],
        validators=[
            DataRequired("Kies uw standpunt: akkoord, akkoord met voorwaarden of bezwaar.")
        ],
    )
    reasoning = TextAreaField(
        "Onderbouwing",
        description="Waarom dit standpunt? De coördinator neemt dit op in het advies.",
        validators=[DataRequired("Onderbouw uw standpunt."), Length(max=TEXT_LIMIT)],
    )
    conditions = TextAreaField(
        "Voorwaarden",
        description="Alleen bij akkoord met voorwaarden: welke voorwaarden stelt uw ministerie?",
        validators=[Length(max=TEXT_LIMIT)],
    )


class RemarksForm(BaseForm):
    remarks = TextAreaField(
        "Wat moet de initiatiefnemer aanpassen?",
        description="De initiatiefnemer ziet dit bij de DPIA; de opmerkingen per vraag gaan mee.",
        validators=[DataRequired("Geef aan wat er moet veranderen."), Length(max=TEXT_LIMIT)],
    )


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        "Reden van intrekking",
        description="Het traject blijft bewaard; de reden komt in de geschiedenis.",
        validators=[DataRequired("Geef de reden van intrekking."), Length(max=TEXT_LIMIT)],
    )


class AdviceForm(BaseForm):
    summary = TextAreaField(
        "Samenvatting",
        validators=[
            DataRequired("Schrijf de samenvatting van het advies."),
            Length(max=TEXT_LIMIT),
        ],
    )
    conclusion = RadioField(
        "Conclusie",
        choices=[SelectChoice(v.value, ADVICE_LABELS[v].capitalize()) for v in Verdict],
        validators=[DataRequired("Kies de conclusie van het advies.")],
    )
    risks = TextAreaField("Samengevoegde risico's", validators=[Length(max=TEXT_LIMIT)])
    conditions = TextAreaField(
        "Maatregelen en voorwaarden",
        description="Eén per regel. Zet tussen haakjes aan het eind welke ministeries haar "
        "noemden, bijvoorbeeld: Beperk de bewaartermijn (JenV, Fin).",
        validators=[Length(max=TEXT_LIMIT)],
    )
    bodies = MultiCheckboxField(
        "Ter goedkeuring aan",
        validators=[DataRequired("Kies de overleggen die het advies moeten goedkeuren.")],
    )


class DecisionForm(BaseForm):
    body = SelectField("Overleg", validators=[DataRequired("Kies het overleg.")])
    verdict = RadioField(
        "Besluit",
        choices=[SelectChoice(v.value, DECISION_LABELS[v].capitalize()) for v in Verdict],
        validators=[DataRequired("Kies het besluit.")],
    )
    decided_on = DateField(
        "Datum van de vergadering", validators=[DataRequired(DATE_HINT)], format="%Y-%m-%d"
    )
    reference = StringField(
        "Verwijzing naar het verslag",
        validators=[DataRequired("Vul de verwijzing naar het verslag in."), Length(max=200)],
    )
    remarks = TextAreaField("Opmerkingen", validators=[Optional(), Length(max=TEXT_LIMIT)])


class EmployeeDataForm(BaseForm):
    processed = RadioField(
        "Worden er gegevens van medewerkers verwerkt?",
        choices=[
            SelectChoice("derived", "Zoals afgeleid uit de antwoorden"),
            SelectChoice("yes", "Ja"),
            SelectChoice("no", "Nee"),
        ],
        validators=[DataRequired("Maak een keuze.")],
    )
    reason = TextAreaField(
        "Reden van de correctie",
        description="Verplicht als u afwijkt van wat uit de antwoorden volgt.",
        validators=[Length(max=TEXT_LIMIT)],
    )


class ActionForm(BaseForm):
    """A button: nothing but the CSRF token."""
