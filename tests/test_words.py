"""Words a user reads: help texts that explain instead of pointing, carried-over answers in
sentences, no internal names."""

import re

from forms.loader import get_definition
from pia.questionnaire_view import glossary_toggles, help_hint
from pia.roles import Role
from tests.conftest import make_user, text_of
from tests.factories_assessments import make_assessment, section_url

GLOSSARY_PROFILERING = "Persoonsgegevens automatisch gebruiken om iets over een persoon"


def test_a_help_text_that_only_points_at_a_term_is_the_terms_explanation(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    page = client.get(section_url(assessment, "dpia", "4"))
    html = page.get_data(as_text=True)
    block = re.search(r'<div[^>]*id="field-q_4_3"[^>]*>.*?</fieldset>|q_4_3.*?q_4_3_1', html, re.S)
    shown = text_of(page)
    assert "Zie profilering." not in shown
    assert "Wat betekent ‘profilering’?" not in shown, "no toggle repeating the hint"
    assert GLOSSARY_PROFILERING in shown
    assert block is not None
    # a help text with more to say keeps it, without the pointer sentence
    dpia = get_definition("dpia", "3.0")
    retention = dpia.question("10.1").help
    assert str(help_hint(dpia, retention)) == (
        "Maak een regel per doel en groep gegevens met dezelfde termijn."
    )
    assert [t for t, _ in glossary_toggles(dpia, retention)] == ["bewaartermijn"]
    several = dpia.question("4.5").help  # Zie [[algoritme]] en [[hoog-risico AI-systeem]].
    assert str(help_hint(dpia, several)) == ""
    assert len(glossary_toggles(dpia, several)) == 2
