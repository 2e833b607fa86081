"""The FG review in a real browser, with the demo accounts of `make run`.

projectleider submits → the FG claims it, comments and sends it back → the projectleider
answers the remark, revises and resubmits → the FG sees what changed and gives
"positief met voorwaarden" → the projectleider records the follow-up, designates the
controller and offers the DPIA → the controller (the demo's directeur) signs and it is
adopted. The advice and the report are then downloaded and opened. axe-core checks every
page visited (conftest).

The journey works on its own copy of the demo's complete DPIA, so the demo assessment
other tests use stays a concept.
"""

import re
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pia import demo_content
from pia.extensions import db
from pia.models import Assessment, AuditEvent, Questionnaire, User
from pia.services import assessments, questionnaires
from tests.e2e.ui import submit

OWNER = "projectleider@pia.test"
FG = "fg.bzk@pia.test"
CONTROLLER = "directeur@pia.test"
TITLE = "Digitaal loket energiesubsidie (beoordeling in de browser)"
REMARK = "Waarom wordt het IBAN al bij de aanvraag gevraagd?"
REVISION = "Na de opmerking van de FG: het IBAN wordt pas na toekenning gevraagd."
DEVIATION_REASON = "De bewaartermijnen staan in de regeling; evaluatie volgt bij de herziening."
RECOMMENDATIONS = [
    "Vraag het IBAN pas op bij toekenning.",
    "Evalueer na een jaar de bewaartermijnen.",
]


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def flash(page: Page, text: str | re.Pattern):
    return page.get_by_role("status").filter(has_text=text)


def state(page: Page):
    return page.locator("[data-state]")


def make_copy(live_server) -> int:
    """A complete DPIA owned by the demo projectleider, in state concept."""
    with live_server.app_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        assessment = assessments.create_assessment(
            title=TITLE,
            description=demo_content.DESCRIPTION,
            organisation=owner.organisation,
            government_wide=False,
            owner=owner,
        )
        assessments.store_answers(
            assessment, Questionnaire.PRESCAN, demo_content.PRESCAN, actor=owner
        )
        questionnaires.start_dpia(assessment, actor=owner)
        assessments.store_answers(assessment, Questionnaire.DPIA, demo_content.DPIA, actor=owner)
        db.session.commit()
        return assessment.id


def open_review(page: Page, via_dashboard: str | None = None) -> None:
    """From the dashboard: the listed item, or Assessments → the assessment → Beoordeling."""
    if via_dashboard:
        submit(page.get_by_role("main").get_by_role("link", name=TITLE))
    else:
        submit(
            page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Assessments")
        )
        page.get_by_label("Zoek op titel").fill(TITLE)  # the demo lead has many assessments
        submit(page.get_by_role("button", name="Zoeken"))
        submit(page.get_by_role("link", name=TITLE, exact=True))
        submit(page.get_by_role("link", name="Beoordeling en vaststelling"))
    expect(heading(page)).to_have_text("Beoordeling en vaststelling")


def press(page: Page, action: str) -> None:
    submit(page.locator(f"[data-action='{action}']"))


def test_submit_review_revise_advise_follow_up_and_adopt(
    page_as, live_server, page_checks, tmp_path
):
    assessment_id = make_copy(live_server)
    # Two forms are sent incomplete on purpose: the server answers 400 with the errors.
    page_checks.allow_console_error(r"status of 400")

    # 1. The projectleider submits the complete DPIA.
    owner = page_as(OWNER)
    open_review(owner)
    expect(state(owner)).to_have_text("Concept")
    press(owner, "submit")
    expect(flash(owner, "De DPIA is ingediend")).to_be_visible()
    expect(state(owner)).to_have_text("Ingediend voor FG-advies")
    expect(owner.get_by_role("main")).to_contain_text("Reactie van de FG uiterlijk")
    # Frozen while the FG has it: the section pages are read-only.
    owner.goto(f"/assessments/{assessment_id}/dpia/1")
    expect(owner.get_by_role("button", name="Opslaan", exact=True)).to_have_count(0)

    # 2. An FG of BZK finds it on the dashboard, claims it, comments, sends it back.
    fg = page_as(FG)
    expect(fg.get_by_role("main")).to_contain_text("Nieuw ingediend")
    expect(fg.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    open_review(fg, via_dashboard=TITLE)
    expect(fg.locator("[data-claimed-by]")).to_contain_text("Nog niemand")
    press(fg, "claim")
    expect(state(fg)).to_have_text("In behandeling bij de FG")
    expect(fg.locator("[data-claimed-by]")).to_have_text("Fatima Gerritsen")
    # The FG cannot edit the answers.
    fg.goto(f"/assessments/{assessment_id}/dpia/1")
    expect(fg.get_by_role("button", name="Opslaan", exact=True)).to_have_count(0)
    submit(fg.get_by_role("link", name=re.compile(r"^Opmerkingen bij 1\. Voorstel")))
    fg.get_by_label("Over").select_option("1")
    fg.get_by_label("Opmerking", exact=True).fill(REMARK)
    submit(fg.get_by_role("button", name="Opmerking plaatsen"))
    expect(flash(fg, "Uw opmerking is geplaatst")).to_be_visible()
    thread = fg.locator("article.comment").filter(has_text=REMARK)
    expect(thread).to_contain_text("vraag 1")
    expect(thread).to_contain_text("Open")
    submit(fg.get_by_role("link", name=re.compile("Terug naar de beoordeling")))
    press(fg, "request_changes")
    fg.get_by_label("Wat moet er veranderen?").fill("Zie mijn opmerking bij vraag 1.")
    submit(fg.get_by_role("button", name="Terugsturen naar de opstellers"))
    expect(state(fg)).to_have_text("Aanpassingen gevraagd")

    # 3. The projectleider sees it waiting, answers the remark, revises, resubmits.
    owner.goto("/")
    expect(owner.get_by_role("main")).to_contain_text("De FG vraagt aanpassingen")
    owner.goto(f"/assessments/{assessment_id}/dpia/1")
    expect(owner.locator("[data-open-comments]")).to_contain_text("1 open opmerking")
    owner.get_by_label("Aanvullende informatie").fill(REVISION)
    submit(owner.get_by_role("button", name="Opslaan", exact=True))
    submit(owner.get_by_role("link", name=re.compile(r"^Opmerkingen bij 1\. Voorstel")))
    thread = owner.locator("article.comment").filter(has_text=REMARK)
    thread.get_by_text("Reageren").click()
    thread.get_by_label("Uw reactie").fill("Aangepast: zie de aanvullende informatie bij 1.")
    submit(thread.get_by_role("button", name="Reactie plaatsen"))
    thread = owner.locator("article.comment").filter(has_text=REMARK)
    expect(thread).to_contain_text("Aangepast: zie de aanvullende informatie")
    submit(thread.get_by_role("button", name=re.compile("^Afhandelen")))
    expect(owner.locator("article.comment").filter(has_text=REMARK)).to_contain_text("Afgehandeld")
    submit(owner.get_by_role("link", name=re.compile("Terug naar de beoordeling")))
    press(owner, "submit")
    # It stays with the FG who handled the first round: no claiming again.
    expect(state(owner)).to_have_text("In behandeling bij de FG")
    expect(owner.locator("[data-claimed-by]")).to_have_text("Fatima Gerritsen")

    # 4. The FG has it at once, sees what changed since version 1, and gives advice.
    fg.goto(f"/assessments/{assessment_id}/beoordeling")
    expect(fg.locator("[data-action='claim']")).to_have_count(0)
    submit(fg.get_by_role("link", name="Wat is er veranderd sinds versie 1?"))
    expect(heading(fg)).to_have_text("Wat is er veranderd van versie 1 naar versie 2?")
    change = fg.locator("[data-question='1.aanvullend']")
    expect(change).to_contain_text("toegevoegd")
    expect(change.locator("ins")).to_contain_text(REVISION)
    submit(fg.get_by_role("link", name=re.compile("Terug naar de beoordeling")))
    press(fg, "give_advice")
    fg.get_by_label("Positief met voorwaarden").check()
    fg.get_by_label("Onderbouwing").fill(
        "De risico's zijn in beeld; onder voorwaarden verantwoord."
    )
    fg.get_by_label("Aanbevelingen en voorwaarden").fill("\n".join(RECOMMENDATIONS))
    submit(fg.get_by_role("button", name="Advies vastleggen"))
    expect(state(fg)).to_have_text("FG-advies gegeven")
    expect(fg.locator("[data-recommendation='2']")).to_contain_text(RECOMMENDATIONS[1])

    # 5. The projectleider records the follow-up, designates the controller, offers it.
    owner.goto("/")
    expect(owner.get_by_role("main")).to_contain_text("Aanbevelingen van de FG verwerken")
    submit(owner.get_by_role("main").get_by_role("link", name=TITLE))
    expect(heading(owner)).to_have_text("Opvolging van het FG-advies")
    first = owner.locator("[data-recommendation='1']")
    second = owner.locator("[data-recommendation='2']")
    first.get_by_label("Overgenomen", exact=True).check()
    second.get_by_label("Niet overgenomen").check()
    submit(owner.get_by_role("button", name="Opvolging opslaan"))
    # Not adopted without a reason: refused, the choice is kept.
    expect(owner.get_by_role("alert")).to_contain_text("Aanbeveling 2")
    expect(second.get_by_label("Niet overgenomen")).to_be_checked()
    second.get_by_label(re.compile("^Toelichting")).fill("De termijnen volgen uit de regeling.")
    submit(owner.get_by_role("button", name="Opvolging opslaan"))
    expect(flash(owner, "De opvolging is opgeslagen")).to_be_visible()
    submit(owner.get_by_role("link", name="Verwerkingsverantwoordelijken aanwijzen"))
    owner.get_by_label("E-mailadres").fill(CONTROLLER)
    owner.get_by_label("Functie").fill("Directeur-generaal")
    submit(owner.get_by_role("button", name="Aanwijzen"))
    expect(flash(owner, "Dirkje Dekker is aangewezen")).to_be_visible()
    submit(owner.get_by_role("link", name=re.compile("Terug naar de beoordeling")))
    press(owner, "offer_for_adoption")
    submit(owner.get_by_role("button", name="Aanbieden ter vaststelling"))
    expect(state(owner)).to_have_text("Ter vaststelling")

    # 6. The controller signs; a deviation from the advice needs a reason.
    boss = page_as(CONTROLLER)
    expect(boss.get_by_role("main")).to_contain_text("Wacht op uw vaststelling")
    submit(boss.get_by_role("main").get_by_role("link", name=TITLE))
    expect(heading(boss)).to_have_text("Vaststellen en ondertekenen")
    # The signature carries the account's name: there is no name to type.
    expect(boss.get_by_label("Naam")).to_have_count(0)
    expect(boss.get_by_role("main")).to_contain_text("U ondertekent als Dirkje Dekker")
    boss.get_by_label("Ik stel deze versie van de DPIA vast").check()
    submit(boss.get_by_role("button", name="Vaststellen en ondertekenen"))
    expect(boss.get_by_role("alert")).to_contain_text("leg vast waarom")
    boss.get_by_label("Reden van afwijking van het FG-advies").fill(DEVIATION_REASON)
    boss.get_by_label("Ik stel deze versie van de DPIA vast").check()
    submit(boss.get_by_role("button", name="Vaststellen en ondertekenen"))
    expect(flash(boss, "De DPIA is vastgesteld")).to_be_visible()
    expect(state(boss)).to_have_text("Vastgesteld")
    expect(boss.get_by_role("main")).to_contain_text("Herbeoordeling")
    # The reason for deviating is part of the record, on the procedure page too.
    expect(boss.get_by_role("main")).to_contain_text(DEVIATION_REASON)

    # 7. The record: the advice as Word, §19/§20 in the report, the history.
    owner.goto(f"/assessments/{assessment_id}/beoordeling")
    advice = download(owner, "FG-advies downloaden (.docx)", tmp_path)
    text = "\n".join(p.text for p in Document(str(advice)).paragraphs) + "\n".join(
        c.text for t in Document(str(advice)).tables for r in t.rows for c in r.cells
    )
    assert "Positief met voorwaarden" in text
    assert RECOMMENDATIONS[0] in text and "Niet overgenomen" in text
    assert "Fatima Gerritsen" in text
    with live_server.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.state == "adopted"
        actions = db.session.scalars(
            select(AuditEvent.details).where(
                AuditEvent.object_id == str(assessment_id),
                AuditEvent.action == "assessment.transition",
            )
        ).all()
        assert [d["action"] for d in actions] == [
            "submit",
            "claim",
            "request_changes",
            "submit",
            "claim",
            "give_advice",
            "offer_for_adoption",
            "sign",
            "adopt",
        ]
    submit(owner.get_by_role("link", name=re.compile("^Geschiedenis")))
    expect(heading(owner)).to_have_text("Geschiedenis")
    # the saved question in words, never its internal id ("1.aanvullend")
    saved = owner.locator("tr[data-action='assessment.answers_saved']").first
    expect(saved).to_contain_text("‘Aanvullende informatie’ in onderdeel 1")
    expect(saved).not_to_contain_text("1.aanvullend")
    expect(owner.get_by_role("main")).to_contain_text(DEVIATION_REASON)


def download(page: Page, button_name: str, tmp_path: Path) -> Path:
    button = page.get_by_role("button", name=button_name, exact=True)
    with page.expect_download() as info:
        button.click()
    file = info.value
    assert file.failure() is None
    target = tmp_path / file.suggested_filename
    file.save_as(target)
    return target


def test_fg_of_another_ministry_and_a_second_fg(page_as, live_server, page_checks):
    """Another ministry's FG gets no access; a second FG of BZK sees who claimed it."""
    with live_server.app_context():
        claimed = db.session.scalar(select(Assessment.id).where(Assessment.state == "in_review"))
    colleague = page_as(FG)  # the demo's in_review assessment is claimed by fg2.bzk
    colleague.goto(f"/assessments/{claimed}/beoordeling")
    expect(colleague.locator("[data-claimed-by]")).to_have_text("Frank Goossens")
    expect(colleague.locator("[data-action='claim']")).to_have_count(0)
    expect(colleague.locator("[data-action='request_changes']")).to_have_count(0)
    page_checks.allow_console_error(r"403")
    outsider = page_as("fg.jenv@pia.test")
    response = outsider.goto(f"/assessments/{claimed}/beoordeling")
    assert response.status == 403
    expect(heading(outsider)).to_have_text("Geen toegang")
