"""The base form: CSRF from Flask-WTF, WTForms' own messages in Dutch, clean text."""

import re
from typing import Any

from flask import Request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property
from wtforms.fields import FieldList, FormField, IntegerField
from wtforms.validators import StopValidation

# Control characters other than tab and line breaks (never meant; PostgreSQL refuses NUL),
# lone surrogates (no UTF-8 encodes them: once stored they broke every page showing them)
# and the two noncharacters XML forbids.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# The range of the database's integer columns (PostgreSQL integer).
DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1
# No list has more pages than this (an offset beyond it is refused before the query).
MAX_PAGE = 100_000


def parse_int(text: object, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """A whole number from a URL or form within [low, high], else None: the one way the
    views read numbers from a request (a page number, a version, an id), so that no value
    beyond what the database holds, and no text, ever reaches a query."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if low <= text <= high else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    number = int(text)
    return number if low <= number <= high else None


class CleanRequest(Request):
    """The app's request: URL parameters arrive without control characters or lone
    surrogates, whichever view reads them (a search box, a filter, a page number), so none
    reaches a query or a page (PostgreSQL refuses NUL in text)."""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        raw = super().args
        return ImmutableMultiDict(
            [(strip_control(k), strip_control(v)) for k, v in raw.items(multi=True)]
        )


class DatabaseIntegerField(IntegerField):
    """An IntegerField that refuses (in Dutch) a number the database cannot hold."""

    def pre_validate(self, form) -> None:
        if self.data is not None and not DB_INT_MIN <= self.data <= DB_INT_MAX:
            self.data = None
            raise StopValidation("Dit getal is te groot.")


def strip_control(value: Any) -> Any:
    """Remove control characters from text, also inside lists and dicts; leave the rest."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [strip_control(v) for v in value]
    if isinstance(value, dict):
        return {strip_control(k): strip_control(v) for k, v in value.items()}
    return value


class BaseForm(FlaskForm):
    class Meta:
        locales = ("nl_NL", "nl")

        def bind_field(self, form, unbound_field, options):
            """Every field of every form drops control characters from what was typed.

            (Lists and sub-forms take no filters; their rows are cleaned where answers are
            stored, see services.assessments.store_answers.)
            """
            if issubclass(unbound_field.field_class, (FieldList, FormField)):
                return unbound_field.bind(form=form, **options)
            filters = (*unbound_field.kwargs.get("filters", ()), strip_control)
            return unbound_field.bind(form=form, filters=filters, **options)

    def add_error(self, field_name: str | None, message: str) -> None:
        """Attach a service's message to a field (or to the form when no field fits)."""
        field = getattr(self, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self.form_errors.append(message)


def error_items(form) -> list[tuple[str, str, str]]:
    """Every field error as (field id, label, message), nested rows and groups included."""
    from wtforms.fields import FieldList, FormField

    items: list[tuple[str, str, str]] = []

    def walk(f, prefix: str) -> None:
        for field in f:
            if field.type == "CSRFTokenField":
                continue
            label = f"{prefix}{field.label.text}" if field.label else prefix
            if isinstance(field, FieldList):
                own = [e for e in field.errors if isinstance(e, str)]
                items.extend((field.id, label, message) for message in own)
                for number, entry in enumerate(field.entries, start=1):
                    walk(entry.form, f"{label}, regel {number}: ")
            elif isinstance(field, FormField):
                walk(field.form, prefix)
            else:
                items.extend((field.id, label, m) for m in field.errors if isinstance(m, str))

    walk(form, "")
    return items
