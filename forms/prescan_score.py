"""The risk score of the pre-scan DPIA 2.0: one line per item of the reference's table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from forms.model import Definition

Q_CLOUD = "0.5.1"
Q_ORDINARY = "1.1.1"
Q_ORDINARY_CATEGORIES = "1.1.2"
Q_SPECIAL = "1.2.1"
Q_SPECIAL_CATEGORIES = "1.2.2"
Q_SENSITIVE = "1.3.1"
Q_SENSITIVE_CATEGORIES = "1.3.2"
Q_SUBJECTS = "1.4.1"
Q_MANY_SUBJECTS = "1.5.1"
Q_FREQUENCY = "1.5.3"
Q_RETENTION = "1.5.4"
Q_TRANSFER = "2.1.1"
Q_STORAGE = "2.1.3"
Q_SUPPORT = "2.1.4"
Q_TRANSFER_SPECIAL = "2.1.8"
Q_BASE_REGISTERS = "5.1.1"
Q_BASE_REGISTER_LIST = "5.1.2"
Q_DIGITAL_SERVICE = "7.1.1"
Q_FOR_MINORS = "7.1.2"
Q_NOT_FOR_MINORS = "7.1.3"

OUTSIDE_EEA = "buiten_eer"
ORDINARY_MINIMUM = 6  # 6 or more ordinary categories: 1 point
SENSITIVE_MAXIMUM_ONE_POINT = 6  # special/sensitive: 1-6 categories 1 point, more 2 points
SUBJECT_WEIGHTS: dict[str, int] = {
    "medewerkers": 1,
    "burgers": 1,
    "kinderen": 3,
    "kwetsbare_groepen": 3,
    "specifiek": 0,
}
FREQUENT = frozenset({"continu", "vaker_dan_maandelijks", "minstens_maandelijks"})
LONG_RETENTION = frozenset({"jaar", "aantal_jaren"})
COUNTING_BASE_REGISTERS = ("bri", "brk", "brp", "brv", "woz", "hr")


class ScoreLine(NamedTuple):
    """One item of the risk score: Dutch label, points and how they came about."""

    label: str
    points: int
    explanation: str


def score_lines(definition: Definition, answers: Mapping[str, Any]) -> list[ScoreLine]:
    """Every line of the risk score table, also those with 0 points (answers that count)."""
    return [
        _ordinary(answers),
        _categories(
            answers,
            "Bijzondere persoonsgegevens",
            Q_SPECIAL,
            Q_SPECIAL_CATEGORIES,
            "U verwerkt geen bijzondere persoonsgegevens",
        ),
        _categories(
            answers,
            "Andere gevoelige gegevens",
            Q_SENSITIVE,
            Q_SENSITIVE_CATEGORIES,
            "U verwerkt geen andere gevoelige gegevens",
        ),
        _subjects(definition, answers),
        _yes_line(
            answers,
            "Aantal betrokkenen",
            Q_MANY_SUBJECTS,
            "Het gaat om 10.000 of meer betrokkenen",
            "Het gaat niet om 10.000 of meer betrokkenen",
        ),
        _option_line(
            definition,
            answers,
            "Frequentie",
            Q_FREQUENCY,
            FREQUENT,
            "minstens maandelijks, vaker of continu geeft 1 punt",
        ),
        _option_line(
            definition,
            answers,
            "Bewaartermijn",
            Q_RETENTION,
            LONG_RETENTION,
            "een jaar of een aantal jaren geeft 1 punt",
        ),
        _transfer(answers),
        _base_registers(answers),
        _minors(answers),
    ]


def _count(answers: Mapping[str, Any], question_id: str) -> int:
    value = answers.get(question_id)
    return len(value) if isinstance(value, list) else 0


def _ordinary(answers: Mapping[str, Any]) -> ScoreLine:
    label = "Gewone persoonsgegevens"
    if answers.get(Q_ORDINARY) is not True:
        return ScoreLine(label, 0, f"U verwerkt geen gewone persoonsgegevens (vraag {Q_ORDINARY}).")
    count = _count(answers, Q_ORDINARY_CATEGORIES)
    points = 1 if count >= ORDINARY_MINIMUM else 0
    return ScoreLine(
        label,
        points,
        f"{_kinds(count)} gekozen (vraag {Q_ORDINARY_CATEGORIES}); "
        f"{ORDINARY_MINIMUM} of meer geeft 1 punt.",
    )


def _kinds(count: int) -> str:
    """'1 soort', '3 soorten'."""
    return f"{count} {'soort' if count == 1 else 'soorten'}"


def _categories(
    answers: Mapping[str, Any], label: str, question_id: str, list_id: str, none: str
) -> ScoreLine:
    if answers.get(question_id) is not True:
        return ScoreLine(label, 0, f"{none} (vraag {question_id}).")
    count = _count(answers, list_id)
    points = 0 if count == 0 else 1 if count <= SENSITIVE_MAXIMUM_ONE_POINT else 2
    limit = SENSITIVE_MAXIMUM_ONE_POINT
    return ScoreLine(
        label,
        points,
        f"{_kinds(count)} gekozen (vraag {list_id}); 1 tot en met {limit} geeft 1 punt, "
        f"meer dan {limit} geeft 2 punten.",
    )


def _subjects(definition: Definition, answers: Mapping[str, Any]) -> ScoreLine:
    chosen = answers.get(Q_SUBJECTS) or []
    question = definition.question(Q_SUBJECTS)
    parts = [
        f"{o.label.lower()} {SUBJECT_WEIGHTS[o.value]}"
        for o in question.options
        if o.value in chosen
    ]
    total = sum(SUBJECT_WEIGHTS.get(value, 0) for value in chosen)
    points = 0 if total <= 2 else 1 if total == 3 else 2
    detail = f": {', '.join(parts)}" if parts else ""
    return ScoreLine(
        "Groepen betrokkenen",
        points,
        f"Gewogen totaal {total}{detail} (vraag {Q_SUBJECTS}). Een totaal van 3 geeft 1 punt, "
        "4 of meer geeft 2 punten.",
    )


def _yes_line(
    answers: Mapping[str, Any], label: str, question_id: str, yes: str, no: str
) -> ScoreLine:
    value = answers.get(question_id)
    text = yes if value is True else no if value is False else "Nog niet beantwoord"
    return ScoreLine(label, 1 if value is True else 0, f"{text} (vraag {question_id}).")


def _option_line(
    definition: Definition,
    answers: Mapping[str, Any],
    label: str,
    question_id: str,
    counting: frozenset[str],
    rule: str,
) -> ScoreLine:
    value = answers.get(question_id)
    option = definition.question(question_id).option(value) if isinstance(value, str) else None
    answer = option.label if option else "Nog niet beantwoord"
    return ScoreLine(
        label, 1 if value in counting else 0, f"{answer} (vraag {question_id}); {rule}."
    )


def _transfer(answers: Mapping[str, Any]) -> ScoreLine:
    label = "Doorgifte buiten de EER"
    if answers.get(Q_TRANSFER) is not True:
        return ScoreLine(label, 0, f"Geen doorgifte buiten de EER (vraag {Q_TRANSFER}).")
    if answers.get(Q_TRANSFER_SPECIAL) is True:
        return ScoreLine(
            label,
            2,
            f"De doorgifte omvat bijzondere persoonsgegevens (vraag {Q_TRANSFER_SPECIAL}).",
        )
    outside = OUTSIDE_EEA in (answers.get(Q_STORAGE), answers.get(Q_SUPPORT))
    if answers.get(Q_CLOUD) is True and outside:
        return ScoreLine(
            label,
            2,
            f"U gebruikt de cloud (vraag {Q_CLOUD}) met opslag of ondersteuning buiten de EER "
            f"(vraag {Q_STORAGE} of {Q_SUPPORT}).",
        )
    return ScoreLine(label, 1, f"Er is doorgifte buiten de EER (vraag {Q_TRANSFER}).")


def _base_registers(answers: Mapping[str, Any]) -> ScoreLine:
    label = "Basisregistraties"
    if answers.get(Q_BASE_REGISTERS) is not True:
        return ScoreLine(label, 0, f"U gebruikt geen basisregistraties (vraag {Q_BASE_REGISTERS}).")
    chosen = answers.get(Q_BASE_REGISTER_LIST) or []
    counting = [value.upper() for value in COUNTING_BASE_REGISTERS if value in chosen]
    rule = ", ".join(v.upper() for v in COUNTING_BASE_REGISTERS[:-1])
    rule += f" en {COUNTING_BASE_REGISTERS[-1].upper()} geven 1 punt"
    if counting:
        return ScoreLine(
            label, 1, f"U gebruikt {', '.join(counting)} (vraag {Q_BASE_REGISTER_LIST}); {rule}."
        )
    return ScoreLine(
        label,
        0,
        f"Geen van de gekozen basisregistraties telt mee (vraag {Q_BASE_REGISTER_LIST}); {rule}.",
    )


def _minors(answers: Mapping[str, Any]) -> ScoreLine:
    label = "Digitale dienst en minderjarigen"
    if answers.get(Q_DIGITAL_SERVICE) is not True:
        return ScoreLine(
            label, 0, f"U biedt of gebruikt geen digitale dienst (vraag {Q_DIGITAL_SERVICE})."
        )
    if answers.get(Q_FOR_MINORS) is True:
        return ScoreLine(
            label,
            2,
            f"De dienst is vooral bedoeld voor mensen jonger dan 18 jaar (vraag {Q_FOR_MINORS}).",
        )
    if answers.get(Q_NOT_FOR_MINORS) is not True:
        return ScoreLine(
            label,
            1,
            "U kunt niet aantonen dat de dienst niet door of voor mensen jonger dan 18 jaar "
            f"wordt gebruikt (vraag {Q_NOT_FOR_MINORS}).",
        )
    return ScoreLine(
        label,
        0,
        "U kunt aantonen dat de dienst niet door of voor mensen jonger dan 18 jaar wordt "
        f"gebruikt (vraag {Q_NOT_FOR_MINORS}).",
    )
