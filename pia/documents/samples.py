"""A full sample context per kind of document: every template must render with it.

Built from the demo's example DPIA (pia.demo_content) with every optional part
present: an FG advice with recommendations, signatures, sub-processors, a transfer
outside the EEA. An uploaded template that fails on this context is refused.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from forms.loader import get_definition
from forms.prescan import evaluate
from pia import demo_content
from pia.documents.advice import advice_context
from pia.documents.agreement import agreement_context, prefill
from pia.documents.par_advice import par_advice_context
from pia.documents.processors import facts
from pia.documents.report import report_context
from pia.models.documents import DocumentKind

SAMPLE_META = {
    "titel": demo_content.TITLE,
    "omschrijving": demo_content.DESCRIPTION,
    "organisatie": "Ministerie van Voorbeeldzaken",
    "soort": "Departementaal",
    "status": "Concept",
    "datum": "1 januari 2027",
    "documentversie": "1",
    "gemaakt_door": "Voorbeeld Gebruiker",
    "assessment": demo_content.TITLE,
}


def _sample_dpia() -> dict[str, Any]:
    answers = copy.deepcopy(demo_content.DPIA)
    cloud = answers["6"][demo_content.OP_AANVRAAG]["6.1"]
    cloud.append(
        {
            "_id": "partysb1",
            "naam": "Hostingbedrijf Voorbeeld B.V.",
            "rol": ["subverwerker"],
            "functies": "Beheer van de servers",
            "persoonsgegevens": [demo_content.P_NAAM],
            "betrokkenen": [demo_content.P_NAAM],
        }
    )
    answers["8"][demo_content.OP_AANVRAAG]["8.1"].append(
        {
            "_id": "locus001",
            "locatie": "Verenigde Staten",
            "buiten_eer": True,
            "doorgiftemechanisme": "scc",
            "aanvullende_maatregelen": "Versleuteling met sleutels in Nederland.",
        }
    )
    answers["19.1"] = [{"_id": "versie01", "nummer": "1.0", "datum": "2027-01-01"}]
    answers["19.5.4"] = "F. Gegevens"
    answers["19.5.6"] = "2027-01-15"
    answers["20.1"] = [
        {
            "_id": "teken001",
            "organisatie": "Ministerie van Voorbeeldzaken",
            "directie": "Directie Subsidies",
            "afdeling": "Uitvoering",
            "naam": "S. Getekend",
            "functie": "Directeur",
            "datum": "2027-02-01",
            "opgesteld_door": "Team Privacy",
        }
    ]
    answers["20.2"] = [
        {"_id": "afwijk01", "naam": "S. Getekend", "reden": "Aanbeveling 2 volgt in fase 2."}
    ]
    return answers


SAMPLE_FIELDS: dict[str, Any] = {
    "verantwoordelijke_directie": "Directie Subsidies",
    "ondertekenaar_naam": "S. Getekend",
    "ondertekenaar_functie": "Directeur",
    "mandaat": "Mandaatbesluit van de minister",
    "verwerker_kvk": "12345678",
    "verwerker_adres": "Voorbeeldstraat 1, 2500 AA Den Haag",
    "verwerker_ondertekenaar_naam": "V. Werker",
    "verwerker_ondertekenaar_functie": "Directeur",
    "hoofdovereenkomst_kenmerk": "2027-001",
    "hoofdovereenkomst_datum": "2027-01-01",
    "onderwerp": "Het zaaksysteem voor de subsidieregeling",
    "ingangsdatum": "2027-01-01",
    "einddatum": "2030-12-31",
    "certificeringen": ["iso27001", "isae3402"],
    "meldpunt": "Het CERT van het ministerie",
    "aansprakelijkheid": "eigen",
    "aansprakelijkheid_tekst": "Zoals in de hoofdovereenkomst, met een maximum per jaar.",
    "contact_verantwoordelijke": "Contact Verantwoordelijke",
    "contact_verwerker": "Contact Verwerker",
    "fg_verantwoordelijke": "FG Ministerie",
    "fg_verwerker": "DPO Verwerker",
    "beveiliging_verantwoordelijke": "CISO Ministerie",
    "beveiliging_verwerker": "CISO Verwerker",
}


@functools.cache
def _report() -> tuple[dict[str, Any], dict[str, tuple[bytes, float]]]:
    definition = get_definition("dpia", "3.0")
    context, images = report_context(
        definition,
        _sample_dpia(),
        meta=SAMPLE_META,
        prescan=evaluate(demo_content.PRESCAN),
    )
    context["fg_advies"] = {
        **(context["fg_advies"] or {}),
        "oordeel": "Positief, met aanbevelingen.",
        "aanbevelingen": [
            {
                "nummer": "1",
                "advies": "Beperk de bewaartermijn van het IBAN.",
                "opvolging": "Overgenomen",
                "toelichting": "Na uitbetaling na twee jaar verwijderd.",
            }
        ],
    }
    return context, images


def _agreement(intra_state: bool) -> dict[str, Any]:
    definition = get_definition("dpia", "3.0")
    answers = _sample_dpia()
    found = facts(definition, answers, demo_content.PARTY_CLOUD)
    fields = prefill(
        found, organisation=SAMPLE_META["organisatie"], signatory=None, state_organisations=set()
    )
    fields.update(SAMPLE_FIELDS, binnen_staat=intra_state)
    fields["subverwerkers"] = {
        p.party_id: {"land": "Nederland", "activiteit": "Hosting", "waarborgen": "ISO 27001"}
        for p in found.subprocessors
    }
    return agreement_context(definition, answers, found, fields, meta=SAMPLE_META)


def _advice() -> dict[str, Any]:
    return advice_context(
        meta=SAMPLE_META,
        conclusion="Positief met voorwaarden",
        reasoning="De verwerking is noodzakelijk en de risico's zijn goed in beeld.",
        fg_name="Voorbeeld FG",
        fg_function="Functionaris gegevensbescherming",
        given_on="1 december 2026",
        version="1",
        version_date="20 november 2026",
        findings=[("2. Persoonsgegevens", "Het IBAN is niet voor alle doelen nodig.")],
        recommendations=[
            {
                "nummer": "1",
                "tekst": "Beperk de bewaartermijn van het IBAN.",
                "opvolging": "Overgenomen",
                "toelichting": "Na uitbetaling na twee jaar verwijderd.",
            }
        ],
        processed_in="versie 2",
    )


def _par_advice() -> dict[str, Any]:
    decision = {
        "overleg": "ICBR",
        "besluit": "goedgekeurd",
        "datum": "26 november 2026",
        "verwijzing": "Verslag ICBR 2026-11",
        "opmerkingen": "",
    }
    return par_advice_context(
        meta=SAMPLE_META,
        advice={
            "concept": False,
            "stand": "",
            "status": "Vastgesteld",
            "initiatiefnemer": "Ministerie van BZK",
            "versie": "2",
            "versie_datum": "20 november 2026",
            "conclusie": "Positief met voorwaarden",
            "samenvatting": "De FG's van de ministeries stemmen in onder voorwaarden.",
            "risicos": "Monitoring van medewerkers zonder duidelijke grens.",
            "vastgesteld": "1 december 2026",
            "ronde": "Ronde 2: 3 van 3 ministeries gereageerd.",
            "instemming_nodig": "Er worden gegevens van medewerkers verwerkt; de GOR Rijk "
            "moet instemmen (artikel 27 WOR).",
        },
        positions=[
            {
                "ministerie": "Justitie en Veiligheid (JenV)",
                "standpunt": "akkoord met voorwaarden",
                "onderbouwing": "Passend.\nVoorwaarden: beperk de bewaartermijn.",
                "door": "Voorbeeld FG, 18 november 2026",
            }
        ],
        conditions=[
            {
                "nummer": "1",
                "tekst": "Beperk de bewaartermijn.",
                "ministeries": "JenV",
                "opvolging": "Overgenomen",
            }
        ],
        decisions=[decision],
        consent=[decision | {"overleg": "GOR Rijk", "besluit": "instemming"}],
    )


def sample(kind: DocumentKind) -> tuple[dict[str, Any], dict[str, tuple[bytes, float]]]:
    """The sample context and images for a kind of document."""
    if kind is DocumentKind.FG_ADVICE:
        return _advice(), {}
    if kind is DocumentKind.PAR_ADVICE:
        return _par_advice(), {}
    if kind is DocumentKind.DPIA_REPORT:
        context, images = _report()
        return copy.deepcopy(context), images
    return _agreement(kind is DocumentKind.PROCESSING_ARRANGEMENTS), {}
