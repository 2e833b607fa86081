"""Progress per section (side navigation, overview) and the list of what is still missing."""

from pia.roles import Role
from tests.conftest import make_user, text_of
from tests.factories_assessments import (
    element_ids,
    fill,
    make_assessment,
    missing_links,
    nav_status,
    overview_sections,
    row,
    section_url,
)


def test_the_side_navigation_shows_progress_per_section(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    fill(client, assessment, "dpia", "14", {"q_14_1": "Minder gegevens kan niet."})

    page = client.get(section_url(assessment, "dpia", "14"))

    status = nav_status(page)
    assert status["14"] == "1 van 2 ingevuld"
    assert status["0"] == "Geen verplichte vragen"
    assert status["18"] == "Nog niet begonnen"
    assert 'aria-current="step">14. Noodzaak en evenredigheid' in page.get_data(as_text=True)

    fill(client, assessment, "dpia", "14", {"q_14_2": "De inbreuk is klein."})

    assert nav_status(client.get(section_url(assessment, "dpia", "18")))["14"] == "Compleet"
    overview = client.get(f"/assessments/{assessment.id}")
    assert overview_sections(overview, "dpia")["14"] == ("2 van 2", "Compleet")
    assert overview_sections(overview, "dpia")["13"][1] == "Nog niet begonnen"


def test_the_overview_shows_progress_of_the_prescan_sections(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"3.1": ["geen"], "4.1": ["geen"], "0.1": False})
    login(owner)
    sections = overview_sections(client.get(f"/assessments/{assessment.id}"), "prescan")
    assert sections["3"] == ("1 van 1", "Compleet")
    assert sections["4"] == ("1 van 1", "Compleet")
    assert sections["0"] == ("1 van 5", "Bezig")
    assert sections["7"] == ("0 van 1", "Nog niet begonnen")


def test_every_missing_item_links_to_its_field_on_the_section_page(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(
        owner,
        dpia={
            "3": [row("verw0001", naam="Aanvraag ontvangen")],
            "12.1.1": True,  # shows table 12.1.2
            "16": [row("risico01", beschrijving="Onterecht afgewezen")],  # an incomplete row
        },
    )
    login(owner)
    overview = client.get(f"/assessments/{assessment.id}")
    links = missing_links(overview)
    assert text_of(overview).count("Nog in te vullen in de DPIA") == 1
    texts = [text for _, text in links]
    assert "Vraag 1: Beschrijf het voorstel" in texts
    assert (
        "Doeleinden per gegevensverwerking – Vraag 5.1: Doeleinden "
        "(verwerking: Aanvraag ontvangen)" in texts
    )
    assert "Recht op inzage – Vraag 15.1.1: Is er een procedure om dit recht uit te oefenen?" in (
        texts
    )
    assert any(text.startswith("Vraag 12.1.2") for text in texts)
    hrefs = [href for href, _ in links]
    prefix = f"/assessments/{assessment.id}/dpia/"
    assert f"{prefix}1#q_1" in hrefs
    assert f"{prefix}5#q_5-0-q_5_1" in hrefs
    assert f"{prefix}16#q_16" in hrefs

    pages: dict[str, set[str]] = {}
    for href in hrefs:
        path, anchor = href.split("#")
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = element_ids(response)
        assert anchor in pages[path], href


def test_a_group_without_operations_links_to_the_group(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    links = dict(missing_links(client.get(f"/assessments/{assessment.id}")))
    href = f"/assessments/{assessment.id}/dpia/5#q_5"
    assert links[href] == "Vraag 5: Doeleinden per gegevensverwerking: vul eerst vraag 3 in"
    assert "q_5" in element_ids(client.get(href.split("#")[0]))


def test_a_complete_section_leaves_the_missing_list(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, start_dpia=True)
    login(owner)
    fill(client, assessment, "dpia", "18", {"q_18": "Samenvatting voor de bestuurder."})
    texts = [text for _, text in missing_links(client.get(f"/assessments/{assessment.id}"))]
    assert not any(text.startswith("Vraag 18:") for text in texts)
    assert any(text.startswith("Vraag 17.2:") for text in texts)


def test_the_overview_lists_what_is_missing_in_the_prescan(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.1": True})
    login(owner)
    overview = client.get(f"/assessments/{assessment.id}")
    hrefs = [href for href, _ in missing_links(overview, "prescan")]
    assert f"/assessments/{assessment.id}/prescan/0#q_0_2" in hrefs
