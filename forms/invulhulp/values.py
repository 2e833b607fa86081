"""Single answer values between their strings and ours, and their images, checked."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.answers import NOT_APPLICABLE

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Raster images only (an SVG can carry script); the decoded bytes must match the type.
IMAGE_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_DATA_URL = re.compile(
    r"^data:(?P<type>[a-z0-9.+-]+/[a-z0-9.+-]+)(?P<params>(;[^;,]*)*),(?P<data>.*)$", re.S
)


class Unmappable(ValueError):
    """An answer of theirs that has no place here; the message says why, in Dutch."""


@dataclass(frozen=True)
class Image:
    """A checked image from their file."""

    mimetype: str
    data: bytes
    title: str
    description: str
    source: str


def shown(value: Any) -> str:
    """Their value as a person reads it on the result page."""
    if value is None:
        return "(leeg)"
    if isinstance(value, list):
        return ", ".join(f"‘{item}’" for item in value) if value else "(leeg)"
    if isinstance(value, Mapping) and "data" in value:
        title = value.get("title")
        return f"een afbeelding ‘{title}’" if title else "een afbeelding"
    text = str(value)
    return f"‘{text}’" if len(text) <= 120 else f"‘{text[:117]}…’"


def to_ours(spec: Mapping[str, Any], value: Any) -> Any:
    """Their value (already a str or list of str) as ours; Unmappable if it has no place."""
    kind = spec.get("kind")
    if kind in ("text", "date"):
        if not isinstance(value, str):
            raise Unmappable("PIA Rijk verwacht hier tekst")
        return value.strip()
    if kind == "yesno":
        if value not in ("true", "false"):
            raise Unmappable("PIA Rijk verwacht hier ja of nee (‘true’ of ‘false’)")
        return value == "true"
    if kind == "yesno_na":
        if value not in ("true", "false", "null"):
            raise Unmappable("PIA Rijk verwacht hier ja, nee of niet van toepassing")
        return NOT_APPLICABLE if value == "null" else value == "true"
    if kind == "choice":
        if not isinstance(value, str):
            raise Unmappable("PIA Rijk verwacht hier één keuze")
        return _option(spec, value)
    if kind == "multichoice":
        raise AssertionError("multichoice values are mapped per item")
    raise Unmappable("PIA Rijk kent dit soort antwoord niet")


def _option(spec: Mapping[str, Any], value: str) -> str:
    options = spec.get("options") or {}
    if value in options:
        return str(options[value])
    reasons = spec.get("unmappable_options") or {}
    if value in reasons:
        raise Unmappable(str(reasons[value]))
    raise Unmappable("deze keuze bestaat niet in deze versie van de vragenlijst")


def option_to_ours(spec: Mapping[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise Unmappable("PIA Rijk verwacht hier een keuze als tekst")
    return _option(spec, value)


def to_theirs(spec: Mapping[str, Any], value: Any) -> str:
    """Our value as their string; Unmappable (with a reason) when their form lacks it."""
    kind = spec.get("kind")
    not_exported = spec.get("not_exported_values") or {}
    if kind == "yesno":
        return "true" if value is True else "false"
    if kind == "yesno_na":
        text = "null" if value == NOT_APPLICABLE else ("true" if value is True else "false")
        if text in not_exported:
            raise Unmappable(str(not_exported[text]))
        return text
    if kind == "choice":
        return option_to_theirs(spec, value)
    return str(value)


def option_to_theirs(spec: Mapping[str, Any], value: str) -> str:
    for theirs, ours in (spec.get("options") or {}).items():
        if ours == value:
            return str(theirs)
    extra = spec.get("export_options") or {}
    if value in extra:
        return str(extra[value])
    reasons = spec.get("not_exported_options") or {}
    raise Unmappable(str(reasons.get(value, "de Invulhulp kent deze keuze niet")))


def read_image(value: Any) -> Image:
    """Their image object, checked: a raster type, the bytes match it, not too large."""
    if not isinstance(value, Mapping) or not isinstance(value.get("data"), str):
        raise Unmappable("dit is geen afbeelding in de vorm die de Invulhulp maakt")
    match = _DATA_URL.match(value["data"][: MAX_IMAGE_BYTES * 2])
    if match is None or ";base64" not in match["params"]:
        raise Unmappable("de afbeelding is geen geldige data-URL met base64")
    mimetype = match["type"]
    if mimetype not in IMAGE_SIGNATURES:
        raise Unmappable(
            f"een afbeelding van het type {mimetype} nemen we niet over; "
            "alleen PNG, JPEG, GIF en WebP (geen SVG)"
        )
    if len(match["data"]) > (MAX_IMAGE_BYTES * 4) // 3 + 4:
        raise Unmappable("de afbeelding is groter dan 2 MB")
    try:
        data = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        raise Unmappable("de afbeelding is niet goed gecodeerd (base64)") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise Unmappable("de afbeelding is groter dan 2 MB")
    if not any(data.startswith(sig) for sig in IMAGE_SIGNATURES[mimetype]) or (
        mimetype == "image/webp" and data[8:12] != b"WEBP"
    ):
        raise Unmappable(f"de inhoud van de afbeelding is geen {mimetype}")
    texts = {}
    for key in ("title", "description", "source"):
        item = value.get(key, "")
        texts[key] = item.strip()[:500] if isinstance(item, str) else ""
    return Image(mimetype, data, texts["title"], texts["description"], texts["source"])
