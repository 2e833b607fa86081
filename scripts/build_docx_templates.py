"""Build the built-in Word templates in templates/docx/ (run again after changing this file).

    .venv/bin/python scripts/build_docx_templates.py

The clause texts are PIA Rijk's own, in plain Dutch; they are not the official text
of the Rijksdienst's model processor agreement. A privacy office can open the
files in Word, change them and upload them under Beheer → Sjablonen.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agreement_text import build_agreement  # noqa: E402
from docx_builder import Builder  # noqa: E402
from par_advice_text import build_par_advice, report_par_advice  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "templates" / "docx"


def build_report() -> Builder:
    """The DPIA report: the model's sections 0–20, with the app's own facts around them."""
    b = Builder("DPIA-rapport")
    b.title("DPIA-rapport")
    b.p("{{ titel }}", bold=True)
    b.fields(
        [
            ("Organisatie", "{{ organisatie }}"),
            ("Soort", "{{ soort }}"),
            ("Status", "{{ status }}"),
            ("Documentversie", "{{ documentversie }}"),
            ("Datum", "{{ datum }}"),
            ("Gemaakt door", "{{ gemaakt_door }}"),
            ("Model", "{{ model }}"),
        ]
    )
    b.p("Dit rapport is gemaakt met PIA Rijk, uit de antwoorden in de DPIA op de datum hierboven.")

    b.h("Samenvatting voor het management", 1)
    b.fields(
        [
            ("Uitkomst van de pre-scan", "{{ samenvatting.uitkomst }}"),
            ("Hoogste risico's", "{{ samenvatting.hoogste_risicos }}"),
            ("Hoogste restrisico na maatregelen", "{{ samenvatting.restrisico }}"),
            ("Voorafgaande raadpleging van de AP", "{{ samenvatting.ap }}"),
            ("Advies van de FG", "{{ samenvatting.fg }}"),
            ("Status", "{{ samenvatting.status }}"),
        ]
    )
    b.tag("{%p if voorafgaande_raadpleging %}")
    b.p(
        "Let op: er blijft een hoog restrisico over. De verwerking mag pas beginnen nadat de "
        "Autoriteit Persoonsgegevens is geraadpleegd (voorafgaande raadpleging, artikel 36 AVG).",
        bold=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if samenvatting.tekst %}")
    b.p("{{ samenvatting.tekst }}")
    b.tag("{%p endif %}")
    b.tag("{%p if niet_ingevuld %}")
    b.p(
        "Nog niet alles is ingevuld: {{ samenvatting.open_vragen }} verplichte vragen hebben "
        "nog geen antwoord. De bijlage achteraan noemt ze."
    )
    b.tag("{%p endif %}")

    b.h("Inhoud", 1)
    # A Word table of contents: its text here is the list below; Word adds page numbers
    # when the field is updated.
    b.field(b.p("Uitkomst van de pre-scan", compact=True), "begin", ' TOC \\o "1-2" \\h \\z ')
    b.tag("{%p for s in secties %}")
    b.tag("{%p if s.deel %}")
    b.p("{{ s.deel }}", bold=True, compact=True)
    b.tag("{%p endif %}")
    b.p("{{ s.nummer }}. {{ s.titel }}", compact=True)
    b.tag("{%p endfor %}")
    b.field(b.p("Bijlage. Vragen zonder antwoord", compact=True), "end")
    b.page_break()

    b.h("Uitkomst van de pre-scan", 1)
    b.fields(
        [
            ("DPIA", "{{ prescan.uitkomst }}"),
            ("Risicoscore", "{{ prescan.risicoscore }}"),
            ("DTIA (doorgifte buiten de EER)", "{{ prescan.dtia }}"),
            ("KIA (kinderrechten)", "{{ prescan.kia }}"),
            ("IAMA (mensenrechten en algoritmes)", "{{ prescan.iama }}"),
        ]
    )
    b.p("Waarom", bold=True)
    b.bullets("reden in prescan.redenen", "reden")
    b.tag("{%p if prescan.bevindingen %}")
    b.p("Let op", bold=True)
    b.bullets("bevinding in prescan.bevindingen", "bevinding")
    b.tag("{%p endif %}")

    b.tag("{%p for s in secties %}")
    b.tag("{%p if s.deel %}")
    b.h("{{ s.deel }}", 1)
    b.tag("{%p endif %}")
    b.h("{{ s.nummer }}. {{ s.titel }}", 2)
    b.tag("{%p if s.leeg %}")
    b.p("{{ s.leeg }}")
    b.tag("{%p endif %}")
    b.tag("{%p if s.nummer == '18' and samenvatting.tekst %}")
    b.p("De managementsamenvatting staat vooraan in dit rapport.")
    b.tag("{%p endif %}")
    b.tag("{%p for b in s.blokken %}")
    b.tag("{%p if b.soort == 'kop' %}")
    b.h("{{ b.label }}", 3)
    b.tag("{%p elif b.soort == 'tabel' %}")
    b.tag("{%p if b.label %}")
    b.p("{{ b.label }}", bold=True)
    b.tag("{%p endif %}")
    b.dynamic_table("b.kolommen", "b.rijen")
    b.tag("{%p elif b.soort == 'kaarten' %}")
    b.tag("{%p if b.label %}")
    b.p("{{ b.label }}", bold=True)
    b.tag("{%p endif %}")
    b.tag("{%p for k in b.kaarten %}")
    b.table(
        ["{{ b.kolommen[0] }}", "{{ k.titel }}"],
        "v in k.velden",
        ["{{ v.veld }}", "{{ v.waarde }}"],
    )
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.tag("{%p if b.label %}")
    b.p("{{ b.label }}", bold=True)
    b.tag("{%p endif %}")
    b.p("{{ b.tekst }}")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")

    b.tag("{%p if s.nummer == '16' %}")
    b.h("Risico's in beeld", 3)
    b.p("Vóór maatregelen (inherent risico). Een * betekent: het niveau is aangepast.")
    b.p("{{ heatmap_voor }}")
    b.p("Na maatregelen (restrisico)")
    b.p("{{ heatmap_na }}")
    b.table(
        ["Nr.", "Risico", "Niveau", "Restrisico", "Maatregelen"],
        "r in risicos",
        [
            "{{ r.nummer }}",
            "{{ r.beschrijving }}",
            "{{ r.niveau }}",
            "{{ r.restrisico }}",
            "{{ r.maatregelen }}",
        ],
    )
    b.tag("{%p endif %}")
    b.tag("{%p if s.nummer == '17' %}")
    b.h("Maatregelen in het kort", 3)
    b.table(
        ["Nr.", "Maatregel", "Soort", "Risico's", "Restrisico"],
        "m in maatregelen",
        [
            "{{ m.nummer }}",
            "{{ m.maatregel }}",
            "{{ m.soort }}",
            "{{ m.risicos }}",
            "{{ m.restrisico }}",
        ],
    )
    b.tag("{%p endif %}")
    b.tag("{%p if s.nummer == '19' %}")
    _section_19(b)
    b.tag("{%p endif %}")
    b.tag("{%p if s.nummer == '20' %}")
    b.tag("{%p if ondertekening %}")
    b.tag("{%p for o in ondertekening %}")
    b.p("{{ o.naam }}", bold=True)
    b.fields(
        [
            ("Organisatie", "{{ o.organisatie }}"),
            ("Directie en afdeling", "{{ o.directie }} {{ o.afdeling }}"),
            ("Functie", "{{ o.functie }}"),
            ("Datum", "{{ o.datum }}"),
            ("Opgesteld door", "{{ o.opgesteld_door }}"),
        ]
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if afwijkingen %}")
    b.h(
        "{{ 'Afwijking van het rijksbrede privacyadvies' if par_advies "
        "else 'Afwijking van het advies van de FG' }}",
        3,
    )
    b.tag("{%p for a in afwijkingen %}")
    b.p("{{ a.naam }}: {{ a.reden }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p(
        "De DPIA is nog niet ondertekend. Hij is vastgesteld als elke "
        "verwerkingsverantwoordelijke heeft ondertekend."
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.page_break()
    b.h("Bijlage. Vragen zonder antwoord", 1)
    b.tag("{%p if niet_ingevuld %}")
    b.p(
        "Deze verplichte vragen hebben nog geen antwoord; in het rapport zelf staan ze niet. "
        "Vragen die niet verplicht zijn en leeg zijn gelaten, staan nergens."
    )
    b.table(["Onderdeel", "Vraag"], "n in niet_ingevuld", ["{{ n.onderdeel }}", "{{ n.vraag }}"])
    b.tag("{%p else %}")
    b.p("Alle verplichte vragen zijn beantwoord.")
    b.tag("{%p endif %}")
    b.footer("DPIA-rapport {{ titel }}, versie {{ documentversie }} ({{ datum }})")
    return b


def _section_19(b: Builder) -> None:
    b.h("Versies", 3)
    b.tag("{%p if versies %}")
    b.dynamic_table("['Versienummer', 'Datum', 'Toelichting']", "versies")
    b.tag("{%p else %}")
    b.p("Dit is documentversie {{ documentversie }} van {{ datum }}, gemaakt met PIA Rijk.")
    b.tag("{%p endif %}")
    b.p("Status: {{ status }}")
    b.tag("{%p if dossier %}")
    b.h("DPIA-dossier", 3)
    b.dynamic_table("['Soort document', 'Naam', 'Versie', 'Locatie']", "dossier")
    b.tag("{%p endif %}")
    b.tag("{%p if documentbeheerder %}")
    b.h("Documentbeheerder", 3)
    b.table(["Gegeven", "Waarde"], "d in documentbeheerder", ["{{ d.veld }}", "{{ d.waarde }}"])
    b.tag("{%p endif %}")
    b.tag("{%p if par_advies %}")
    report_par_advice(b)
    b.tag("{%p else %}")
    b.h("Advies van de FG", 3)
    b.tag("{%p if fg_advies %}")
    b.fields(
        [
            ("Naam", "{{ fg_advies.naam }}"),
            ("Functie", "{{ fg_advies.functie }}"),
            ("Organisatie", "{{ fg_advies.organisatie }}"),
            ("Directie en afdeling", "{{ fg_advies.directie }} {{ fg_advies.afdeling }}"),
            ("Datum advies", "{{ fg_advies.datum }}"),
            ("Document met het advies", "{{ fg_advies.document }}"),
            ("Verwerkt in DPIA-versie", "{{ fg_advies.verwerkt_in }}"),
        ]
    )
    b.tag("{%p if fg_advies.oordeel %}")
    b.p("Oordeel van de FG", bold=True)
    b.p("{{ fg_advies.oordeel }}")
    b.tag("{%p endif %}")
    b.tag("{%p if fg_advies.aanbevelingen %}")
    b.p("Aanbevelingen en wat ermee is gedaan", bold=True)
    b.table(
        ["Nr.", "Aanbeveling van de FG", "Opvolging", "Toelichting"],
        "a in fg_advies.aanbevelingen",
        ["{{ a.nummer }}", "{{ a.advies }}", "{{ a.opvolging }}", "{{ a.toelichting }}"],
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p("De FG heeft nog geen advies gegeven over deze DPIA.")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def build_advice() -> Builder:
    """The FG's advice on one version of a DPIA, with the drafters' follow-up."""
    b = Builder("Advies van de FG")
    b.title("Advies van de functionaris gegevensbescherming")
    b.p("{{ titel }}", bold=True)
    b.fields(
        [
            ("Organisatie", "{{ organisatie }}"),
            ("Conclusie", "{{ advies.conclusie }}"),
            ("Functionaris gegevensbescherming", "{{ advies.fg_naam }}, {{ advies.fg_functie }}"),
            ("Datum advies", "{{ advies.datum }}"),
            ("Beoordeelde DPIA-versie", "versie {{ advies.versie }} ({{ advies.versie_datum }})"),
            ("Verwerkt in", "{{ advies.verwerkt_in or 'nog niet verwerkt' }}"),
        ]
    )
    b.h("Conclusie en onderbouwing", 1)
    b.p("{{ advies.conclusie }}", bold=True)
    b.p("{{ advies.onderbouwing }}")
    b.tag("{%p if bevindingen %}")
    b.h("Bevindingen per onderdeel", 1)
    b.table(["Onderdeel", "Bevinding"], "f in bevindingen", ["{{ f.onderdeel }}", "{{ f.tekst }}"])
    b.tag("{%p endif %}")
    b.h("Aanbevelingen en voorwaarden", 1)
    b.tag("{%p if aanbevelingen %}")
    b.table(
        ["Nr.", "Aanbeveling of voorwaarde", "Opvolging", "Toelichting van de opstellers"],
        "a in aanbevelingen",
        ["{{ a.nummer }}", "{{ a.tekst }}", "{{ a.opvolging }}", "{{ a.toelichting }}"],
    )
    b.tag("{%p else %}")
    b.p("Het advies bevat geen aanbevelingen of voorwaarden.")
    b.tag("{%p endif %}")
    b.p(
        "De FG adviseert; de verwerkingsverantwoordelijke beslist. Wie afwijkt van dit advies, "
        "legt in de DPIA vast waarom (artikel 35, tweede lid, AVG)."
    )
    b.footer("Advies van de FG over {{ titel }}, documentversie {{ documentversie }} ({{ datum }})")
    return b


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    build_report().save(OUT / "dpia-rapport.docx")
    build_advice().save(OUT / "fg-advies.docx")
    build_par_advice().save(OUT / "par-advies.docx")
    build_agreement(intra_state=False).save(OUT / "verwerkersovereenkomst.docx")
    build_agreement(intra_state=True).save(OUT / "verwerkersafspraken.docx")
    for path in sorted(OUT.glob("*.docx")):
        print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
