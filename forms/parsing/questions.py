"""Parsing of questions, table columns, options and groups."""

from __future__ import annotations

import re
from typing import Any

from forms.answers import MAX_LONG_TEXT_LENGTH, MAX_ROWS, MAX_TEXT_LENGTH
from forms.model import CONTAINER_TYPES, ColumnRef, FieldType, FilledBy, Option, Question
from forms.parsing.conditions import ConditionParser

QUESTION_ID = re.compile(r"^[0-9a-z]+(\.[0-9a-z]+)*$")
SLUG = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
OPTION_VALUE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
RESERVED_COLUMNS = frozenset({"row_id", "operation"})  # hidden fields of the built forms

_COMMON_KEYS = {"id", "type", "label", "help", "required", "show_if"}
_TYPE_KEYS: dict[FieldType, set[str]] = {
    FieldType.TEXT: {"max_length"},
    FieldType.TEXTAREA: {"max_length"},
    FieldType.CHOICE: {"options", "options_from"},
    FieldType.MULTICHOICE: {"options", "options_from"},
    FieldType.YESNO: set(),
    FieldType.YESNO_NA: {"allow_no"},
    FieldType.DATE: set(),
    FieldType.NUMBER: {"min", "max", "integer"},
    FieldType.TABLE: {"columns", "max_rows"},
    FieldType.GROUP: {"questions", "per"},
}


class QuestionParser(ConditionParser):
    """Turns question mappings into Question objects."""

    def question(
        self,
        raw: object,
        *,
        section_id: str,
        filled_by: FilledBy,
        parent_id: str | None = None,
        group_id: str | None = None,
    ) -> Question:
        if not isinstance(raw, dict):
            self.fail(f"section {section_id!r}", "every question must be a mapping")
        qid = raw.get("id")
        if not isinstance(qid, str) or not QUESTION_ID.match(qid):
            self.fail(
                f"section {section_id!r}",
                f'question id {qid!r} must be a quoted string like "2.1.4" (digits, a-z, dots)',
            )
        where = f"question {qid!r}"
        if qid in self.declared:
            self.fail(where, "duplicate question id")
        self.declared.add(qid)
        self.order.append(qid)
        if parent_id:
            self.parents[qid] = parent_id
        if group_id:
            self.repeated_in[qid] = group_id
        qtype = self.field_type(raw, where)
        kwargs = self.common(raw, where, qtype, group_id=group_id, columns=None, table_id=None)
        if qtype is FieldType.TABLE:
            kwargs.update(self.table(raw, where, qid, section_id, filled_by, group_id))
        elif qtype is FieldType.GROUP:
            kwargs.update(self.group(raw, where, qid, section_id, filled_by, group_id))
        question = Question(
            id=qid,
            type=qtype,
            section_id=section_id,
            filled_by=filled_by,
            parent_id=parent_id,
            **kwargs,
        )
        self.seen[qid] = question
        return question

    def field_type(self, raw: dict[str, Any], where: str) -> FieldType:
        try:
            qtype = FieldType(raw.get("type"))
        except ValueError:
            known = ", ".join(t.value for t in FieldType)
            self.fail(where, f"unknown type {raw.get('type')!r} (known: {known})")
        if unknown := set(raw) - _COMMON_KEYS - _TYPE_KEYS[qtype]:
            self.fail(where, f"keys {sorted(unknown)} are not allowed on a {qtype} question")
        return qtype

    def common(
        self,
        raw: dict[str, Any],
        where: str,
        qtype: FieldType,
        *,
        group_id: str | None,
        columns: dict[str, Question] | None,
        table_id: str | None,
    ) -> dict[str, Any]:
        """The attributes every question and column share."""
        required = raw.get("required", qtype is not FieldType.GROUP)
        if not isinstance(required, bool):
            self.fail(where, "'required' must be true or false")
        kwargs: dict[str, Any] = {
            "label": self.text(raw, "label", where, required=True),
            "help": self.text(raw, "help", where),
            "required": required,
        }
        if "show_if" in raw:
            kwargs["show_if"] = self.condition(
                raw["show_if"], where, group_id=group_id, columns=columns, table_id=table_id
            )
        if qtype in (FieldType.CHOICE, FieldType.MULTICHOICE):
            kwargs.update(self.choices(raw, where, group_id))
        elif qtype in (FieldType.TEXT, FieldType.TEXTAREA):
            default = MAX_TEXT_LENGTH if qtype is FieldType.TEXT else MAX_LONG_TEXT_LENGTH
            kwargs["max_length"] = self.bounded_int(raw, "max_length", where, default, default)
        elif qtype is FieldType.NUMBER:
            kwargs.update(self.number(raw, where))
        elif qtype is FieldType.YESNO_NA:
            if not isinstance(raw.get("allow_no", True), bool):
                self.fail(where, "'allow_no' must be true or false")
            kwargs["allow_no"] = raw.get("allow_no", True)
        return kwargs

    def bounded_int(self, raw: dict[str, Any], key: str, where: str, default: int, top: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= top:
            self.fail(where, f"'{key}' must be a whole number from 1 to {top}")
        return value

    def number(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        result: dict[str, Any] = {"integer": raw.get("integer", False)}
        if not isinstance(result["integer"], bool):
            self.fail(where, "'integer' must be true or false")
        for key, attr in (("min", "minimum"), ("max", "maximum")):
            value = raw.get(key)
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if value is not None and not is_number:
                self.fail(where, f"'{key}' must be a number")
            result[attr] = value
        return result

    def choices(self, raw: dict[str, Any], where: str, group_id: str | None) -> dict[str, Any]:
        has_options, has_source = "options" in raw, "options_from" in raw
        if has_options == has_source:
            self.fail(where, "a choice question needs either 'options' or 'options_from'")
        if has_source:
            return {"options_from": self.column_ref(raw["options_from"], where, "options_from")}
        raw_options = raw["options"]
        if not isinstance(raw_options, list) or not raw_options:
            self.fail(where, "'options' must be a non-empty list")
        options: list[Option] = []
        for item in raw_options:
            if not isinstance(item, dict) or set(item) - {"value", "label", "help", "exclusive"}:
                self.fail(where, "an option has keys value, label and optionally help, exclusive")
            value = item.get("value")
            if not isinstance(value, str) or not OPTION_VALUE.match(value):
                self.fail(where, f"option value {value!r} must be a quoted ascii slug")
            if any(o.value == value for o in options):
                self.fail(where, f"duplicate option value {value!r}")
            option_where = f"{where} option {value!r}"
            exclusive = item.get("exclusive", False)
            if not isinstance(exclusive, bool):
                self.fail(option_where, "'exclusive' must be true or false")
            options.append(
                Option(
                    value=value,
                    label=self.text(item, "label", option_where, required=True),
                    help=self.text(item, "help", option_where),
                    exclusive=exclusive,
                )
            )
        return {"options": tuple(options)}

    def column_ref(self, raw: object, where: str, key: str) -> ColumnRef:
        if not isinstance(raw, str) or "." not in raw:
            self.fail(where, f"'{key}' must be '<table id>.<column id>', not {raw!r}")
        table_id, _, column_id = raw.rpartition(".")
        if table_id not in self.all_tables:
            self.fail(where, f"'{key}' names {table_id!r}, which is not a table question")
        if column_id not in self.all_tables[table_id]:
            self.fail(where, f"'{key}' names column {column_id!r}, which table {table_id!r} lacks")
        if table_id not in self.seen:
            self.fail(where, f"'{key}' names table {table_id!r}, which must come earlier")
        return ColumnRef(table_id, column_id)

    def table(
        self,
        raw: dict[str, Any],
        where: str,
        qid: str,
        section_id: str,
        filled_by: FilledBy,
        group_id: str | None,
    ) -> dict[str, Any]:
        raw_columns = raw.get("columns")
        if not isinstance(raw_columns, list) or not raw_columns:
            self.fail(where, "a table needs a non-empty list of 'columns'")
        columns: dict[str, Question] = {}
        for item in raw_columns:
            column_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(column_id, str) or not SLUG.match(column_id):
                self.fail(where, f"column id {column_id!r} must be a lowercase slug")
            if column_id in RESERVED_COLUMNS or column_id in columns:
                self.fail(f"{where} column {column_id!r}", "duplicate or reserved column id")
            column_where = f"{where} column {column_id!r}"
            ctype = self.field_type(item, column_where)
            if ctype in CONTAINER_TYPES:
                self.fail(column_where, f"a column cannot be a {ctype}")
            kwargs = self.common(
                item, column_where, ctype, group_id=group_id, columns=columns, table_id=qid
            )
            columns[column_id] = Question(
                id=column_id,
                type=ctype,
                section_id=section_id,
                filled_by=filled_by,
                parent_id=qid,
                is_column=True,
                **kwargs,
            )
        max_rows = self.bounded_int(raw, "max_rows", where, MAX_ROWS, MAX_ROWS)
        return {"columns": tuple(columns.values()), "max_rows": max_rows}

    def group(
        self,
        raw: dict[str, Any],
        where: str,
        qid: str,
        section_id: str,
        filled_by: FilledBy,
        group_id: str | None,
    ) -> dict[str, Any]:
        per = None
        if "per" in raw:
            if group_id is not None:
                self.fail(where, "a repeated group cannot sit inside another repeated group")
            per = self.column_ref(raw["per"], where, "per")
            if per.table_id in self.parents:
                self.fail(where, "'per' must name a table that is not inside a group")
            group_id = qid
        raw_children = raw.get("questions")
        if not isinstance(raw_children, list) or not raw_children:
            self.fail(where, "a group needs a non-empty list of 'questions'")
        children = tuple(
            self.question(
                child, section_id=section_id, filled_by=filled_by, parent_id=qid, group_id=group_id
            )
            for child in raw_children
        )
        return {"questions": children, "per": per}
