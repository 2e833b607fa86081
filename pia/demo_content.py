"""Example answers for the demo: a filled pre-scan and a complete DPIA (fictional)."""

from typing import Any

TITLE = "Digitaal loket energiesubsidie woningeigenaren"
DESCRIPTION = (
    "Woningeigenaren vragen online subsidie aan voor isolatie en warmtepompen. "
    "Het loket controleert de aanvraag tegen de BRP en het Kadaster."
)

PRESCAN: dict[str, Any] = {
    "0.1": False,
    "0.2": (
        "Een online loket waar woningeigenaren subsidie aanvragen voor energiebesparende "
        "maatregelen. Medewerkers van de uitvoeringsorganisatie beoordelen de aanvragen. "
        "Per jaar verwachten we ongeveer 60.000 aanvragen van burgers."
    ),
    "0.3": "Subsidie verstrekken aan woningeigenaren die hun woning verduurzamen.",
    "0.4": "algemeen_belang",
    "0.5.1": True,
    "0.5.2": ["saas", "opslag"],
    "0.5.3": "prive",
    "0.5.4": False,
    "1.1.1": True,
    "1.1.2": ["naam_contact", "website", "helpdesk", "logging", "demografisch", "overig"],
    "1.1.3": "Naam, adres, e-mailadres, telefoonnummer, IBAN, gegevens over de woning.",
    "1.2.1": False,
    "1.3.1": True,
    "1.3.2": ["financieel", "bsn", "inloggegevens"],
    "1.4.1": ["burgers", "medewerkers"],
    "1.4.2": "Woningeigenaren die subsidie aanvragen, en de medewerkers die aanvragen behandelen.",
    "1.5.1": True,
    "1.5.2": True,
    "1.5.3": "continu",
    "1.5.4": "aantal_jaren",
    "2.1.1": False,
    "3.1": ["financiele_situatie"],
    "4.1": ["grootschalig", "koppelen"],
    "5.1.1": True,
    "5.1.2": ["brp", "brk"],
    "6.1.1": False,
    "7.1.1": True,
    "7.1.2": False,
    "7.1.3": True,
}

# Stable row ids: the demo looks the same after every reseed.
P_NAAM, P_ADRES, P_BSN, P_IBAN, P_WONING, P_MEDEW = (
    "pnaam001",
    "padres01",
    "pbsn0001",
    "piban001",
    "pwoning1",
    "pmedew01",
)
OP_AANVRAAG, OP_BETALING = "opaanvr1", "opbetal1"
R_ONJUIST, R_LEK, R_FRAUDE = "rjuist01", "rlek0001", "rfraude1"
PARTY_RVO, PARTY_CLOUD = "partyrvo", "partycl1"
DOEL_BEOORDELEN, DOEL_BETALEN = "doelbeo1", "doelbet1"


def _item(row_id: str, name: str, subject: str, category: str, kind: str, purpose: str):
    return {
        "_id": row_id,
        "persoonsgegeven": name,
        "categorie_betrokkene": subject,
        "categorie_persoonsgegevens": category,
        "type": kind,
        "doeleinde": purpose,
        "via_partij": False,
    }


DPIA: dict[str, Any] = {
    "1": (
        "Het ministerie opent een digitaal loket voor de subsidieregeling energiebesparing. "
        "Woningeigenaren vragen daar subsidie aan; het loket vervangt een papieren "
        "formulier. Aanleiding is het klimaatbeleid en de wens om aanvragen sneller en met "
        "minder fouten af te handelen."
    ),
    "2": [
        _item(P_NAAM, "Naam", "Aanvragers", "Contactgegevens", "gewoon", "Subsidieaanvraag"),
        _item(P_ADRES, "Adres", "Aanvragers", "Contactgegevens", "gewoon", "Subsidieaanvraag"),
        _item(
            P_BSN,
            "BSN",
            "Aanvragers",
            "Identificatie",
            "nationaal_identificatienummer",
            "Subsidieaanvraag",
        ),
        _item(P_IBAN, "IBAN", "Aanvragers", "Financiële gegevens", "gevoelig", "Uitbetaling"),
        _item(
            P_WONING,
            "Kadastrale gegevens woning",
            "Aanvragers",
            "Woninggegevens",
            "gewoon",
            "Basisregistratie Kadaster",
        ),
        _item(
            P_MEDEW,
            "Naam behandelaar",
            "Medewerkers",
            "Contactgegevens",
            "gewoon",
            "Personeelsadministratie",
        ),
    ],
    "3": [
        {
            "_id": OP_AANVRAAG,
            "naam": "Aanvraag beoordelen",
            "beschrijving": "Aanvraag ontvangen, eigendom controleren in BRK en BRP, beoordelen.",
            "persoonsgegevens": [P_NAAM, P_ADRES, P_BSN, P_WONING, P_MEDEW],
        },
        {
            "_id": OP_BETALING,
            "naam": "Subsidie uitbetalen",
            "beschrijving": "Toegekende subsidie overmaken naar de rekening van de aanvrager.",
            "persoonsgegevens": [P_NAAM, P_IBAN],
        },
    ],
    "4.1": (
        "Een webformulier met inloggen via DigiD, een zaaksysteem als dienst (SaaS) in een "
        "datacenter in Nederland, en koppelingen met de BRP en de BRK."
    ),
    "4.2": False,
    "4.3": False,
    "4.4": True,
    "4.4.1": "Het zaaksysteem draait als SaaS bij een Nederlandse leverancier, private cloud.",
    "4.5": False,
    "4.6": False,
    "5": {
        OP_AANVRAAG: {
            "5.1": [
                {
                    "_id": DOEL_BEOORDELEN,
                    "doel": "Vaststellen of de aanvrager recht heeft op subsidie.",
                }
            ]
        },
        OP_BETALING: {"5.1": [{"_id": DOEL_BETALEN, "doel": "De toegekende subsidie betalen."}]},
    },
    "6": {
        OP_AANVRAAG: {
            "6.1": [
                {
                    "_id": PARTY_RVO,
                    "naam": "Uitvoeringsorganisatie subsidies",
                    "rol": ["verwerkingsverantwoordelijke"],
                    "functies": "Behandelaars, teamleiders",
                    "persoonsgegevens": [P_NAAM, P_ADRES, P_BSN, P_WONING],
                    "betrokkenen": [P_NAAM],
                },
                {
                    "_id": PARTY_CLOUD,
                    "naam": "Leverancier zaaksysteem B.V.",
                    "rol": ["verwerker"],
                    "functies": "Beheerders van de leverancier",
                    "persoonsgegevens": [P_NAAM, P_ADRES],
                    "betrokkenen": [P_NAAM],
                },
            ]
        },
        OP_BETALING: {
            "6.1": [
                {
                    "_id": "partyfin",
                    "naam": "Financiële administratie",
                    "rol": ["ontvanger"],
                    "functies": "Crediteurenadministratie",
                    "persoonsgegevens": [P_NAAM, P_IBAN],
                    "betrokkenen": [P_NAAM],
                },
            ]
        },
    },
    "7.1": [
        {
            "_id": "belang01",
            "partij": PARTY_RVO,
            "belang": "Subsidie rechtmatig en snel verstrekken.",
        },
    ],
    "7.2": "Een panel van tien woningeigenaren heeft het loket getest; hun opmerkingen over "
    "de uitleg bij de BSN-vraag zijn verwerkt.",
    "8": {
        OP_AANVRAAG: {"8.1": [{"_id": "locnl001", "locatie": "Nederland", "buiten_eer": False}]},
        OP_BETALING: {"8.1": [{"_id": "locnl002", "locatie": "Nederland", "buiten_eer": False}]},
    },
    "9": {
        OP_AANVRAAG: {
            "9.1": [
                {
                    "_id": "wet00001",
                    "regeling": "Subsidieregeling energiebesparing",
                    "artikelen": "artikelen 4 tot en met 9",
                }
            ]
        },
        OP_BETALING: {
            "9.1": [
                {
                    "_id": "wet00002",
                    "regeling": "Algemene wet bestuursrecht",
                    "artikelen": "titel 4.2",
                }
            ]
        },
    },
    "10": {
        OP_AANVRAAG: {
            "10.1": [
                {
                    "_id": "bew00001",
                    "doeleinde": DOEL_BEOORDELEN,
                    "betrokkenen": [P_NAAM],
                    "persoonsgegevens": [P_NAAM, P_BSN],
                    "termijn": "aantal_jaren",
                    "motivatie": "Zeven jaar, voor controle en bezwaar.",
                }
            ]
        },
        OP_BETALING: {
            "10.1": [
                {
                    "_id": "bew00002",
                    "doeleinde": DOEL_BETALEN,
                    "betrokkenen": [P_NAAM],
                    "persoonsgegevens": [P_IBAN],
                    "termijn": "aantal_jaren",
                    "motivatie": "Fiscale bewaarplicht van zeven jaar.",
                }
            ]
        },
    },
    "11": {
        OP_AANVRAAG: {
            "11.1": [
                {
                    "_id": "grond001",
                    "rechtsgrond": "algemeen_belang",
                    "toelichting": "Uitvoering van de subsidieregeling.",
                }
            ]
        },
        OP_BETALING: {
            "11.1": [
                {
                    "_id": "grond002",
                    "rechtsgrond": "algemeen_belang",
                    "toelichting": "Uitbetaling op grond van de Awb.",
                }
            ]
        },
    },
    "12.1.1": False,
    "12.2.1": False,
    "12.3.1": True,
    "12.3.2": [
        {
            "_id": "bsn00001",
            "verwerkingen": [OP_AANVRAAG],
            "betrokkenen": [P_NAAM],
            "persoonsgegevens": [P_BSN],
            "uitzonderingsgrond": "Artikel 46 UAVG met de subsidieregeling als grondslag.",
        }
    ],
    "13": {
        OP_AANVRAAG: {"13.1": [{"_id": "doelb001", "beoordeling": "niet_van_toepassing"}]},
        OP_BETALING: {"13.1": [{"_id": "doelb002", "beoordeling": "niet_van_toepassing"}]},
    },
    "14.1": "Zonder BSN en eigendomsgegevens kan niet worden vastgesteld wie recht heeft. "
    "Minder gegevens vragen is onderzocht: het adres alleen is niet genoeg.",
    "14.2": "De gegevens worden alleen gebruikt voor de aanvraag en worden na zeven jaar "
    "vernietigd; de inbreuk staat in verhouding tot het doel.",
    "16": [
        {
            "_id": R_ONJUIST,
            "beschrijving": "Onterechte afwijzing door onjuiste BRK-gegevens.",
            "oorsprong": "Fouten in de koppeling",
            "kans": "midden",
            "kans_motivatie": "Verschillen tussen BRK en werkelijkheid komen voor.",
            "impact": "midden",
            "impact_motivatie": "Aanvrager loopt subsidie mis.",
            "risiconiveau_motivatie": "Volgens de matrix.",
        },
        {
            "_id": R_LEK,
            "beschrijving": "Datalek bij de leverancier van het zaaksysteem.",
            "oorsprong": "Beveiligingsincident",
            "kans": "laag",
            "kans_motivatie": "ISO 27001-gecertificeerde leverancier.",
            "impact": "hoog",
            "impact_motivatie": "BSN en IBAN van veel burgers.",
            "risiconiveau": "midden",
            "risiconiveau_motivatie": "Omvang van 60.000 aanvragers weegt zwaarder dan de "
            "matrix aangeeft.",
        },
        {
            "_id": R_FRAUDE,
            "beschrijving": "Identiteitsfraude met gegevens van aanvragers.",
            "oorsprong": "Misbruik van inloggegevens",
            "kans": "midden",
            "kans_motivatie": "Phishing rond subsidies komt voor.",
            "impact": "hoog",
            "impact_motivatie": "Financiële schade voor burgers.",
            "risiconiveau_motivatie": "Volgens de matrix.",
        },
    ],
    "17.1": [
        {
            "_id": "maatr001",
            "risicos": [R_ONJUIST],
            "oorsprong": "Koppeling",
            "maatregel": "Aanvrager ziet de BRK-gegevens en kan ze corrigeren.",
            "soort": "organisatorisch",
            "resterend_risico": "laag",
            "toezicht_land": "Nederland",
            "beheerder": "Teamleider subsidies",
        },
        {
            "_id": "maatr002",
            "risicos": [R_LEK, R_FRAUDE],
            "oorsprong": "Beveiliging",
            "maatregel": "DigiD op niveau substantieel, versleuteling, verwerkersovereenkomst "
            "met auditrecht.",
            "soort": "technisch",
            "resterend_risico": "laag",
            "toezicht_land": "Nederland",
            "beheerder": "CISO",
        },
    ],
    "17.2": "De restrisico's zijn laag en aanvaardbaar gezien het belang van de regeling.",
    "18": "Het loket verwerkt gegevens van ongeveer 60.000 burgers per jaar, waaronder het "
    "BSN. De belangrijkste risico's zijn onjuiste afwijzingen en een datalek; met de "
    "maatregelen zijn de restrisico's laag.",
}

for _i in range(1, 9):
    DPIA[f"15.{_i}.1"] = True
    DPIA[f"15.{_i}.2"] = "Via het contactformulier; afhandeling binnen vier weken."
    DPIA[f"15.{_i}.3"] = "nvt"
DPIA["15.6.1"] = "nvt"
DPIA.pop("15.6.2")


SECOND_TITLE = "Pilot bezoekersregistratie rechtbanken"
SECOND_DESCRIPTION = "Bezoekers melden zich aan via een tablet bij de ingang."
SECOND_PRESCAN: dict[str, Any] = {
    "0.1": False,
    "0.2": "Bezoekers van twee rechtbanken registreren zich bij binnenkomst op een tablet.",
    "0.3": "Weten wie er in het gebouw is, voor veiligheid en ontruiming.",
    "0.4": "algemeen_belang",
    "0.5.1": False,
    "1.1.1": True,
    "1.1.2": ["naam_contact"],
    "1.1.3": "Naam, bedrijf, tijdstip van binnenkomst en vertrek.",
}
