"""The fast rendering of radio and checkbox groups gives exactly what WTForms renders."""

from markupsafe import Markup
from wtforms import Form, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from pia.questionnaire_view import option_items

CHOICES = [
    SelectChoice("a", "Eén & twee"),
    SelectChoice("b<", '"Drie"'),
    SelectChoice("c", "<script>alert(1)</script>"),
]


class Sample(Form):
    radio = RadioField(choices=CHOICES)
    boxes = SelectMultipleField(
        choices=CHOICES, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )


def wtforms_items(field) -> str:
    """What the form macro rendered before: one WTForms option field per choice."""
    parts = []
    for option in field:
        kind = option.widget.input_type
        css = (
            "utrecht-radio-button utrecht-radio-button--html-input"
            if kind == "radio"
            else "utrecht-checkbox utrecht-checkbox--html-input"
        )
        attrs = {"aria-invalid": "true"} if field.errors else {}
        label = "radio" if kind == "radio" else "checkbox"
        parts.append(
            f'\n    <li class="form-field__option">{option(class_=css, **attrs)} '
            f"{option.label(class_='utrecht-form-label utrecht-form-label--' + label)}</li>"
        )
    return "".join(parts)


class Data(dict):
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def test_same_html_as_wtforms_for_every_state():
    for data in ({}, {"radio": "b<", "boxes": ["a", "c"]}, {"radio": "zzz", "boxes": ["zzz"]}):
        form = Sample(Data(data))
        form.validate()
        for field in (form.radio, form.boxes):
            assert isinstance(option_items(field), Markup)
            assert str(option_items(field)) == wtforms_items(field), (data, field.name)


def test_labels_and_values_are_escaped():
    html = str(option_items(Sample().radio))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'value="b&lt;"' in html
