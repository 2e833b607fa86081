"""The organisation-wide roles a user can hold (a user may have several)."""

from enum import StrEnum


class Role(StrEnum):
    PROJECTLEIDER = "projectleider"
    FG = "fg"
    PAR_COORDINATOR = "par-coordinator"
    SECRETARIAAT = "secretariaat"
    BEHEERDER = "beheerder"
    AUDITOR = "auditor"
    CPO = "cpo"
    CPO_RIJK = "cpo-rijk"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS = {
    Role.PROJECTLEIDER: "Projectleider",
    Role.FG: "Functionaris gegevensbescherming",
    Role.PAR_COORDINATOR: "PAR-coördinator",
    Role.SECRETARIAAT: "Secretariaat",
    Role.BEHEERDER: "Beheerder",
    Role.AUDITOR: "Auditor",
    Role.CPO: "CPO (privacy office van de organisatie)",
    Role.CPO_RIJK: "CPO Rijk (alle organisaties)",
}

ROLE_DESCRIPTIONS = {
    Role.PROJECTLEIDER: "Start pre-scans en stelt DPIA's op, samen met collega's.",
    Role.FG: "Beoordeelt DPIA's van de eigen organisatie en geeft advies.",
    Role.PAR_COORDINATOR: "Coördineert het rijksbrede privacyadvies (PAR).",
    Role.SECRETARIAAT: "Legt besluiten van interdepartementale overleggen en de GOR Rijk vast.",
    Role.BEHEERDER: "Beheert organisaties en gebruikers.",
    Role.AUDITOR: "Kan alles inzien, maar niets wijzigen (verantwoording).",
    Role.CPO: "Ziet het verwerkingsregister en het DPIA-overzicht van de eigen organisatie.",
    Role.CPO_RIJK: "Ziet het verwerkingsregister en het DPIA-overzicht van alle organisaties.",
}
