"""WTForms fields and validators for questionnaire questions, with Dutch messages."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from wtforms import Field, Form
from wtforms.fields import (
    DateField,
    FieldList,
    FloatField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from forms.answers import NOT_APPLICABLE
from forms.model import FieldType, Option, Question

REQUIRED = "Dit veld is verplicht."
ROWS_REQUIRED = "Voeg minstens één regel toe en vul die in."
INVALID_CHOICE = "Kies een van de antwoorden uit de lijst."
INVALID_DATE = "Vul een geldige datum in."
INVALID_NUMBER = "Vul een getal in."
INVALID_INTEGER = "Vul een heel getal in, zonder komma."
TOO_LONG = "Gebruik hoogstens %(max)d tekens. Nu zijn het er %(length)d."
TOO_MANY_ROWS = "Deze tabel kan hoogstens {max} regels hebben."
EXCLUSIVE = "'{label}' kan niet samen met andere keuzes."
TOO_SMALL = "Vul een getal in van minstens {minimum}."
TOO_LARGE = "Vul een getal in van hoogstens {maximum}."

YES, NO = "ja", "nee"
YESNO_CHOICES = (SelectChoice(YES, "Ja"), SelectChoice(NO, "Nee"))
NA_CHOICE = SelectChoice(NOT_APPLICABLE, "Niet van toepassing")


class RowList(FieldList):
    """A FieldList that only claims names "<name>-<index>-...": "q_3" must not eat "q_3_1"."""

    def _extract_indices(self, prefix: str, formdata: Any) -> Iterator[int]:
        start = prefix + self._separator
        for key in formdata:
            if key.startswith(start):
                index = key[len(start) :].split(self._field_separator, 1)[0]
                # ASCII digits only ('²' is a digit to isdigit() but not to int()), and few
                if index.isascii() and index.isdigit() and len(index) <= 6:
                    yield int(index)


class MaxRows:
    """At most `maximum` rows in a table."""

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    def __call__(self, form: Form, field: Field) -> None:
        if len(field.entries) > self.maximum:
            raise ValidationError(TOO_MANY_ROWS.format(max=self.maximum))


class ExclusiveChoices:
    """An exclusive option (such as "Geen van deze") cannot be combined with others."""

    def __init__(self, options: Iterable[Option]) -> None:
        self.exclusive = {o.value: o.label for o in options if o.exclusive}

    def __call__(self, form: Form, field: Field) -> None:
        chosen = field.data or []
        for value in chosen:
            if value in self.exclusive and len(chosen) > 1:
                raise ValidationError(EXCLUSIVE.format(label=self.exclusive[value]))


class DutchFloatField(FloatField):
    """A float field that also accepts a decimal comma ("2,5"), as Dutch users write it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(
            [v.replace(",", ".") if isinstance(v, str) else v for v in valuelist]
        )
        if self.data is not None and not math.isfinite(self.data):
            # 'inf', 'nan', '1e999': no number to store (JSON has none for them)
            self.data = None
            raise ValueError(INVALID_NUMBER)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _clean_long_text(value: object) -> object:
    # browsers post CRLF; count and store plain newlines
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def choices_for(options: Iterable[Option]) -> list[SelectChoice]:
    """WTForms choices for options."""
    return [SelectChoice(option.value, option.label) for option in options]


def field_for(question: Question) -> UnboundField:
    """The unbound WTForms field for a question or column that holds a single value."""
    common: dict[str, Any] = {"label": question.label, "description": question.help}
    kind = question.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        limit = question.max_length
        validators = [Optional(), Length(max=limit, message=TOO_LONG)]
        if kind is FieldType.TEXT:
            return StringField(validators=validators, filters=[_strip], **common)
        return TextAreaField(validators=validators, filters=[_clean_long_text], **common)
    if kind is FieldType.CHOICE:
        return RadioField(
            validators=[Optional()],
            choices=choices_for(question.options),
            invalid_choice_message=INVALID_CHOICE,
            **common,
        )
    if kind is FieldType.MULTICHOICE:
        return SelectMultipleField(
            validators=[Optional(), ExclusiveChoices(question.options)],
            choices=choices_for(question.options),
            invalid_choice_message=INVALID_CHOICE,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            **common,
        )
    if kind in (FieldType.YESNO, FieldType.YESNO_NA):
        choices = list(YESNO_CHOICES)
        if kind is FieldType.YESNO_NA:
            choices = [*(choices if question.allow_no else choices[:1]), NA_CHOICE]
        return RadioField(
            validators=[Optional()],
            choices=choices,
            invalid_choice_message=INVALID_CHOICE,
            **common,
        )
    if kind is FieldType.DATE:
        return DateField(validators=[Optional()], invalid_value_message=INVALID_DATE, **common)
    if kind is FieldType.NUMBER:
        return _number_field(question, common)
    raise TypeError(f"{question.id}: a {kind} question has no single field")


def _number_field(question: Question, common: dict[str, Any]) -> UnboundField:
    validators: list[Any] = [Optional()]
    low, high = question.minimum, question.maximum
    if low is not None or high is not None:
        if low is not None and high is not None:
            message = f"Vul een getal in van {low} tot en met {high}."
        elif low is not None:
            message = TOO_SMALL.format(minimum=low)
        else:
            message = TOO_LARGE.format(maximum=high)
        validators.append(NumberRange(min=low, max=high, message=message))
    if question.integer:
        return IntegerField(
            validators=validators,
            invalid_value_message=INVALID_INTEGER,
            widget=NumberInput(),
            **common,
        )
    return DutchFloatField(
        validators=validators,
        invalid_value_message=INVALID_NUMBER,
        widget=NumberInput(step="any"),
        **common,
    )
