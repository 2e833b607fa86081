"""The processor-agreement form: the fields the DPIA does not answer, pre-filled where it does."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from pia.documents.agreement import (
    AUDIT_COSTS,
    AUTHORISATIONS,
    CERTIFICATIONS,
    END_CHOICES,
    LIABILITY,
    MAIN_AGREEMENTS,
)
from pia.formkit import BaseForm
from pia.views.admin_users import MultiCheckboxField

SHORT, LONG = 200, 5000
DATE_MESSAGE = "Vul een datum in als dd-mm-jjjj, of kies hem in de kalender."


def _text(label: str, hint: str = "", limit: int = SHORT) -> StringField:
    return StringField(label, description=hint, validators=[Optional(), Length(max=limit)])


def _area(label: str, hint: str = "") -> TextAreaField:
    return TextAreaField(label, description=hint, validators=[Optional(), Length(max=LONG * 4)])


def _days(label: str, hint: str = "", maximum: int = 365) -> IntegerField:
    return IntegerField(
        label,
        description=hint,
        validators=[
            InputRequired("Vul een aantal in."),
            NumberRange(1, maximum, f"Kies een getal van 1 tot en met {maximum}."),
        ],
    )


def _choices(options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in options.items()]


class SubprocessorForm(Form):
    party_id = HiddenField()
    land = _text("Land")
    activiteit = _text("Wat doet deze subverwerker?")
    waarborgen = _text("Waarborgen", "Bijvoorbeeld een ISO 27001-certificaat of SCC.", LONG)


class AgreementForm(BaseForm):
    # Partijen
    verantwoordelijke_organisatie = _text("Organisatie (ministerie)")
    verantwoordelijke_directie = _text("Directie")
    ondertekenaar_naam = _text("Naam van de ondertekenaar")
    ondertekenaar_functie = _text("Functie van de ondertekenaar")
    mandaat = _text("Mandaat", "Op grond waarvan tekent deze persoon namens de minister?", LONG)
    verwerker_naam = _text("Naam van de verwerker", "Zoals in onderdeel 6 van de DPIA.")
    binnen_staat = BooleanField(
        "De verwerker is zelf een onderdeel van de Staat",
        description="Bijvoorbeeld een ander ministerie of een rijksbrede dienst (SSO). Dan "
        "maakt PIA Rijk verwerkersafspraken in plaats van een overeenkomst.",
    )
    verwerker_kvk = StringField(
        "KvK-nummer van de verwerker",
        description="8 cijfers. Niet nodig als de verwerker bij de Staat hoort.",
        validators=[Optional(), Regexp(r"^\d{8}$", message="Een KvK-nummer heeft 8 cijfers.")],
    )
    verwerker_adres = _text("Adres van de verwerker", limit=LONG)
    verwerker_ondertekenaar_naam = _text("Naam van de ondertekenaar van de verwerker")
    verwerker_ondertekenaar_functie = _text("Functie van de ondertekenaar van de verwerker")
    # Hoofdovereenkomst
    hoofdovereenkomst = RadioField(
        "Hoofdovereenkomst",
        choices=_choices(MAIN_AGREEMENTS),
        validators=[InputRequired("Kies de hoofdovereenkomst.")],
    )
    hoofdovereenkomst_anders = _text("Naam van de andere hoofdovereenkomst")
    hoofdovereenkomst_kenmerk = _text("Kenmerk van de hoofdovereenkomst")
    hoofdovereenkomst_datum = DateField(
        "Datum van de hoofdovereenkomst", validators=[Optional()], format="%Y-%m-%d"
    )
    # Verwerking
    onderwerp = _text("Onderwerp", "Waarover gaat de verwerking, in één zin?", LONG)
    aard = _area("Aard van de verwerking", "Eén verwerking per regel. Uit onderdeel 3.")
    doeleinden = _area("Doeleinden", "Eén doel per regel. Uit onderdeel 5.")
    persoonsgegevens = MultiCheckboxField(
        "Persoonsgegevens die de verwerker verwerkt",
        description="Uit onderdeel 2; aangevinkt zijn de gegevens die in onderdeel 6 bij deze "
        "verwerker staan.",
        choices=[],
        validate_choice=False,
    )
    ingangsdatum = DateField("Ingangsdatum", validators=[Optional()], format="%Y-%m-%d")
    looptijd = _text("Looptijd", limit=LONG)
    einddatum = DateField("Einddatum (als die vaststaat)", validators=[Optional()])
    einde_keuze = RadioField(
        "Wat gebeurt er met de gegevens aan het einde?",
        choices=_choices(END_CHOICES),
        validators=[InputRequired("Kies wat er aan het einde gebeurt.")],
    )
    einde_termijn_dagen = _days("Binnen hoeveel dagen?")
    einde_methode = _text("Methode", limit=LONG)
    # Beveiliging
    beveiligingsmaatregelen = _area(
        "Beveiligingsmaatregelen", "Eén maatregel per regel. Uit onderdeel 17."
    )
    certificeringen = MultiCheckboxField(
        "Certificeringen en verklaringen", choices=_choices(CERTIFICATIONS)
    )
    certificeringen_anders = _area("Andere certificeringen", "Eén per regel.")
    # Subverwerkers
    subverwerkers_toestemming = RadioField(
        "Toestemming voor subverwerkers",
        choices=_choices(AUTHORISATIONS),
        validators=[InputRequired("Kies de soort toestemming.")],
    )
    bezwaartermijn_dagen = _days("Bezwaartermijn bij een nieuwe subverwerker (dagen)")
    subverwerkers = FieldList(FormField(SubprocessorForm))
    # Datalekken
    meldtermijn_uren = _days(
        "Meldtermijn datalekken (uren)",
        "De AP moet binnen 72 uur weten van een datalek. Gebruikelijk is 24 tot 48 uur.",
        maximum=72,
    )
    meldpunt = _text("Meldpunt", "Waar meldt de verwerker een datalek?", LONG)
    meldinformatie = _area("Informatie bij een melding", "Eén punt per regel.")
    # Audit, bijstand, aansprakelijkheid
    audit_frequentie = _text("Hoe vaak een audit?", limit=LONG)
    audit_door = _text("Door wie?", limit=LONG)
    audit_kosten = RadioField(
        "Wie betaalt de audit?",
        choices=_choices(AUDIT_COSTS),
        validators=[InputRequired("Kies wie de audit betaalt.")],
    )
    bijstand_rechten_dagen = _days("Hulp bij verzoeken van betrokkenen: binnen (werkdagen)")
    bijstand_dpia_dagen = _days("Hulp bij een DPIA of voorafgaande raadpleging: binnen (werkdagen)")
    aansprakelijkheid = RadioField(
        "Aansprakelijkheid",
        choices=_choices(LIABILITY),
        validators=[InputRequired("Kies hoe de aansprakelijkheid is geregeld.")],
    )
    aansprakelijkheid_tekst = _area("Eigen regeling van de aansprakelijkheid")
    # Contactpersonen
    contact_verantwoordelijke = _text("Contactpersoon verwerkingsverantwoordelijke", limit=LONG)
    contact_verwerker = _text("Contactpersoon verwerker", limit=LONG)
    fg_verantwoordelijke = _text("FG van de verwerkingsverantwoordelijke", limit=LONG)
    fg_verwerker = _text("FG (DPO) van de verwerker", limit=LONG)
    beveiliging_verantwoordelijke = _text(
        "Beveiliging (CISO) verwerkingsverantwoordelijke", limit=LONG
    )
    beveiliging_verwerker = _text("Beveiliging (CISO) verwerker", limit=LONG)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.hoofdovereenkomst.data == "anders" and not self.hoofdovereenkomst_anders.data:
            self.hoofdovereenkomst_anders.errors = [
                *self.hoofdovereenkomst_anders.errors,
                "Noem de andere hoofdovereenkomst.",
            ]
            ok = False
        return ok


PLAIN = [
    name
    for name, value in vars(AgreementForm).items()
    if isinstance(value, UnboundField) and name != "subverwerkers"
]


def to_fields(form: AgreementForm) -> dict[str, Any]:
    """The form's data as the JSON kept on the draft (dates as ISO text)."""
    fields: dict[str, Any] = {}
    for name in PLAIN:
        value = getattr(form, name).data
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        fields[name] = value
    fields["subverwerkers"] = {
        entry.form.party_id.data: {
            "land": (entry.form.land.data or "").strip(),
            "activiteit": (entry.form.activiteit.data or "").strip(),
            "waarborgen": (entry.form.waarborgen.data or "").strip(),
        }
        for entry in form.subverwerkers
        if entry.form.party_id.data
    }
    return fields


def form_data(fields: dict[str, Any], subprocessor_ids: list[str]) -> dict[str, Any]:
    """The draft's JSON as keyword data for a new form (one sub-form per sub-processor)."""
    data: dict[str, Any] = {}
    for name in PLAIN:
        value = fields.get(name)
        if name in ("hoofdovereenkomst_datum", "ingangsdatum", "einddatum") and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        data[name] = value
    stored = fields.get("subverwerkers") or {}
    data["subverwerkers"] = [{"party_id": pid, **stored.get(pid, {})} for pid in subprocessor_ids]
    return data
