"""What a new user sees must be true (#12 items 2-4): progress follows what is stored after
every kind of save, an added row is stored only once something is typed in it, and there is
no pre-scan outcome, and no DPIA button as the next step, before the pre-scan is answered."""

import re

from pia.roles import Role
from tests.conftest import make_user, text_of
from tests.factories_assessments import (
    DPIA,
    NEUTRAL_PRESCAN,
    answers_of,
    fill,
    form_data,
    make_assessment,
    nav_status,
    overview_sections,
    row,
    section_url,
)

AUTOSAVE = {"X-Autosave": "1", "Accept": "application/json"}


def autosave(client, assessment, questionnaire, section_id, changes=None):
    url = section_url(assessment, questionnaire, section_id)
    page = client.get(url)
    return client.post_form(url, form_data(page, changes), headers=AUTOSAVE)


def test_autosave_answers_with_the_progress_it_stored(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)

    response = autosave(client, assessment, "dpia", "14", {"q_14_1": "Minder kan niet."})

    body = response.get_json()
    assert body["status"] == "saved"
    assert body["progress"]["sections"]["14"] == "1 van 2 ingevuld"
    assert body["progress"]["percent"] > 0
    assert (
        body["progress"]["label"]
        == f"{body['progress']['percent']}% van de verplichte vragen ingevuld"
    )
    # The page opened afterwards says the same as the autosave did.
    page = client.get(section_url(assessment, "dpia", "14"))
    assert nav_status(page)["14"] == "1 van 2 ingevuld"
    assert f'value="{body["progress"]["percent"]}"' in page.get_data(as_text=True)


def test_a_section_with_something_stored_is_not_called_not_started(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    risks = [row("risico01", beschrijving="Lek"), row("risico02", beschrijving="Misbruik")]
    assessment = make_assessment(owner, dpia={"16": risks})
    login(owner)

    page = client.get(section_url(assessment, "dpia", "16"))

    assert nav_status(page)["16"] != "Nog niet begonnen"
    assert nav_status(page)["15"] == "Nog niet begonnen"
    assert (
        overview_sections(client.get(f"/assessments/{assessment.id}"), "dpia")["16"][1] == "Bezig"
    )


def test_a_refused_save_shows_the_progress_of_what_is_stored_not_of_what_was_typed(
    app, client, login
):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner, dpia={"2": [row("naam0001", persoonsgegeven="Naam")]}, start_dpia=True
    )
    login(owner)

    # A name typed in §3, but an option that is not offered: nothing of it is stored.
    refused = fill(
        client,
        assessment,
        "dpia",
        "3",
        {"q_3-0-naam": "Aanvraag ontvangen", "q_3-0-persoonsgegevens": ["verzonnen"]},
        press="add_row__3",
    )

    assert refused.status_code == 400
    assert "Kies een van de antwoorden uit de lijst." in text_of(refused)
    assert "3" not in answers_of(assessment, DPIA)
    assert nav_status(refused)["3"] == "Nog niet begonnen"  # what is stored, not what was typed


def test_an_added_row_is_stored_only_once_something_is_typed_in_it(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, dpia={"3": [row("verw0001", naam="Aanvraag ontvangen")]})
    login(owner)

    # "Regel toevoegen" without JavaScript: the page shows the new row, nothing is stored.
    response = fill(client, assessment, "dpia", "3", press="add_row__3")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])
    assert shown.status_code == 200
    assert "q_3-1-naam" in shown.get_data(as_text=True)
    assert answers_of(assessment, DPIA)["3"] == [row("verw0001", naam="Aanvraag ontvangen")]

    # An autosave of the page with the row still empty stores no empty row either.
    url = response.headers["Location"]
    saved = client.post_form(url, form_data(shown), headers=AUTOSAVE)
    assert saved.get_json()["status"] == "saved"
    assert answers_of(assessment, DPIA)["3"] == [row("verw0001", naam="Aanvraag ontvangen")]

    # So no unnamed processing operation spreads into §5-§13 and §3 stays honest.
    section_5 = text_of(client.get(section_url(assessment, "dpia", "5")))
    assert "nog zonder naam" not in section_5

    # Typed in, it is stored.
    data = form_data(shown, {"q_3-1-naam": "Besluit versturen"})
    data["base_version"] = [str(saved.get_json()["version"])]  # as the page's script keeps it
    typed = client.post_form(url, data)
    assert typed.status_code == 302
    names = [r.get("naam") for r in answers_of(assessment, DPIA)["3"]]
    assert names == ["Aanvraag ontvangen", "Besluit versturen"]


def test_no_outcome_before_the_prescan_is_answered_and_the_next_step_is_the_prescan(
    app, client, login
):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    login(owner)

    overview = client.get(f"/assessments/{assessment.id}")
    text = text_of(overview)
    html = overview.get_data(as_text=True)

    assert "Uitkomst: nog niet bekend." in text
    assert "Geen DPIA nodig" not in text
    assert 'data-next-step="prescan"' in html
    primary = re.findall(r'class="[^"]*--primary-action[^"]*"[^>]*>([^<]+)<', html)
    assert primary == ["Pre-scan invullen"], primary


def test_with_the_prescan_answered_the_outcome_shows_and_the_next_step_follows_it(
    app, client, login
):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan=dict(NEUTRAL_PRESCAN))
    login(owner)

    overview = client.get(f"/assessments/{assessment.id}")
    html = overview.get_data(as_text=True)

    assert "Uitkomst: Geen DPIA nodig." in text_of(overview)
    assert 'data-next-step="start_dpia"' in html
    primary = re.findall(r'class="[^"]*--primary-action[^"]*"[^>]*>([^<]+)<', html)
    assert len(primary) == 1, primary


def test_a_prescan_section_page_shows_no_outcome_before_all_is_answered(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.1": False})
    login(owner)

    page = text_of(client.get(section_url(assessment, "prescan", "0")))

    assert "Uitkomst van de pre-scan tot nu toe: nog niet bekend" in page


def test_the_header_names_a_controllers_role_and_the_account_pages_sit_in_its_own_menu(
    app, client, login
):
    from pia.extensions import db
    from pia.models import Controller

    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    boss = make_user(name="Dirk Directeur", email="dirk@pia.test")  # no role of the app
    login(boss)
    header = re.search(r"<header.*?</header>", client.get("/").get_data(as_text=True), re.S)
    assert "Geen rol" in header.group(0)

    db.session.add(Controller(assessment_id=assessment.id, user_id=boss.id, added_by_id=owner.id))
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    assert "Verwerkingsverantwoordelijke</span>" in header
    menu = re.search(r'<nav class="site-nav[^>]*aria-label="Hoofdmenu".*?</nav>', header, re.S)
    account = re.search(
        r'<nav class="account-menu__panel" aria-label="Mijn account">.*?</nav>', header, re.S
    )
    assert "Wachtwoord wijzigen" not in menu.group(0)
    for page in ("Wachtwoord wijzigen", "Tweestapsverificatie", "API-tokens"):
        assert page in account.group(0)


def test_every_button_and_table_in_the_templates_has_the_house_style():
    """No default grey browser button, no unstyled table (#12 item 10), now or later."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "templates"
    unstyled = []
    for path in root.rglob("*.html"):
        source = path.read_text()
        for tag in re.findall(r"<button\b[^>]*>", source):
            if "utrecht-button" not in tag and "account-menu" not in tag:
                unstyled.append(f"{path.relative_to(root)}: {tag}")
        for tag in re.findall(r"<table\b[^>]*>", source):
            if "utrecht-table" not in tag:
                unstyled.append(f"{path.relative_to(root)}: {tag}")
    assert not unstyled, "\n".join(unstyled)
