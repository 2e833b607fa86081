"""Export answers as JSON and check an imported answers document against a definition.

The document is {"definitie": id, "versie": version, "antwoorden": answers}, with the
answers exactly as described in forms.answers, so export and import are lossless.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from forms.answers import ROW_ID, Answers, is_row_id
from forms.model import Definition, Question, members
from forms.options import operations
from forms.values import value_problem

DEFINITION_KEY, VERSION_KEY, ANSWERS_KEY = "definitie", "versie", "antwoorden"


def export_answers(definition: Definition, answers: Mapping[str, Any]) -> str:
    """The answers as a JSON document naming the definition and version."""
    document = {
        DEFINITION_KEY: definition.id,
        VERSION_KEY: definition.version,
        ANSWERS_KEY: dict(answers),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def import_answers(definition: Definition, text: str) -> tuple[Answers, list[str]]:
    """(answers, problems in Dutch); the answers are empty when there is any problem."""
    try:
        document = json.loads(text)
    except ValueError:
        return {}, ["Het bestand is geen geldig JSON-bestand."]
    if not isinstance(document, dict) or not isinstance(document.get(ANSWERS_KEY), dict):
        return {}, [f"Het bestand mist het onderdeel '{ANSWERS_KEY}' met de antwoorden."]
    problems = []
    if (document.get(DEFINITION_KEY), document.get(VERSION_KEY)) != definition.key:
        problems.append(
            f"Het bestand hoort bij {document.get(DEFINITION_KEY)} versie "
            f"{document.get(VERSION_KEY)}, niet bij {definition.id} versie {definition.version}."
        )
    answers = document[ANSWERS_KEY]
    problems += answer_problems(definition, answers)
    return ({}, problems) if problems else (answers, [])


def answer_problems(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    """Every way the answers do not fit the definition, in Dutch."""
    checker = _Checker(definition, answers)
    for key, value in answers.items():
        if not isinstance(key, str) or not definition.has_question(key):
            checker.problems.append(f"Onbekende vraag '{key}'.")
            continue
        question = definition.question(key)
        if definition.is_workflow_filled(key):
            checker.problems.append(
                f"Vraag {key} (onderdeel {question.section_id}) vult PIA Rijk zelf uit de "
                "beoordeling en vaststelling; een bestand kan die niet aanleveren."
            )
        elif question.is_group and question.per is None:
            checker.problems.append(f"Vraag {key} is een groep; geef de antwoorden per vraag.")
        elif definition.repeated_parent(key) is not None:
            group = definition.repeated_parent(key)
            assert group is not None
            checker.problems.append(f"Vraag {key} hoort per verwerking in groep {group.id}.")
        else:
            checker.check(question, value, f"Vraag {key}", None, None)
    return checker.problems


class _Checker:
    def __init__(self, definition: Definition, answers: Mapping[str, Any]) -> None:
        self.definition = definition
        self.answers = answers
        self.problems: list[str] = []
        self.row_ids: set[str] = set()

    def check(
        self,
        question: Question,
        value: object,
        where: str,
        group: Mapping[str, Any] | None,
        operation_id: str | None,
    ) -> None:
        if question.is_table:
            self.table(question, value, where, group, operation_id)
        elif question.is_repeated:
            self.repeated(question, value, where)
        else:
            self.value(question, value, where, group, operation_id)

    def value(
        self,
        question: Question,
        value: object,
        where: str,
        group: Mapping[str, Any] | None,
        operation_id: str | None,
    ) -> None:
        allowed: set[str] = set()
        if question.options_from is not None:
            # A choice may point to a row that was removed later: the app keeps such
            # answers (they no longer count), so an export holding them must import.
            chosen = value if isinstance(value, list) else [value]
            allowed = {v for v in chosen if is_row_id(v)}
        elif question.is_choice:
            allowed = {option.value for option in question.options}
        problem = value_problem(question, value, allowed)
        if problem:
            self.problems.append(f"{where}: {problem}.")

    def table(
        self,
        table: Question,
        value: object,
        where: str,
        group: Mapping[str, Any] | None,
        operation_id: str | None,
    ) -> None:
        if not isinstance(value, list):
            self.problems.append(f"{where}: verwacht een lijst met regels.")
            return
        if table.max_rows is not None and len(value) > table.max_rows:
            self.problems.append(
                f"{where}: te veel regels: {len(value)}, hoogstens {table.max_rows}."
            )
        columns = {column.id: column for column in table.columns}
        for number, row in enumerate(value, start=1):
            row_where = f"{where}, regel {number}"
            if not isinstance(row, dict):
                self.problems.append(f"{row_where}: verwacht een regel met kolommen.")
                continue
            row_id = row.get(ROW_ID)
            if not is_row_id(row_id) or row_id in self.row_ids:
                self.problems.append(
                    f"{row_where}: het regelnummer (_id) ontbreekt, is ongeldig of dubbel."
                )
            else:
                self.row_ids.add(row_id)
            for key, cell in row.items():
                if key == ROW_ID:
                    continue
                if key not in columns:
                    self.problems.append(f"{row_where}: onbekende kolom '{key}'.")
                    continue
                cell_where = f"{row_where}, kolom '{key}'"
                self.value(columns[key], cell, cell_where, group, operation_id)

    def repeated(self, group: Question, value: object, where: str) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{where}: verwacht antwoorden per verwerking.")
            return
        known = {o.value: o.label for o in operations(self.definition, group, self.answers)}
        children = {child.id: child for child in members(group.questions)}
        for operation_id, instance in value.items():
            op_where = f"{where}, verwerking '{known.get(operation_id, operation_id)}'"
            if not is_row_id(operation_id):
                # Answers of an operation that was removed later are kept, as in the app.
                self.problems.append(f"{op_where}: ongeldige verwijzing naar een verwerking.")
                continue
            if not isinstance(instance, dict):
                self.problems.append(f"{op_where}: verwacht antwoorden.")
                continue
            for key, child_value in instance.items():
                if key not in children:
                    self.problems.append(f"{op_where}: onbekende vraag '{key}'.")
                    continue
                child_where = f"{op_where}, vraag {key}"
                self.check(children[key], child_value, child_where, instance, operation_id)
