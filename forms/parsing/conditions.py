"""Parsing of `show_if` conditions, checked against the questions they name."""

from __future__ import annotations

from forms.answers import NOT_APPLICABLE
from forms.model import (
    CONTAINER_TYPES,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    FieldType,
    Not,
    Question,
)
from forms.parsing.base import ParserBase

_OPS = ("equals", "in", "any_of", "answered")


class ConditionParser(ParserBase):
    """Turns `show_if` mappings into Condition objects."""

    def condition(
        self,
        raw: object,
        where: str,
        *,
        group_id: str | None,
        columns: dict[str, Question] | None,
        table_id: str | None,
    ) -> Condition:
        def again(item: object) -> Condition:
            return self.condition(
                item, where, group_id=group_id, columns=columns, table_id=table_id
            )

        if not isinstance(raw, dict) or not raw:
            self.fail(where, "'show_if' must be a mapping")
        for key, combinator in (("all", AllOf), ("any", AnyOf)):
            if set(raw) == {key}:
                if not isinstance(raw[key], list) or not raw[key]:
                    self.fail(where, f"show_if '{key}' needs a non-empty list")
                return combinator(tuple(again(item) for item in raw[key]))
        if set(raw) == {"not"}:
            return Not(again(raw["not"]))
        scopes = [k for k in ("question", "column") if k in raw]
        ops = [k for k in _OPS if k in raw]
        if len(scopes) != 1 or len(ops) != 1 or len(raw) != 2:
            self.fail(
                where,
                "show_if needs 'question' or 'column' and one of equals, in, any_of, answered "
                "(or all/any/not)",
            )
        scope, op = scopes[0], ops[0]
        ref = raw[scope]
        if scope == "column":
            if columns is None or table_id is None:
                self.fail(where, "show_if 'column' can only be used inside a table")
            if ref not in columns:
                known = ref in self.all_tables.get(table_id, set())
                problem = "must be an earlier column" if known else "is not a column of this table"
                self.fail(where, f"show_if column {ref!r} {problem}")
            target = columns[ref]
        else:
            target = self.referenced_question(ref, where, group_id)
        value = raw[op]
        self.check_compare(where, target, op, value)
        if op in ("in", "any_of"):
            value = tuple(value)
        return Compare(ref=ref, scope=scope, op=op, value=value)

    def referenced_question(self, ref: object, where: str, group_id: str | None) -> Question:
        if not isinstance(ref, str) or ref not in self.all_ids:
            self.fail(where, f"show_if refers to question {ref!r}, which does not exist")
        if ref not in self.seen:
            self.fail(where, f"show_if refers to question {ref!r}, which must come earlier")
        other_group = self.repeated_in.get(ref)
        if other_group is not None and other_group != group_id:
            self.fail(where, f"show_if refers to {ref!r} inside repeated group {other_group!r}")
        return self.seen[ref]

    def check_compare(self, where: str, target: Question, op: str, value: object) -> None:
        if op == "answered":
            if not isinstance(value, bool):
                self.fail(where, "show_if 'answered' must be true or false")
            return
        if target.type in CONTAINER_TYPES:
            self.fail(where, f"show_if on {target.type} {target.id!r} can only use 'answered'")
        multi = target.type is FieldType.MULTICHOICE
        if multi != (op == "any_of"):
            self.fail(where, "use 'any_of' for multiple-choice questions, equals/in for others")
        values = [value] if op == "equals" else value
        if not isinstance(values, list) or not values:
            self.fail(where, f"show_if '{op}' needs a non-empty list")
        for item in values:
            if not _fits(target, item):
                self.fail(where, f"show_if value {item!r} is not an answer of {target.id!r}")


def _fits(question: Question, value: object) -> bool:
    """Whether a literal in a condition is a possible answer of the question."""
    kind = question.type
    if kind is FieldType.YESNO:
        return isinstance(value, bool)
    if kind is FieldType.YESNO_NA:
        return isinstance(value, bool) or value == NOT_APPLICABLE
    if kind in (FieldType.CHOICE, FieldType.MULTICHOICE):
        if question.options_from is not None:
            return isinstance(value, str)
        return any(option.value == value for option in question.options)
    if kind is FieldType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)
