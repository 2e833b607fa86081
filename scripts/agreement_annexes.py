"""The annexes of the processor agreement (shared by both variants)."""

from __future__ import annotations

from docx_builder import Builder


def annexes(b: Builder) -> None:
    """Annexes 1–5: specification, security, sub-processors, contacts, breach procedure."""
    b.page_break()
    b.h("Bijlage 1. Specificatie van de verwerking", 1)
    b.p("Onderwerp", bold=True)
    b.p("{{ onderwerp }}")
    b.p("Aard van de verwerking", bold=True)
    b.bullets("a in aard", "a")
    b.p("Doeleinden", bold=True)
    b.bullets("d in doeleinden", "d")
    b.p("Persoonsgegevens", bold=True)
    b.table(
        ["Persoonsgegeven", "Categorie", "Betrokkenen", "Soort", "Bijzonder, strafrechtelijk, BSN"],
        "g in persoonsgegevens",
        [
            "{{ g.gegeven }}",
            "{{ g.categorie }}",
            "{{ g.betrokkenen }}",
            "{{ g.soort }}",
            "{{ g.bijzonder }}",
        ],
    )
    b.p("Categorieën betrokkenen", bold=True)
    b.table(["Categorie betrokkenen"], "c in betrokkenen", ["{{ c }}"])
    b.p("Bewaartermijnen", bold=True)
    b.table(
        ["Verwerking", "Doeleinde", "Persoonsgegevens", "Bewaartermijn", "Motivatie"],
        "t in bewaartermijnen",
        [
            "{{ t.verwerking }}",
            "{{ t.doeleinde }}",
            "{{ t.persoonsgegevens }}",
            "{{ t.termijn }}",
            "{{ t.motivatie }}",
        ],
    )
    b.p("Aan het einde: {{ einde.keuze }}, binnen {{ einde.termijn_dagen }} dagen.")
    b.p("Locaties en doorgifte", bold=True)
    b.table(
        ["Verwerking", "Land", "Buiten de EER", "Doorgiftemechanisme", "Aanvullende maatregelen"],
        "l in locaties",
        [
            "{{ l.verwerking }}",
            "{{ l.locatie }}",
            "{{ l.buiten_eer }}",
            "{{ l.doorgiftemechanisme }}",
            "{{ l.aanvullende_maatregelen }}",
        ],
    )

    b.h("Bijlage 2. Beveiligingsmaatregelen", 1)
    b.bullets("m in beveiliging.maatregelen", "m")
    b.p("Certificeringen en verklaringen", bold=True)
    b.tag("{%p if beveiliging.certificeringen %}")
    b.bullets("c in beveiliging.certificeringen", "c")
    b.tag("{%p else %}")
    b.p("Geen opgegeven.")
    b.tag("{%p endif %}")

    b.h("Bijlage 3. Goedgekeurde subverwerkers", 1)
    b.p(
        "Toestemming: {{ toestemming }}. Bezwaartermijn bij wijzigingen: "
        "{{ bezwaartermijn_dagen }} dagen."
    )
    b.tag("{%p if subverwerkers %}")
    b.table(
        ["Naam", "Land", "Activiteit", "Waarborgen"],
        "s in subverwerkers",
        ["{{ s.naam }}", "{{ s.land }}", "{{ s.activiteit }}", "{{ s.waarborgen }}"],
    )
    b.tag("{%p else %}")
    b.p("De verwerker schakelt geen subverwerkers in.")
    b.tag("{%p endif %}")

    b.h("Bijlage 4. Contactgegevens", 1)
    b.table(
        ["Rol", "Verwerkingsverantwoordelijke", "Verwerker"],
        "x in contacten",
        ["{{ x.rol }}", "{{ x.verantwoordelijke }}", "{{ x.verwerker }}"],
    )

    b.h("Bijlage 5. Procedure bij datalekken", 1)
    b.p(
        "De verwerker meldt een datalek binnen {{ datalek.termijn_uren }} uur bij "
        "{{ datalek.meldpunt }}, met ten minste:"
    )
    b.bullets("i in datalek.informatie", "i")
    b.p(
        "Hij neemt meteen maatregelen om de gevolgen te beperken en houdt de "
        "verwerkingsverantwoordelijke op de hoogte tot het datalek is afgehandeld."
    )
