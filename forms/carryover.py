"""Pre-scan answers carried over to the DPIA: shown beside its questions, or pre-filled.

The mapping (pre-scan question id -> DPIA question id or `table.column`) is the
`carry_over` block of the DPIA definition.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import NOT_APPLICABLE, ROW_ID, Answers, is_answered, new_row_id, row_ids
from forms.conditions import effective_answers
from forms.loader import get_definition
from forms.model import TEXT_TYPES, Definition, FieldType, Question

RISKS = "16"
RISK_DESCRIPTION = "beschrijving"


@dataclass(frozen=True)
class CarriedAnswer:
    """A pre-scan answer to show beside a DPIA question."""

    source_id: str
    source_label: str
    target: str
    section_id: str
    text: str


def answer_text(question: Question, value: object) -> str:
    """A stored answer in words (static options only)."""
    if value is True:
        return "Ja"
    if value is False:
        return "Nee"
    if value == NOT_APPLICABLE and question.type is FieldType.YESNO_NA:
        return "Niet van toepassing"
    if question.is_choice:
        values = value if isinstance(value, list) else [value]
        labels = [o.label for o in question.options if o.value in values and not o.exclusive]
        exclusive = [o.label for o in question.options if o.value in values and o.exclusive]
        return "; ".join(labels or exclusive)
    return str(value)


def _source(dpia: Definition, prescan: Definition | None) -> Definition:
    if prescan is not None:
        return prescan
    if dpia.carry_over is None:
        raise ValueError(f"{dpia.id} {dpia.version} has no carry_over mapping")
    return get_definition(dpia.carry_over.source_id, dpia.carry_over.source_version)


def carried_answers(
    dpia: Definition, prescan_answers: Mapping[str, Any], prescan: Definition | None = None
) -> tuple[CarriedAnswer, ...]:
    """The pre-scan answers that count, each with the DPIA question it belongs to."""
    source = _source(dpia, prescan)
    effective = effective_answers(source, prescan_answers)
    result = []
    for source_id, target in (dpia.carry_over.mapping if dpia.carry_over else {}).items():
        value = effective.get(source_id)
        if not is_answered(value):
            continue
        question = source.question(source_id)
        text = answer_text(question, value)
        if text:
            section_id = dpia.resolve(target).section_id
            result.append(CarriedAnswer(source_id, question.label, target, section_id, text))
    return tuple(result)


def prefill_answers(
    dpia: Definition,
    prescan_answers: Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    prescan: Definition | None = None,
) -> Answers:
    """DPIA answers with empty questions filled from the pre-scan where that is safe.

    Copied: texts into text questions and ja/nee into ja/nee questions; and the chosen
    items of the AP list and the EDPB list as starting risks in §16 (when §16 is empty).
    Everything else is only shown beside the question (carried_answers).
    """
    source = _source(dpia, prescan)
    effective = effective_answers(source, prescan_answers)
    result: Answers = copy.deepcopy(dict(answers or {}))
    risks: list[dict[str, Any]] = []
    taken = row_ids(result)
    for source_id, target in (dpia.carry_over.mapping if dpia.carry_over else {}).items():
        value = effective.get(source_id)
        if not is_answered(value) or not dpia.has_question(target):
            continue
        question, target_question = source.question(source_id), dpia.question(target)
        if target == RISKS and question.is_choice:
            for option in question.options:
                if option.value in value and not option.exclusive:
                    row_id = new_row_id(taken)
                    taken.add(row_id)
                    text = (
                        f"{option.label} ({question.label.rstrip('?')}, pre-scan vraag {source_id})"
                    )
                    risks.append({ROW_ID: row_id, RISK_DESCRIPTION: text})
        elif target in result or dpia.repeated_parent(target) is not None:
            continue
        elif _copyable(question, target_question):
            result[target] = value
    if risks and not is_answered(result.get(RISKS)):
        result[RISKS] = risks
    return result


def _copyable(source: Question, target: Question) -> bool:
    both_text = source.type in TEXT_TYPES and target.type in TEXT_TYPES
    both_yesno = source.type is FieldType.YESNO and target.type is FieldType.YESNO
    return both_text or both_yesno
