"""The PAR pages as their users meet them: the overview says the route, the coordinator
sends, FGs of participating ministries (only they) respond, the matrix, consolidation and
decisions; and who may open which page of a government-wide assessment."""

from datetime import timedelta

from pia.extensions import db
from pia.roles import Role
from pia.services import par, review
from tests.conftest import log_in, make_user, text_of
from tests.par_helpers import orgs, par_assessment, people

REASON = "De maatregelen voor de toegang zijn passend."


def client_for(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def url(assessment, rest: str = "") -> str:
    return f"/assessments/{assessment.id}/par" + (f"/{rest}" if rest else "")


def started(app):
    p = people()
    assessment = par_assessment()
    clients = {k: client_for(app, u) for k, u in p.items()}
    clients["owner"] = client_for(app, assessment.owner)
    return assessment, p, clients


def submit_and_send(assessment, clients, *abbreviations):
    assert clients["owner"].post_form(url(assessment, "actie/submit")).status_code == 302
    due = (review.today() + timedelta(weeks=4)).isoformat()
    response = clients["par"].post_form(
        url(assessment, "versturen"),
        {"ministries": [str(i) for i in orgs(*abbreviations)], "due_on": due},
    )
    assert response.status_code == 302, text_of(response)


def test_the_overview_says_par_route_and_employees_data(app):
    assessment, p, clients = started(app)
    page = text_of(clients["owner"].get(f"/assessments/{assessment.id}"))
    assert "Deze DPIA volgt de PAR-procedure" in page
    assert "Gegevens van medewerkers: ja (volgt uit de pre-scan (vraag 1.4.1)" in page
    assert "de GOR Rijk instemmen" in page
    # The initiator corrects it, with a reason; without one the form says so.
    refused = clients["owner"].post_form(url(assessment, "medewerkers"), {"processed": "no"})
    assert "Geef de reden van de correctie." in text_of(refused)
    done = clients["owner"].post_form(
        url(assessment, "medewerkers"),
        {"processed": "no", "reason": "Alleen functionele accounts."},
    )
    assert done.status_code == 302
    page = text_of(clients["owner"].get(f"/assessments/{assessment.id}"))
    assert "Gegevens van medewerkers: nee." in page and "Alleen functionele accounts." in page
    assert clients["jenv"].post_form(url(assessment, "medewerkers"), {}).status_code == 403


def test_coordinator_sends_and_only_participating_fgs_see_it(app):
    assessment, p, clients = started(app)
    assert clients["par"].get(url(assessment)).status_code == 403  # not submitted yet
    assert clients["owner"].post_form(url(assessment, "actie/submit")).status_code == 302
    form = clients["par"].get(url(assessment, "versturen"))
    assert form.status_code == 200
    page = text_of(form)
    assert "Ministerie JenV (JenV)" in page and "Ministerie Fin (Fin)" in page
    # A term in the past is refused, with the choice kept.
    past = (review.today() - timedelta(days=1)).isoformat()
    refused = clients["par"].post_form(
        url(assessment, "versturen"),
        {"ministries": [str(i) for i in orgs("BZK", "JenV")], "due_on": past},
    )
    assert "De reactietermijn moet in de toekomst liggen." in text_of(refused)
    due = (review.today() + timedelta(weeks=4)).isoformat()
    sent = clients["par"].post_form(
        url(assessment, "versturen"),
        {"ministries": [str(i) for i in orgs("BZK", "JenV")], "due_on": due},
    )
    assert sent.status_code == 302
    assert "Rijksbrede raadplegingen" in text_of(clients["jenv"].get("/"))
    assert assessment.title in text_of(clients["jenv"].get("/"))
    assert assessment.title not in text_of(clients["fin"].get("/"))
    assert clients["fin"].get(url(assessment)).status_code == 403
    assert clients["fin"].get(f"/assessments/{assessment.id}").status_code == 403
    assert assessment.title in text_of(clients["jenv"].get("/assessments/"))
    assert clients["jenv"].get(url(assessment, "standpunt")).status_code == 200
    assert clients["fin"].get(url(assessment, "standpunt")).status_code == 403
    board = text_of(clients["par"].get("/par"))
    assert "0 van 2 ministeries gereageerd" in board


def test_positions_the_matrix_and_overdue_in_words(app, monkeypatch):
    assessment, p, clients = started(app)
    colleague = make_user(Role.FG, org="JenV", name="Jet Collega")
    submit_and_send(assessment, clients, "BZK", "JenV", "Fin")
    empty = clients["jenv"].post_form(url(assessment, "standpunt"), {"verdict": "negative"})
    assert "Onderbouw uw standpunt." in text_of(empty)
    given = clients["jenv"].post_form(
        url(assessment, "standpunt"),
        {"verdict": "negative", "reasoning": "Geen grondslag voor de monitoring."},
    )
    assert given.status_code == 302
    # The colleague of the same ministry sees it, and who gave it.
    form = text_of(client_for(app, colleague).get(url(assessment, "standpunt")))
    assert "Nu vastgelegd: bezwaar , door Joost FG JenV" in form
    clients["fin"].post_form(
        url(assessment, "standpunt"),
        {"verdict": "conditional", "reasoning": REASON, "conditions": "Beperk de logging."},
    )
    board = text_of(clients["par"].get("/par"))
    assert "2 van 3 ministeries gereageerd" in board
    matrix = text_of(clients["par"].get(url(assessment, "standpunten")))
    assert "Geen grondslag voor de monitoring." in matrix
    assert "Beperk de logging." in matrix and "Nog niet gereageerd" in matrix
    later = review.today() + timedelta(weeks=4, days=3)
    monkeypatch.setattr("pia.services.review.today", lambda: later)
    matrix = text_of(clients["par"].get(url(assessment, "standpunten")))
    assert "Te laat" in matrix
    board = text_of(clients["par"].get("/par"))
    assert "Termijn verstreken: 3 dagen te laat" in board
    # A remark of an FG appears on the matrix, grouped by its section.
    with app.test_request_context():
        review.add_comment(assessment, p["jenv"], "2", None, "Welke medewerkers precies?")
        db.session.commit()
    matrix = text_of(clients["par"].get(url(assessment, "standpunten")))
    assert "Joost FG JenV (JenV)" in matrix and "Welke medewerkers precies?" in matrix


def test_consolidate_offer_decide_and_establish_through_the_pages(app):
    assessment, p, clients = started(app)
    submit_and_send(assessment, clients, "BZK", "JenV")
    clients["jenv"].post_form(
        url(assessment, "standpunt"),
        {"verdict": "conditional", "reasoning": REASON, "conditions": "Beperk de logging."},
    )
    clients["bzk"].post_form(
        url(assessment, "standpunt"), {"verdict": "positive", "reasoning": REASON}
    )
    assert clients["par"].post_form(url(assessment, "actie/start_consolidation")).status_code == 302
    assert clients["jenv"].get(url(assessment, "standpunt")).status_code == 403
    form = clients["par"].get(url(assessment, "advies"))
    assert "Beperk de logging. (JenV)" in form.get_data(as_text=True)
    saved = clients["par"].post_form(
        url(assessment, "advies"),
        {
            "summary": "Akkoord onder voorwaarden.",
            "conclusion": "conditional",
            "risks": "Monitoring van medewerkers.",
            "conditions": "Beperk de logging. (JenV)",
            "bodies": ["ICBR", "CIO-beraad"],
        },
    )
    assert saved.status_code == 302, text_of(saved)
    assert clients["par"].post_form(url(assessment, "actie/offer_for_approval")).status_code == 302
    assert clients["par"].get(url(assessment, "besluit")).status_code == 403
    today = review.today().isoformat()
    for body in ("ICBR", "CIO-beraad"):
        done = clients["sec"].post_form(
            url(assessment, "besluit"),
            {"body": body, "verdict": "positive", "decided_on": today, "reference": "V-12"},
        )
        assert done.status_code == 302, text_of(done)
    page = text_of(clients["par"].get(url(assessment)))
    assert "ICBR : goedgekeurd, vergadering van" in page
    assert clients["par"].post_form(url(assessment, "actie/request_consent")).status_code == 302
    done = clients["sec"].post_form(
        url(assessment, "besluit"),
        {"body": "GOR Rijk", "verdict": "positive", "decided_on": today, "reference": "GOR-3"},
    )
    assert done.status_code == 302
    assert clients["par"].post_form(url(assessment, "actie/establish")).status_code == 302
    db.session.refresh(assessment)
    assert assessment.state == "established"
    assert "GOR Rijk : instemming," in text_of(clients["owner"].get(url(assessment)))


def test_who_may_open_which_page_of_a_government_wide_assessment(app):
    assessment, p, clients = started(app)
    submit_and_send(assessment, clients, "BZK", "JenV")
    other_lead = client_for(app, make_user(Role.PROJECTLEIDER, org="JenV"))
    expected = {
        "": {"owner": 200, "par": 200, "jenv": 200, "fin": 403, "sec": 403, "lead": 403},
        "standpunten": {"owner": 200, "par": 200, "jenv": 200, "fin": 403, "lead": 403},
        "standpunt": {"owner": 403, "par": 403, "jenv": 200, "sec": 403},
        "versturen": {"owner": 403, "par": 200, "jenv": 403},
        "terugsturen": {"owner": 403, "par": 200, "jenv": 403},
        "advies": {"owner": 403, "par": 200, "jenv": 403},
        "besluit": {"par": 403, "sec": 403, "owner": 403},  # not offered yet
        "medewerkers": {"owner": 200, "par": 403, "jenv": 403},
        "intrekken": {"owner": 200, "par": 200, "jenv": 403, "sec": 403},
    }
    everyone = {**clients, "lead": other_lead}
    got = {
        page: {who: everyone[who].get(url(assessment, page)).status_code for who in row}
        for page, row in expected.items()
    }
    assert got == expected
    assert clients["jenv"].post_form(url(assessment, "actie/establish")).status_code == 403
    assert clients["par"].post_form(url(assessment, "actie/nonsense")).status_code == 404
    assert clients["sec"].get("/par").status_code == 200
    assert clients["owner"].get("/par").status_code == 403
    assert clients["jenv"].get("/par").status_code == 403


def test_a_second_round_shows_the_diff_and_the_earlier_position(app):
    assessment, p, clients = started(app)
    submit_and_send(assessment, clients, "BZK", "JenV")
    clients["jenv"].post_form(
        url(assessment, "standpunt"), {"verdict": "negative", "reasoning": "Geen grondslag."}
    )
    clients["bzk"].post_form(
        url(assessment, "standpunt"), {"verdict": "positive", "reasoning": REASON}
    )
    clients["par"].post_form(url(assessment, "actie/start_consolidation"))
    back = clients["par"].post_form(
        url(assessment, "terugsturen"), {"remarks": "Werk de grondslag uit."}
    )
    assert back.status_code == 302
    page = text_of(clients["owner"].get(url(assessment)))
    assert "Werk de grondslag uit." in page
    with app.test_request_context():
        from pia.models import Questionnaire
        from pia.services import assessments

        answers = dict(assessments.load_answers(assessment, Questionnaire.DPIA))
        answers["1.1"] = "Een nieuwe, betere beschrijving van het doel."
        assessments.store_answers(assessment, Questionnaire.DPIA, answers, actor=assessment.owner)
        db.session.commit()
    submit_and_send(assessment, clients, "BZK", "JenV")
    form = clients["jenv"].get(url(assessment, "standpunt"))
    html = form.get_data(as_text=True)
    assert "data-diff-link" in html and "Wat is er veranderd sinds versie 1?" in text_of(form)
    assert "Uw ministerie gaf toen: bezwaar" in text_of(form)
    assert [r.number for r in par.rounds(assessment)] == [1, 2]


def test_the_owner_marks_a_concept_government_wide_until_it_is_submitted(app):
    from pia import demo_content
    from tests.factories_assessments import make_assessment

    owner = make_user(Role.PROJECTLEIDER, org="BZK")
    assessment = make_assessment(owner, prescan=demo_content.PRESCAN, dpia=demo_content.DPIA)
    client = client_for(app, owner)
    overview = f"/assessments/{assessment.id}"
    assert "Dit is een rijksbrede ontwikkeling" in text_of(client.get(overview))
    editor = client_for(app, make_user(Role.PROJECTLEIDER, org="BZK"))
    assert editor.post_form(url(assessment, "soort"), {"rijksbreed": "1"}).status_code == 403
    assert client.post_form(url(assessment, "soort"), {"rijksbreed": "1"}).status_code == 302
    db.session.refresh(assessment)
    assert assessment.government_wide
    assert "Deze DPIA volgt de PAR-procedure" in text_of(client.get(overview))
    assert client.post_form(url(assessment, "actie/submit")).status_code == 302
    assert "Toch departementaal" not in text_of(client.get(overview))
    assert client.post_form(url(assessment, "soort"), {"rijksbreed": "0"}).status_code == 403
