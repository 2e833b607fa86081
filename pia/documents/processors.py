"""What the DPIA says about one processor: its operations, data, locations and sub-processors.

A processor is a party of §6 with the role "verwerker". The same party can be
named in several operations; rows with the same name (ignoring case) are one
party. Everything here reads effective answers (forms.conditions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.answers import ROW_ID, table_rows
from forms.model import Definition
from forms.options import operations
from pia.questionnaire_view import answer_text

PARTIES, PARTY_TABLE = "6", "6.1"
PROCESSOR, SUBPROCESSOR = "verwerker", "subverwerker"
SPECIAL_TABLES = {
    "12.1.2": "bijzonder persoonsgegeven",
    "12.2.2": "strafrechtelijk persoonsgegeven",
    "12.3.2": "nationaal identificatienummer",
}


@dataclass(frozen=True)
class Party:
    """A party of §6 as one entry: the first row's id and name, and its operations."""

    party_id: str
    name: str
    operation_ids: tuple[str, ...]
    operation_names: tuple[str, ...]
    data_ids: tuple[str, ...]
    subject_labels: tuple[str, ...]


@dataclass
class Facts:
    """The DPIA's facts about one processor, in words, for the form and the document."""

    party: Party | None
    operations: list[dict[str, str]] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    data_options: list[tuple[str, str]] = field(default_factory=list)
    retention: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, str]] = field(default_factory=list)
    subprocessors: list[Party] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parties(definition: Definition, answers: Mapping[str, Any], role: str) -> list[Party]:
    """Every party with this role in §6, merged by name, in order of first appearance."""
    group = definition.question(PARTIES)
    table = group.questions[0]
    found: dict[str, dict[str, Any]] = {}
    instances = answers.get(PARTIES) if isinstance(answers.get(PARTIES), Mapping) else {}
    for operation in operations(definition, group, answers):
        instance = instances.get(operation.value)
        if not isinstance(instance, Mapping):
            continue
        for row in table_rows(instance.get(PARTY_TABLE)):
            name = " ".join(str(row.get("naam", "")).split())
            if not name or role not in (row.get("rol") or []):
                continue
            entry = found.setdefault(
                _key(name),
                {"id": row[ROW_ID], "name": name, "ops": [], "names": [], "data": [], "subj": []},
            )
            entry["ops"].append(operation.value)
            entry["names"].append(operation.label)
            entry["data"] += [d for d in row.get("persoonsgegevens", []) if d not in entry["data"]]
            subjects = answer_text(
                definition,
                table.column("betrokkenen"),
                row.get("betrokkenen"),
                answers,
                operation_id=operation.value,
                group=instance,
            )
            entry["subj"] += [s for s in subjects.split("; ") if s and s not in entry["subj"]]
    return [
        Party(
            e["id"],
            e["name"],
            tuple(e["ops"]),
            tuple(e["names"]),
            tuple(e["data"]),
            tuple(e["subj"]),
        )
        for e in found.values()
    ]


def processor(definition: Definition, answers: Mapping[str, Any], party_id: str) -> Party | None:
    """The processor whose first §6 row has this id (or any of its rows has)."""
    for party in parties(definition, answers, PROCESSOR):
        if party.party_id == party_id:
            return party
    group = answers.get(PARTIES) if isinstance(answers.get(PARTIES), Mapping) else {}
    for instance in group.values():
        for row in table_rows(instance.get(PARTY_TABLE) if isinstance(instance, Mapping) else []):
            if row[ROW_ID] == party_id:
                name = _key(str(row.get("naam", "")))
                return next(
                    (p for p in parties(definition, answers, PROCESSOR) if _key(p.name) == name),
                    None,
                )
    return None


def _per_operation(answers: Mapping[str, Any], group_id: str, table_id: str, op_id: str):
    instances = answers.get(group_id)
    instance = instances.get(op_id) if isinstance(instances, Mapping) else None
    if not isinstance(instance, Mapping):
        return None, []
    return instance, table_rows(instance.get(table_id))


def facts(definition: Definition, answers: Mapping[str, Any], party_id: str) -> Facts:
    """The facts of §2–§10, §12 and §17 that concern this processor's operations."""
    party = processor(definition, answers, party_id)
    result = Facts(party=party)
    for row in table_rows(answers.get("2")):
        if row.get("persoonsgegeven"):
            result.data_options.append((row[ROW_ID], str(row["persoonsgegeven"])))
    if party is None:
        return result
    result.measures = security_measures(answers, party)
    ops = {row[ROW_ID]: row for row in table_rows(answers.get("3"))}
    retention_table = definition.question("10.1")
    location_table = definition.question("8.1")
    for op_id, op_name in zip(party.operation_ids, party.operation_names, strict=True):
        result.operations.append(
            {"naam": op_name, "beschrijving": str(ops.get(op_id, {}).get("beschrijving", ""))}
        )
        _, purposes = _per_operation(answers, "5", "5.1", op_id)
        result.purposes += [str(p["doel"]) for p in purposes if p.get("doel")]
        instance, rows = _per_operation(answers, "10", "10.1", op_id)
        for row in rows:
            cell = {
                c.id: answer_text(
                    definition, c, row.get(c.id), answers, operation_id=op_id, group=instance
                )
                for c in retention_table.columns
            }
            ids = [str(i) for i in row.get("persoonsgegevens") or []]
            result.retention.append({"verwerking": op_name, **cell, "gegevens_ids": ids})
        instance, rows = _per_operation(answers, "8", "8.1", op_id)
        for row in rows:
            cell = {
                c.id: answer_text(
                    definition, c, row.get(c.id), answers, operation_id=op_id, group=instance
                )
                for c in location_table.columns
            }
            result.locations.append({"verwerking": op_name, **cell})
    mine = set(party.operation_ids)
    result.subprocessors = [
        p for p in parties(definition, answers, SUBPROCESSOR) if mine.intersection(p.operation_ids)
    ]
    return result


def security_measures(answers: Mapping[str, Any], party: Party) -> list[str]:
    """The §17 measures that belong in the processor's annex 2 (security, article 32).

    The technical measures, and the organisational measures the processor itself manages
    (its name in "Beheerder"). Other organisational measures (a check by the applicant,
    a work instruction for the controller's staff) and legal ones are the controller's:
    they stay in the DPIA.
    """
    name = _key(party.name)
    chosen = []
    for row in table_rows(answers.get("17.1")):
        text = " ".join(str(row.get("maatregel") or "").split())
        manager = _key(str(row.get("beheerder") or ""))
        if not text:
            continue
        if row.get("soort") == "technisch" or (
            row.get("soort") == "organisatorisch"
            and manager
            and (name in manager or manager in name)
        ):
            chosen.append(text)
    return chosen


def data_items(
    definition: Definition, answers: Mapping[str, Any], chosen: list[str]
) -> list[dict[str, str]]:
    """The chosen §2 items in words, with the §12 flags (special, criminal, BSN)."""
    table = definition.question("2")
    flags: dict[str, list[str]] = {}
    for table_id, label in SPECIAL_TABLES.items():
        for row in table_rows(answers.get(table_id)):
            kind = ""
            if table_id == "12.1.2" and row.get("type"):
                kind = answer_text(
                    definition, definition.resolve("12.1.2.type"), row["type"], answers
                )
            for item in row.get("persoonsgegevens", []):
                flags.setdefault(item, []).append(f"{label}: {kind}" if kind else label)
    items = []
    for row in table_rows(answers.get("2")):
        if row[ROW_ID] not in chosen:
            continue
        items.append(
            {
                "gegeven": str(row.get("persoonsgegeven", "")),
                "categorie": str(row.get("categorie_persoonsgegevens", "")),
                "betrokkenen": str(row.get("categorie_betrokkene", "")),
                "soort": answer_text(definition, table.column("type"), row.get("type"), answers),
                "bijzonder": "; ".join(flags.get(row[ROW_ID], [])) or "—",
            }
        )
    return items


def retention(facts: Facts, chosen: list[str], missing: str) -> list[dict[str, str]]:
    """Annex 1's retention table: the §10 rows of the processor's operations, each with only
    the personal data of annex 1 (the same selection), and a row to fill in for every chosen
    item that §10 gives no retention period for."""
    names = dict(facts.data_options)
    rows, covered = [], set()
    for row in facts.retention:
        ids = [i for i in row.get("gegevens_ids", []) if i in chosen]
        if not ids:
            continue
        covered.update(ids)
        rows.append(
            {
                "verwerking": row.get("verwerking", ""),
                "doeleinde": row.get("doeleinde", ""),
                "persoonsgegevens": "; ".join(names.get(i, "") for i in ids),
                "termijn": row.get("termijn", ""),
                "motivatie": row.get("motivatie", ""),
            }
        )
    for item, name in facts.data_options:
        if item in chosen and item not in covered:
            rows.append(
                {
                    "verwerking": "—",
                    "doeleinde": "—",
                    "persoonsgegevens": name,
                    "termijn": missing,
                    "motivatie": "Onderdeel 10 van de DPIA noemt hiervoor geen bewaartermijn.",
                }
            )
    return rows
