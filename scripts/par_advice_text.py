"""The rijksbreed privacyadvies (PAR) as a docxtpl template (used by build_docx_templates.py)."""

from __future__ import annotations

from docx_builder import Builder


def build_par_advice() -> Builder:
    """One government-wide privacy advice: positions, conditions, decisions and consent."""
    b = Builder("Rijksbreed privacyadvies")
    b.tag("{%p if par.concept %}")
    b.p("CONCEPT: dit advies is nog niet vastgesteld. {{ par.stand }}", bold=True)
    b.tag("{%p endif %}")
    b.title("Rijksbreed privacyadvies (PAR)")
    b.p("{{ titel }}", bold=True)
    b.fields(
        [
            ("Ontwikkeling", "{{ titel }}"),
            ("Initiatiefnemer", "{{ par.initiatiefnemer }}"),
            ("Organisatie", "{{ organisatie }}"),
            ("Beoordeelde DPIA-versie", "versie {{ par.versie }} ({{ par.versie_datum }})"),
            ("Conclusie", "{{ par.conclusie }}"),
            ("Status", "{{ par.status }}"),
            ("Vastgesteld", "{{ par.vastgesteld or 'nog niet' }}"),
        ]
    )
    b.tag("{%p if omschrijving %}")
    b.h("De ontwikkeling", 1)
    b.p("{{ omschrijving }}")
    b.tag("{%p endif %}")
    b.h("Samenvatting en conclusie", 1)
    b.p("{{ par.conclusie }}", bold=True)
    b.p("{{ par.samenvatting }}")
    b.tag("{%p if par.risicos %}")
    b.h("Risico's", 1)
    b.p("{{ par.risicos }}")
    b.tag("{%p endif %}")
    b.h("Maatregelen en voorwaarden", 1)
    b.tag("{%p if voorwaarden %}")
    b.table(
        ["Nr.", "Voorwaarde", "Genoemd door", "Opvolging"],
        "v in voorwaarden",
        ["{{ v.nummer }}", "{{ v.tekst }}", "{{ v.ministeries }}", "{{ v.opvolging }}"],
    )
    b.tag("{%p else %}")
    b.p("Het advies bevat geen voorwaarden.")
    b.tag("{%p endif %}")
    b.h("Standpunten per ministerie", 1)
    b.p("{{ par.ronde }}")
    b.table(
        ["Ministerie", "Standpunt", "Onderbouwing en voorwaarden", "Gegeven door"],
        "s in standpunten",
        ["{{ s.ministerie }}", "{{ s.standpunt }}", "{{ s.onderbouwing }}", "{{ s.door }}"],
    )
    b.h("Besluiten van de interdepartementale overleggen", 1)
    b.tag("{%p if besluiten %}")
    b.table(
        ["Overleg", "Besluit", "Datum", "Verslag", "Opmerkingen"],
        "d in besluiten",
        [
            "{{ d.overleg }}",
            "{{ d.besluit }}",
            "{{ d.datum }}",
            "{{ d.verwijzing }}",
            "{{ d.opmerkingen }}",
        ],
    )
    b.tag("{%p else %}")
    b.p("Er zijn nog geen besluiten vastgelegd.")
    b.tag("{%p endif %}")
    b.h("Instemming van de GOR Rijk", 1)
    b.p("{{ par.instemming_nodig }}")
    b.tag("{%p if instemming %}")
    b.table(
        ["Besluit", "Datum", "Verslag", "Opmerkingen"],
        "d in instemming",
        ["{{ d.besluit }}", "{{ d.datum }}", "{{ d.verwijzing }}", "{{ d.opmerkingen }}"],
    )
    b.tag("{%p endif %}")
    b.p(
        "De FG's adviseren; de verwerkingsverantwoordelijken beslissen. Wie afwijkt van dit "
        "advies, legt in de DPIA vast waarom (artikel 35, tweede lid, AVG)."
    )
    b.footer(
        "Rijksbreed privacyadvies over {{ titel }}, documentversie {{ documentversie }} "
        "({{ datum }})"
    )
    return b


def report_par_advice(b: Builder) -> None:
    """§19 of a government-wide DPIA: the rijksbreed privacyadvies instead of an FG advice."""
    b.h("Rijksbreed privacyadvies (PAR)", 3)
    b.fields(
        [
            ("Conclusie", "{{ par_advies.par.conclusie }}"),
            ("Vastgesteld", "{{ par_advies.par.vastgesteld }}"),
            ("Beoordeelde DPIA-versie", "versie {{ par_advies.par.versie }}"),
            ("Verwerkt in DPIA-versie", "{{ fg_advies.verwerkt_in if fg_advies else '' }}"),
        ]
    )
    b.p("{{ par_advies.par.samenvatting }}")
    b.tag("{%p if par_advies.voorwaarden %}")
    b.p("Voorwaarden en wat ermee is gedaan", bold=True)
    b.table(
        ["Nr.", "Voorwaarde", "Genoemd door", "Opvolging"],
        "v in par_advies.voorwaarden",
        ["{{ v.nummer }}", "{{ v.tekst }}", "{{ v.ministeries }}", "{{ v.opvolging }}"],
    )
    b.tag("{%p endif %}")
    b.p("Standpunten per ministerie", bold=True)
    b.table(
        ["Ministerie", "Standpunt", "Onderbouwing en voorwaarden"],
        "s in par_advies.standpunten",
        ["{{ s.ministerie }}", "{{ s.standpunt }}", "{{ s.onderbouwing }}"],
    )
    b.p("Besluiten en instemming", bold=True)
    b.table(
        ["Overleg", "Besluit", "Datum", "Verslag"],
        "d in par_advies.besluiten + par_advies.instemming",
        ["{{ d.overleg }}", "{{ d.besluit }}", "{{ d.datum }}", "{{ d.verwijzing }}"],
    )
