"""The context of the DPIA report: the model's sections 0–20 as blocks, plus what the app knows.

No database here: the service passes the assessment's facts in. Sections 19 and 20
come from the procedure's record (services.review.workflow_answers), never from stored
answers; the report says what is still missing. The report opens with a management
summary (the facts a director reads first, and the model's §18), and lists the required
questions without an answer once, in an annex, instead of in every section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from forms.answers import table_rows
from forms.conditions import effective_answers
from forms.model import Definition
from forms.prescan import PrescanOutcome
from forms.risk import HIGH, MEASURE_RESIDUAL, MEASURES, RiskAssessment, assess_risks
from pia.documents import heatmap
from pia.documents.text import Missing, section_blocks, table_cells
from pia.heatmap import risk_number
from pia.questionnaire_view import answer_text

HEATMAP_WIDTH_MM = 160.0
SUMMARY = "18"  # the model's own management summary: in the report it comes first
RANK = {"hoog": 3, "midden": 2, "laag": 1}


def _empty(section, blocks: list, collected: Missing) -> str:
    """What a section without any answer says instead (nothing when it has answers)."""
    if blocks or section.is_workflow:
        return ""
    if collected.items:
        return "Nog niet ingevuld: de bijlage achteraan noemt de vragen."
    return "Niet ingevuld. De vragen van dit onderdeel zijn niet verplicht."


def summary(context: Mapping[str, Any], risks: Sequence[RiskAssessment], text: str) -> dict:
    """The management summary up front: outcome, highest risks, residual risk, AP, FG, status."""
    ranked = sorted((r for r in risks if r.level), key=lambda r: -RANK.get(r.level or "", 0))
    top = [r for r in ranked if r.level == ranked[0].level] if ranked else []
    numbers = {r["nummer"]: r for r in context["risicos"]}
    highest = [
        f"{risk_number(risks, r.row_id)} "
        f"{numbers[risk_number(risks, r.row_id)]['beschrijving'].rstrip('.')}: "
        f"{_level(r.level).lower()}, na maatregelen {_level(r.residual_level).lower()}"
        for r in top[:3]
    ]
    residual = max((RANK.get(r.residual_level or "", 0) for r in risks), default=0)
    residual_word = {3: "Hoog", 2: "Midden", 1: "Laag"}.get(residual, "Nog niet bepaald")
    ap = (
        "Nodig: er blijft een hoog restrisico over. De verwerking begint pas na de "
        "voorafgaande raadpleging van de Autoriteit Persoonsgegevens (artikel 36 AVG)."
        if context["voorafgaande_raadpleging"]
        else "Niet nodig: er blijft geen hoog restrisico over."
    )
    signed = bool(context["ondertekening"])
    return {
        "uitkomst": context["prescan"]["uitkomst"],
        "hoogste_risicos": "\n".join(highest) or "Er zijn nog geen risico's beoordeeld.",
        "restrisico": residual_word,
        "ap": ap,
        "fg": "De FG heeft nog geen advies gegeven.",
        "status": f"{context.get('status', '')}, documentversie {context.get('documentversie', '')}"
        + ("; vastgesteld en ondertekend" if signed else "; nog niet ondertekend"),
        "tekst": text,
        "open_vragen": len(context["niet_ingevuld"]),
    }


def prescan_context(outcome: PrescanOutcome) -> dict[str, Any]:
    """The pre-scan outcome in words."""
    return {
        "uitkomst": outcome.dpia_label,
        "dtia": "verplicht" if outcome.dtia else "niet nodig",
        "kia": "aanbevolen" if outcome.kia else "niet nodig",
        "iama": "aanbevolen" if outcome.iama else "niet nodig",
        "risicoscore": str(outcome.risk_score),
        "redenen": list(outcome.reasons),
        "bevindingen": list(outcome.findings),
        "compleet": outcome.complete,
    }


def _level(value: str | None) -> str:
    return value.capitalize() if value else "—"


def risk_rows(
    risks: Sequence[RiskAssessment], answers: Mapping[str, Any]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The risks with their levels, and the measures with the risks they address (by number)."""
    measures = table_rows(answers.get(MEASURES))
    measure_numbers = {m["_id"]: f"M{n}" for n, m in enumerate(measures, start=1)}
    risk_list = [
        {
            "nummer": risk_number(risks, r.row_id),
            "beschrijving": r.description or "(zonder beschrijving)",
            "kans": _level(r.likelihood),
            "impact": _level(r.impact),
            "matrixniveau": _level(r.matrix_level),
            "niveau": _level(r.level) + (" (aangepast)" if r.overridden else ""),
            "motivatie": r.reason if r.overridden else "",
            "restrisico": _level(r.residual_level),
            "maatregelen": ", ".join(measure_numbers[m] for m in r.measure_ids) or "—",
        }
        for r in risks
    ]
    measure_list = [
        {
            "nummer": measure_numbers[m["_id"]],
            "maatregel": m.get("maatregel", ""),
            "soort": (m.get("soort") or "").capitalize(),
            "risicos": ", ".join(risk_number(risks, rid) for rid in m.get("risicos", [])) or "—",
            "restrisico": _level(m.get(MEASURE_RESIDUAL)),
            "beheerder": m.get("beheerder", ""),
        }
        for m in measures
    ]
    return risk_list, measure_list


def _prior_consultation(risks: Sequence[RiskAssessment], answers: Mapping[str, Any]) -> bool:
    """forms.risk.needs_prior_consultation, on risks already assessed (it is costly to repeat)."""
    measures = table_rows(answers.get(MEASURES))
    return any(m.get(MEASURE_RESIDUAL) == HIGH for m in measures) or any(
        r.residual_level == HIGH for r in risks
    )


def workflow_context(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """§19 and §20 as far as they are known: versions, document owner, FG advice, signatures."""

    def value(qid: str) -> str:
        return answer_text(definition, definition.question(qid), answers.get(qid), answers)

    owner = [(definition.question(f"19.4.{n}").label, value(f"19.4.{n}")) for n in range(1, 7)]
    fg = {
        "organisatie": value("19.5.1"),
        "directie": value("19.5.2"),
        "afdeling": value("19.5.3"),
        "naam": value("19.5.4"),
        "functie": value("19.5.5"),
        "datum": value("19.5.6"),
        "document": value("19.5.7"),
        "verwerkt_in": value("19.5.8"),
        "oordeel": "",
        "aanbevelingen": [],
    }
    signatures = table_cells(definition, definition.question("20.1"), answers.get("20.1"), answers)
    return {
        "versies": table_cells(
            definition, definition.question("19.1"), answers.get("19.1"), answers
        ),
        "dossier": table_cells(
            definition, definition.question("19.3"), answers.get("19.3"), answers
        ),
        "documentbeheerder": [{"veld": k, "waarde": v} for k, v in owner if v],
        "fg_advies": fg if fg["naam"] or fg["datum"] else None,
        # A government-wide DPIA: the established rijksbreed privacyadvies (the service).
        "par_advies": None,
        "ondertekening": [
            dict(
                zip(
                    (
                        "organisatie",
                        "directie",
                        "afdeling",
                        "naam",
                        "functie",
                        "datum",
                        "opgesteld_door",
                    ),
                    row,
                    strict=True,
                )
            )
            for row in signatures
        ],
        "afwijkingen": [
            {"naam": naam, "reden": reden}
            for naam, reden in table_cells(
                definition, definition.question("20.2"), answers.get("20.2"), answers
            )
        ]
        if definition.has_question("20.2")
        else [],
    }


def report_context(
    definition: Definition,
    answers: Mapping[str, Any],
    *,
    meta: Mapping[str, str],
    prescan: PrescanOutcome,
) -> tuple[dict[str, Any], dict[str, tuple[bytes, float]]]:
    """The report's context and its images (the heat maps), from the stored DPIA answers."""
    effective = effective_answers(definition, answers)
    risks = assess_risks(effective, definition)
    risk_list, measure_list = risk_rows(risks, effective)
    parts = {sid: part for part in definition.parts for sid in part.section_ids[:1]}
    sections, missing = [], []
    summary_text = ""
    for section in definition.sections:
        part = parts.get(section.id)
        collected = Missing(f"{section.id}. {section.title}")
        blocks = (
            [] if section.is_workflow else section_blocks(definition, section, effective, collected)
        )
        if section.id == SUMMARY:
            summary_text = "\n\n".join(b["tekst"] for b in blocks if b["soort"] == "tekst")
        missing += collected.items
        sections.append(
            {
                "nummer": section.id,
                "titel": section.title,
                "deel": f"Deel {part.id}. {part.title}" if part else "",
                "blokken": [] if section.id == SUMMARY and summary_text else blocks,
                "leeg": _empty(section, blocks, collected),
            }
        )
    context = {
        **meta,
        "model": f"{definition.title}, versie {definition.version}",
        "prescan": prescan_context(prescan),
        "secties": sections,
        "risicos": risk_list,
        "maatregelen": measure_list,
        "voorafgaande_raadpleging": _prior_consultation(risks, effective),
        **workflow_context(definition, effective),
        "niet_ingevuld": missing,
    }
    context["samenvatting"] = summary(context, risks, summary_text)
    images = {
        "heatmap_voor": (heatmap.before_png(risks), HEATMAP_WIDTH_MM),
        "heatmap_na": (heatmap.after_png(risks), HEATMAP_WIDTH_MM),
    }
    return context, images
