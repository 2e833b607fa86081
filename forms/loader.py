"""Load questionnaire definitions (YAML in forms/definitions/) into immutable Definitions."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from forms.model import Definition, DefinitionError
from forms.parsing import Parser

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when built with libyaml
_FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)-(?P<version>\d+(?:\.\d+)*)\.yaml$")


def load_definition(path: str | Path) -> Definition:
    """Read and check one definition file; raise DefinitionError naming file and question."""
    return _load(Path(path), loading=())


def _load(path: Path, loading: tuple[Path, ...]) -> Definition:
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path.name}: the file must hold a mapping")
    definition = Parser(path.name, _glossary(path, raw)).definition(raw)
    match = _FILE_NAME.match(path.name)
    if match and (match["id"], match["version"]) != definition.key:
        raise DefinitionError(
            f"{path.name}: declares {definition.id} {definition.version}; "
            f"the file name must be {definition.id}-{definition.version}.yaml"
        )
    if definition.carry_over is not None:
        _check_carry_over(path, definition, (*loading, path))
    return definition


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506
    except OSError as error:
        raise DefinitionError(f"{path.name}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path.name}: invalid YAML: {error}") from error


def _glossary(path: Path, raw: dict[str, Any]) -> dict[str, str]:
    """The glossary: a shared file named by `glossary_file`, plus inline `glossary` terms."""
    glossary: dict[str, Any] = {}
    if "glossary_file" in raw:
        name = raw["glossary_file"]
        if not isinstance(name, str) or "/" in name or "\\" in name:
            raise DefinitionError(f"{path.name}: glossary_file must be a file name next to it")
        shared = _read_yaml(path.with_name(name))
        if not isinstance(shared, dict):
            raise DefinitionError(f"{name}: the glossary must be a mapping term -> explanation")
        glossary.update(shared)
    inline = raw.get("glossary", {})
    if not isinstance(inline, dict):
        raise DefinitionError(f"{path.name}: glossary must be a mapping term -> explanation")
    glossary.update(inline)
    for term, explanation in glossary.items():
        if not isinstance(term, str) or not isinstance(explanation, str) or not explanation:
            raise DefinitionError(f"{path.name}: glossary term {term!r} needs a text")
    return glossary


def _check_carry_over(path: Path, definition: Definition, loading: tuple[Path, ...]) -> None:
    carry_over = definition.carry_over
    assert carry_over is not None
    source_path = path.with_name(f"{carry_over.source_id}-{carry_over.source_version}.yaml")
    if not source_path.is_file():
        raise DefinitionError(f"{path.name}: carry_over: source {source_path.name} not found")
    if source_path in loading:
        raise DefinitionError(f"{path.name}: carry_over: circular reference to {source_path.name}")
    source = _load(source_path, loading)
    for source_id in carry_over.mapping:
        if not source.has_question(source_id):
            raise DefinitionError(
                f"{path.name}: carry_over {source_id!r}: no such question in {source_path.name}"
            )


def available_definitions(directory: Path = DEFINITIONS_DIR) -> tuple[tuple[str, str], ...]:
    """(id, version) of every definition file in the directory, sorted."""
    found = []
    for path in directory.glob("*.yaml"):
        if match := _FILE_NAME.match(path.name):
            found.append((match["id"], match["version"]))
    return tuple(sorted(found, key=lambda key: (key[0], _version_key(key[1]))))


def latest_version(definition_id: str) -> str:
    """The highest version available of a definition."""
    versions = [v for d, v in available_definitions() if d == definition_id]
    if not versions:
        raise DefinitionError(f"no definition {definition_id!r} in {DEFINITIONS_DIR}")
    return max(versions, key=_version_key)


@functools.cache
def get_definition(definition_id: str, version: str) -> Definition:
    """The definition with this id and version from forms/definitions/, loaded once."""
    if (definition_id, version) not in available_definitions():
        raise DefinitionError(f"no definition {definition_id!r} {version!r} in {DEFINITIONS_DIR}")
    return load_definition(DEFINITIONS_DIR / f"{definition_id}-{version}.yaml")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
