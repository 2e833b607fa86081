"""Large tables are evaluated in linear time: options taken from a table are computed once
per source table, not once per row that asks (which made a 500-row DPIA take seconds)."""

import copy

import pytest

import forms.options as options_module
from forms.builder import make_section_form
from forms.completeness import progress
from forms.conditions import effective_answers
from forms.diff_text import answer_words
from forms.loader import get_definition
from forms.options import OptionCache, question_options
from pia.demo_content import DPIA

DEFINITION = get_definition("dpia", "3.0")


def large_dpia(n: int) -> dict:
    """The demo's DPIA with n data items, operations (and their §5–13 groups), risks and
    measures."""
    answers = copy.deepcopy(DPIA)
    items = answers["2"]
    answers["2"] = [
        dict(items[i % len(items)], _id=f"p{i:07d}", persoonsgegeven=f"Gegeven {i}")
        for i in range(n)
    ]
    operations = answers["3"]
    answers["3"] = [
        dict(
            operations[i % len(operations)],
            _id=f"o{i:07d}",
            naam=f"Verwerking {i}",
            persoonsgegevens=[f"p{(i + k) % n:07d}" for k in range(3)],
        )
        for i in range(n)
    ]
    for key, value in list(answers.items()):
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            instances = list(value.values())
            answers[key] = {
                f"o{i:07d}": copy.deepcopy(instances[i % len(instances)]) for i in range(n)
            }
    risks = answers["16"]
    answers["16"] = [dict(risks[i % len(risks)], _id=f"r{i:07d}") for i in range(n)]
    measures = answers["17.1"]
    answers["17.1"] = [dict(measures[i % len(measures)], _id=f"m{i:07d}") for i in range(n)]
    return answers


@pytest.fixture
def walks(monkeypatch):
    """Counts the source rows walked to make options."""
    calls = {"n": 0}
    real = options_module.source_rows

    def counting(*args, **kwargs):
        rows = real(*args, **kwargs)
        calls["n"] += len(rows)
        return rows

    monkeypatch.setattr(options_module, "source_rows", counting)
    return calls


def test_effective_answers_walks_rows_in_linear_time(walks):
    effective_answers(DEFINITION, large_dpia(10))
    small = walks["n"]
    walks["n"] = 0
    effective = effective_answers(DEFINITION, large_dpia(200))
    # 20 times the rows: about 20 times the work (it was 400 times: every row walked
    # the whole source table again)
    assert small > 0
    assert walks["n"] <= small * 30
    assert len(effective["2"]) == 200 and len(effective["3"]) == 200
    assert len(effective["16"]) == 200 and len(effective["17.1"]) == 200


def test_rows_keep_their_choices_from_earlier_tables():
    answers = large_dpia(60)
    effective = effective_answers(DEFINITION, answers)
    # every operation keeps the data items it names (a choice from the §2 table)
    for raw, kept in zip(answers["3"], effective["3"], strict=True):
        assert kept["persoonsgegevens"] == raw["persoonsgegevens"]
    # a choice naming a row that does not exist is dropped, as without the cache
    answers["3"][0]["persoonsgegevens"] = ["p0000000", "weg00000"]
    assert effective_answers(DEFINITION, answers)["3"][0]["persoonsgegevens"] == ["p0000000"]


def test_cached_options_equal_uncached_options():
    answers = effective_answers(DEFINITION, large_dpia(30))
    cache = OptionCache()
    table = DEFINITION.question("3")
    column = table.column("persoonsgegevens")
    assert question_options(DEFINITION, column, answers, cache=cache) == question_options(
        DEFINITION, column, answers
    )
    # a replaced source table gives new options, never the cached ones
    changed = dict(answers, **{"2": answers["2"][:5]})
    assert len(question_options(DEFINITION, column, changed, cache=cache)) == 5


def test_progress_form_and_words_of_a_large_dpia(walks):
    answers = large_dpia(150)
    assert progress(DEFINITION, answers).section("2").complete
    walks["n"] = 0
    form = make_section_form(DEFINITION, "3", answers)
    assert len(form["q_3"].entries) == 150
    # binding the choices of 150 rows walks the §2 table a few times, not once per row
    assert walks["n"] < 150 * 150
    column = DEFINITION.question("3").column("persoonsgegevens")
    cache = OptionCache()
    effective = effective_answers(DEFINITION, answers)
    words = answer_words(DEFINITION, column, ["p0000001", "p0000002"], effective, cache=cache)
    assert words == "Gegeven 1; Gegeven 2"
