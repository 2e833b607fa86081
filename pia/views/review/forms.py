"""The forms of the review pages."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from pia.formkit import BaseForm, DatabaseIntegerField
from pia.models import (
    Conclusion,
)
from pia.services import review

TEXT_LIMIT = 20_000


class ActionForm(BaseForm):
    """A button: nothing but the CSRF token."""


class RequestChangesForm(BaseForm):
    message = TextAreaField(
        "Wat moet er veranderen?",
        description="Een samenvatting voor de opstellers. Uw open opmerkingen per vraag gaan "
        "mee; zonder open opmerkingen is deze samenvatting verplicht.",
        validators=[Length(max=TEXT_LIMIT)],
    )


class AdviceForm(BaseForm):
    conclusion = RadioField(
        "Conclusie",
        choices=[SelectChoice(c.value, c.label) for c in Conclusion],
        validators=[DataRequired("Kies de conclusie van het advies.")],
    )
    reasoning = TextAreaField(
        "Onderbouwing",
        description="Waarom komt u tot deze conclusie? Dit komt letterlijk in het advies.",
        validators=[DataRequired("Onderbouw het advies."), Length(max=TEXT_LIMIT)],
    )
    recommendations = TextAreaField(
        "Aanbevelingen en voorwaarden",
        description="Zet iedere aanbeveling of voorwaarde op een eigen regel; ze worden "
        "genummerd. De opstellers leggen per regel vast wat ermee gebeurt.",
        validators=[Length(max=TEXT_LIMIT)],
    )


def open_remarks_field(open_remarks: int, doing: str) -> BooleanField:
    """A confirmation the form requires while remarks are still open."""
    remarks = f"{open_remarks} open opmerking{'en' if open_remarks != 1 else ''}"
    return BooleanField(
        f"Ik {doing}, ook al {'staat' if open_remarks == 1 else 'staan'} er nog {remarks}",
        description="Open opmerkingen zijn nog niet afgehandeld. Bekijk ze eerst, of bevestig "
        "dat u toch doorgaat.",
        validators=[
            DataRequired(
                f"Er {'staat' if open_remarks == 1 else 'staan'} nog {remarks}. Bevestig dat u "
                f"toch doorgaat, of handel ze eerst af."
            )
        ],
    )


def advice_form_class(
    section_titles: list[tuple[str, str]], open_remarks: int = 0
) -> type[AdviceForm]:
    """The advice form with an optional findings field per DPIA section, and a
    confirmation while remarks are open."""

    class Form(AdviceForm):
        pass

    if open_remarks:
        Form.confirm_open_remarks = open_remarks_field(open_remarks, "geef advies")

    for sid, title in section_titles:
        setattr(
            Form,
            f"finding_{sid}",
            TextAreaField(
                f"Bevindingen bij {sid}. {title}",
                validators=[Optional(), Length(max=TEXT_LIMIT)],
            ),
        )
    return Form


class ReasonForm(BaseForm):
    message = TextAreaField("Toelichting", validators=[Length(max=TEXT_LIMIT)])


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        "Reden van intrekking",
        description="De DPIA blijft bewaard; de reden komt in de geschiedenis.",
        validators=[DataRequired("Geef de reden van intrekking."), Length(max=TEXT_LIMIT)],
    )


class OfferForm(BaseForm):
    review_date = DateField(
        "Datum voor herbeoordeling",
        description="Uiterlijk op deze datum wordt de DPIA opnieuw bekeken. Eerder als de "
        "verwerking verandert.",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2028-11-23.")],
        format="%Y-%m-%d",
    )


class ReviewDateForm(OfferForm):
    pass


class ApRequestForm(BaseForm):
    sent_on = DateField(
        "Datum waarop het verzoek aan de AP is verstuurd",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2026-11-23.")],
        format="%Y-%m-%d",
    )
    reference = StringField(
        "Kenmerk van het verzoek", validators=[Length(max=200)], description="Optioneel."
    )


class ApAnswerForm(BaseForm):
    received_on = DateField(
        "Datum van het antwoord van de AP",
        validators=[DataRequired("Vul een geldige datum in, bijvoorbeeld 2027-01-18.")],
        format="%Y-%m-%d",
    )
    summary = TextAreaField(
        "Samenvatting van het antwoord",
        description="Wat adviseert de AP, en welke maatregelen volgen eruit (§17 van het model).",
        validators=[DataRequired("Vat het antwoord van de AP samen."), Length(max=TEXT_LIMIT)],
    )
    extended = BooleanField("De AP heeft de termijn met 6 weken verlengd")


class SignForm(BaseForm):
    # The version the controller read; a newer offer in the meantime is refused.
    version = DatabaseIntegerField(
        widget=HiddenInput(),
        validators=[
            InputRequired("Het formulier mist de versie die u las; open de pagina opnieuw.")
        ],
    )
    # No name field: the signature carries the name of the signer's account.
    function = StringField(
        "Functie", validators=[DataRequired("Vul uw functie in."), Length(max=200)]
    )
    deviation_reason = TextAreaField(
        "Reden van afwijking van het FG-advies",
        description="Verplicht als u afwijkt van het advies van de FG: bij een negatief advies "
        "of een aanbeveling die niet is overgenomen (artikel 35, tweede lid, AVG).",
        validators=[Length(max=TEXT_LIMIT)],
    )
    confirm = BooleanField(
        "Ik stel deze versie van de DPIA vast",
        validators=[DataRequired("Bevestig dat u deze versie vaststelt.")],
    )


def sign_form_class(open_remarks: int) -> type[SignForm]:
    """The signing form; while remarks are open it asks to confirm that too."""
    if not open_remarks:
        return SignForm

    class Form(SignForm):
        confirm_open_remarks = open_remarks_field(open_remarks, "stel de DPIA vast")

    return Form


class ControllerForm(BaseForm):
    email = StringField(
        "E-mailadres",
        validators=[DataRequired("Vul het e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    function = StringField(
        "Functie",
        description="Bijvoorbeeld: directeur-generaal, namens de minister.",
        validators=[Length(max=200)],
    )


class CommentForm(BaseForm):
    question_id = SelectField("Over", validators=[Optional()])
    body = TextAreaField(
        "Opmerking",
        validators=[DataRequired("Schrijf een opmerking."), Length(max=review.COMMENT_LIMIT)],
    )


class ReplyForm(BaseForm):
    parent_id = HiddenField()
    body = TextAreaField(
        "Reactie",
        validators=[DataRequired("Schrijf een reactie."), Length(max=review.COMMENT_LIMIT)],
    )
