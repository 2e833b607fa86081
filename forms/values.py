"""Checks of single stored values against their question (see forms.answers for the shapes)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection

from forms.answers import NOT_APPLICABLE
from forms.model import FieldType, Question


def value_problem(
    question: Question,
    value: object,
    option_values: Collection[str] = (),
    *,
    check_limits: bool = True,
) -> str | None:
    """Why a value does not fit a (non-table, non-group) question, in Dutch; None if it fits."""
    kind = question.type
    if kind is FieldType.YESNO:
        return None if isinstance(value, bool) else "verwacht ja of nee (true of false)"
    if kind is FieldType.YESNO_NA:
        allowed = isinstance(value, bool) or value == NOT_APPLICABLE
        if not allowed or (value is False and not question.allow_no):
            return "verwacht ja, nee of n.v.t." if question.allow_no else "verwacht ja of n.v.t."
        return None
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            return "verwacht tekst"
        limit = question.max_length
        if check_limits and limit is not None and len(value) > limit:
            return f"de tekst is te lang: {len(value)} tekens, maximaal {limit}"
        return None
    if kind is FieldType.DATE:
        return None if _is_iso_date(value) else "verwacht een datum als jjjj-mm-dd"
    if kind is FieldType.NUMBER:
        return _number_problem(question, value, check_limits)
    if kind is FieldType.CHOICE:
        if not isinstance(value, str):
            return "verwacht één keuze"
        return None if value in option_values else f"onbekende keuze {value!r}"
    if kind is FieldType.MULTICHOICE:
        return _multichoice_problem(question, value, option_values)
    return f"vraagtype {kind} heeft geen enkelvoudig antwoord"


def clean_value(question: Question, value: object, option_values: Collection[str] = ()) -> object:
    """The value if it fits the question (unknown choices dropped from a list), else None."""
    if question.type is FieldType.MULTICHOICE:
        if not isinstance(value, list):
            return None
        kept = [
            v for v in dict.fromkeys(v for v in value if isinstance(v, str)) if v in option_values
        ]
        return kept or None
    if value_problem(question, value, option_values, check_limits=False) is not None:
        return None
    return value


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _number_problem(question: Question, value: object, check_limits: bool) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "verwacht een getal"
    if question.integer and not isinstance(value, int):
        return "verwacht een heel getal"
    if check_limits and question.minimum is not None and value < question.minimum:
        return f"het getal moet minstens {question.minimum} zijn"
    if check_limits and question.maximum is not None and value > question.maximum:
        return f"het getal mag hoogstens {question.maximum} zijn"
    return None


def _multichoice_problem(
    question: Question, value: object, option_values: Collection[str]
) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "verwacht een lijst met keuzes"
    if len(set(value)) != len(value):
        return "een keuze staat er dubbel in"
    unknown = [v for v in value if v not in option_values]
    if unknown:
        return "onbekende keuze " + ", ".join(repr(v) for v in unknown)
    exclusive = [o.label for o in question.options if o.exclusive and o.value in value]
    if exclusive and len(value) > 1:
        return f"'{exclusive[0]}' kan niet samen met andere keuzes"
    return None
