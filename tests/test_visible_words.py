"""A walk through the demo as every role sees it: one date format, no internal names.

Every demo user logs in and follows the links of the pages they reach (GET only, inside
the app, a bounded number per user). The visible text of each page must show dates in
words ("2 december 2026"), never as 02-12-2026 or 2026-12-02, and no event codes
("login.succeeded"), no question ids without a number ("16.aanvullend"), no template
version 0.
"""

import re
from collections import deque
from html.parser import HTMLParser

import pytest

from pia.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from pia.extensions import db
from pia.services.audit import EVENT_LABELS
from tests.conftest import ROOT, log_in, text_of

NUMERIC_DATE = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
EVENT_CODE = re.compile(
    r"\b(?:login|logout|session|user|account|assessment|document|document_template|"
    r"organisation|agreement|api|api_token|password_check)\.[a-z_]+\b"
)
RAW_ID = re.compile(r"\b\d+\.aanvullend\b|\bsjabloonversie 0\b")
SKIP = re.compile(
    r"/uitloggen|/download|\.csv|/pdf|/exporteren|/historie/csv|/static/|/api/|/openapi"
)
PAGES_PER_USER = 45
CODE_LITERAL = r'"((?:[a-z_]+\.[a-z_]+)|logout)"(?:,[ \t]*$|[ \t]+if\b|[ \t]+else\b)'


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _problems(text: str) -> list[str]:
    found = []
    for pattern, what in (
        (NUMERIC_DATE, "date in digits"),
        (EVENT_CODE, "event code"),
        (RAW_ID, "internal name"),
    ):
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def _walk(client, start: list[str]) -> dict[str, list[str]]:
    seen, queue, wrong = set(start), deque(start), {}
    visited = 0
    while queue and visited < PAGES_PER_USER:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        html = response.get_data(as_text=True)
        problems = _problems(text_of(response))
        if problems:
            wrong[url] = problems
        for link in _links(html):
            # one variant per path: a filtered list is the same page with other rows
            key = link.split("?")[0]
            if key in seen or SKIP.search(link):
                continue
            seen.add(key)
            queue.append(link)
    return wrong


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


@pytest.mark.demo
def test_no_page_of_the_demo_shows_digit_dates_or_internal_names(app, demo):
    wrong = {}
    for email, *_ in DEMO_USERS:
        client = app.test_client()
        from pia.models import User

        user = db.session.scalar(db.select(User).where(User.email == email))
        log_in(client, user, password=DEMO_PASSWORD)
        start = ["/", "/assessments/", "/meldingen", "/auditlog/", "/account/tokens"]
        start += [f"/assessments/{n}" for n in range(1, 12)]
        start += [f"/assessments/{n}/beoordeling" for n in (4, 5, 8, 10)]
        start += [f"/assessments/{n}/historie" for n in (5, 8)]
        for url, problems in _walk(client, start).items():
            wrong[f"{email} {url}"] = problems
    assert not wrong, "\n".join(f"{k}: {v[:3]}" for k, v in sorted(wrong.items()))


def test_the_walk_would_see_what_it_looks_for():
    assert _problems("Ingelogd op 02-12-2026") == ["date in digits: '02-12-2026'"]
    assert _problems("op 2026-12-02") == ["date in digits: '2026-12-02'"]
    assert _problems("Gebeurtenis login.succeeded") == ["event code: 'login.succeeded'"]
    assert _problems("Vraag 16.aanvullend") == ["internal name: '16.aanvullend'"]
    assert _problems("Ingelogd op 2 december 2026 14:05, vraag 16.1") == []


def test_every_event_code_the_app_records_has_words():
    recorded = set()
    for path in (ROOT / "pia").rglob("*.py"):
        source = path.read_text()
        # the codes handed to audit.record: a string literal ending the line or the call
        recorded |= set(
            re.findall(
                r'"((?:[a-z_]+\.[a-z_]+)|logout)"(?:,[ \t]*$|[ \t]+if\b|[ \t]+else\b)', source, re.M
            )
        )
    codes = {c for c in recorded if EVENT_CODE.fullmatch(c) or c == "logout"}
    assert codes, "found the codes"
    missing = sorted(codes - set(EVENT_LABELS))
    assert not missing, f"event codes without words: {missing}"
