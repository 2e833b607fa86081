"""The register of processing activities (art. 30(1) AVG), computed from adopted DPIAs.

Every adopted version of a DPIA gives one record per processing operation of §3, built
from that frozen version's answers only: controllers and contacts (§6, the signatures),
the FG (the advice of that round), purposes (§5), data subjects and personal data (§2 via
the operation's data in §3), recipients (§6), transfers outside the EEA (§8), retention
(§10) and the security measures (§17). The newest adopted version of a DPIA that is not
withdrawn is `current`; the records of earlier versions stay as history. Records are
stored (register_records) when a DPIA is adopted or withdrawn, and refresh_all() computes
them all again (flask recompute-figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from forms.answers import ROW_ID, table_rows
from forms.conditions import effective_answers
from forms.model import Definition
from pia.extensions import db
from pia.models import (
    Advice,
    Assessment,
    AssessmentVersion,
    AuditEvent,
    Organisation,
    Questionnaire,
    RegisterRecord,
    Signature,
    User,
)
from pia.questionnaire_view import answer_text
from pia.services.review.record import local_date
from workflows import departmental

CONTROLLER_ROLES = ("verwerkingsverantwoordelijke", "gezamenlijk_verwerkingsverantwoordelijke")
SECURITY_KINDS = ("technisch", "organisatorisch")
NO_TRANSFER = "Geen doorgifte buiten de EER"

# (attribute, column header) in the order of art. 30(1) AVG, for the page and the exports.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Verwerking"),
    ("description", "Beschrijving"),
    ("controllers", "Verwerkingsverantwoordelijke(n)"),
    ("controller_contact", "Contactgegevens verwerkingsverantwoordelijke"),
    ("fg_contact", "Contactgegevens FG"),
    ("purposes", "Doeleinden"),
    ("data_subjects", "Categorieën betrokkenen"),
    ("data_categories", "Categorieën persoonsgegevens"),
    ("recipients", "Categorieën ontvangers"),
    ("transfers", "Doorgifte naar derde landen en waarborgen"),
    ("retention", "Bewaartermijnen"),
    ("security", "Beveiligingsmaatregelen (algemeen)"),
)


@dataclass(frozen=True)
class Adoption:
    """One adopted version of a DPIA and the day it was adopted."""

    version: AssessmentVersion
    adopted_on: date


def _words(value: object) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


def _lines(items: Iterable[str]) -> str:
    return "\n".join(_unique(items))


def _instance(answers: Mapping[str, Any], group_id: str, operation_id: str) -> Mapping[str, Any]:
    instances = answers.get(group_id)
    found = instances.get(operation_id) if isinstance(instances, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def _contact(name: str, function: str, email: str) -> str:
    return ", ".join(part for part in (_words(name), _words(function), email) if part)


def operation_records(
    definition: Definition,
    raw: Mapping[str, Any],
    *,
    organisation: str,
    controller_contact: str,
    fg_contact: str,
) -> list[dict[str, Any]]:
    """The art. 30 fields of every operation of §3, in words, from one set of DPIA answers."""
    answers = effective_answers(definition, raw)
    data = {row[ROW_ID]: row for row in table_rows(answers.get("2"))}
    parties = definition.question("6.1")
    mechanism = definition.resolve("8.1.doorgiftemechanisme")
    security = [
        f"{_words(row['maatregel'])} ({row['soort']})"
        for row in table_rows(answers.get("17.1"))
        if _words(row.get("maatregel")) and row.get("soort") in SECURITY_KINDS
    ]
    records = []
    for position, op in enumerate(table_rows(answers.get("3")), start=1):
        op_id = op[ROW_ID]
        items = [data[i] for i in op.get("persoonsgegevens") or [] if i in data]
        categories: dict[str, list[str]] = {}
        for item in items:
            label = _words(item.get("persoonsgegeven"))
            if item.get("type") not in (None, "gewoon"):
                kind = answer_text(definition, definition.resolve("2.type"), item["type"], answers)
                label = f"{label} ({kind.lower()})"
            key = _words(item.get("categorie_persoonsgegevens")) or "Overig"
            categories.setdefault(key, []).append(label)
        controllers, recipients = [organisation], []
        group = _instance(answers, "6", op_id)
        for party in table_rows(group.get("6.1")):
            name, roles = _words(party.get("naam")), party.get("rol") or []
            if not name:
                continue
            if any(r in CONTROLLER_ROLES for r in roles):
                controllers.append(name)
            others = [r for r in roles if r not in CONTROLLER_ROLES]
            if others:
                words = answer_text(definition, parties.column("rol"), others, answers)
                recipients.append(f"{name} ({words.lower()})")
        transfers = []
        for row in table_rows(_instance(answers, "8", op_id).get("8.1")):
            if row.get("buiten_eer") is True:
                text = f"{_words(row.get('locatie'))}: " + (
                    answer_text(definition, mechanism, row.get("doorgiftemechanisme"), answers)
                    if row.get("doorgiftemechanisme")
                    else "geen doorgiftemechanisme genoemd"
                )
                if _words(row.get("aanvullende_maatregelen")):
                    text += f"; aanvullende maatregelen: {_words(row['aanvullende_maatregelen'])}"
                transfers.append(text)
        kept = _retention(definition, answers, op_id)
        purposes = table_rows(_instance(answers, "5", op_id).get("5.1"))
        records.append(
            {
                "position": position,
                "operation_id": op_id,
                "name": _words(op.get("naam")) or f"Verwerking {position} (zonder naam)",
                "description": _words(op.get("beschrijving")),
                "controllers": _lines(controllers),
                "controller_contact": controller_contact,
                "fg_contact": fg_contact,
                "purposes": _lines(_words(p.get("doel")) for p in purposes),
                "data_subjects": _lines(_words(i.get("categorie_betrokkene")) for i in items),
                "data_categories": _lines(
                    f"{key}: {', '.join(_unique(labels))}" for key, labels in categories.items()
                ),
                "recipients": _lines(recipients),
                "third_country": bool(transfers),
                "transfers": _lines(transfers) or NO_TRANSFER,
                "retention": _lines(kept),
                "security": _lines(security),
            }
        )
    return records


def _retention(definition: Definition, answers: Mapping[str, Any], op_id: str) -> list[str]:
    """§10 of one operation: the term, its reason and the purpose, one line per row."""
    table = definition.question("10.1")
    group = _instance(answers, "10", op_id)
    found = []
    for row in table_rows(group.get("10.1")):

        def cell(column: str, row: Mapping[str, Any] = row) -> str:
            return answer_text(
                definition,
                table.column(column),
                row.get(column),
                answers,
                operation_id=op_id,
                group=group,
            )

        parts = [cell("termijn") if row.get("termijn") else "Termijn niet ingevuld"]
        if _words(row.get("motivatie")):
            parts.append(_words(row["motivatie"]))
        if row.get("doeleinde"):
            parts.append(f"doel: {cell('doeleinde')}")
        found.append(" — ".join(parts))
    return found


def adoptions(assessment: Assessment) -> list[Adoption]:
    """Every version of this DPIA that was adopted, oldest first (from the procedure's
    transitions in the audit log: the 'adopt' step names the version)."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "assessment",
            AuditEvent.object_id == str(assessment.id),
            AuditEvent.action == "assessment.transition",
        )
        .order_by(AuditEvent.id)
    )
    adopted: dict[int, date] = {}
    for event in events:
        details = event.details or {}
        if details.get("action") == "adopt" and isinstance(details.get("version"), int):
            adopted[details["version"]] = local_date(event.occurred_at)
    if not adopted:
        return []
    versions = db.session.scalars(
        select(AssessmentVersion).where(
            AssessmentVersion.assessment_id == assessment.id,
            AssessmentVersion.number.in_(adopted),
        )
    )
    found = [Adoption(v, adopted[v.number]) for v in versions]
    return sorted(found, key=lambda a: a.version.number)


def _controller_contact(version: AssessmentVersion) -> str:
    rows = db.session.execute(
        select(Signature, User.email)
        .join(User, User.id == Signature.user_id)
        .where(Signature.version_id == version.id)
        .order_by(Signature.id)
    ).all()
    return _lines(_contact(s.name, s.function, email) for s, email in rows)


def _fg_contact(version: AssessmentVersion) -> str:
    row = db.session.execute(
        select(Advice, User.email)
        .join(User, User.id == Advice.fg_id)
        .where(Advice.assessment_id == version.assessment_id, Advice.round == version.round)
        .order_by(Advice.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return ""
    advice, email = row
    return _contact(advice.fg_name, advice.fg_function, email)


def controller_name(organisation: Organisation) -> str:
    """The organisation as a controller: a ministry by its full name."""
    name = organisation.name
    if organisation.is_ministry and not name.lower().startswith("ministerie"):
        return f"Ministerie van {name}"
    return name


def compute(assessment: Assessment) -> list[RegisterRecord]:
    """The register records of this assessment from its adopted versions (not stored)."""
    from pia.services.questionnaires import definition_for

    found = adoptions(assessment)
    if not found or not assessment.has_dpia:
        return []
    definition = definition_for(assessment, Questionnaire.DPIA)
    withdrawn = assessment.state == departmental.WITHDRAWN.value
    newest = found[-1].version.number
    records = []
    for adoption in found:
        version = adoption.version
        for fields in operation_records(
            definition,
            version.dpia or {},
            organisation=controller_name(assessment.organisation),
            controller_contact=_controller_contact(version),
            fg_contact=_fg_contact(version),
        ):
            records.append(
                RegisterRecord(
                    assessment_id=assessment.id,
                    organisation_id=assessment.organisation_id,
                    version_id=version.id,
                    version_number=version.number,
                    round=version.round,
                    adopted_on=adoption.adopted_on,
                    current=version.number == newest and not withdrawn,
                    **fields,
                )
            )
    return records


def refresh(assessment: Assessment) -> int:
    """Store this assessment's register records anew (in the caller's transaction)."""
    db.session.execute(delete(RegisterRecord).where(RegisterRecord.assessment_id == assessment.id))
    records = compute(assessment)
    db.session.add_all(records)
    return len(records)


def refresh_all(batch: int = 200) -> int:
    """Recompute the register records of every DPIA that was ever adopted; how many records."""
    ids = db.session.scalars(
        select(AuditEvent.object_id)
        .where(AuditEvent.object_type == "assessment", AuditEvent.action == "assessment.transition")
        .distinct()
    ).all()
    done = 0
    for position, assessment_id in enumerate(sorted(int(i) for i in ids if i.isdigit()), 1):
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is not None:
            done += refresh(assessment)
        if position % batch == 0:
            db.session.commit()
    db.session.commit()
    return done
