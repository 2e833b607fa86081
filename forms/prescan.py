"""The outcome rules of the pre-scan DPIA 2.0: DPIA required/advised/not needed, DTIA, KIA, IAMA.

The rules follow the pre-scan reference exactly. Option values used here are
constants; a test checks every one of them against prescan-2.0.yaml, and the Dutch
labels in reasons come from the definition. Hidden questions do not count: the
answers are first reduced with forms.conditions.effective_answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from forms.completeness import progress
from forms.conditions import effective_answers
from forms.loader import get_definition
from forms.model import Definition
from forms.prescan_score import (
    OUTSIDE_EEA,
    Q_DIGITAL_SERVICE,
    Q_FOR_MINORS,
    Q_STORAGE,
    Q_SUPPORT,
    Q_TRANSFER,
    ScoreLine,
    score_lines,
)

PRESCAN_ID = "prescan"
PRESCAN_VERSION = "2.0"

Q_NEW_LEGISLATION = "0.1"
Q_LEGAL_BASIS = "0.4"
Q_MECHANISM = "2.1.6"
Q_AP_LIST = "3.1"
Q_EDPB_LIST = "4.1"
Q_HIGH_RISK_AI = "6.1.2"
Q_OTHER_ALGORITHM = "6.1.3"

DTIA_MECHANISMS = frozenset({"scc", "overig"})
LEGITIMATE_INTEREST = "gerechtvaardigd_belang"
RISK_SCORE_LIMIT = 4  # a score above this makes a DPIA required
EDPB_REQUIRED = 2

Dpia = Literal["verplicht", "aanbevolen", "niet_nodig"]
DPIA_LABELS: dict[str, str] = {
    "verplicht": "DPIA verplicht",
    "aanbevolen": "DPIA aanbevolen",
    "niet_nodig": "Geen DPIA nodig",
}


class _Selected(NamedTuple):
    values: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class PrescanOutcome:
    """The outcome of a pre-scan, with the reasons in Dutch."""

    dpia: Dpia
    dtia: bool
    kia: bool
    iama: bool
    risk_score: int
    score_breakdown: tuple[ScoreLine, ...]
    reasons: list[str]  # Dutch sentences; a list, as the documented interface says
    findings: tuple[str, ...]
    complete: bool

    @property
    def dpia_label(self) -> str:
        return DPIA_LABELS[self.dpia]


def evaluate(answers: Mapping[str, Any], definition: Definition | None = None) -> PrescanOutcome:
    """Apply the pre-scan rules to the answers (question id -> value)."""
    definition = definition or get_definition(PRESCAN_ID, PRESCAN_VERSION)
    raw = answers
    answers = effective_answers(definition, answers)
    lines = score_lines(definition, answers)
    score = sum(line.points for line in lines)
    ap = _selected(definition, answers, Q_AP_LIST)
    edpb = _selected(definition, answers, Q_EDPB_LIST)

    reasons: list[str] = []
    # Each reason a whole sentence, as it is read aloud.
    required: list[str] = []
    if answers.get(Q_NEW_LEGISLATION) is True:
        required.append(
            "Een DPIA is verplicht, omdat het om nieuwe wet- of regelgeving gaat "
            f"(vraag {Q_NEW_LEGISLATION})."
        )
    if score > RISK_SCORE_LIMIT:
        required.append(
            f"Een DPIA is verplicht, omdat de risicoscore {score} is. Bij een risicoscore van "
            f"meer dan {RISK_SCORE_LIMIT} is een DPIA altijd verplicht."
        )
    if ap.values:
        required.append(
            "Een DPIA is verplicht, omdat de verwerking op de lijst van de Autoriteit "
            f"Persoonsgegevens staat: {_join(ap.labels)} (vraag {Q_AP_LIST})."
        )
    if len(edpb.values) >= EDPB_REQUIRED:
        required.append(
            f"Een DPIA is verplicht, omdat de verwerking aan {len(edpb.values)} criteria van "
            f"de EDPB-lijst voldoet: {_join(edpb.labels)} (vraag {Q_EDPB_LIST}). Vanaf "
            f"{EDPB_REQUIRED} criteria is een DPIA verplicht."
        )
    dpia: Dpia
    if required:
        dpia = "verplicht"
        reasons += required
    else:
        not_required = (
            "Een DPIA is niet verplicht. Het gaat niet om nieuwe wet- of regelgeving, de "
            f"risicoscore is {score} (een DPIA is verplicht bij meer dan {RISK_SCORE_LIMIT}) "
            "en de verwerking staat niet op de lijst van de Autoriteit Persoonsgegevens."
        )
        reasons.append(not_required)
        if len(edpb.values) == 1:
            dpia = "aanbevolen"
            reasons.append(
                "Een DPIA wordt wel aanbevolen, omdat de verwerking aan 1 criterium van de "
                f"EDPB-lijst voldoet: {_join(edpb.labels)} (vraag {Q_EDPB_LIST})."
            )
        else:
            dpia = "niet_nodig"
            reasons.append(
                "De verwerking voldoet aan geen van de criteria van de EDPB-lijst. "
                "Er is dus geen DPIA nodig. Bewaar deze pre-scan als onderbouwing."
            )

    dtia = _dtia(definition, answers, reasons)
    kia = _kia(answers, reasons)
    iama = _iama(answers, reasons)
    complete = progress(definition, raw).complete
    return PrescanOutcome(
        dpia=dpia,
        dtia=dtia,
        kia=kia,
        iama=iama,
        risk_score=score,
        score_breakdown=tuple(lines),
        reasons=reasons,
        findings=tuple(_findings(raw, answers, dpia, complete)),
        complete=complete,
    )


def _outside_eea(answers: Mapping[str, Any]) -> bool:
    return answers.get(Q_STORAGE) == OUTSIDE_EEA or answers.get(Q_SUPPORT) == OUTSIDE_EEA


def _dtia(definition: Definition, answers: Mapping[str, Any], reasons: list[str]) -> bool:
    mechanism = answers.get(Q_MECHANISM)
    if not (
        answers.get(Q_TRANSFER) is True and _outside_eea(answers) and mechanism in DTIA_MECHANISMS
    ):
        return False
    label = _option_label(definition, Q_MECHANISM, mechanism)
    reasons.append(
        "Een DTIA (data transfer impact assessment) is verplicht, omdat persoonsgegevens "
        f"buiten de EER worden opgeslagen of ondersteund (vraag {Q_STORAGE} of {Q_SUPPORT}) "
        f"en de doorgifte op ‘{label}’ steunt (vraag {Q_MECHANISM})."
    )
    return True


def _kia(answers: Mapping[str, Any], reasons: list[str]) -> bool:
    if answers.get(Q_DIGITAL_SERVICE) is True and answers.get(Q_FOR_MINORS) is True:
        reasons.append(
            "Een KIA (kinderrechtenimpactassessment) wordt aanbevolen, omdat u een digitale "
            "dienst aanbiedt of gebruikt die vooral bedoeld is voor mensen jonger dan 18 jaar "
            f"(vraag {Q_DIGITAL_SERVICE} en {Q_FOR_MINORS})."
        )
        return True
    return False


def _iama(answers: Mapping[str, Any], reasons: list[str]) -> bool:
    why = []
    if answers.get(Q_HIGH_RISK_AI) is True:
        why.append(f"een hoog-risico AI-systeem (vraag {Q_HIGH_RISK_AI})")
    if answers.get(Q_OTHER_ALGORITHM) is True:
        why.append(f"een ander impactvol algoritme (vraag {Q_OTHER_ALGORITHM})")
    if why:
        reasons.append(
            "Een IAMA (impact assessment mensenrechten en algoritmes) wordt aanbevolen, "
            f"omdat u {' en '.join(why)} gebruikt."
        )
    return bool(why)


def _findings(
    raw: Mapping[str, Any],
    answers: Mapping[str, Any],
    dpia: Dpia,
    complete: bool,
) -> list[str]:
    findings = []
    if not complete:
        findings.append(
            "De pre-scan is nog niet helemaal ingevuld. De uitkomst kan nog veranderen."
        )
    # The reference implementation scored this case silently; here it is shown instead.
    if answers.get(Q_TRANSFER) is not True and _outside_eea(raw):
        findings.append(
            f"U gaf bij vraag {Q_STORAGE} of {Q_SUPPORT} aan dat gegevens buiten de EER "
            "worden opgeslagen of dat ondersteuning van buiten de EER komt, maar bij vraag "
            f"{Q_TRANSFER} niet dat er doorgifte is. Ook inzage vanuit een land buiten de EER "
            f"is doorgifte. Controleer vraag {Q_TRANSFER}."
        )
    if answers.get(Q_LEGAL_BASIS) == LEGITIMATE_INTEREST:
        findings.append(
            f"U koos gerechtvaardigd belang als rechtsgrond (vraag {Q_LEGAL_BASIS}). Een "
            "overheidsorganisatie kan die grond niet gebruiken voor haar publieke taken. "
            "Controleer de rechtsgrond met een jurist."
        )
    if dpia != "verplicht":
        findings.append(
            "Let op: binnen de Rijksdienst is een DPIA ook verplicht als u beleid of wetgeving "
            "maakt die leidt tot het verwerken van persoonsgegevens, of als uw departement dat "
            "voorschrijft. Dat staat los van deze pre-scan."
        )
    return findings


def _selected(definition: Definition, answers: Mapping[str, Any], question_id: str) -> _Selected:
    """The chosen options of a multiple-choice question, without 'none of these'."""
    question = definition.question(question_id)
    chosen = answers.get(question_id) or []
    options = [o for o in question.options if o.value in chosen and not o.exclusive]
    return _Selected(tuple(o.value for o in options), tuple(o.label for o in options))


def _option_label(definition: Definition, question_id: str, value: object) -> str:
    option = definition.question(question_id).option(str(value))
    return option.label if option else str(value)


def _join(labels: tuple[str, ...]) -> str:
    lowered = [label[0].lower() + label[1:] if label[1:2].islower() else label for label in labels]
    return lowered[0] if len(lowered) == 1 else ", ".join(lowered[:-1]) + " en " + lowered[-1]
