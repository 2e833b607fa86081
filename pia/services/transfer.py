"""An assessment as a JSON file, and back: lossless, and all or nothing."""

import json
from typing import Any

from sqlalchemy import select

from forms.export import answer_problems
from forms.loader import get_definition
from forms.model import DefinitionError
from pia.extensions import db
from pia.formkit import strip_control
from pia.models import Assessment, Organisation, Questionnaire, User
from pia.models.types import utcnow
from pia.services import audit
from pia.services.assessments import create_assessment, load_answers, store_answers
from pia.services.questionnaires import definition_for, status

FORMAT, FORMAT_VERSION = "pia-assessment", 1


def export_document(assessment: Assessment) -> dict[str, Any]:
    """Metadata, answers by question id per questionnaire, and the computed results."""
    questionnaires = {}
    for questionnaire in (Questionnaire.PRESCAN, Questionnaire.DPIA):
        if questionnaire is Questionnaire.DPIA and not assessment.has_dpia:
            continue
        definition = definition_for(assessment, questionnaire)
        questionnaires[questionnaire.value] = {
            "definitie": definition.id,
            "versie": definition.version,
            "antwoorden": load_answers(assessment, questionnaire),
        }
    current = status(assessment)
    outcome = current.prescan
    return {
        "formaat": FORMAT,
        "formaatversie": FORMAT_VERSION,
        "geexporteerd_op": utcnow().isoformat(timespec="seconds"),
        "assessment": {
            "titel": assessment.title,
            "omschrijving": assessment.description,
            "organisatie": assessment.organisation.abbreviation,
            "rijksbreed": assessment.government_wide,
            "status": assessment.state,
        },
        "vragenlijsten": questionnaires,
        "uitkomsten": {
            "prescan": {
                "dpia": outcome.dpia,
                "dtia": outcome.dtia,
                "kia": outcome.kia,
                "iama": outcome.iama,
                "risicoscore": outcome.risk_score,
                "redenen": list(outcome.reasons),
            },
            "voortgang_prescan": current.prescan_progress.percent,
            "voortgang_dpia": current.dpia_progress.percent if current.dpia_progress else None,
            "voorafgaande_raadpleging_ap": current.prior_consultation,
        },
    }


def export_json(assessment: Assessment) -> str:
    """The export document as pretty JSON text."""
    return json.dumps(export_document(assessment), ensure_ascii=False, indent=2)


def _shown(value: Any) -> str:
    """A wrong value as the message quotes it (short)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _problems(document: Any) -> tuple[list[str], Organisation | None, dict]:
    if not isinstance(document, dict):
        return (
            ["Dit is geen exportbestand van PIA Rijk (het bestand is geen JSON-object)."],
            None,
            {},
        )
    if "formaat" not in document:
        return ["Dit is geen exportbestand van PIA Rijk (het veld 'formaat' ontbreekt)."], None, {}
    if document.get("formaat") != FORMAT:
        return (
            [
                f"Dit is geen exportbestand van PIA Rijk: het veld 'formaat' is "
                f"{_shown(document.get('formaat'))}, en dat moet '{FORMAT}' zijn."
            ],
            None,
            {},
        )
    problems: list[str] = []
    if document.get("formaatversie") != FORMAT_VERSION:
        problems.append(f"Onbekende formaatversie: {document.get('formaatversie')!r}.")
    meta = document.get("assessment")
    if meta is None:
        return [*problems, "Het onderdeel 'assessment' ontbreekt."], None, {}
    if not isinstance(meta, dict):
        return [*problems, "Het onderdeel 'assessment' heeft niet de goede vorm."], None, {}
    title = meta.get("titel")
    if title is None:
        problems.append("De titel ontbreekt.")
    elif not isinstance(title, str):
        problems.append(f"De titel moet tekst zijn, maar is {_shown(title)}.")
    elif not title.strip():
        problems.append("De titel is leeg.")
    elif len(title) > 200:
        problems.append(f"De titel is {len(title)} tekens lang; dat mag hoogstens 200 zijn.")
    if not isinstance(meta.get("omschrijving", ""), str):
        problems.append("De omschrijving moet tekst zijn.")
    if not isinstance(meta.get("rijksbreed", False), bool):
        problems.append("'rijksbreed' moet true of false zijn.")
    org = db.session.scalar(
        select(Organisation).where(Organisation.abbreviation == str(meta.get("organisatie")))
    )
    if org is None or not org.active:
        problems.append(f"Onbekende of gedeactiveerde organisatie: {meta.get('organisatie')!r}.")
    parts = document.get("vragenlijsten")
    loaded: dict[Questionnaire, tuple[Any, dict]] = {}
    if not isinstance(parts, dict) or parts.get("prescan") is None:
        return [*problems, "De pre-scan ontbreekt in het bestand."], org, {}
    if not isinstance(parts.get("prescan"), dict):
        return [*problems, "De pre-scan in het bestand heeft niet de goede vorm."], org, {}
    for name, part in parts.items():
        try:
            questionnaire = Questionnaire(name)
        except ValueError:
            problems.append(f"Onbekende vragenlijst '{name}'.")
            continue
        if not isinstance(part, dict) or part.get("antwoorden") is None:
            problems.append(f"De antwoorden van de {name} ontbreken.")
            continue
        if not isinstance(part.get("antwoorden"), dict):
            problems.append(f"De antwoorden van de {name} hebben niet de goede vorm.")
            continue
        try:
            definition = get_definition(str(part.get("definitie")), str(part.get("versie")))
        except (DefinitionError, KeyError, FileNotFoundError):
            problems.append(
                f"Onbekende vragenlijst {part.get('definitie')} versie {part.get('versie')}."
            )
            continue
        if definition.id != questionnaire.value:
            problems.append(f"De {name} verwijst naar de vragenlijst '{definition.id}'.")
            continue
        found = answer_problems(definition, part["antwoorden"])
        problems.extend(f"{name}: {p}" for p in found)
        loaded[questionnaire] = (definition, part["antwoorden"])
    return problems, org, loaded


# An export nests five levels deep (file, questionnaire, answers, group, table row, cell
# list); anything much deeper is not ours, and would exhaust the parser's recursion.
MAX_JSON_DEPTH = 32


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays or objects deeper than `limit` (strings skipped),
    decided before parsing."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def import_document(text: str | bytes, *, actor: User) -> tuple[Assessment | None, list[str]]:
    """Create a new assessment from an export file; (None, problems) if anything is wrong."""
    if json_too_deep(text):
        return None, [
            f"Het bestand is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus); "
            "dit is geen export van PIA Rijk."
        ]
    try:
        document = strip_control(json.loads(text))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, ["Het bestand is geen geldig JSON-bestand."]
    problems, org, loaded = _problems(document)
    if problems:
        return None, problems
    meta = document["assessment"]
    assessment = create_assessment(
        title=meta["titel"],
        description=meta.get("omschrijving", ""),
        organisation=org,
        government_wide=meta.get("rijksbreed", False),
        owner=actor,
    )
    prescan_def, prescan_answers = loaded[Questionnaire.PRESCAN]
    assessment.prescan_definition, assessment.prescan_version = prescan_def.key
    store_answers(assessment, Questionnaire.PRESCAN, prescan_answers, actor=actor)
    if Questionnaire.DPIA in loaded:
        dpia_def, dpia_answers = loaded[Questionnaire.DPIA]
        assessment.dpia_definition, assessment.dpia_version = dpia_def.key
        assessment.dpia_started_at = utcnow()
        store_answers(assessment, Questionnaire.DPIA, dpia_answers, actor=actor)
    audit.record(
        "assessment.imported",
        actor=actor,
        object_type="assessment",
        object_id=assessment.id,
        summary=f"Assessment “{assessment.title}” geïmporteerd uit een JSON-bestand",
    )
    return assessment, []
