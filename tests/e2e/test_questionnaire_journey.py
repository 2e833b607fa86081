"""The questionnaires in a real browser: pre-scan, DPIA, autosave, no JavaScript, conflicts.

The journey fills a compact but complete answer set: every required question, and the
conditional questions it exercises. axe-core checks every page it visits (conftest).
The read-only full view (/volledig) of the demo's complete DPIA is opened in its own test.
"""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from forms.loader import get_definition
from pia import demo_content
from pia.extensions import db
from pia.models import Assessment, User
from pia.services import assessments as assessment_service
from pia.services import questionnaires as questionnaire_service
from tests.e2e.fill import (
    NA,
    NO,
    YES,
    Pick,
    Tick,
    add_row,
    answer,
    answer_all,
    autosave_status,
    by_id,
    cell,
    op_cell,
    press,
    q,
    side_nav_status,
)
from tests.e2e.ui import submit

OWNER = "projectleider@pia.test"
OWNER_NAME = "Pieter de Leeuw"
COLLEGA = "collega@pia.test"
COLLEGA_NAME = "Carla Collega"
PRESCAN = get_definition("prescan", "2.0")
DPIA = get_definition("dpia", "3.0")
NEXT = re.compile(r"^Opslaan en (verder|naar het overzicht)$")
SAVED_AT = re.compile(r"^Opgeslagen om \d{2}:\d{2}\.$")

DESCRIPTION = "Een online loket waar woningeigenaren subsidie aanvragen voor isolatie."
OPERATION = "Aanvraag beoordelen"
ITEM = "BSN"
SUBJECTS = "Aanvragers"
PARTY = "Uitvoeringsorganisatie subsidies"
PURPOSE = "Vaststellen of de aanvrager recht heeft op subsidie."


def title_of(definition, section_id: str) -> str:
    return definition.section(section_id).title


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def flash(page: Page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def condition_note(page: Page, field_id: str):
    """The "Alleen invullen als …" note of a question (inside its fieldset or field)."""
    field = by_id(page, field_id)
    wrapper = field.locator("xpath=ancestor-or-self::*[@data-show-if][1]")
    return wrapper.locator(".question__condition")


def save_and_continue(page: Page, label: str, section_id: str, title: str) -> None:
    """'Opslaan en verder': the next page confirms, the side nav shows the section as done."""
    response = press(page, NEXT)
    assert response.status == 200
    expect(flash(page, f"Onderdeel {section_id} is opgeslagen.")).to_be_visible()
    if label:  # not on the overview, which has no side navigation
        expect(side_nav_status(page, label, section_id, title)).to_have_text(
            "Geen verplichte vragen" if section_id == "0" and label == "DPIA" else "Compleet"
        )


def new_assessment(live_server, title: str, *, dpia: bool = False, owner: str = OWNER) -> int:
    """An assessment made directly in the live database (for the shorter tests)."""
    with live_server.app_context():
        user = db.session.scalar(select(User).where(User.email == owner))
        assessment = assessment_service.create_assessment(
            title=title,
            description="",
            organisation=user.organisation,
            government_wide=False,
            owner=user,
        )
        if dpia:
            questionnaire_service.start_dpia(assessment, actor=user)
        db.session.commit()
        return assessment.id


# ---------------------------------------------------------------------------- journey


def fill_prescan(page: Page) -> None:
    label = "Pre-scan"
    # 0: cloud questions appear only after "Ja" at 0.5.1
    expect(heading(page)).to_have_text(f"0. {title_of(PRESCAN, '0')}")
    expect(side_nav_status(page, label, "0", title_of(PRESCAN, "0"))).to_have_text(
        "Nog niet begonnen"
    )
    cloud_kinds = page.get_by_role("group", name="0.5.2 Welke vormen van cloud gebruikt u?")
    for field_id in (q("0.5.2"), q("0.5.3"), q("0.5.4")):
        expect(by_id(page, field_id)).to_be_hidden()
    answer_all(
        page,
        {
            q("0.1"): NO,
            q("0.2"): DESCRIPTION,
            q("0.3"): "Subsidie verstrekken aan woningeigenaren die hun woning verduurzamen.",
            q("0.4"): Pick("Taak van algemeen belang of openbaar gezag"),
            q("0.5.1"): YES,
        },
    )
    expect(cloud_kinds).to_be_visible()
    expect(condition_note(page, q("0.5.2"))).to_be_hidden()  # the script says it by showing
    answer_all(
        page,
        {
            q("0.5.2"): Tick("Software as a Service (SaaS)"),
            q("0.5.3"): Pick("Private cloud"),
            q("0.5.4"): NO,
        },
    )
    save_and_continue(page, label, "0", title_of(PRESCAN, "0"))

    # 1: 1.1.3 appears once a kind of data is ticked; 1.2.2 stays away after "Nee"
    expect(by_id(page, q("1.1.3"))).to_be_hidden()
    answer_all(page, {q("1.1.1"): YES, q("1.1.2"): Tick("Naam en contactgegevens")})
    expect(page.get_by_label("1.1.3 Licht de gekozen soorten gegevens toe")).to_be_visible()
    answer_all(
        page,
        {
            q("1.1.3"): "Naam, adres en e-mailadres van de aanvrager.",
            q("1.2.1"): NO,
            q("1.3.1"): YES,
            q("1.3.2"): Tick("Nationale identificatienummers (BSN)"),
            q("1.4.1"): Tick("Burgers"),
            q("1.4.2"): "Woningeigenaren die subsidie aanvragen.",
            q("1.5.1"): YES,
            q("1.5.2"): NO,
            q("1.5.3"): Pick("Continu"),
            q("1.5.4"): Pick("Een aantal jaren"),
        },
    )
    expect(by_id(page, q("1.2.2"))).to_be_hidden()
    save_and_continue(page, label, "1", title_of(PRESCAN, "1"))

    # 2–5: one answer each
    for section_id, answers in [
        ("2", {q("2.1.1"): NO}),
        ("3", {q("3.1"): Tick("Financiële situatie")}),
        ("4", {q("4.1"): Tick("Geen van deze")}),
        ("5", {q("5.1.1"): NO}),
    ]:
        expect(heading(page)).to_have_text(f"{section_id}. {title_of(PRESCAN, section_id)}")
        answer_all(page, answers)
        save_and_continue(page, label, section_id, title_of(PRESCAN, section_id))

    # 6: 6.1.3 only when 6.1.1 is "Ja" and 6.1.2 is "Nee"
    answer(page, q("6.1.1"), YES)
    expect(by_id(page, q("6.1.2"))).to_be_visible()
    expect(by_id(page, q("6.1.3"))).to_be_hidden()
    answer(page, q("6.1.2"), NO)
    expect(page.get_by_role("group", name=re.compile(r"^6\.1\.3 "))).to_be_visible()
    answer(page, q("6.1.3"), NO)
    save_and_continue(page, label, "6", title_of(PRESCAN, "6"))

    # 7: the last section leads to the overview
    answer(page, q("7.1.1"), YES)
    expect(by_id(page, q("7.1.3"))).to_be_hidden()
    answer(page, q("7.1.2"), NO)
    answer(page, q("7.1.3"), YES)
    expect(page.get_by_role("button", name="Opslaan en naar het overzicht")).to_be_visible()
    save_and_continue(page, "", "7", title_of(PRESCAN, "7"))


def fill_dpia(page: Page) -> None:
    label = "DPIA"

    def section(section_id: str) -> str:
        title = title_of(DPIA, section_id)
        expect(heading(page)).to_have_text(f"{section_id}. {title}")
        return title

    # 0: nothing required
    title = section("0")
    expect(side_nav_status(page, label, "0", title)).to_have_text("Geen verplichte vragen")
    save_and_continue(page, label, "0", title)

    # 1: carried over from pre-scan 0.2, complete from the start
    title = section("1")
    expect(by_id(page, q("1"))).to_have_value(DESCRIPTION)
    expect(side_nav_status(page, label, "1", title)).to_have_text("Compleet")
    save_and_continue(page, label, "1", title)

    # 2: a table row; the columns about the other party appear after "Ja"
    title = section("2")
    expect(page.get_by_role("group", name="2 Persoonsgegevens")).to_contain_text("Nog geen regels.")
    add_row(page, "Persoonsgegevens")
    expect(page.get_by_role("group", name="Regel 1")).to_be_visible()
    expect(side_nav_status(page, label, "2", title)).to_have_text("Nog niet begonnen")
    expect(by_id(page, cell("2", 0, "partij"))).to_be_hidden()
    answer_all(
        page,
        {
            cell("2", 0, "persoonsgegeven"): ITEM,
            cell("2", 0, "categorie_betrokkene"): SUBJECTS,
            cell("2", 0, "categorie_persoonsgegevens"): "Identificatie",
            cell("2", 0, "type"): Pick("Nationaal identificatienummer"),
            cell("2", 0, "doeleinde"): "Subsidieaanvraag",
            cell("2", 0, "via_partij"): YES,
        },
    )
    expect(by_id(page, cell("2", 0, "partij"))).to_be_visible()
    answer_all(
        page,
        {
            cell("2", 0, "partij"): "Rijksdienst voor Identiteitsgegevens",
            cell("2", 0, "bron"): "BRP",
            cell("2", 0, "rechtsgrond_verstrekking"): "Wet BRP, artikel 3.3",
        },
    )
    save_and_continue(page, label, "2", title)

    # 3: one operation, choosing the personal data of §2
    title = section("3")
    add_row(page, "Gegevensverwerkingen")
    answer_all(
        page,
        {
            cell("3", 0, "naam"): OPERATION,
            cell("3", 0, "beschrijving"): "Aanvraag ontvangen, eigendom controleren, beoordelen.",
            cell("3", 0, "persoonsgegevens"): Tick(ITEM),
        },
    )
    save_and_continue(page, label, "3", title)

    # 4: "Ja" reveals the explanation; 4.4 and 4.5 came from the pre-scan
    title = section("4")
    expect(by_id(page, q("4.4")).get_by_label("Ja", exact=True)).to_be_checked()
    expect(by_id(page, q("4.5")).get_by_label("Ja", exact=True)).to_be_checked()
    expect(page.get_by_label("4.4.1 Licht het gebruik van de cloud toe")).to_be_visible()
    for question_id in ("4.2.1", "4.3.1", "4.6.1"):
        expect(by_id(page, q(question_id))).to_be_hidden()
    answer_all(page, {q("4.2"): NO, q("4.3"): YES, q("4.6"): NO})
    expect(page.get_by_label("4.3.1 Licht de profilering toe")).to_be_visible()
    expect(by_id(page, q("4.2.1"))).to_be_hidden()
    answer_all(
        page,
        {
            q("4.1"): "Een webformulier met DigiD en een zaaksysteem als dienst (SaaS).",
            q("4.3.1"): "Aanvragen krijgen een risicoprofiel voor de controle achteraf.",
            q("4.4.1"): "Het zaaksysteem draait bij een Nederlandse leverancier.",
            q("4.5.1"): "Een beslisregel kiest welke aanvragen worden gecontroleerd.",
        },
    )
    save_and_continue(page, label, "4", title)

    # 5, 6, 8, 9, 10, 11, 13: a table per operation of §3
    title = section("5")
    expect(page.get_by_role("group", name=f"Verwerking: {OPERATION}")).to_be_visible()
    add_row(page, "Doeleinden")
    answer(page, op_cell("5", 0, "5.1", 0, "doel"), PURPOSE)
    save_and_continue(page, label, "5", title)

    title = section("6")
    add_row(page, "Partijen")
    answer_all(
        page,
        {
            op_cell("6", 0, "6.1", 0, "naam"): PARTY,
            op_cell("6", 0, "6.1", 0, "rol"): Tick("Verwerkingsverantwoordelijke"),
            op_cell("6", 0, "6.1", 0, "functies"): "Behandelaars en teamleiders",
            op_cell("6", 0, "6.1", 0, "persoonsgegevens"): Tick(ITEM),
            op_cell("6", 0, "6.1", 0, "betrokkenen"): Tick(SUBJECTS),
        },
    )
    save_and_continue(page, label, "6", title)

    # 7: the party of §6 is an option now
    title = section("7")
    add_row(page, "Belangen van de betrokken partijen")
    answer_all(
        page,
        {
            cell("7.1", 0, "partij"): Pick(PARTY),
            cell("7.1", 0, "belang"): "Subsidie rechtmatig en snel verstrekken.",
            q("7.2"): "Een panel van woningeigenaren heeft het loket getest.",
        },
    )
    save_and_continue(page, label, "7", title)

    title = section("8")
    add_row(page, "Locaties")
    mechanism = by_id(page, op_cell("8", 0, "8.1", 0, "doorgiftemechanisme"))
    answer(page, op_cell("8", 0, "8.1", 0, "locatie"), "Nederland")
    answer(page, op_cell("8", 0, "8.1", 0, "buiten_eer"), YES)
    expect(mechanism).to_be_visible()
    answer(page, op_cell("8", 0, "8.1", 0, "buiten_eer"), NO)
    expect(mechanism).to_be_hidden()
    save_and_continue(page, label, "8", title)

    title = section("9")
    add_row(page, "Wetten, regelingen en beleid")
    answer_all(
        page,
        {
            op_cell("9", 0, "9.1", 0, "regeling"): "Subsidieregeling energiebesparing",
            op_cell("9", 0, "9.1", 0, "artikelen"): "artikelen 4 tot en met 9",
        },
    )
    save_and_continue(page, label, "9", title)

    # 10: the purpose of §5 (same operation) is an option now
    title = section("10")
    add_row(page, "Bewaartermijnen")
    answer_all(
        page,
        {
            op_cell("10", 0, "10.1", 0, "doeleinde"): Pick(PURPOSE),
            op_cell("10", 0, "10.1", 0, "betrokkenen"): Tick(SUBJECTS),
            op_cell("10", 0, "10.1", 0, "persoonsgegevens"): Tick(ITEM),
            op_cell("10", 0, "10.1", 0, "termijn"): Pick("Een aantal jaren"),
            op_cell("10", 0, "10.1", 0, "motivatie"): "Zeven jaar, voor controle en bezwaar.",
        },
    )
    save_and_continue(page, label, "10", title)

    title = section("11")
    add_row(page, "Rechtsgronden")
    answer_all(
        page,
        {
            op_cell("11", 0, "11.1", 0, "rechtsgrond"): Pick(
                "Taak van algemeen belang of openbaar gezag"
            ),
            op_cell("11", 0, "11.1", 0, "toelichting"): "Uitvoering van de subsidieregeling.",
        },
    )
    save_and_continue(page, label, "11", title)

    # 12: 12.1.1 came from the pre-scan; "Ja" at 12.3.1 asks for the table 12.3.2
    title = section("12")
    expect(by_id(page, q("12.1.1")).get_by_label("Nee", exact=True)).to_be_checked()
    answer_all(page, {q("12.2.1"): NO, q("12.3.1"): YES})
    add_row(page, "Nationale identificatienummers")
    expect(by_id(page, q("12.3.1")).get_by_label("Ja", exact=True)).to_be_checked()
    expect(side_nav_status(page, label, "12", title)).to_have_text("3 van 4 ingevuld")
    answer_all(
        page,
        {
            cell("12.3.2", 0, "verwerkingen"): Tick(OPERATION),
            cell("12.3.2", 0, "betrokkenen"): Tick(SUBJECTS),
            cell("12.3.2", 0, "persoonsgegevens"): Tick(ITEM),
            cell("12.3.2", 0, "uitzonderingsgrond"): "Artikel 46 UAVG met de regeling.",
        },
    )
    save_and_continue(page, label, "12", title)

    # 13: the columns for a further processing appear only for those assessments
    title = section("13")
    add_row(page, "Verdere verwerking")
    article = by_id(page, op_cell("13", 0, "13.1", 0, "artikel"))
    expect(article).to_be_hidden()
    beoordeling = op_cell("13", 0, "13.1", 0, "beoordeling")
    answer(page, beoordeling, Pick("Toelaatbaar op grond van Unie- of lidstaatrecht"))
    expect(article).to_be_visible()
    answer(page, beoordeling, Pick("Niet van toepassing, geen verdere verwerking"))
    expect(article).to_be_hidden()
    save_and_continue(page, label, "13", title)

    title = section("14")
    answer_all(
        page,
        {
            q("14.1"): "Zonder BSN kan niet worden vastgesteld wie recht heeft op subsidie.",
            q("14.2"): "De gegevens dienen alleen de aanvraag; de inbreuk is beperkt.",
        },
    )
    save_and_continue(page, label, "14", title)

    # 15: a description only after "Ja" for the procedure, a basis only for a restriction
    title = section("15")
    expect(by_id(page, q("15.1.2"))).to_be_hidden()
    expect(by_id(page, q("15.1.4"))).to_be_hidden()
    answer_all(page, {q("15.1.1"): YES, q("15.1.3"): YES})
    answer_all(
        page,
        {
            q("15.1.2"): "Via het contactformulier; afhandeling binnen vier weken.",
            q("15.1.4"): "Artikel 41 UAVG",
        },
    )
    for right in range(2, 9):
        answer_all(page, {q(f"15.{right}.1"): NA, q(f"15.{right}.3"): NA})
    expect(by_id(page, q("15.2.2"))).to_be_hidden()
    save_and_continue(page, label, "15", title)

    # 16: the risk from the AP list (pre-scan 3.1) is there already; complete it
    title = section("16")
    risk = by_id(page, cell("16", 0, "beschrijving"))
    expect(risk).to_have_value(re.compile(r"^Financiële situatie"))
    risk_text = risk.input_value()
    answer_all(
        page,
        {
            cell("16", 0, "oorsprong"): "Koppeling met financiële gegevens",
            cell("16", 0, "kans"): Pick("Midden"),
            cell("16", 0, "kans_motivatie"): "Komt bij vergelijkbare loketten voor.",
            cell("16", 0, "impact"): Pick("Hoog"),
            cell("16", 0, "impact_motivatie"): "Financiële schade voor burgers.",
            cell("16", 0, "risiconiveau_motivatie"): "Volgens de risicomatrix.",
        },
    )
    save_and_continue(page, label, "16", title)

    # 17: the risk of §16 is an option; a high residual risk asks for more
    title = section("17")
    risk_overview = page.get_by_role(
        "region", name="Risico’s met kans, impact, niveau en restrisico"
    )
    expect(risk_overview).to_contain_text(risk_text)
    add_row(page, "Maatregelen")
    supervision = by_id(page, cell("17.1", 0, "toezicht_land"))
    answer_all(
        page,
        {
            cell("17.1", 0, "risicos"): Tick(risk_text),
            cell("17.1", 0, "oorsprong"): "Beveiliging",
            cell("17.1", 0, "maatregel"): "Versleuteling en een verwerkersovereenkomst.",
            cell("17.1", 0, "soort"): Pick("Technisch"),
            cell("17.1", 0, "resterend_risico"): Pick("Hoog"),
        },
    )
    expect(supervision).to_be_visible()
    answer(page, cell("17.1", 0, "resterend_risico"), Pick("Laag"))
    expect(supervision).to_be_hidden()
    answer_all(
        page,
        {
            cell("17.1", 0, "beheerder"): "CISO",
            q("17.2"): "Het restrisico is laag en aanvaardbaar.",
        },
    )
    save_and_continue(page, label, "17", title)

    title = section("18")
    answer(page, q("18"), "Het loket verwerkt het BSN; met de maatregelen is het risico laag.")
    expect(page.get_by_role("button", name="Opslaan en naar het overzicht")).to_be_visible()
    save_and_continue(page, "", "18", title)


def test_projectleider_completes_prescan_and_dpia(page_as):
    page = page_as(OWNER)
    submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Assessments"))
    submit(page.get_by_role("link", name="Nieuw assessment starten"))
    expect(heading(page)).to_have_text("Nieuw assessment")
    title = "Digitaal subsidieloket (reis door de vragenlijsten)"
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Korte omschrijving").fill("Woningeigenaren vragen online subsidie aan.")
    submit(page.get_by_role("button", name="Assessment aanmaken"))
    expect(heading(page)).to_have_text(title)
    expect(flash(page, "Het assessment is aangemaakt. Begin met de pre-scan.")).to_be_visible()

    submit(page.get_by_role("link", name=f"0. {title_of(PRESCAN, '0')}"))
    fill_prescan(page)

    # The overview: the outcome with its reasons, the pre-scan complete
    expect(heading(page)).to_have_text(title)
    outcome = page.locator("#prescan-title + [role=status]")
    expect(outcome).to_contain_text("Uitkomst: DPIA verplicht.")
    prescan_part = page.locator("section[aria-labelledby=prescan-title]")
    expect(prescan_part).to_contain_text(
        "Een DPIA is verplicht, omdat de verwerking op de lijst van de Autoriteit "
        "Persoonsgegevens staat: financiële situatie (vraag 3.1)."
    )
    expect(prescan_part).to_contain_text("Alle verplichte vragen van de pre-scan zijn ingevuld.")

    submit(page.get_by_role("button", name="DPIA starten"))
    expect(
        flash(
            page, "De DPIA is gestart. Antwoorden uit de pre-scan zijn waar mogelijk overgenomen."
        )
    ).to_be_visible()
    fill_dpia(page)

    # The overview: everything filled in
    expect(heading(page)).to_have_text(title)
    expect(page.get_by_label("100% van de verplichte vragen ingevuld")).to_have_attribute(
        "value", "100"
    )
    dpia_part = page.locator("section[aria-labelledby=dpia-title]")
    expect(dpia_part).to_contain_text("Alle verplichte vragen van de DPIA zijn ingevuld.")
    expect(dpia_part.get_by_role("row").filter(has_text="Bezig")).to_have_count(0)
    expect(page.get_by_text("Voorafgaande raadpleging van de Autoriteit")).to_have_count(0)


# ---------------------------------------------------------------------------- autosave


def test_autosave_keeps_what_was_typed(page_as, live_server):
    assessment_id = new_assessment(live_server, "Autosave in de pre-scan")
    page = page_as(OWNER)
    page.goto(f"/assessments/{assessment_id}/prescan/0")
    expect(heading(page)).to_have_text("0. Algemeen")
    expect(page.locator("[data-autosave-status]")).to_be_empty()
    status = autosave_status(page)  # role=status, inside the form

    text = "Getypt, vanzelf opgeslagen."
    page.get_by_label("0.2 Beschrijf kort de verwerking").press_sequentially(text)
    answer(page, q("0.1"), YES)
    expect(status).to_have_text(SAVED_AT, timeout=8_000)
    # the pre-scan outcome beside the form follows the saved answers: none while questions
    # are open, and the side navigation follows the save too
    expect(page.locator("[data-prescan-outcome]")).to_have_text(
        "nog niet bekend (eerst alle vragen beantwoorden)"
    )
    expect(side_nav_status(page, "Pre-scan", "0", "Algemeen")).to_have_text("2 van 5 ingevuld")

    page.reload()
    expect(heading(page)).to_have_text("0. Algemeen")
    expect(page.get_by_label("0.2 Beschrijf kort de verwerking")).to_have_value(text)
    expect(by_id(page, q("0.1")).get_by_label("Ja", exact=True)).to_be_checked()
    expect(side_nav_status(page, "Pre-scan", "0", "Algemeen")).to_have_text("2 van 5 ingevuld")


# ---------------------------------------------------------------------------- no JavaScript


def test_without_javascript_every_question_shows_and_rows_can_be_added(page_as, live_server):
    assessment_id = new_assessment(live_server, "Zonder JavaScript", dpia=True)
    page = page_as(OWNER, java_script_enabled=False)

    page.goto(f"/assessments/{assessment_id}/prescan/0")
    expect(heading(page)).to_have_text("0. Algemeen")
    for question_id in ("0.5.2", "0.5.3", "0.5.4"):
        expect(by_id(page, q(question_id))).to_be_visible()
        expect(condition_note(page, q(question_id))).to_have_text(
            "Alleen invullen als bij vraag 0.5.1 ‘Ja’ is gekozen."
        )
        expect(condition_note(page, q(question_id))).to_be_visible()

    page.goto(f"/assessments/{assessment_id}/dpia/4")
    expect(heading(page)).to_have_text("4. Technieken en methoden")
    for question_id in ("4.2.1", "4.3.1", "4.4.1", "4.5.1", "4.6.1"):
        expect(by_id(page, q(question_id))).to_be_visible()
        expect(condition_note(page, q(question_id))).to_contain_text("Alleen invullen als")

    page.goto(f"/assessments/{assessment_id}/dpia/2")
    add_row(page, "Persoonsgegevens")
    expect(page).to_have_url(re.compile(r"/dpia/2\?regel=add_row__2#q_2$"))  # shown, not stored
    row = page.get_by_role("group", name="Regel 1")
    expect(row).to_be_visible()
    expect(by_id(page, cell("2", 0, "partij"))).to_be_visible()
    expect(condition_note(page, cell("2", 0, "partij"))).to_have_text(
        "Alleen invullen als in deze regel bij ‘Verkregen via een andere partij?’ ‘Ja’ is gekozen."
    )
    answer_all(
        page,
        {
            cell("2", 0, "persoonsgegeven"): "Naam",
            cell("2", 0, "categorie_betrokkene"): "Bezoekers",
            cell("2", 0, "categorie_persoonsgegevens"): "Contactgegevens",
            cell("2", 0, "type"): Pick("Gewoon"),
            cell("2", 0, "doeleinde"): "Registratie",
            cell("2", 0, "via_partij"): NO,
        },
    )
    press(page, "Opslaan")
    expect(flash(page, "Onderdeel 2 is opgeslagen.")).to_be_visible()
    expect(by_id(page, cell("2", 0, "persoonsgegeven"))).to_have_value("Naam")
    expect(by_id(page, cell("2", 0, "via_partij")).get_by_label("Nee", exact=True)).to_be_checked()
    expect(side_nav_status(page, "DPIA", "2", "Persoonsgegevens")).to_have_text("Compleet")

    # a second row, and taking it away again
    add_row(page, "Persoonsgegevens")
    expect(page.get_by_role("group", name="Regel 2")).to_be_visible()
    press(page, "Regel 2 verwijderen uit Persoonsgegevens")
    expect(page.get_by_role("group", name="Regel 2")).to_have_count(0)
    expect(by_id(page, cell("2", 0, "persoonsgegeven"))).to_have_value("Naam")


# ---------------------------------------------------------------------------- conflict


def test_two_editors_save_the_same_section(page_as, live_server, page_checks):
    page_checks.allow_console_error(r"status of 409")  # the conflict answers 409
    assessment_id = new_assessment(live_server, "Samen aan de pre-scan")
    owner = page_as(OWNER)
    owner.goto(f"/assessments/{assessment_id}")
    submit(owner.get_by_role("link", name="Delen met collega’s"))
    expect(heading(owner)).to_have_text("Wie werkt eraan mee?")
    owner.get_by_label("E-mailadres van de collega").fill(COLLEGA)
    expect(owner.get_by_label("Mede-opsteller: kan alles invullen en wijzigen")).to_be_checked()
    submit(owner.get_by_role("button", name="Toegang geven"))
    # The same answer whether or not the address has an account; the list shows who has.
    expect(flash(owner, f"Als {COLLEGA} een actief account heeft")).to_be_visible()
    expect(owner.get_by_role("row").filter(has_text=COLLEGA_NAME)).to_contain_text("Mede-opsteller")

    collega = page_as(COLLEGA)
    section_url = f"/assessments/{assessment_id}/prescan/0"
    owner.goto(section_url)
    collega.goto(section_url)
    label = "0.2 Beschrijf kort de verwerking"
    expect(collega.get_by_label(label)).to_have_value("")

    owner.get_by_label(label).fill("De versie van Pieter.")
    press(owner, "Opslaan")
    expect(flash(owner, "Onderdeel 0 is opgeslagen.")).to_be_visible()

    mine = "De versie van Carla, die later opslaat."
    collega.get_by_label(label).fill(mine)
    # Autosave notices first, and says the text stays.
    expect(autosave_status(collega)).to_contain_text(
        "Iemand anders heeft dit onderdeel intussen opgeslagen", timeout=8_000
    )
    response = press(collega, "Opslaan")
    assert response.status == 409
    expect(heading(collega)).to_have_text(
        "Niet opgeslagen: iemand anders heeft dit onderdeel intussen gewijzigd"
    )
    expect(collega.get_by_role("alert")).to_contain_text(
        f"{OWNER_NAME} heeft onderdeel 0 opgeslagen op"
    )
    differences = collega.get_by_role("region", name=re.compile(r"^Vragen waarin uw versie"))
    row = differences.get_by_role("row").filter(has_text=label)
    expect(row.get_by_role("cell").nth(0)).to_contain_text(mine)
    expect(row.get_by_role("cell").nth(1)).to_contain_text("De versie van Pieter.")
    expect(differences.get_by_role("row")).to_have_count(2)  # header and 0.2
    expect(collega.get_by_label(label)).to_have_value(mine)

    submit(collega.get_by_role("button", name="Mijn versie opslaan"))
    expect(flash(collega, "Onderdeel 0 is opgeslagen.")).to_be_visible()
    expect(collega.get_by_label(label)).to_have_value(mine)

    owner.reload()
    expect(owner.get_by_label(label)).to_have_value(mine)


# ---------------------------------------------------------------------------- known bugs


def demo_assessment_id(live_server) -> int:
    """The demo's complete DPIA (owner: the projectleider); only read here."""
    with live_server.app_context():
        return db.session.scalar(
            select(Assessment.id).where(Assessment.title.like("Digitaal loket energiesubsidie%"))
        )


def test_full_view_shows_the_complete_dpia(page_as, live_server):
    page = page_as(OWNER)
    page.goto(f"/assessments/{demo_assessment_id(live_server)}")
    expect(page.get_by_label("100% van de verplichte vragen ingevuld")).to_be_visible()
    submit(page.get_by_role("link", name="Alles lezen en afdrukken"))
    expect(page).to_have_url(re.compile(r"/assessments/\d+/volledig$"))
    expect(heading(page)).to_have_text(demo_content.TITLE)
    expect(page.get_by_role("main")).to_contain_text("DPIA verplicht")
    dpia_part = page.locator("section[aria-labelledby=part-dpia]")
    for section in DPIA.user_sections:
        name = f"{section.id}. {section.title}"
        expect(dpia_part.get_by_role("heading", name=name, exact=True)).to_be_visible()
    for operation in demo_content.DPIA["3"]:
        expect(dpia_part.get_by_text(f"Verwerking: {operation['naam']}").first).to_be_visible()
    for risk in demo_content.DPIA["16"]:
        expect(dpia_part.get_by_text(risk["beschrijving"], exact=True).first).to_be_visible()


def test_conditional_tables_hide_with_javascript(page_as, live_server):
    page = page_as(OWNER)
    page.goto(f"/assessments/{demo_assessment_id(live_server)}/dpia/12")
    expect(heading(page)).to_have_text(re.compile(r"^12\. "))
    expect(by_id(page, q("12.1.1")).get_by_label("Nee", exact=True)).to_be_checked()
    expect(by_id(page, q("12.1.2"))).to_be_hidden(timeout=1_000)
