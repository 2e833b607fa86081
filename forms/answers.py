"""The answer representation shared by every part of the engine.

Answers to one questionnaire are a JSON-serialisable dict: question id -> value.

    ja/nee (yesno)             True / False
    ja/nee/n.v.t. (yesno_na)   True / False / "nvt"
    choice                     the option value, a str ("algemeen_belang")
    multichoice                a list of option values (["saas", "opslag"])
    text, textarea             str
    date                       ISO date str ("2025-03-01")
    number                     int or float
    table                      a list of row dicts; every row has a stable "_id"
                               (short random string, made when the row is added,
                               never reused) plus column id -> value, e.g.
                               [{"_id": "k3v9x2ma", "persoonsgegeven": "Naam"}]
    group (per operation)      dict: operation row id (the "_id" of a row of the
                               table named by `per`, §3 in the DPIA) -> a dict of
                               the group's own answers, in this same shape
    group (plain)              no value of its own: its members are stored at the
                               top level like any other question

An unanswered question has no key; an empty string, list or dict means the same.
Options taken from earlier answers (`options_from`) store the source row's "_id".
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable, Mapping
from typing import Any

ROW_ID = "_id"
NOT_APPLICABLE = "nvt"
MAX_TEXT_LENGTH = 1_000
MAX_LONG_TEXT_LENGTH = 100_000
MAX_ROWS = 500

_ROW_ID_ALPHABET = string.ascii_lowercase + string.digits
_ROW_ID_LENGTH = 8
_ROW_ID_SHAPE = re.compile(f"[a-z0-9]{{{_ROW_ID_LENGTH}}}")

Answers = dict[str, Any]
Row = dict[str, Any]


def is_answered(value: object) -> bool:
    """Whether a stored value counts as an answer (False and 0 do; blanks do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple | dict):
        return len(value) > 0
    return True


def is_row_id(value: object) -> bool:
    """Whether a value has the shape of a row id made by new_row_id()."""
    return isinstance(value, str) and _ROW_ID_SHAPE.fullmatch(value) is not None


def new_row_id(taken: Iterable[str] = ()) -> str:
    """Return a fresh random row id that is not in `taken`."""
    taken_ids = set(taken)
    while True:
        row_id = "".join(secrets.choice(_ROW_ID_ALPHABET) for _ in range(_ROW_ID_LENGTH))
        if row_id not in taken_ids:
            return row_id


def row_ids(value: object) -> set[str]:
    """Every row id inside an answer value or a whole answers dict, at any depth."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        if isinstance(value.get(ROW_ID), str):
            found.add(value[ROW_ID])
        for item in value.values():
            found |= row_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= row_ids(item)
    return found


def is_empty_row(row: Row) -> bool:
    """Whether nothing is filled in a row but its id (an added row nobody typed in)."""
    return not any(is_answered(v) for k, v in row.items() if k != ROW_ID)


def table_rows(value: object) -> list[Row]:
    """The well-formed rows (dicts with a row id) of a stored table value."""
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict) and is_row_id(row.get(ROW_ID))]
