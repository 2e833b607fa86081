"""The diff between two answer sets, in words: fields, table rows, operations, summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from forms.diff import AnswersDiff, Change, diff_answers
from forms.diff_text import DiffCounts, answer_words, text_diff
from forms.loader import get_definition, load_definition
from forms.model import Definition

DPIA = get_definition("dpia", "3.0")
OPTIONS = [{"value": "a", "label": "Optie A"}, {"value": "b", "label": "Optie B"}]
SMALL: dict[str, Any] = {
    "id": "klein",
    "version": "1.0",
    "title": "Klein",
    "sections": [
        {
            "id": "1",
            "title": "Velden",
            "questions": [
                {"id": "1.1", "type": "text", "label": "Tekst"},
                {"id": "1.2", "type": "textarea", "label": "Lange tekst"},
                {"id": "1.3", "type": "choice", "label": "Keuze", "options": OPTIONS},
                {"id": "1.4", "type": "multichoice", "label": "Meer", "options": OPTIONS},
                {"id": "1.5", "type": "yesno", "label": "Ja of nee"},
                {"id": "1.6", "type": "yesno_na", "label": "Ja, nee of n.v.t."},
                {"id": "1.7", "type": "date", "label": "Datum"},
                {"id": "1.8", "type": "number", "label": "Aantal", "integer": True},
                {"id": "1.9", "type": "number", "label": "Bedrag"},
                {
                    "id": "1.10",
                    "type": "group",
                    "label": "Groep",
                    "questions": [{"id": "1.10.1", "type": "text", "label": "In de groep"}],
                },
            ],
        },
        {
            "id": "2",
            "title": "Tabel",
            "questions": [
                {
                    "id": "2.1",
                    "type": "table",
                    "label": "Items",
                    "columns": [
                        {"id": "soort", "type": "choice", "label": "Soort", "options": OPTIONS},
                        {"id": "naam", "type": "text", "label": "Naam"},
                        {"id": "actief", "type": "yesno", "label": "Actief"},
                        {"id": "datum", "type": "date", "label": "Datum", "required": False},
                    ],
                }
            ],
        },
    ],
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Definition:
    path: Path = tmp_path_factory.mktemp("definitions") / "klein-1.0.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False))
    return load_definition(path)


def only_change(diff: AnswersDiff) -> Change:
    """The single change of a diff."""
    changes = [change for section in diff.sections for change in section.changes]
    assert len(changes) == 1, changes
    return changes[0]


# --- single fields -------------------------------------------------------------------

FIELD_CASES = [
    # question, old value, new value, kind, old in words, new in words
    ("1.1", "Oud", "Nieuw", "gewijzigd", "Oud", "Nieuw"),
    ("1.1", None, "Nieuw", "toegevoegd", "", "Nieuw"),
    ("1.1", "Oud", "  ", "verwijderd", "Oud", ""),
    ("1.2", "Een\ntwee", "Een\ndrie", "gewijzigd", "Een\ntwee", "Een\ndrie"),
    ("1.3", "a", "b", "gewijzigd", "Optie A", "Optie B"),
    ("1.3", None, "a", "toegevoegd", "", "Optie A"),
    ("1.4", ["a"], ["a", "b"], "gewijzigd", "Optie A", "Optie A; Optie B"),
    ("1.4", ["b"], [], "verwijderd", "Optie B", ""),
    ("1.5", True, False, "gewijzigd", "Ja", "Nee"),
    ("1.5", None, False, "toegevoegd", "", "Nee"),
    ("1.6", True, "nvt", "gewijzigd", "Ja", "Niet van toepassing"),
    ("1.6", "nvt", None, "verwijderd", "Niet van toepassing", ""),
    ("1.7", "2025-03-01", "2025-12-24", "gewijzigd", "1 maart 2025", "24 december 2025"),
    ("1.7", None, "2025-01-09", "toegevoegd", "", "9 januari 2025"),
    ("1.8", 3, 0, "gewijzigd", "3", "0"),
    ("1.8", 7, None, "verwijderd", "7", ""),
    ("1.9", 2.5, 2.75, "gewijzigd", "2,5", "2,75"),
    ("1.10.1", None, "Lid", "toegevoegd", "", "Lid"),
]


@pytest.mark.parametrize(("question_id", "before", "after", "kind", "old", "new"), FIELD_CASES)
def test_field_changes_in_words(
    small: Definition,
    question_id: str,
    before: object,
    after: object,
    kind: str,
    old: str,
    new: str,
) -> None:
    change = only_change(diff_answers(small, {question_id: before}, {question_id: after}))
    assert (change.question_id, change.kind, change.old, change.new) == (
        question_id,
        kind,
        old,
        new,
    )
    assert change.label == small.question(question_id).label
    assert change.is_long is (question_id == "1.2")


def test_identical_sets_give_an_empty_diff(small: Definition) -> None:
    answers = {"1.1": "Zelfde", "1.4": ["a"], "2.1": [{"_id": "rij00001", "naam": "X"}]}
    diff = diff_answers(small, answers, dict(answers))
    assert diff.is_empty
    assert diff.sections == ()
    assert diff.summary == "Geen wijzigingen"


def test_unchanged_questions_are_not_listed_and_sections_keep_order(small: Definition) -> None:
    old = {"1.1": "A", "1.5": True, "1.8": 1, "2.1": [{"_id": "rij00001", "naam": "X"}]}
    new = {"1.1": "A", "1.5": False, "1.8": 2, "2.1": [{"_id": "rij00001", "naam": "Y"}]}
    diff = diff_answers(small, old, new)
    assert [(s.id, s.title) for s in diff.sections] == [("1", "Velden"), ("2", "Tabel")]
    assert [c.question_id for c in diff.sections[0].changes] == ["1.5", "1.8"]


def test_results_are_frozen(small: Definition) -> None:
    change = only_change(diff_answers(small, {"1.1": "a"}, {"1.1": "b"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.new = "c"  # type: ignore[misc]


# --- tables --------------------------------------------------------------------------

R1 = {"_id": "rij00001", "soort": "a", "naam": "Laptop", "actief": True}
R2 = {"_id": "rij00002", "soort": "b", "naam": "Scherm", "actief": False}
R3 = {"_id": "rij00003", "naam": "Muis", "actief": True, "datum": "2025-02-03"}


def test_table_rows_added_removed_and_changed_matched_by_id(small: Definition) -> None:
    changed_r1 = {**R1, "soort": "b", "actief": False}
    change = only_change(diff_answers(small, {"2.1": [R1, R2]}, {"2.1": [R3, changed_r1]}))
    assert (change.question_id, change.kind, change.old, change.new) == ("2.1", "gewijzigd", "", "")
    rows = [(r.label, r.kind) for r in change.rows]
    # new order; a removed row follows the row it followed before
    assert rows == [
        ("regel 1: Muis", "toegevoegd"),
        ("regel 2: Laptop", "gewijzigd"),
        ("regel 2: Scherm", "verwijderd"),
    ]
    added, changed, removed = change.rows
    assert [(c.column_id, c.kind, c.old, c.new) for c in changed.cells] == [
        ("soort", "gewijzigd", "Optie A", "Optie B"),
        ("actief", "gewijzigd", "Ja", "Nee"),
    ]
    assert [(c.label, c.new) for c in added.cells] == [
        ("Naam", "Muis"),
        ("Actief", "Ja"),
        ("Datum", "3 februari 2025"),
    ]
    assert {c.kind for c in added.cells} == {"toegevoegd"}
    assert [(c.column_id, c.old, c.new) for c in removed.cells] == [
        ("soort", "Optie B", ""),
        ("naam", "Scherm", ""),
        ("actief", "Nee", ""),
    ]


def test_reordered_rows_are_unchanged(small: Definition) -> None:
    assert diff_answers(small, {"2.1": [R1, R2, R3]}, {"2.1": [R3, R1, R2]}).is_empty


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [([], [R1], "toegevoegd"), ([R1, R2], [], "verwijderd"), ([R1], [R2], "gewijzigd")],
)
def test_table_kind_follows_presence_of_rows(
    small: Definition, before: list[Any], after: list[Any], kind: str
) -> None:
    assert only_change(diff_answers(small, {"2.1": before}, {"2.1": after})).kind == kind


def test_row_label_without_text_is_just_the_number(small: Definition) -> None:
    change = only_change(diff_answers(small, {}, {"2.1": [{"_id": "rij00009", "soort": "a"}]}))
    assert change.rows[0].label == "regel 1"


# --- DPIA: options from earlier answers, operations, hidden answers ---------------------

P1, P2 = "pgnaam01", "pgbsn002"
OP1, OP2 = "verwerk1", "verwerk2"
BASE: dict[str, Any] = {
    "2": [
        {"_id": P1, "persoonsgegeven": "Naam"},
        {"_id": P2, "persoonsgegeven": "BSN"},
    ],
    "3": [
        {"_id": OP1, "naam": "Aanvraag ontvangen", "persoonsgegevens": [P1]},
        {"_id": OP2, "naam": "Besluit versturen"},
    ],
    "5": {
        OP1: {"5.1": [{"_id": "doelaaa1", "doel": "Aanvraag beoordelen"}]},
        OP2: {"5.1": [{"_id": "doelbbb2", "doel": "Besluit sturen"}]},
    },
}


def with_answers(**changes: Any) -> dict[str, Any]:
    """BASE with some top-level answers replaced (keys with '_' for '.')."""
    return {**BASE, **{key.replace("_", "."): value for key, value in changes.items()}}


def section_changes(diff: AnswersDiff, section_id: str) -> tuple[Change, ...]:
    return next(s.changes for s in diff.sections if s.id == section_id)


def test_options_from_earlier_answers_are_shown_as_labels() -> None:
    new_3 = [{**BASE["3"][0], "persoonsgegevens": [P1, P2]}, BASE["3"][1]]
    change = only_change(diff_answers(DPIA, BASE, with_answers(**{"3": new_3})))
    cell = change.rows[0].cells[0]
    assert change.rows[0].label == "regel 1: Aanvraag ontvangen"
    assert (cell.column_id, cell.old, cell.new) == ("persoonsgegevens", "Naam", "Naam; BSN")


def test_options_from_labels_use_each_side_own_answers() -> None:
    renamed_2 = [{"_id": P1, "persoonsgegeven": "Volledige naam"}, BASE["2"][1]]
    diff = diff_answers(DPIA, BASE, with_answers(**{"2": renamed_2}))
    cell = section_changes(diff, "3")[0].rows[0].cells[0]
    assert (cell.old, cell.new) == ("Naam", "Volledige naam")
    assert diff.counts.rows_changed == 2  # the §2 row, and the §3 row that uses it


def test_per_operation_group_member_changed() -> None:
    new_5 = {**BASE["5"], OP1: {"5.1": [{"_id": "doelaaa1", "doel": "Aanvraag toetsen"}]}}
    change = only_change(diff_answers(DPIA, BASE, with_answers(**{"5": new_5})))
    assert (change.question_id, change.kind) == ("5", "gewijzigd")
    [operation] = change.operations
    assert (operation.operation_id, operation.name, operation.kind) == (
        OP1,
        "Aanvraag ontvangen",
        "gewijzigd",
    )
    [table] = operation.changes
    assert table.question_id == "5.1"
    [cell] = table.rows[0].cells
    assert (cell.old, cell.new, cell.is_long) == ("Aanvraag beoordelen", "Aanvraag toetsen", True)


def test_per_operation_group_operation_added_and_removed() -> None:
    op3 = {"_id": "verwerk3", "naam": "Archiveren"}
    new = with_answers(
        **{
            "3": [BASE["3"][0], op3],
            "5": {
                OP1: BASE["5"][OP1],
                "verwerk3": {"5.1": [{"_id": "doelccc3", "doel": "Bewaren"}]},
            },
        }
    )
    change = section_changes(diff_answers(DPIA, BASE, new), "5")[0]
    assert [(o.name, o.kind) for o in change.operations] == [
        ("Archiveren", "toegevoegd"),
        ("Besluit versturen", "verwijderd"),
    ]
    added, removed = change.operations
    assert added.changes[0].rows[0].cells[0].new == "Bewaren"
    assert removed.changes[0].kind == "verwijderd"
    assert removed.changes[0].rows[0].label == "regel 1: Besluit sturen"


def test_hidden_answers_are_ignored_unless_raw() -> None:
    old = {"4.2": False, "4.2.1": "Oude toelichting"}
    new = {"4.2": False, "4.2.1": "Nieuwe toelichting"}
    assert diff_answers(DPIA, old, new).is_empty
    change = only_change(diff_answers(DPIA, old, new, raw=True))
    assert (change.question_id, change.old, change.new) == (
        "4.2.1",
        "Oude toelichting",
        "Nieuwe toelichting",
    )


def test_raw_compare_shows_a_choice_whose_source_row_is_gone() -> None:
    old = {"3": [{"_id": OP1, "naam": "X", "persoonsgegevens": [P1]}]}
    new = {"3": [{"_id": OP1, "naam": "X", "persoonsgegevens": [P1]}], "2": []}
    old["2"] = BASE["2"]
    cell = section_changes(diff_answers(DPIA, old, new, raw=True), "3")[0].rows[0].cells[0]
    assert (cell.old, cell.new) == ("Naam", "(vervallen keuze)")


# --- counts and summary --------------------------------------------------------------


def test_counts_and_dutch_summary(small: Definition) -> None:
    old = {"1.1": "A", "1.3": "a", "1.5": True, "1.8": 4, "2.1": [R1]}
    new = {"1.1": "B", "1.3": "b", "1.5": False, "1.7": "2025-01-01", "2.1": [R2, R3]}
    counts = diff_answers(small, old, new).counts
    assert counts == DiffCounts(
        questions_changed=3,
        questions_added=1,
        questions_removed=1,
        rows_added=2,
        rows_changed=0,
        rows_removed=1,
    )
    assert counts.summary == (
        "3 vragen gewijzigd, 1 vraag toegevoegd, 1 vraag verwijderd, "
        "2 regels toegevoegd en 1 regel verwijderd"
    )


@pytest.mark.parametrize(
    ("counts", "summary"),
    [
        (DiffCounts(), "Geen wijzigingen"),
        (DiffCounts(questions_changed=1), "1 vraag gewijzigd"),
        (
            DiffCounts(questions_changed=3, rows_added=2),
            "3 vragen gewijzigd en 2 regels toegevoegd",
        ),
        (DiffCounts(rows_changed=1), "1 regel gewijzigd"),
    ],
)
def test_summary_wording(counts: DiffCounts, summary: str) -> None:
    assert counts.summary == summary


# --- words and text diff ---------------------------------------------------------------


def test_answer_words_for_an_empty_or_odd_value(small: Definition) -> None:
    question = small.question("1.7")
    assert answer_words(small, question, "", {}) == ""
    assert answer_words(small, question, "geen datum", {}) == "geen datum"


def test_text_diff_marks_changed_words_in_a_sentence() -> None:
    old = "De gegevens worden na vijf jaar verwijderd."
    new = "De gegevens worden na zeven jaar automatisch verwijderd."
    parts = text_diff(old, new)
    assert parts == [
        ("equal", "De gegevens worden na "),
        ("delete", "vijf "),
        ("insert", "zeven "),
        ("equal", "jaar "),
        ("insert", "automatisch "),
        ("equal", "verwijderd."),
    ]
    assert "".join(text for op, text in parts if op != "insert") == old
    assert "".join(text for op, text in parts if op != "delete") == new


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),
        ("zelfde tekst", "zelfde tekst", [("equal", "zelfde tekst")]),
        ("", "nieuw", [("insert", "nieuw")]),
        ("weg", "", [("delete", "weg")]),
        ("  ingesprongen\nregel", "  ingesprongen\nregels", None),
    ],
)
def test_text_diff_gives_back_both_texts(
    old: str, new: str, expected: list[tuple[str, str]] | None
) -> None:
    parts = text_diff(old, new)
    if expected is not None:
        assert parts == expected
    assert "".join(text for op, text in parts if op != "insert") == old
    assert "".join(text for op, text in parts if op != "delete") == new


def test_text_diff_of_paragraphs_marks_only_the_changed_paragraph() -> None:
    old = "Eerste alinea blijft.\n\nTweede alinea over bewaren.\n\nDerde alinea."
    new = "Eerste alinea blijft.\n\nTweede alinea over vernietigen.\n\nDerde alinea."
    assert [part for part in text_diff(old, new) if part[0] != "equal"] == [
        ("delete", "bewaren.\n"),
        ("insert", "vernietigen.\n"),
    ]


def test_text_diff_of_a_long_text_is_exact() -> None:
    words = ["de", "gegevens", "worden", "verwerkt", "door", "een", "partij"]
    old = " ".join(words[i * 7 % 5] for i in range(15_000))
    new = old.replace("worden", "zijn", 40)
    parts = text_diff(old, new)
    assert "".join(text for op, text in parts if op != "insert") == old
    assert "".join(text for op, text in parts if op != "delete") == new
