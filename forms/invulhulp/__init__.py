"""The mapping between the government's fill-in tool (the Invulhulpen) and our forms.

The mapping is data: one YAML file per form of theirs (forms/invulhulp/<form>-<version>.yaml)
naming, per task id of theirs, what it becomes here (see the comments in those files).
This module loads it and checks it against our definitions; reading.py converts their
answers to ours, writing.py ours to theirs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forms.model import Definition, DefinitionError, FieldType, Question

MAPPING_DIR = Path(__file__).parent
SCHEMA_URL = (
    "https://github.com/MinBZK/par-dpia-form/blob/main/schemas/assessment-output.v2.schema.json"
)
PRESCAN_ANSWERS = "_prescanAnswers"
URN_SHAPE = re.compile(r"^urn:nl:[a-z]+:[0-9]+\.[0-9]+$")
KINDS = frozenset({"text", "yesno", "yesno_na", "choice", "multichoice", "date"})
# The files we know, by the urn their tool writes.
FILES = {
    "urn:nl:prescan:2.0": "prescan-2.0",
    "urn:nl:dpia:3.0": "dpia-3.0",
    "urn:nl:iama:2.0": "iama-2.0",
}


@dataclass(frozen=True)
class FormMapping:
    """One form of theirs: its urn, our definition (if any) and the task specs."""

    form: str
    urn: str
    definition_key: tuple[str, str] | None
    not_mappable: str | None  # the whole form has no counterpart here
    tasks: Mapping[str, Mapping[str, Any]]
    labels: Mapping[str, str]

    def spec(self, task_id: str) -> Mapping[str, Any] | None:
        return self.tasks.get(task_id)

    def label(self, task_id: str) -> str:
        """Their question in words: its text and id."""
        text = self.labels.get(task_id)
        return f"{text} ({task_id})" if text else f"Onbekende vraag ({task_id})"

    def parent(self, task_id: str) -> str | None:
        """The task that holds this one (ids are dotted paths)."""
        return task_id.rsplit(".", 1)[0] if "." in task_id else None

    def is_repeating(self, task_id: str) -> bool:
        spec = self.tasks.get(task_id) or {}
        return any(key in spec for key in ("table", "per_operation", "join"))

    def children(self, task_id: str) -> list[str]:
        return [t for t in self.tasks if self.parent(t) == task_id]

    def repeating(self) -> Iterator[str]:
        return (t for t in self.tasks if self.is_repeating(t))

    @property
    def operations_task(self) -> str | None:
        """Their task whose rows are the processing operations (§3)."""
        return next((t for t, s in self.tasks.items() if s.get("operations")), None)


def mapping_for_urn(urn: str) -> FormMapping | None:
    """The mapping of a form of theirs, by the urn in their file; None if unknown."""
    name = FILES.get(urn)
    return load_mapping(name) if name else None


def mapping_for_definition(definition_id: str, version: str) -> FormMapping | None:
    """The mapping whose target is our definition (id, version)."""
    for name in FILES.values():
        mapping = load_mapping(name)
        if mapping.definition_key == (definition_id, version):
            return mapping
    return None


@functools.cache
def load_mapping(name: str) -> FormMapping:
    raw = _read(MAPPING_DIR / f"{name}.yaml")
    labels = _read(MAPPING_DIR / f"labels-{name}.yaml").get("labels", {})
    definition = raw.get("definition")
    key = (str(definition["id"]), str(definition["version"])) if definition else None
    tasks = {str(task_id): dict(spec or {}) for task_id, spec in raw["tasks"].items()}
    if not URN_SHAPE.match(raw["urn"]):
        raise DefinitionError(f"{name}.yaml: urn {raw['urn']!r} has not the shape of theirs")
    return FormMapping(
        form=raw["form"],
        urn=raw["urn"],
        definition_key=key,
        not_mappable=raw.get("form_not_mappable"),
        tasks=tasks,
        labels={str(k): str(v) for k, v in labels.items()},
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DefinitionError(f"{path.name}: {error}") from error
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path.name}: the file must hold a mapping")
    return raw


def target_table(mapping: FormMapping, definition: Definition, task_id: str) -> Question | None:
    """Our table that the rows of a repeating task of theirs become (None for a slot task)."""
    spec = mapping.tasks[task_id]
    table_id = spec.get("table")
    if table_id is None:
        return None
    group_id = operation_group(mapping, task_id)
    if group_id is not None:
        group = definition.question(group_id)
        return next(q for q in group.questions if q.id == table_id)
    return definition.question(table_id)


def operation_group(mapping: FormMapping, task_id: str) -> str | None:
    """Our per-operation group id for a repeating task (its own, or its parent's)."""
    spec = mapping.tasks.get(task_id) or {}
    if "per_operation" in spec:
        return str(spec["per_operation"])
    parent = mapping.parent(task_id)
    if parent is not None and "per_operation" in (mapping.tasks.get(parent) or {}):
        return str(mapping.tasks[parent]["per_operation"])
    return None


def enclosing_repeating(mapping: FormMapping, task_id: str) -> str | None:
    parent = mapping.parent(task_id)
    return parent if parent is not None and mapping.is_repeating(parent) else None


def column_of(mapping: FormMapping, definition: Definition, task_id: str) -> Question | None:
    """Our column for an answer inside a repeating task."""
    spec = mapping.tasks[task_id]
    owner = enclosing_repeating(mapping, task_id)
    if owner is None or "column" not in spec:
        return None
    table = target_table(mapping, definition, owner)
    return table.column(spec["column"]) if table is not None else None


def mapping_problems(mapping: FormMapping, definition: Definition | None) -> list[str]:
    """Every way the mapping data does not fit our definition (empty when it is right)."""
    problems: list[str] = []
    if mapping.definition_key is None:
        if not mapping.not_mappable:
            problems.append(f"{mapping.urn}: no definition and no form_not_mappable reason")
        bad = [t for t, s in mapping.tasks.items() if not s.get("not_mappable")]
        problems += [f"{mapping.urn} {t}: needs not_mappable" for t in bad]
        return problems
    assert definition is not None
    for task_id, spec in mapping.tasks.items():
        where = f"{mapping.urn} {task_id}"
        try:
            problems += _spec_problems(mapping, definition, task_id, spec)
        except (KeyError, StopIteration, DefinitionError) as error:
            problems.append(f"{where}: refers to something our definition lacks ({error})")
    return problems


def _spec_problems(
    mapping: FormMapping, definition: Definition, task_id: str, spec: Mapping[str, Any]
) -> list[str]:
    where = f"{mapping.urn} {task_id}"
    if "group" in spec or "not_mappable" in spec or "join" in spec or "per_operation" in spec:
        if "join" in spec:
            definition.question(spec["join"])
        if "per_operation" in spec and definition.question(spec["per_operation"]).per is None:
            return [f"{where}: {spec['per_operation']} is no per-operation group"]
        if "table" in spec:
            target_table(mapping, definition, task_id)
        return []
    if "table" in spec:
        table = target_table(mapping, definition, task_id)
        return [] if table is not None and table.is_table else [f"{where}: not a table"]
    if spec.get("joined"):
        return []
    if "question" in spec:
        question = definition.question(spec["question"])
    else:
        question = column_of(mapping, definition, task_id)
        if question is None:
            return [f"{where}: has no question, column or reason"]
    if spec.get("image"):
        return []
    return _value_problems(definition, question, spec, where)


def _value_problems(
    definition: Definition, question: Question, spec: Mapping[str, Any], where: str
) -> list[str]:
    kind = spec.get("kind")
    if kind not in KINDS:
        return [f"{where}: unknown kind {kind!r}"]
    expected = {
        "text": {FieldType.TEXT, FieldType.TEXTAREA},
        "yesno": {FieldType.YESNO},
        "yesno_na": {FieldType.YESNO_NA},
        "choice": {FieldType.CHOICE},
        "multichoice": {FieldType.MULTICHOICE},
        "date": {FieldType.DATE},
    }[kind]
    if question.type not in expected:
        return [f"{where}: kind {kind} does not fit our {question.id} ({question.type})"]
    if "source" in spec:
        table_id, column_id = str(spec["source"]).rsplit(".", 1)
        if question.options_from is None:
            return [f"{where}: our {question.id} takes no options from rows"]
        if (question.options_from.table_id, question.options_from.column_id) != (
            table_id,
            column_id,
        ):
            return [f"{where}: source {spec['source']} is not {question.options_from}"]
        return []
    if kind in ("choice", "multichoice"):
        ours = {option.value for option in question.options}
        named = set((spec.get("options") or {}).values())
        named |= set((spec.get("export_options") or {}).keys())
        named |= set((spec.get("not_exported_options") or {}).keys())
        problems = [f"{where}: our {question.id} has no option {v!r}" for v in named - ours]
        problems += [f"{where}: our option {v!r} is not mapped" for v in sorted(ours - named)]
        return problems
    return []
