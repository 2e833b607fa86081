"""The faster attribute rendering gives exactly WTForms' own output."""

import pytest
from markupsafe import Markup

from pia.fast_html import ORIGINAL, fast_html_params

CASES = [
    {},
    {"id": "q_2-0-naam", "name": "q_2-0-naam", "type": "text", "value": "Naam"},
    {"class_": "form-input utrecht-textbox", "aria_describedby": "a-hint a-error"},
    {"required": True, "disabled": False, "maxlength": 200, "data_row_prefix": "q_2-0-"},
    {"value": '"><script>alert(1)</script>', "title": "a & b ' c"},
    {"value": Markup("<b>al veilig</b>"), "for_": "x"},
    {"value": 3.5, "min": 0, "step": "any"},
    {"value": "\u00e9\u00e8 \u2014 \U0001f600", "data_show_if": '{"ref": "a", "op": "eq"}'},
]


@pytest.mark.parametrize("attrs", CASES)
def test_same_output_as_wtforms(attrs):
    assert fast_html_params(**attrs) == ORIGINAL(**attrs)
    assert isinstance(fast_html_params(**attrs), Markup)


def test_installed_in_the_widgets(app):
    from wtforms.widgets import TextInput

    assert TextInput.html_params is fast_html_params
