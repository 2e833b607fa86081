"""Evaluate `show_if` conditions, and strip answers that do not count.

A question whose condition does not hold is hidden: it is not required and a value
it still has (typed before the answer it depends on changed) does not count.
Conditions are evaluated in document order against the answers that count so far,
so hiding cascades: a question that depends on a hidden question is hidden too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from forms.answers import ROW_ID, Answers, Row, is_answered, table_rows
from forms.model import AllOf, AnyOf, Compare, Condition, Definition, Not, Question
from forms.options import OptionCache, operations
from forms.values import clean_value


@dataclass(frozen=True)
class Scope:
    """Where a condition looks for answers: the whole set, a group instance, a table row."""

    answers: Mapping[str, Any]
    group: Mapping[str, Any] | None = None
    row: Mapping[str, Any] | None = None


def holds(condition: Condition, scope: Scope) -> bool:
    """Whether a condition holds in a scope."""
    if isinstance(condition, AllOf):
        return all(holds(c, scope) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(holds(c, scope) for c in condition.conditions)
    if isinstance(condition, Not):
        return not holds(condition.condition, scope)
    return _compare(condition, _lookup(condition, scope))


def _lookup(compare: Compare, scope: Scope) -> object:
    if compare.scope == "column":
        return scope.row.get(compare.ref) if scope.row is not None else None
    if scope.group is not None and compare.ref in scope.group:
        return scope.group[compare.ref]
    return scope.answers.get(compare.ref)


def _compare(compare: Compare, value: object) -> bool:
    if compare.op == "answered":
        return is_answered(value) is compare.value
    listed = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    if compare.op == "any_of":
        return isinstance(value, list) and any(v in listed for v in value)
    # True == 1 in Python: a yes/no answer must not match a number, nor the other way round
    return any(
        value == item and isinstance(value, bool) == isinstance(item, bool) for item in listed
    )


def is_visible(question: Question, scope: Scope) -> bool:
    """Whether a question (or column, with scope.row) is shown, given answers that count."""
    return question.show_if is None or holds(question.show_if, scope)


_SHARED: ContextVar[dict | None] = ContextVar("forms_shared_evaluation", default=None)


@contextmanager
def shared_evaluation() -> Iterator[None]:
    """Within this block, effective_answers() of the same answer set (the same object) is
    computed once: a page asks for it from the form, the progress and the outcome. Only for
    code that does not change an answer set in place while the block runs (a GET)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def effective_answers(definition: Definition, answers: Mapping[str, Any]) -> Answers:
    """The answers that count: no hidden or unknown questions, no stale or ill-typed values.

    Meant for evaluating (outcomes, completeness, documents), not for storage: what the
    user typed in a question that is hidden now is kept in the stored answers, so it
    comes back when the question is shown again. Do not change the result in place.
    """
    shared = _SHARED.get()
    if shared is None:
        return _effective_answers(definition, answers)
    key = (id(definition), id(answers))
    hit = shared.get(key)
    if hit is None or hit[0] is not answers or hit[1] is not definition:
        hit = (answers, definition, _effective_answers(definition, answers))
        shared[key] = hit
    return hit[2]


def _effective_answers(definition: Definition, answers: Mapping[str, Any]) -> Answers:
    result: Answers = {}
    cache = OptionCache()
    for section in definition.sections:
        for question in section.questions:
            _apply(definition, question, answers, result, result, None, None, cache)
    return result


def _apply(
    definition: Definition,
    question: Question,
    source: Mapping[str, Any],
    out: Answers,
    top: Answers,
    group: Answers | None,
    operation_id: str | None,
    cache: OptionCache,
) -> None:
    """Copy the value of one question from `source` to `out` if it counts."""
    if not is_visible(question, Scope(top, group)):
        return
    if question.is_group and question.per is None:
        for child in question.questions:
            _apply(definition, child, source, out, top, group, operation_id, cache)
    elif question.is_group:
        raw_instances = source.get(question.id)
        if not isinstance(raw_instances, dict):
            return
        instances: dict[str, Answers] = {}
        for operation in operations(definition, question, top):
            raw_instance = raw_instances.get(operation.value)
            if not isinstance(raw_instance, dict):
                continue
            instance: Answers = {}
            for child in question.questions:
                _apply(
                    definition, child, raw_instance, instance, top, instance, operation.value, cache
                )
            if instance:
                instances[operation.value] = instance
        if instances:
            out[question.id] = instances
    elif question.is_table:
        rows = _effective_rows(
            definition, question, source.get(question.id), top, group, operation_id, cache
        )
        if rows:
            out[question.id] = rows
    else:
        value = _effective_value(
            definition, question, source.get(question.id), top, group, operation_id, cache
        )
        if value is not None:
            out[question.id] = value


def _effective_rows(
    definition: Definition,
    table: Question,
    value: object,
    top: Answers,
    group: Answers | None,
    operation_id: str | None,
    cache: OptionCache,
) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for raw_row in table_rows(value):
        if raw_row[ROW_ID] in seen:
            continue
        seen.add(raw_row[ROW_ID])
        row: Row = {ROW_ID: raw_row[ROW_ID]}
        for column in table.columns:
            if not is_visible(column, Scope(top, group, row)):
                continue
            cell = _effective_value(
                definition, column, raw_row.get(column.id), top, group, operation_id, cache
            )
            if cell is not None:
                row[column.id] = cell
        rows.append(row)
    return rows


def _effective_value(
    definition: Definition,
    question: Question,
    value: object,
    top: Answers,
    group: Answers | None,
    operation_id: str | None,
    cache: OptionCache,
) -> object:
    if not is_answered(value):
        return None
    option_values: frozenset[str] = frozenset()
    if question.is_choice:
        option_values = cache.values(
            definition, question, top, operation_id=operation_id, group_answers=group
        )
    return clean_value(question, value, option_values)


def visible_questions(
    definition: Definition, section_id: str, answers: Mapping[str, Any]
) -> tuple[Question, ...]:
    """The questions of a section that are shown now (members of plain groups included).

    Members of a per-operation group are shown per operation: test them with
    is_visible(question, Scope(effective, group=effective[group.id][operation])).
    """
    effective = effective_answers(definition, answers)
    shown: list[Question] = []

    def visit(question: Question) -> None:
        if not is_visible(question, Scope(effective)):
            return
        shown.append(question)
        if question.is_group and question.per is None:
            for child in question.questions:
                visit(child)

    for question in definition.section(section_id).questions:
        visit(question)
    return tuple(shown)
