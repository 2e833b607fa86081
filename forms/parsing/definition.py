"""Turn one parsed YAML document into a Definition, checking it on the way."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from forms.model import CarryOver, Definition, FieldType, FilledBy, Part, Section
from forms.parsing.questions import SLUG, QuestionParser

_TOP_KEYS = {"id", "version", "title", "description", "glossary_file", "glossary"}
_TOP_KEYS |= {"parts", "sections", "carry_over"}
_SECTION_KEYS = {"id", "title", "intro", "filled_by", "questions"}


def _collect(raw_questions: object, ids: set[str], tables: dict[str, set[str]]) -> None:
    """Pre-pass: every question id and table column, to tell 'later' from 'unknown'."""
    for raw in raw_questions if isinstance(raw_questions, list) else []:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        ids.add(raw["id"])
        if raw.get("type") == FieldType.TABLE:
            columns = raw.get("columns") if isinstance(raw.get("columns"), list) else []
            tables[raw["id"]] = {c.get("id") for c in columns if isinstance(c, dict)}
        _collect(raw.get("questions"), ids, tables)


class Parser(QuestionParser):
    """Builds a Definition from a YAML mapping; every error names the file and the id."""

    def definition(self, raw: dict[str, Any]) -> Definition:
        unknown = {k for k in raw if not k.startswith("x-")} - _TOP_KEYS
        if unknown:
            self.fail("definition", f"unknown keys {sorted(unknown)}")
        def_id, version = raw.get("id"), raw.get("version")
        if not isinstance(def_id, str) or not SLUG.match(def_id):
            self.fail("definition", "'id' must be a lowercase slug")
        if not isinstance(version, str):
            self.fail("definition", "'version' must be a quoted string such as \"2.0\"")
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.fail("definition", "'sections' must be a non-empty list")
        for raw_section in raw_sections:
            if isinstance(raw_section, dict):
                _collect(raw_section.get("questions"), self.all_ids, self.all_tables)
        sections = [self.section(s) for s in raw_sections]
        section_ids = [s.id for s in sections]
        parts, part_of = self.parts(raw.get("parts", []), section_ids)
        sections = [
            Section(s.id, s.title, s.questions, s.intro, part_of.get(s.id), s.filled_by)
            for s in sections
        ]
        description = self.text(raw, "description", "definition")
        return Definition(
            id=def_id,
            version=version,
            title=self.text(raw, "title", "definition", required=True),
            source=self.source,
            sections=tuple(sections),
            description=description,
            parts=parts,
            glossary=MappingProxyType(dict(self.glossary)),
            carry_over=self.carry_over(raw.get("carry_over")),
            _index=MappingProxyType({qid: self.seen[qid] for qid in self.order}),
            _parents=MappingProxyType(dict(self.parents)),
        )

    def section(self, raw: object) -> Section:
        if not isinstance(raw, dict):
            self.fail("sections", "every section must be a mapping")
        section_id = raw.get("id")
        if not isinstance(section_id, str) or not re.match(r"^[0-9a-z]+$", section_id):
            self.fail("sections", f'section id {section_id!r} must be a quoted string like "12"')
        where = f"section {section_id!r}"
        if unknown := set(raw) - _SECTION_KEYS:
            self.fail(where, f"unknown keys {sorted(unknown)}")
        if section_id in self.section_ids:
            self.fail(where, "duplicate section id")
        self.section_ids.add(section_id)
        try:
            filled_by = FilledBy(raw.get("filled_by", FilledBy.USER))
        except ValueError:
            self.fail(where, f"unknown filled_by {raw.get('filled_by')!r}")
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.fail(where, "'questions' must be a non-empty list")
        questions = tuple(
            self.question(q, section_id=section_id, filled_by=filled_by) for q in raw_questions
        )
        return Section(
            id=section_id,
            title=self.text(raw, "title", where, required=True),
            questions=questions,
            intro=self.text(raw, "intro", where),
            filled_by=filled_by,
        )

    def parts(self, raw: object, section_ids: list[str]) -> tuple[tuple[Part, ...], dict[str, str]]:
        if not isinstance(raw, list):
            self.fail("parts", "'parts' must be a list")
        parts: list[Part] = []
        part_of: dict[str, str] = {}
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                self.fail("parts", "every part needs an 'id' string")
            members = item.get("sections")
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                self.fail(f"part {item['id']!r}", "'sections' must be a list of section ids")
            for member in members:
                if member not in section_ids:
                    self.fail(f"part {item['id']!r}", f"unknown section {member!r}")
                if member in part_of:
                    self.fail(f"part {item['id']!r}", f"section {member!r} is in two parts")
                part_of[member] = item["id"]
            title = self.text(item, "title", f"part {item['id']!r}", required=True)
            parts.append(Part(item["id"], title, tuple(members)))
        return tuple(parts), part_of

    def carry_over(self, raw: object) -> CarryOver | None:
        if raw is None:
            return None
        source = raw.get("source") if isinstance(raw, dict) else None
        mapping = raw.get("map") if isinstance(raw, dict) else None
        if (
            not isinstance(source, dict)
            or not isinstance(source.get("id"), str)
            or not isinstance(source.get("version"), str)
            or not isinstance(mapping, dict)
        ):
            self.fail("carry_over", "needs source: {id, version} and map: {source id: target id}")
        for source_id, target in mapping.items():
            if not isinstance(source_id, str) or not isinstance(target, str):
                self.fail("carry_over", f"ids must be quoted strings ({source_id!r}: {target!r})")
            table_id, _, column_id = target.rpartition(".")
            if target not in self.seen and column_id not in self.all_tables.get(table_id, ()):
                self.fail(f"carry_over {source_id!r}", f"unknown target question {target!r}")
        return CarryOver(source["id"], source["version"], MappingProxyType(dict(mapping)))
