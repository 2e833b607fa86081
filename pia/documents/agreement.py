"""A processor agreement: the asked fields, their defaults and pre-fill, and the document context.

The fields are stored as JSON on the draft (pia.models.ProcessorAgreement.fields);
the facts from the DPIA (operations, data, retention, locations, sub-processors)
are read again at every generation, so the document follows the DPIA.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from forms.model import Definition
from pia.documents.processors import Facts, data_items, retention
from pia.documents.text import lines
from pia.templating import MONTHS

MISSING = "[nog in te vullen]"

MAIN_AGREEMENTS = {
    "arbit-2022": "ARBIT-2022 (Algemene Rijksvoorwaarden bij IT-overeenkomsten 2022)",
    "arvodi-2018": "ARVODI-2018 (Algemene Rijksvoorwaarden voor het verstrekken van opdrachten "
    "tot het verrichten van diensten 2018)",
    "anders": "Andere hoofdovereenkomst",
}
END_CHOICES = {
    "teruggeven_en_vernietigen": "teruggeven aan de verwerkingsverantwoordelijke en daarna "
    "vernietigen",
    "teruggeven": "teruggeven aan de verwerkingsverantwoordelijke",
    "vernietigen": "vernietigen",
}
CERTIFICATIONS = {
    "iso27001": "ISO/IEC 27001",
    "isae3402": "ISAE 3402 type II-verklaring",
    "nen7510": "NEN 7510",
    "soc2": "SOC 2 type II-rapport",
}
AUDIT_COSTS = {
    "verantwoordelijke_tenzij": "de verwerkingsverantwoordelijke, tenzij de audit tekortkomingen "
    "bij de verwerker aantoont; dan de verwerker",
    "verantwoordelijke": "de verwerkingsverantwoordelijke",
    "verwerker": "de verwerker",
}
AUTHORISATIONS = {
    "algemeen": "algemene schriftelijke toestemming",
    "specifiek": "specifieke schriftelijke toestemming per subverwerker",
}
CONTACT_ROLES = {
    "contact": "Contactpersoon",
    "fg": "Functionaris gegevensbescherming (FG)",
    "beveiliging": "Beveiligingsverantwoordelijke (CISO)",
}
LIABILITY = {
    "hoofdovereenkomst": "zoals geregeld in de hoofdovereenkomst",
    "eigen": "eigen regeling",
}

DEFAULTS: dict[str, Any] = {
    "hoofdovereenkomst": "arbit-2022",
    "looptijd": "Zolang de hoofdovereenkomst loopt en daarna zolang de verwerker nog "
    "persoonsgegevens voor de verwerkingsverantwoordelijke verwerkt.",
    "einde_keuze": "teruggeven_en_vernietigen",
    "einde_methode": "Veilig vernietigen volgens de BIO, met een schriftelijke verklaring van "
    "vernietiging.",
    "einde_termijn_dagen": 30,
    "certificeringen": [],
    "subverwerkers_toestemming": "algemeen",
    "bezwaartermijn_dagen": 14,
    "meldtermijn_uren": 24,
    "meldinformatie": "\n".join(
        [
            "wat er is gebeurd en wanneer",
            "welke persoonsgegevens en hoeveel betrokkenen het betreft",
            "de waarschijnlijke gevolgen voor betrokkenen",
            "de maatregelen die zijn genomen of voorgesteld",
            "een contactpersoon voor meer informatie",
        ]
    ),
    "audit_frequentie": "Eén keer per jaar, en daarnaast als daar een concrete aanleiding voor is.",
    "audit_door": "Een onafhankelijke, deskundige auditor die de verwerkingsverantwoordelijke "
    "aanwijst, of de Auditdienst Rijk.",
    "audit_kosten": "verantwoordelijke_tenzij",
    "bijstand_rechten_dagen": 5,
    "bijstand_dpia_dagen": 10,
    "aansprakelijkheid": "hoofdovereenkomst",
}

# Fields that a finished agreement needs (the rest have defaults or may stay empty).
REQUIRED = {
    "verantwoordelijke_organisatie": "Organisatie van de verwerkingsverantwoordelijke",
    "ondertekenaar_naam": "Naam van de ondertekenaar (verwerkingsverantwoordelijke)",
    "verwerker_naam": "Naam van de verwerker",
    "verwerker_adres": "Adres van de verwerker",
    "verwerker_ondertekenaar_naam": "Naam van de ondertekenaar (verwerker)",
    "onderwerp": "Onderwerp",
    "meldpunt": "Meldpunt voor datalekken",
    "contact_verantwoordelijke": "Contactpersoon verwerkingsverantwoordelijke",
    "contact_verwerker": "Contactpersoon verwerker",
}


def prefill(
    facts: Facts,
    *,
    organisation: str,
    signatory: Mapping[str, str] | None,
    state_organisations: set[str],
) -> dict[str, Any]:
    """The fields of a new draft: the defaults plus everything the DPIA already says."""
    party = facts.party
    name = party.name if party else ""
    signatory = signatory or {}
    return {
        **DEFAULTS,
        "verantwoordelijke_organisatie": organisation,
        "verantwoordelijke_directie": signatory.get("directie", ""),
        "ondertekenaar_naam": signatory.get("naam", ""),
        "ondertekenaar_functie": signatory.get("functie", ""),
        "verwerker_naam": name,
        "binnen_staat": " ".join(name.split()).casefold() in state_organisations,
        "onderwerp": "",
        "aard": "\n".join(
            f"{o['naam']}: {o['beschrijving']}" if o["beschrijving"] else o["naam"]
            for o in facts.operations
        ),
        "doeleinden": "\n".join(dict.fromkeys(facts.purposes)),
        "persoonsgegevens": list(party.data_ids) if party else [],
        "beveiligingsmaatregelen": "\n".join(facts.measures),
        "subverwerkers": {p.party_id: {} for p in facts.subprocessors},
    }


def missing(fields: Mapping[str, Any]) -> list[str]:
    """The labels of the required fields that are still empty."""
    return [label for key, label in REQUIRED.items() if not str(fields.get(key) or "").strip()]


DATE_FIELDS = frozenset({"hoofdovereenkomst_datum", "ingangsdatum", "einddatum"})


def _text(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key)
    if value is None or str(value).strip() == "":
        return MISSING
    if key in DATE_FIELDS:
        return long_date(str(value))
    return str(value).strip()


def long_date(value: str) -> str:
    """'2027-01-31' as '31 januari 2027' (other text as it is)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def _party(fields: Mapping[str, Any], prefix: str, own: str) -> dict[str, str]:
    return {
        "contact": _text(fields, f"contact_{own}"),
        "fg": _text(fields, f"fg_{own}"),
        "beveiliging": _text(fields, f"beveiliging_{own}"),
        "ondertekenaar": _text(fields, f"{prefix}ondertekenaar_naam"),
        "functie": _text(fields, f"{prefix}ondertekenaar_functie"),
    }


def agreement_context(
    definition: Definition,
    answers: Mapping[str, Any],
    facts: Facts,
    fields: Mapping[str, Any],
    *,
    meta: Mapping[str, str],
) -> dict[str, Any]:
    """Everything the agreement template shows, as plain values."""
    intra_state = bool(fields.get("binnen_staat"))
    main = str(fields.get("hoofdovereenkomst") or "arbit-2022")
    chosen = [str(x) for x in fields.get("persoonsgegevens") or []]
    items = data_items(definition, answers, chosen)
    subjects = list(dict.fromkeys(i["betrokkenen"] for i in items if i["betrokkenen"]))
    sub_fields = fields.get("subverwerkers") or {}
    certifications = [
        CERTIFICATIONS[c] for c in fields.get("certificeringen") or [] if c in CERTIFICATIONS
    ]
    certifications += lines(str(fields.get("certificeringen_anders") or ""))
    return {
        **meta,
        "binnen_staat": intra_state,
        "titel": "Verwerkersafspraken" if intra_state else "Verwerkersovereenkomst",
        "verantwoordelijke": {
            "organisatie": _text(fields, "verantwoordelijke_organisatie"),
            "directie": _text(fields, "verantwoordelijke_directie"),
            "mandaat": _text(fields, "mandaat"),
            **_party(fields, "", "verantwoordelijke"),
        },
        "verwerker": {
            "naam": _text(fields, "verwerker_naam"),
            "kvk": _text(fields, "verwerker_kvk") if not intra_state else "",
            "adres": _text(fields, "verwerker_adres"),
            **_party(fields, "verwerker_", "verwerker"),
        },
        "hoofdovereenkomst": {
            "code": main,
            "naam": _text(fields, "hoofdovereenkomst_anders")
            if main == "anders"
            else MAIN_AGREEMENTS.get(main, main),
            "kenmerk": _text(fields, "hoofdovereenkomst_kenmerk"),
            "datum": _text(fields, "hoofdovereenkomst_datum"),
        },
        "onderwerp": _text(fields, "onderwerp"),
        "aard": lines(str(fields.get("aard") or "")) or [MISSING],
        "doeleinden": lines(str(fields.get("doeleinden") or "")) or [MISSING],
        "ingangsdatum": _text(fields, "ingangsdatum"),
        "looptijd": _text(fields, "looptijd"),
        "einddatum": long_date(str(fields.get("einddatum") or "")),
        "persoonsgegevens": items,
        "betrokkenen": subjects,
        "bewaartermijnen": retention(facts, chosen, MISSING),
        "einde": {
            "keuze": END_CHOICES.get(str(fields.get("einde_keuze")), MISSING),
            "methode": _text(fields, "einde_methode"),
            "termijn_dagen": _text(fields, "einde_termijn_dagen"),
        },
        "locaties": facts.locations,
        "doorgifte": any(loc.get("buiten_eer") == "Ja" for loc in facts.locations),
        "beveiliging": {
            "maatregelen": lines(str(fields.get("beveiligingsmaatregelen") or "")) or [MISSING],
            "certificeringen": certifications,
        },
        "subverwerkers": [
            {
                "naam": p.name,
                "land": _text(sub_fields.get(p.party_id, {}), "land"),
                "activiteit": _text(sub_fields.get(p.party_id, {}), "activiteit"),
                "waarborgen": _text(sub_fields.get(p.party_id, {}), "waarborgen"),
            }
            for p in facts.subprocessors
        ],
        "toestemming": AUTHORISATIONS.get(str(fields.get("subverwerkers_toestemming")), MISSING),
        "bezwaartermijn_dagen": _text(fields, "bezwaartermijn_dagen"),
        "datalek": {
            "termijn_uren": _text(fields, "meldtermijn_uren"),
            "meldpunt": _text(fields, "meldpunt"),
            "informatie": lines(str(fields.get("meldinformatie") or "")),
        },
        "audit": {
            "frequentie": _text(fields, "audit_frequentie"),
            "door": _text(fields, "audit_door"),
            "kosten": AUDIT_COSTS.get(str(fields.get("audit_kosten")), MISSING),
        },
        "bijstand": {
            "rechten_dagen": _text(fields, "bijstand_rechten_dagen"),
            "dpia_dagen": _text(fields, "bijstand_dpia_dagen"),
        },
        "aansprakelijkheid": LIABILITY["hoofdovereenkomst"]
        if fields.get("aansprakelijkheid") != "eigen"
        else _text(fields, "aansprakelijkheid_tekst"),
        "aansprakelijkheid_eigen": fields.get("aansprakelijkheid") == "eigen",
        "contacten": [
            {
                "rol": role,
                "verantwoordelijke": _text(fields, f"{key}_verantwoordelijke"),
                "verwerker": _text(fields, f"{key}_verwerker"),
            }
            for key, role in CONTACT_ROLES.items()
        ],
    }
