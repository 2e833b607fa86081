"""Template helpers for questionnaires: help with glossary, conditions in words, answers as text."""

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import g, has_request_context
from markupsafe import Markup, escape

from forms.answers import NOT_APPLICABLE, table_rows
from forms.diff_text import answer_words
from forms.glossary import help_parts
from forms.model import AllOf, AnyOf, Compare, Condition, Definition, Not, Question
from forms.options import OptionCache


def help_html(definition: Definition, text: str) -> Markup:
    """Help text with glossary terms marked (their explanations follow in glossary_terms)."""
    out = []
    for part in help_parts(text or "", definition.glossary):
        if part.term and part.explanation:
            out.append(Markup('<span class="glossary-term">{}</span>').format(part.text))
        else:
            out.append(escape(part.text))
    return Markup("").join(out)


def glossary_terms(definition: Definition, text: str) -> list[tuple[str, str]]:
    """The glossary entries a help text refers to: (term, explanation), each once."""
    seen, result = set(), []
    for part in help_parts(text or "", definition.glossary):
        if part.term and part.explanation and part.term not in seen:
            seen.add(part.term)
            result.append((part.term, part.explanation))
    return result


def _value_words(definition: Definition, compare: Compare, context: Question | None) -> str:
    if compare.scope == "column" and context is not None and context.parent_id:
        target = definition.question(context.parent_id).column(compare.ref)
    else:
        target = definition.resolve(compare.ref)
    values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    words = []
    for value in values:
        if value is True:
            words.append("‘Ja’")
        elif value is False:
            words.append("‘Nee’")
        elif value == NOT_APPLICABLE:
            words.append("‘Niet van toepassing’")
        else:
            option = target.option(value) if target.options else None
            words.append(f"‘{option.label if option else value}’")
    return " of ".join(words)


def condition_text(definition: Definition, condition: Condition, context: Question | None) -> str:
    """A show-if condition in Dutch, e.g. "bij vraag 0.5.1 ‘Ja’ is gekozen"."""
    if isinstance(condition, AllOf):
        return " en ".join(condition_text(definition, c, context) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return " of ".join(condition_text(definition, c, context) for c in condition.conditions)
    if isinstance(condition, Not):
        return f"niet: {condition_text(definition, condition.condition, context)}"
    where = (
        "in deze regel bij ‘"
        + definition.question(context.parent_id).column(condition.ref).label
        + "’"
        if condition.scope == "column" and context is not None and context.parent_id
        else f"bij vraag {condition.ref}"
    )
    if condition.op == "answered":
        return f"{where} iets is ingevuld" if condition.value else f"{where} niets is ingevuld"
    return f"{where} {_value_words(definition, condition, context)} is gekozen"


def condition_json(condition: Condition | None) -> str | None:
    """The condition as JSON for the page script that hides questions that do not apply."""

    def encode(c: Condition) -> dict[str, Any]:
        if isinstance(c, AllOf):
            return {"all": [encode(x) for x in c.conditions]}
        if isinstance(c, AnyOf):
            return {"any": [encode(x) for x in c.conditions]}
        if isinstance(c, Not):
            return {"not": encode(c.condition)}
        value = list(c.value) if isinstance(c.value, tuple) else c.value
        return {"ref": c.ref, "scope": c.scope, "op": c.op, "value": value}

    return json.dumps(encode(condition)) if condition is not None else None


def answer_text(
    definition: Definition,
    question: Question,
    value: Any,
    answers: Mapping[str, Any],
    *,
    operation_id: str | None = None,
    group: Mapping[str, Any] | None = None,
) -> str:
    """A single (non-table) answer in words; options from earlier answers get their labels."""
    return answer_words(
        definition,
        question,
        value,
        answers,
        operation_id=operation_id,
        group=group,
        cache=_option_cache(answers),
    )


def _option_cache(answers: Mapping[str, Any]) -> OptionCache | None:
    """One option cache per answer set and request: a page or document that shows a
    500-row table asks the same column's labels for every row. The entry keeps the answer
    set alive, so its id cannot be reused by another set within the request."""
    if not has_request_context():
        return None
    caches = g.setdefault("pia_option_caches", {})
    entry = caches.get(id(answers))
    if entry is None or entry[0] is not answers:
        entry = (answers, OptionCache())
        caches[id(answers)] = entry
    return entry[1]


def operation_name(
    definition: Definition, group: Question, operation_id: str, answers: Mapping[str, Any]
) -> str:
    """The name of a processing operation (a §3 row) that a repeated group is about."""
    cache = _option_cache(answers) or OptionCache()
    return cache.operation_labels(definition, group, answers).get(
        operation_id, "(verwijderde verwerking)"
    )


def rows_of(value: Any) -> list[dict[str, Any]]:
    """The well-formed rows of a table answer."""
    return table_rows(value)


def conflict_differs(
    definition: Definition, question: Question, mine: Mapping[str, Any], saved: Mapping[str, Any]
) -> bool:
    """Whether a top-level question (or any member of a plain group) differs between versions."""
    from forms.model import members

    return any(mine.get(q.id) != saved.get(q.id) for q in members([question]))


_RADIO_CLASSES = ("utrecht-radio-button utrecht-radio-button--html-input", "radio")
_CHECKBOX_CLASSES = ("utrecht-checkbox utrecht-checkbox--html-input", "checkbox")


def option_items(field: Any) -> Markup:
    """The <li> options of a radio or checkbox group, exactly as WTForms renders them with
    the form macro's classes, without making a Field object per option: a table of 500
    rows with a choice per row took most of a section page's time in WTForms."""
    kind = field.option_widget.input_type
    input_class, label_kind = _RADIO_CLASSES if kind == "radio" else _CHECKBOX_CLASSES
    invalid = 'aria-invalid="true" ' if field.errors else ""
    name = escape(field.name)
    base_id = field.id
    parts = []
    for index, choice in enumerate(field._iter_choices_normalized()):
        option_id = escape(f"{base_id}-{index}")
        label = choice.label or choice.value
        checked = "checked " if choice.selected else ""
        parts.append(
            f'\n    <li class="form-field__option"><input {invalid}{checked}class="{input_class}" '
            f'id="{option_id}" name="{name}" type="{kind}" value="{escape(choice.value)}"> '
            f'<label class="utrecht-form-label utrecht-form-label--{label_kind}" '
            f'for="{option_id}">{escape(label)}</label></li>'
        )
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped


def question_words(definition: Definition, question_id: str | None, section_id: str = "") -> str:
    """A question as a reader names it: 'vraag 2.1: ‘Naam van …’', never an internal id
    such as '16.aanvullend'; no question: the whole section."""
    if not question_id:
        return f"het hele onderdeel {section_id}".strip()
    if not definition.has_question(question_id):
        return f"onderdeel {section_id}".strip()
    label = definition.question(question_id).label
    short = label if len(label) <= 60 else label[:57].rstrip() + "…"
    if question_id.replace(".", "").isdigit():
        return f"vraag {question_id}: ‘{short}’"
    return f"‘{short}’ in onderdeel {section_id or question_id.split('.')[0]}"


def answer_anchor(question_id: str | None) -> str:
    """The id of a question's answer on the read-only pages."""
    return "antwoord-" + question_id.replace(".", "_") if question_id else "answers-title"


_SEE = re.compile(r"\s*Zie (\[\[[^\]]+\]\](?:,\s*\[\[[^\]]+\]\])*(?:\s+en\s+\[\[[^\]]+\]\])?)\.\s*")


def _without_see(definition: Definition, text: str) -> str:
    """The help text without its 'Zie [[term]].' sentences whose terms the glossary
    explains (those explanations follow under the field)."""

    def drop(match: re.Match) -> str:
        terms = [t for t, _ in glossary_terms(definition, match.group(1))]
        named = re.findall(r"\[\[([^\]]+)\]\]", match.group(1))
        return " " if len(terms) == len(named) else match.group(0)

    return _SEE.sub(drop, text or "").strip()


def help_hint(definition: Definition, text: str) -> Markup:
    """A field's hint: its help, never only 'Zie profilering.' above the explanation of
    profilering; a help text that only points at one term is that term's explanation."""
    rest = _without_see(definition, text)
    terms = glossary_terms(definition, text)
    if not rest and len(terms) == 1:
        return escape(terms[0][1])
    return help_html(definition, rest)


def glossary_toggles(definition: Definition, text: str) -> list[tuple[str, str]]:
    """The 'Wat betekent …?' toggles under a field (none when the hint already is the one
    explanation)."""
    terms = glossary_terms(definition, text)
    if not _without_see(definition, text) and len(terms) == 1:
        return []
    return terms
