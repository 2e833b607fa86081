"""The processor agreement's clauses (PIA Rijk's own plain-Dutch text) and its annexes.

One text for both variants: a processor agreement (verwerkersovereenkomst) and, when
both parties are part of the State, processing arrangements (verwerkersafspraken).
"""

from __future__ import annotations

from agreement_annexes import annexes
from docx_builder import Builder


def build_agreement(*, intra_state: bool) -> Builder:
    """The agreement (or arrangements) with articles 1–17 and annexes 1–5."""
    doc = "deze afspraken" if intra_state else "deze overeenkomst"
    Doc = doc[0].upper() + doc[1:]  # noqa: N806
    b = Builder("Verwerkersafspraken" if intra_state else "Verwerkersovereenkomst")
    b.title("{{ titel }}")
    b.p("over de verwerking van persoonsgegevens voor: {{ onderwerp }}", bold=True)
    b.p("Hoort bij de DPIA “{{ assessment }}”. Gemaakt op {{ datum }}.")
    _parties(b, intra_state)

    b.article(
        "Begrippen",
        "Begrippen als persoonsgegevens, verwerking, betrokkene, verwerkingsverantwoordelijke, "
        "verwerker, subverwerker en inbreuk in verband met persoonsgegevens (datalek) hebben de "
        "betekenis die de Algemene verordening gegevensbescherming (AVG) eraan geeft.",
        "Hoofdovereenkomst: de afspraken over de dienstverlening van de verwerker, genoemd in "
        "artikel 2. Bijlage: een bijlage bij " + doc + "; de bijlagen horen bij " + doc + ".",
    )
    b.article(
        "Onderwerp en verhouding tot de hoofdovereenkomst",
        Doc + " regelt hoe de verwerker persoonsgegevens verwerkt voor de "
        "verwerkingsverantwoordelijke, zoals artikel 28, derde lid, AVG vraagt. Bijlage 1 "
        "beschrijft het onderwerp, de aard en de doeleinden van de verwerking, de soorten "
        "persoonsgegevens en de categorieën betrokkenen.",
        "{%p if hoofdovereenkomst.code == 'arbit-2022' %}",
        Doc + " hoort bij de hoofdovereenkomst met kenmerk {{ hoofdovereenkomst.kenmerk }} van "
        "{{ hoofdovereenkomst.datum }}. Op de hoofdovereenkomst zijn de Algemene Rijksvoorwaarden "
        "bij IT-overeenkomsten 2022 (ARBIT-2022) van toepassing.",
        "{%p elif hoofdovereenkomst.code == 'arvodi-2018' %}",
        Doc + " hoort bij de hoofdovereenkomst met kenmerk {{ hoofdovereenkomst.kenmerk }} van "
        "{{ hoofdovereenkomst.datum }}. Op de hoofdovereenkomst zijn de Algemene Rijksvoorwaarden "
        "voor het verstrekken van opdrachten tot het verrichten van diensten 2018 (ARVODI-2018) "
        "van toepassing.",
        "{%p else %}",
        Doc + " hoort bij de hoofdovereenkomst {{ hoofdovereenkomst.naam }}, met kenmerk "
        "{{ hoofdovereenkomst.kenmerk }}, van {{ hoofdovereenkomst.datum }}.",
        "{%p endif %}",
        "Gaat het om de verwerking van persoonsgegevens en zeggen " + doc + " en de "
        "hoofdovereenkomst iets anders? Dan geldt wat in " + doc + " staat.",
    )
    b.article(
        "Begin en duur",
        Doc + " gaan in op {{ ingangsdatum }}."
        if intra_state
        else Doc + " gaat in op {{ ingangsdatum }}.",
        "Looptijd: {{ looptijd }}",
        "{%p if einddatum %}",
        Doc + " eindigen uiterlijk op {{ einddatum }}."
        if intra_state
        else Doc + " eindigt uiterlijk op {{ einddatum }}.",
        "{%p endif %}",
        "Wat naar zijn aard ook na het einde moet blijven gelden, blijft gelden. Dat geldt in "
        "het bijzonder voor geheimhouding (artikel 6) en teruggeven en vernietigen (artikel 14).",
    )
    b.article(
        "Verwerken alleen in opdracht",
        "De verwerker verwerkt de persoonsgegevens alleen in opdracht van de "
        "verwerkingsverantwoordelijke en volgens diens schriftelijke instructies, ook als het "
        "gaat om doorgifte naar een land buiten de Europese Economische Ruimte (EER).",
        "Moet de verwerker van een wet persoonsgegevens anders verwerken? Dan meldt hij dat "
        "vooraf aan de verwerkingsverantwoordelijke, tenzij die wet dat verbiedt.",
        "Vindt de verwerker dat een instructie in strijd is met de AVG of een andere regel over "
        "gegevensbescherming? Dan meldt hij dat meteen.",
        "De verwerker gebruikt de persoonsgegevens niet voor eigen doelen.",
    )
    b.article(
        "Beveiliging",
        "De verwerker neemt passende technische en organisatorische maatregelen om de "
        "persoonsgegevens te beveiligen, zoals artikel 32 AVG vraagt. De maatregelen passen bij "
        "de Baseline Informatiebeveiliging Overheid (BIO).",
        "Bijlage 2 noemt de maatregelen en de certificeringen van de verwerker. De verwerker "
        "houdt de maatregelen op peil en meldt wijzigingen die de beveiliging verminderen vooraf.",
    )
    b.article(
        "Geheimhouding",
        "Iedereen die voor de verwerker werkt en toegang heeft tot de persoonsgegevens, heeft "
        "een geheimhoudingsplicht, door een afspraak of door de wet.",
        "De verwerker geeft alleen toegang aan wie die toegang nodig heeft voor het werk.",
    )
    b.article(
        "Subverwerkers",
        "De verwerker schakelt alleen een subverwerker in met {{ toestemming }} van de "
        "verwerkingsverantwoordelijke. Bijlage 3 noemt de subverwerkers die al zijn goedgekeurd.",
        "Wil de verwerker een subverwerker toevoegen of vervangen? Dan meldt hij dat vooraf. De "
        "verwerkingsverantwoordelijke kan binnen {{ bezwaartermijn_dagen }} dagen bezwaar maken.",
        "De verwerker legt elke subverwerker dezelfde plichten op als in " + doc + ". Hij blijft "
        "volledig verantwoordelijk voor wat de subverwerker doet.",
    )
    b.article(
        "Hulp bij de rechten van betrokkenen",
        "De verwerker helpt de verwerkingsverantwoordelijke verzoeken van betrokkenen te "
        "beantwoorden, zoals een verzoek om inzage, correctie of verwijdering. Hij doet dat "
        "binnen {{ bijstand.rechten_dagen }} werkdagen na een verzoek.",
        "Krijgt de verwerker zelf een verzoek van een betrokkene? Dan stuurt hij het meteen "
        "door en beantwoordt hij het niet zelf, tenzij de verwerkingsverantwoordelijke dat vraagt.",
    )
    b.article(
        "Datalekken",
        "De verwerker meldt een datalek zonder onredelijke vertraging, en uiterlijk binnen "
        "{{ datalek.termijn_uren }} uur nadat hij het heeft ontdekt, bij: {{ datalek.meldpunt }}.",
        "Hij geeft daarbij de informatie uit bijlage 5, en vult die aan zodra hij meer weet.",
        "De verwerkingsverantwoordelijke beslist of het datalek wordt gemeld bij de Autoriteit "
        "Persoonsgegevens (binnen 72 uur, artikel 33 AVG) en bij betrokkenen. De verwerker "
        "helpt daarbij en meldt zelf niets, tenzij de verwerkingsverantwoordelijke dat vraagt.",
    )
    b.article(
        "DPIA en voorafgaande raadpleging",
        "De verwerker helpt de verwerkingsverantwoordelijke met een gegevensbeschermings"
        "effectbeoordeling (DPIA) en met een voorafgaande raadpleging van de Autoriteit "
        "Persoonsgegevens (artikelen 35 en 36 AVG). Hij geeft de informatie die daarvoor nodig "
        "is binnen {{ bijstand.dpia_dagen }} werkdagen.",
    )
    b.article(
        "Doorgifte buiten de EER",
        "De verwerker geeft persoonsgegevens alleen door naar een land buiten de EER of een "
        "internationale organisatie als de verwerkingsverantwoordelijke dat schriftelijk heeft "
        "goedgekeurd en hoofdstuk V van de AVG wordt nageleefd.",
        "{%p if doorgifte %}",
        "Bijlage 1 noemt de landen buiten de EER waar nu gegevens worden verwerkt, het "
        "doorgiftemechanisme en de aanvullende maatregelen.",
        "{%p else %}",
        "Op dit moment worden er geen persoonsgegevens buiten de EER verwerkt.",
        "{%p endif %}",
    )
    b.article(
        "Informatie, audits en inspecties",
        "De verwerker geeft de verwerkingsverantwoordelijke alle informatie die nodig is om te "
        "laten zien dat de AVG en " + doc + " worden nageleefd.",
        "De verwerkingsverantwoordelijke mag de naleving laten controleren. Hoe vaak: "
        "{{ audit.frequentie }} Door wie: {{ audit.door }} De kosten zijn voor {{ audit.kosten }}.",
        "De verwerker werkt mee aan audits en aan inspecties van een toezichthouder.",
    )
    if intra_state:
        b.article(
            "Aansprakelijkheid",
            "De verwerkingsverantwoordelijke en de verwerker zijn beide onderdeel van de Staat "
            "der Nederlanden. Zij stellen elkaar niet aansprakelijk, maar lossen een probleem "
            "samen op, zo nodig in ambtelijk en bestuurlijk overleg.",
        )
    else:
        b.article(
            "Aansprakelijkheid",
            "{%p if aansprakelijkheid_eigen %}",
            "{{ aansprakelijkheid }}",
            "{%p else %}",
            "Voor de aansprakelijkheid geldt wat in de hoofdovereenkomst staat.",
            "{%p endif %}",
        )
    b.article(
        "Teruggeven en vernietigen aan het einde",
        "Als de dienstverlening eindigt, zal de verwerker de persoonsgegevens {{ einde.keuze }}, "
        "binnen {{ einde.termijn_dagen }} dagen. Methode: {{ einde.methode }}",
        "Dit geldt ook voor kopieën, ook bij subverwerkers. Alleen als een wet de verwerker "
        "verplicht gegevens te bewaren, mag hij die gegevens houden, en alleen daarvoor.",
    )
    b.article(
        "Wijzigingen",
        "Wijzigingen van " + doc + " en de bijlagen gelden alleen als beide partijen ze "
        "schriftelijk hebben vastgelegd. Verandert de verwerking, dan passen zij bijlage 1 aan.",
    )
    if intra_state:
        b.article(
            "Geschillen",
            "Komen de verwerkingsverantwoordelijke en de verwerker er samen niet uit? Dan leggen "
            "zij het geschil voor aan hun secretarissen-generaal.",
        )
    else:
        b.article(
            "Toepasselijk recht en geschillen",
            "Op " + doc + " is Nederlands recht van toepassing.",
            "Geschillen worden voorgelegd aan de rechter die in de hoofdovereenkomst is "
            "aangewezen, en anders aan de bevoegde rechter in Den Haag.",
        )
    _signatures(b, intra_state)
    annexes(b)
    b.footer("{{ titel }}: {{ verantwoordelijke.organisatie }} en {{ verwerker.naam }}")
    return b


def _parties(b: Builder, intra_state: bool) -> None:
    b.h("Partijen", 1)
    b.p(
        "1. De Staat der Nederlanden, {{ verantwoordelijke.organisatie }}, "
        "{{ verantwoordelijke.directie }}, hierbij vertegenwoordigd door "
        "{{ verantwoordelijke.ondertekenaar }}, {{ verantwoordelijke.functie }}, op grond van: "
        "{{ verantwoordelijke.mandaat }}, hierna: de verwerkingsverantwoordelijke;"
    )
    if intra_state:
        b.p(
            "2. {{ verwerker.naam }}, {{ verwerker.adres }}, vertegenwoordigd door "
            "{{ verwerker.ondertekenaar }}, {{ verwerker.functie }}, hierna: de verwerker."
        )
        b.h("Waarom verwerkersafspraken en geen overeenkomst", 2)
        b.p(
            "De verwerkingsverantwoordelijke en de verwerker zijn allebei een onderdeel van de "
            "Staat der Nederlanden. Samen zijn zij één rechtspersoon, en een rechtspersoon kan "
            "geen overeenkomst met zichzelf sluiten. Daarom leggen zij hun afspraken over de "
            "verwerking vast in deze verwerkersafspraken. De inhoud is dezelfde als die van een "
            "verwerkersovereenkomst."
        )
    else:
        b.p(
            "2. {{ verwerker.naam }}, ingeschreven bij de Kamer van Koophandel onder nummer "
            "{{ verwerker.kvk }}, {{ verwerker.adres }}, vertegenwoordigd door "
            "{{ verwerker.ondertekenaar }}, {{ verwerker.functie }}, hierna: de verwerker."
        )
    b.p("Partijen spreken het volgende af.")


def _signatures(b: Builder, intra_state: bool) -> None:
    b.article("Vaststelling" if intra_state else "Ondertekening")
    b.p("Vastgesteld door beide partijen:" if intra_state else "Aldus overeengekomen en getekend:")
    b.fields(
        [
            (
                "Namens de verwerkingsverantwoordelijke",
                "{{ verantwoordelijke.ondertekenaar }}, {{ verantwoordelijke.functie }}"
                "\n\nDatum:\n\nHandtekening:",
            ),
            (
                "Namens de verwerker",
                "{{ verwerker.ondertekenaar }}, {{ verwerker.functie }}\n\nDatum:\n\nHandtekening:",
            ),
        ]
    )
