"""Filling in questionnaire sections in the browser, the way a user does it.

Answers are written per section as {HTML id of the field: value}, with the ids of
forms.naming ("0.5.2" -> q_0_5_2; row 0 of table "2" -> q_2-0-<column>; row 0 of
table "5.1" for the first operation of group "5" -> q_5-0-q_5_1-0-doel):

    "some text"          typed into a text field or text area
    YES / NO / NA        the radio button "Ja" / "Nee" / "Niet van toepassing"
    Pick("Gewoon")       the radio button with that label
    Tick("BSN", ...)     the check boxes with those labels (all others stay as they are)

Radio buttons and check boxes are chosen by their visible label inside the question's
fieldset, so options taken from earlier answers (§3 picks the rows of §2) are chosen
by the text the user typed there.
"""

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, Response, expect

from forms.naming import entry_name, field_name, member_name
from tests.e2e.ui import submit


@dataclass(frozen=True)
class Pick:
    """One radio button, by its label."""

    label: str


class Tick(tuple):
    """Check boxes, by their labels."""

    def __new__(cls, *labels: str):
        return super().__new__(cls, labels)


YES, NO, NA = Pick("Ja"), Pick("Nee"), Pick("Niet van toepassing")


def q(question_id: str) -> str:
    """The field id of a question: q("0.5.2") == "q_0_5_2"."""
    return field_name(question_id)


def cell(table_id: str, row: int, column: str) -> str:
    """The field id of a cell of a table outside a per-operation group."""
    return member_name(entry_name(field_name(table_id), row), column)


def op_cell(group_id: str, operation: int, table_id: str, row: int, column: str) -> str:
    """The field id of a cell of a table inside a per-operation group (§5, §6, §8–§11, §13)."""
    group_entry = entry_name(field_name(group_id), operation)
    return member_name(entry_name(member_name(group_entry, field_name(table_id)), row), column)


def by_id(page: Page, field_id: str) -> Locator:
    return page.locator(f'[id="{field_id}"]')


def answer(page: Page, field_id: str, value) -> None:
    """Give one answer (see the module docstring for the kinds of value)."""
    target = by_id(page, field_id)
    if isinstance(value, Pick):
        target.get_by_label(value.label, exact=True).check()
    elif isinstance(value, Tick):
        for label in value:
            target.get_by_label(label, exact=True).check()
    else:
        target.fill(value)


def answer_all(page: Page, answers: dict) -> None:
    for field_id, value in answers.items():
        answer(page, field_id, value)


def autosave_status(page: Page) -> Locator:
    return page.locator("form[data-autosave]").get_by_role("status")


def press(page: Page, name: str | re.Pattern) -> Response:
    """Press a submit button of the section form and wait for the page that follows.

    First wait until no autosave is on its way (the status says "Bezig met opslaan…"):
    one that the server has stored but whose answer has not reached the page yet leaves
    the form with the old base_version, and the post is refused as a conflict with the
    user's own autosave. The fills here take milliseconds, far less than the autosave
    delay, so this guard is for slow machines.
    """
    status = page.locator("[data-autosave-status]")
    if status.count():
        expect(status).not_to_have_text("Bezig met opslaan…")
    return submit(page.get_by_role("button", name=name, exact=True))


def add_row(page: Page, table_label: str) -> Response:
    """Press "Regel toevoegen" of a table (its accessible name ends in the table's label)."""
    return press(page, f"Regel toevoegen aan {table_label}")


def side_nav_status(page: Page, questionnaire: str, section_id: str, title: str) -> Locator:
    """The status line of one section in the side navigation."""
    nav = page.get_by_role("navigation", name=f"Onderdelen van de {questionnaire}")
    link = page.get_by_role("link", name=f"{section_id}. {title}", exact=True)
    return nav.get_by_role("listitem").filter(has=link).locator(".side-nav__status")
