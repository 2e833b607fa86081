"""Factories and page helpers for the assessment tests: plain functions, no fixtures."""

import re
from html import unescape
from html.parser import HTMLParser

from pia.extensions import db
from pia.models import Assessment, AssessmentRole, Questionnaire
from pia.roles import Role
from tests.conftest import make_org, make_user

PRESCAN, DPIA = Questionnaire.PRESCAN, Questionnaire.DPIA


def make_assessment(
    owner=None,
    *,
    title: str = "Nieuw zaaksysteem vergunningen",
    org: str = "BZK",
    prescan: dict | None = None,
    dpia: dict | None = None,
    start_dpia: bool = False,
) -> Assessment:
    """An assessment made through the services; answers stored as given (no form round trip)."""
    from pia.services import assessments, questionnaires

    owner = owner or make_user(Role.PROJECTLEIDER, org=org)
    assessment = assessments.create_assessment(
        title=title,
        description="Een test.",
        organisation=make_org(org),
        government_wide=False,
        owner=owner,
    )
    if prescan:
        assessments.store_answers(assessment, PRESCAN, prescan, actor=owner)
    if start_dpia or dpia is not None:
        questionnaires.start_dpia(assessment, actor=owner)
    if dpia:
        assessments.store_answers(assessment, DPIA, dpia, actor=owner)
    db.session.commit()
    return assessment


def add_member(assessment: Assessment, user, role: AssessmentRole) -> None:
    """Give a user a role on an assessment (through the service)."""
    from pia.services.assessments import share

    share(assessment, user.email, role, actor=assessment.owner)
    db.session.commit()


def answers_of(assessment: Assessment, questionnaire: Questionnaire) -> dict:
    """The stored answers, read fresh."""
    from pia.services.assessments import load_answers

    db.session.expire_all()
    return load_answers(assessment, questionnaire)


def section_url(assessment: Assessment, questionnaire: str, section_id: str) -> str:
    return f"/assessments/{assessment.id}/{questionnaire}/{section_id}"


def row(row_id: str, **cells) -> dict:
    """A table row with a valid row id (8 lowercase letters/digits)."""
    assert re.fullmatch(r"[a-z0-9]{8}", row_id), row_id
    return {"_id": row_id, **cells}


# --- reading pages as a browser would ------------------------------------------------------


class _FormParser(HTMLParser):
    """The successful controls of the forms on a page, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "buttons": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind == "submit":
                self._form["buttons"].append(a["name"])
            elif kind != "file":
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields.append((self._textarea, ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form["buttons"].append(a["name"])

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, value = self._form["fields"][-1]
            # browsers drop one newline right after <textarea>
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self._form["fields"][-1] = (name, value)
            self._textarea = None
        elif tag == "select":
            self._select = None


def page_forms(response) -> list[dict]:
    """Every form on a page: {"attrs", "fields": [(name, value)], "buttons": [names]}."""
    parser = _FormParser()
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def questionnaire_form(response) -> dict | None:
    """The section form of a questionnaire page (None when the page has none)."""
    for form in page_forms(response):
        if "questionnaire-form" in form["attrs"].get("class", ""):
            return form
    return None


def form_data(response, changes: dict | None = None) -> dict:
    """What a browser would post from the section form, with `changes` (name -> value or list).

    A value of None leaves the control out (an unchecked box). The CSRF token is left
    out: client.post_form adds a fresh one.
    """
    form = questionnaire_form(response)
    assert form is not None, "the page has no questionnaire form"
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        if name != "csrf_token":
            data.setdefault(name, []).append(value)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return data


def fill(client, assessment, questionnaire: str, section_id: str, changes=None, press="save"):
    """Open a section, change some fields and press a button, as a browser would."""
    url = section_url(assessment, questionnaire, section_id)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, changes)
    data[press] = ["1"]
    return client.post_form(url, data)


def post_page(client, page_url, page, changes=None, press="save"):
    """Post the form of a page already opened (e.g. with a row shown but not yet stored)."""
    data = form_data(page, changes)
    data[press] = ["1"]
    return client.post_form(page_url, data)


def add_row(client, assessment, questionnaire: str, section_id: str, table: str, changes=None):
    """Press "Regel toevoegen" and type into the row it shows, as a browser would (the row is
    stored only once something is typed in it). Returns the response to the save."""
    shown = fill(client, assessment, questionnaire, section_id, press=f"add_row__{table}")
    assert shown.status_code == 302, shown.status_code
    url = shown.headers["Location"]
    return post_page(client, url, client.get(url), changes)


def textarea_value(response, name: str) -> str | None:
    """The text in <textarea name=...> as a browser shows it (None if absent)."""
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<textarea\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S
    )
    if match is None:
        return None
    return unescape(re.sub(r"^\r?\n", "", match.group(1)))


def element_ids(response) -> set[str]:
    """Every id attribute on a page."""
    return set(re.findall(r'\bid="([^"]+)"', response.get_data(as_text=True)))


def nav_status(response) -> dict[str, str]:
    """Section id -> the status text beside it in the side navigation."""
    html = response.get_data(as_text=True)
    found = re.findall(
        r'class="side-nav__link" href="[^"]*/([^/"]+)"[^>]*>.*?</a>\s*'
        r'<span class="side-nav__status"[^>]*>(.*?)</span>',
        html,
        re.S,
    )
    return {sid: " ".join(unescape(status).split()) for sid, status in found}


def overview_sections(response, questionnaire: str) -> dict[str, tuple[str, str]]:
    """Section id -> (answered, status) from the overview's progress table of a questionnaire."""
    html = response.get_data(as_text=True)
    rows = re.findall(
        rf'<td><a href="/assessments/\d+/{questionnaire}/([^"#]+)">[^<]*</a></td>\s*'
        r"<td>(.*?)</td>\s*<td>(.*?)</td>",
        html,
        re.S,
    )
    strip = lambda t: " ".join(unescape(re.sub(r"<[^>]+>", " ", t)).split())  # noqa: E731
    return {sid: (strip(answered), strip(status)) for sid, answered, status in rows}


def missing_links(response, questionnaire: str = "dpia") -> list[tuple[str, str]]:
    """(href, text) of every item in the overview's "Nog in te vullen" list of a questionnaire."""
    html = response.get_data(as_text=True)
    block = re.search(
        rf'<ul class="missing-list" data-missing="{questionnaire}">(.*?)</ul>', html, re.S
    )
    if block is None:
        return []
    return [
        (unescape(href), " ".join(unescape(text).split()))
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', block.group(1), re.S)
    ]


# A pre-scan with every question answered and nothing that calls for a DPIA: tests change
# one answer in it to see the outcome follow (before all is answered there is no outcome).
NEUTRAL_PRESCAN = {
    "0.1": False,
    "0.2": "Een intern registratiesysteem.",
    "0.3": "Het bijhouden van aanvragen.",
    "0.4": "wettelijke_verplichting",
    "0.5.1": False,
    "1.1.1": False,
    "1.2.1": False,
    "1.3.1": False,
    "1.4.1": ["medewerkers"],
    "1.4.2": "Medewerkers die aanvragen behandelen.",
    "1.5.1": False,
    "1.5.2": False,
    "1.5.3": "eenmalig",
    "1.5.4": "minder_dan_24_uur",
    "2.1.1": False,
    "3.1": ["geen"],
    "4.1": ["geen"],
    "5.1.1": False,
    "6.1.1": False,
    "7.1.1": False,
}
