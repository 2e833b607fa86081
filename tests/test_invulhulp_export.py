"""Export for the Invulhulpen: valid against their schema's rules, only answers their form
has (the rest named on the download page), and ours → theirs → ours keeps every mappable
answer."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from typing import Any

import jsonschema
import pytest

from forms.answers import ROW_ID
from forms.loader import get_definition
from pia import demo_content
from pia.extensions import db
from pia.models import Assessment, Questionnaire
from pia.roles import Role
from pia.services.assessments import load_answers
from tests.conftest import make_user, text_of
from tests.factories_assessments import make_assessment
from tests.invulhulp_files import dpia_with_prescan

SCHEMA_URL = (
    "https://github.com/MinBZK/par-dpia-form/blob/main/schemas/assessment-output.v2.schema.json"
)
ANSWER_KEY = r"^[0-9]+(\.[0-9]+)*(\[[0-9]+\])?$"
# Their assessment output v2, as /work/shared/reference/invulhulp-export.md describes it
# (with the newer tool's _prescanAnswers and no unknown top-level keys).
ANSWER = {
    "type": "object",
    "properties": {
        "value": {
            "oneOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "null"},
                {"$ref": "#/$defs/image"},
            ]
        },
        "lastEditedAt": {"type": "string", "format": "date-time"},
        "lastEditedBy": {"type": "string"},
    },
    "required": ["value", "lastEditedAt"],
    "additionalProperties": False,
}
ANSWERS = {
    "type": "object",
    "propertyNames": {"pattern": ANSWER_KEY},
    "additionalProperties": {
        "oneOf": [
            {"$ref": "#/$defs/answer"},
            {"type": "array", "items": {"$ref": "#/$defs/element"}},
        ]
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "$schema": {"const": SCHEMA_URL},
        "metadata": {
            "type": "object",
            "properties": {
                "urn": {"type": "string", "pattern": r"^urn:nl:[a-z]+:[0-9]+\.[0-9]+$"},
                "createdAt": {"type": "string", "format": "date-time"},
                "createdBy": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                    "required": ["name"],
                },
                "completedTasks": {"type": "array", "items": {"pattern": "^[0-9]+$"}},
            },
            "required": ["urn", "createdAt"],
        },
        "answers": {"$ref": "#/$defs/answers"},
        "_prescanAnswers": {"$ref": "#/$defs/answers"},
    },
    "required": ["$schema", "metadata", "answers"],
    "additionalProperties": False,
    "$defs": {
        "answers": ANSWERS,
        "answer": ANSWER,
        "image": {
            "type": "object",
            "properties": {
                "data": {"type": "string", "pattern": "^data:image/"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "source": {"type": "string"},
            },
            "required": ["data"],
            "additionalProperties": False,
        },
        "element": {
            "type": "object",
            "properties": {"_index": {"type": "integer", "minimum": 0}},
            "required": ["_index"],
            "propertyNames": {"pattern": r"^(_index|[0-9]+(\.[0-9]+)*(\[[0-9]+\])?)$"},
            "additionalProperties": {"oneOf": [{"$ref": "#/$defs/answer"}, {"type": "integer"}]},
        },
    },
}


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    datetime.fromisoformat(document["metadata"]["createdAt"])
    for part in ("answers", "_prescanAnswers"):
        for item in document.get(part, {}).values():
            for element in item if isinstance(item, list) else []:
                assert list(element).count("_index") == 1
    for part in ("answers", "_prescanAnswers"):
        for item in document.get(part, {}).values():
            if isinstance(item, list):
                indexes = [e["_index"] for e in item]
                assert len(indexes) == len(set(indexes)), "an _index twice"


def download(client, assessment, form: str) -> dict:
    response = client.get(f"/assessments/{assessment.id}/invulhulp/{form}.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


def demo(owner) -> Assessment:
    return make_assessment(owner, prescan=demo_content.PRESCAN, dpia=demo_content.DPIA)


def test_the_schema_check_is_not_empty():
    good = dpia_with_prescan()
    validate(good)
    for spoil in (
        lambda d: d.update(extra=1),
        lambda d: d["answers"].update({"2.2A.1": {"value": "x", "lastEditedAt": "t"}}),
        lambda d: d["answers"].update({"0": {"value": 3, "lastEditedAt": "t"}}),
        lambda d: d["answers"]["2.1"].append({"_index": -1}),
        lambda d: d["metadata"].pop("urn"),
    ):
        document = dpia_with_prescan()
        spoil(document)
        with pytest.raises(jsonschema.ValidationError):
            validate(document)


def test_the_dpia_download_is_valid_and_carries_its_prescan(client, login):
    owner = make_user(Role.PROJECTLEIDER, name="Petra Projectleider")
    login(owner)
    assessment = demo(owner)
    document = download(client, assessment, "dpia")
    validate(document)
    assert document["metadata"]["urn"] == "urn:nl:dpia:3.0"
    assert document["metadata"]["createdBy"]["name"] == "Petra Projectleider"
    assert document["_prescanAnswers"]["0.4"]["value"].startswith("Rechtsgrond")
    answers = document["answers"]
    operations = answers["3.1"]
    assert [o["3.1.1"]["value"] for o in operations] == [r["naam"] for r in demo_content.DPIA["3"]]
    # rows per operation sit at or after their operation's index, before the next one
    bounds = [o["_index"] for o in operations] + [10**6]
    for element in answers["5.1"]:
        assert any(bounds[i] <= element["_index"] < bounds[i + 1] for i in range(len(operations)))
    assert [s["_index"] for s in answers["6.1"]] == bounds[:-1]
    assert "4.2" not in answers and "19.2" not in answers
    prescan = download(client, assessment, "prescan")
    validate(prescan)
    assert prescan["metadata"]["urn"] == "urn:nl:prescan:2.0"
    assert "_prescanAnswers" not in prescan
    assert _values(prescan["answers"]) == _values(document["_prescanAnswers"])


def _values(answers: Any) -> Any:
    """The answers without their time stamps."""
    if isinstance(answers, dict):
        return {k: _values(v) for k, v in answers.items() if k != "lastEditedAt"}
    if isinstance(answers, list):
        return [_values(v) for v in answers]
    return answers


def test_without_a_dpia_only_the_prescan_is_offered(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    assessment = make_assessment(owner, prescan={"0.1": True, "3.1": ["geen"]})
    assert client.get(f"/assessments/{assessment.id}/invulhulp/dpia.json").status_code == 404
    assert client.get(f"/assessments/{assessment.id}/invulhulp/iama.json").status_code == 404
    page = text_of(client.get(f"/assessments/{assessment.id}/invulhulp"))
    assert "Download de pre-scan" in page and "Download de DPIA" not in page
    assert "geen van deze" in page  # 3.1 'geen' has no checkbox in their form
    from datetime import UTC

    from pia.models import Answer

    saved = db.session.query(Answer).filter_by(assessment_id=assessment.id, question_id="0.1")
    saved.one().updated_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    db.session.commit()
    answers = download(client, assessment, "prescan")["answers"]
    assert list(answers) == ["0.1"]  # 'geen' is not sent
    # each answer carries the time it was last saved here
    assert answers["0.1"] == {"value": "true", "lastEditedAt": "2026-01-02T03:04:05Z"}


def test_the_download_page_names_what_their_form_lacks(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    assessment = demo(owner)
    page = text_of(client.get(f"/assessments/{assessment.id}/invulhulp"))
    assert "Is er sprake van profilering? (vraag 4.3)" in page
    assert "Raadpleging van betrokkenen (vraag 7.2)" in page
    assert "Soort maatregel" in page and "de Invulhulp heeft deze vraag niet" in page
    overview = text_of(client.get(f"/assessments/{assessment.id}"))
    assert "Downloaden voor de Invulhulp" in overview


def _canon(definition, answers: dict[str, Any], drop: set[str]) -> dict[str, Any]:
    """Answers without row ids: a reference becomes the text it points to, a per-operation
    group is keyed by the operation's name."""
    texts: dict[str, str] = {}

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict) and ROW_ID in row:
                    first = next(
                        (v for k, v in row.items() if k != ROW_ID and isinstance(v, str)), ""
                    )
                    texts[row[ROW_ID]] = first
                    collect(row)

    collect(answers)

    def clean(value):
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {
                texts.get(k, k): clean(v) for k, v in value.items() if k != ROW_ID and k not in drop
            }
        return texts.get(value, value) if isinstance(value, str) else value

    return {k: clean(v) for k, v in answers.items() if k not in drop}


# Answers of ours their form has no place for (named on the download page), and what the
# import adds because their form implies it.
LEFT_OUT = {
    "4.2",
    "4.3",
    "4.4",
    "4.4.1",
    "4.5",
    "4.6",
    "7.2",
    "partij",
    "buiten_eer",
    "soort",
    "bron",
}


def test_ours_to_theirs_to_ours_keeps_every_mappable_answer(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    login(owner)
    original = demo(owner)
    file = download(client, original, "dpia")
    response = client.post_form(
        "/assessments/importeren",
        {"file": (io.BytesIO(json.dumps(file).encode()), "terug.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    new_id = int(re.search(r"/assessments/(\d+)/", response.headers["Location"])[1])
    again = db.session.get(Assessment, new_id)
    for questionnaire, version in ((Questionnaire.PRESCAN, "2.0"), (Questionnaire.DPIA, "3.0")):
        definition = get_definition(questionnaire.value, version)
        before = load_answers(original, questionnaire)
        after = load_answers(again, questionnaire)
        # saas/iaas/paas are one checkbox there: not mappable back (the note says so)
        if questionnaire is Questionnaire.PRESCAN:
            before["0.5.2"] = [
                v for v in before.get("0.5.2", []) if v not in ("saas", "iaas", "paas")
            ]
            if not before["0.5.2"]:
                del before["0.5.2"]
        assert _canon(definition, after, LEFT_OUT) == _canon(definition, before, LEFT_OUT)
        assert len(before) > 5


def test_the_demo_file_is_valid_and_imports_with_its_notes(client, login):
    """pia/data/demo-invulhulp-dpia.json: a DPIA with its pre-scan as their tool writes it,
    to try the import in the demo."""
    from pathlib import Path

    path = Path(__file__).parents[1] / "pia" / "data" / "demo-invulhulp-dpia.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    validate(document)
    login(make_user(Role.PROJECTLEIDER))
    response = client.post_form(
        "/assessments/importeren",
        {"file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Status (19.2)" in page and "‘concept’" in page and "DPIA versie (19.1.1)" in page
    assert "Stroomschema aanvragen" in page
    assessment_id = int(re.search(r"/assessments/(\d+)/", response.headers["Location"])[1])
    dpia = load_answers(db.session.get(Assessment, assessment_id), Questionnaire.DPIA)
    assert [r["naam"] for r in dpia["3"]] == [r["naam"] for r in demo_content.DPIA["3"]]


def test_theirs_to_ours_to_theirs_keeps_the_images(client, login):
    from tests.invulhulp_files import PNG, data_url

    login(make_user(Role.PROJECTLEIDER))
    response = client.post_form(
        "/assessments/importeren",
        {"file": (io.BytesIO(json.dumps(dpia_with_prescan()).encode()), "in.json")},
        content_type="multipart/form-data",
    )
    assessment_id = int(re.search(r"/assessments/(\d+)/", response.headers["Location"])[1])
    assessment = db.session.get(Assessment, assessment_id)
    back = download(client, assessment, "dpia")
    validate(back)
    elements = back["answers"]["1.2"]
    assert [e["1.2.1"]["value"]["title"] for e in elements] == ["Schema 0", "Schema 2"]
    assert elements[0]["1.2.1"]["value"] == {
        "data": data_url(PNG),
        "title": "Schema 0",
        "source": "Intranet",
    }
    page = text_of(client.get(f"/assessments/{assessment_id}/invulhulp"))
    assert "(vraag 1.1)" not in page and "Link of vindplaats" not in page
    assert "Downloaden voor de Invulhulp" in page
