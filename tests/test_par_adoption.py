"""After the PAR advice is established: the DPIA is adopted and signed by its controllers
exactly as in the departmental route (§20), with the PAR advice in §19."""

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import RegisterRecord
from pia.permissions import access
from pia.roles import Role
from pia.services import par, review
from pia.services.assessments import AssessmentError
from pia.services.par import adoption
from tests.conftest import log_in, make_user
from tests.test_par_service import consolidated, decide
from workflows.errors import TransitionNotAllowed

EXPLAINED = "De bewaartermijn volgt uit de archiefwet; een kortere is niet toegestaan."


def established(app, conclusion="conditional"):
    """A trajectory whose advice (one condition, raised by JenV) is established."""
    assessment, p = consolidated(app, conclusion)
    decide(app, assessment, p["sec"], "ICBR", "positive")
    decide(app, assessment, p["sec"], "CIO-beraad", "conditional")
    with app.test_request_context():
        par.request_consent(assessment, p["par"])
        db.session.commit()
    decide(app, assessment, p["sec"], "GOR Rijk", "positive")
    with app.test_request_context():
        par.establish(assessment, p["par"])
        db.session.commit()
    p["sg"] = make_user(org="BZK", name="Sanne Directeur")
    p["cio"] = make_user(org="Fin", name="Cor CIO Fin")
    return assessment, p


def designate(app, assessment, *users):
    with app.test_request_context():
        for user in users:
            review.designate(assessment, user.email, "Directeur", assessment.owner)
        db.session.commit()


def follow_up(app, assessment, values):
    with app.test_request_context():
        found = par.trajectory(assessment)
        adoption.record_condition_follow_up(assessment, found, assessment.owner, values)
        db.session.commit()


def sign(app, assessment, who, reason=""):
    with app.test_request_context():
        number = review.latest_version(assessment).number
        adopted = review.sign(assessment, who, "Directeur", reason, number)
        db.session.commit()
    return adopted


def test_controllers_sign_after_establishment_and_the_last_signature_adopts(app):
    assessment, p = established(app)
    owner = assessment.owner
    with app.test_request_context():
        # Who wrote it, or an FG whose ministry gave a position, does not adopt it.
        with pytest.raises(AssessmentError, match="mee opgesteld"):
            review.designate(assessment, owner.email, "", owner)
        with pytest.raises(AssessmentError, match="FG"):
            review.designate(assessment, p["jenv"].email, "", owner)
        db.session.rollback()
        with pytest.raises(TransitionNotAllowed) as refused:
            review.offer_for_adoption(assessment, owner, None)
        assert any("verwerkingsverantwoordelijke" in r for r in refused.value.reasons)
    designate(app, assessment, p["sg"], p["cio"])
    with app.test_request_context(), pytest.raises(TransitionNotAllowed) as refused:
        review.offer_for_adoption(assessment, owner, None)
    assert any("voorwaarde" in r for r in refused.value.reasons)
    with app.test_request_context(), pytest.raises(AssessmentError, match="reden"):
        found = par.trajectory(assessment)
        adoption.record_condition_follow_up(assessment, found, owner, {1: ("not_adopted", "")})
    db.session.rollback()
    follow_up(app, assessment, {1: ("not_adopted", EXPLAINED)})
    with app.test_request_context():
        review.offer_for_adoption(assessment, owner, None)
        db.session.commit()
    assert assessment.state == "awaiting_adoption"
    assert access(p["sg"], assessment).may_sign
    # A condition not adopted: signing needs the reason for deviating from the advice.
    with app.test_request_context(), pytest.raises(TransitionNotAllowed) as refused:
        sign(app, assessment, p["sg"])
    assert refused.value.reasons == (
        "U wijkt af van het rijksbrede privacyadvies; leg vast waarom.",
    )
    db.session.rollback()
    assert sign(app, assessment, p["sg"], "De termijn staat vast in de wet.") is False
    assert assessment.state == "awaiting_adoption"
    assert sign(app, assessment, p["cio"], "Zie de toelichting van de initiatiefnemer.") is True
    assert assessment.state == "adopted"
    with app.test_request_context():
        answers = review.workflow_answers(assessment)
    assert [row["naam"] for row in answers["20.1"]] == ["Sanne Directeur", "Cor CIO Fin"]
    assert answers["19.2"] == "definitief"
    assert "Rijksbreed privacyadvies" in answers["19.5.7"]
    assert [row["naam"] for row in answers["20.2"]] == ["Sanne Directeur", "Cor CIO Fin"]
    # Adopted: its processing operations enter the register (art. 30 AVG), as departmental.
    records = select(RegisterRecord.id).where(RegisterRecord.assessment_id == assessment.id)
    assert db.session.scalars(records).all()


def test_a_controller_sends_it_back_and_everyone_signs_the_new_offer(app):
    assessment, p = established(app, "positive")
    designate(app, assessment, p["sg"])
    follow_up(app, assessment, {1: ("adopted", "")})
    with app.test_request_context():
        review.offer_for_adoption(assessment, assessment.owner, None)
        db.session.commit()
        review.return_to_drafters(assessment, p["sg"], "De functie klopt niet.")
        db.session.commit()
    assert assessment.state == "established"
    assert access(assessment.owner, assessment).may_process_par_conditions
    with app.test_request_context():
        review.offer_for_adoption(assessment, assessment.owner, None)
        db.session.commit()
    assert sign(app, assessment, p["sg"]) is True  # positive and adopted: no reason needed
    assert assessment.state == "adopted"


def test_before_establishment_nobody_offers_or_signs(app):
    assessment, p = consolidated(app)
    designate(app, assessment, make_user(org="BZK", name="Vroege Directeur"))
    with app.test_request_context(), pytest.raises(TransitionNotAllowed):
        review.offer_for_adoption(assessment, assessment.owner, None)
    assert not access(assessment.owner, assessment).may_process_par_conditions
    # The departmental actions stay closed to a government-wide DPIA.
    with app.test_request_context(), pytest.raises(TransitionNotAllowed, match="PAR"):
        review.check(assessment.owner, assessment, "submit")


def client_for(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def test_the_pages_of_the_adoption(app):
    assessment, p = established(app)
    designate(app, assessment, p["sg"])
    client = client_for(app, assessment.owner)
    page = client.get(f"/assessments/{assessment.id}/par").get_data(as_text=True)
    assert "Opvolging van de voorwaarden vastleggen" in page
    assert "Sanne Directeur" in page and "nog niet ondertekend" in page
    url = f"/assessments/{assessment.id}/par/voorwaarden"
    assert client.get(url).status_code == 200
    refused = client.post_form(url, data={"response-1": "not_adopted", "explanation-1": ""})
    assert refused.status_code == 400
    assert "Geef de reden waarom deze voorwaarde niet is overgenomen." in refused.get_data(
        as_text=True
    )
    done = client.post_form(url, data={"response-1": "not_adopted", "explanation-1": EXPLAINED})
    assert done.status_code == 302
    offer = client.post_form(f"/assessments/{assessment.id}/beoordeling/aanbieden", data={})
    assert offer.status_code == 302 and offer.location.endswith(f"/{assessment.id}/par")
    assert assessment.state == "awaiting_adoption"
    client = client_for(app, p["sg"])
    page = client.get(f"/assessments/{assessment.id}/par").get_data(as_text=True)
    assert "Vaststellen en ondertekenen" in page
    form = client.get(f"/assessments/{assessment.id}/beoordeling/ondertekenen")
    text = form.get_data(as_text=True)
    assert "Rijksbreed privacyadvies" in text and "U wijkt af van het rijksbrede" in text
    version = review.latest_version(assessment).number
    data = {"function": "Directeur", "version": version, "confirm": "y"}
    missing = client.post_form(f"/assessments/{assessment.id}/beoordeling/ondertekenen", data=data)
    assert missing.status_code == 400
    data["deviation_reason"] = "De termijn staat in de wet."
    signed = client.post_form(f"/assessments/{assessment.id}/beoordeling/ondertekenen", data=data)
    assert signed.status_code == 302
    assert assessment.state == "adopted"
    page = client.get(f"/assessments/{assessment.id}/par").get_data(as_text=True)
    assert "De DPIA is vastgesteld door alle verwerkingsverantwoordelijken" in page


def test_only_the_initiator_records_the_follow_up(app):
    assessment, p = established(app)
    url = f"/assessments/{assessment.id}/par/voorwaarden"
    for who in (p["par"], p["jenv"], p["sec"], make_user(Role.PROJECTLEIDER, org="BZK")):
        assert client_for(app, who).get(url).status_code == 403


def docx_text(body: bytes) -> str:
    from io import BytesIO

    from docx import Document

    doc = Document(BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def download_par_advice(client, assessment):
    made = client.post_form(f"/assessments/{assessment.id}/documenten/par-advies")
    assert made.status_code == 302, made.get_data(as_text=True)[:500]
    got = client.get(made.location)
    assert got.status_code == 200
    return docx_text(got.data)


def test_the_par_advice_as_a_word_file_concept_then_established(app):
    assessment, p = consolidated(app)
    coordinator = client_for(app, p["par"])
    text = download_par_advice(coordinator, assessment)
    assert "CONCEPT: dit advies is nog niet vastgesteld." in text
    assert "(JenV)" in text and "akkoord met voorwaarden" in text
    assert "Beperk de bewaartermijn." in text
    # The owner (a reader of the trajectory) downloads it too once offered; a stranger not.
    owner = client_for(app, assessment.owner)
    assert "Rijksbreed privacyadvies" in download_par_advice(owner, assessment)
    stranger = client_for(app, make_user(Role.PROJECTLEIDER, org="BZK"))
    url = f"/assessments/{assessment.id}/documenten/par-advies"
    assert stranger.post_form(url).status_code == 403
    decide(app, assessment, p["sec"], "ICBR", "positive")
    decide(app, assessment, p["sec"], "CIO-beraad", "conditional")
    with app.test_request_context():
        par.request_consent(assessment, p["par"])
        db.session.commit()
    decide(app, assessment, p["sec"], "GOR Rijk", "positive")
    with app.test_request_context():
        par.establish(assessment, p["par"])
        db.session.commit()
    text = download_par_advice(client_for(app, p["jenv"]), assessment)
    assert "CONCEPT" not in text and "Vastgesteld" in text
    assert "ICBR" in text and "goedgekeurd met voorwaarden" in text
    assert "Verslag GOR Rijk 12" in text and "instemming" in text
    assert "Positief met voorwaarden" in text
    page = owner.get(f"/assessments/{assessment.id}/documenten/").get_data(as_text=True)
    assert "Rijksbreed privacyadvies (PAR)" in page  # the documents made, listed


def test_section_19_of_the_report_and_the_printable_view_show_the_par_advice(app):
    assessment, p = established(app)
    designate(app, assessment, p["sg"])
    follow_up(app, assessment, {1: ("adopted", "")})
    with app.test_request_context():
        review.offer_for_adoption(assessment, assessment.owner, None)
        db.session.commit()
    assert sign(app, assessment, p["sg"]) is True
    owner = client_for(app, assessment.owner)
    made = owner.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    assert made.status_code == 302
    from pia.services import documents

    report = documents.documents_of(assessment)[0]
    text = docx_text(report.content)
    assert "Rijksbreed privacyadvies (PAR)" in text
    assert "De FG heeft nog geen advies gegeven over deze DPIA." not in text
    assert "Verslag CIO-beraad 12" in text and "goedgekeurd met voorwaarden" in text
    assert "Verslag GOR Rijk 12" in text
    assert "(JenV)" in text  # a ministry's position
    assert "Sanne Directeur" in text  # §20: the signature
    page = owner.get(f"/assessments/{assessment.id}/volledig").get_data(as_text=True)
    assert "Rijksbreed privacyadvies (PAR)" in page
    assert "GOR Rijk: instemming" in page
    assert "Sanne Directeur" in page


def test_who_may_make_the_par_advice_and_which_departmental_pages_stay_closed(app):
    assessment, p = consolidated(app)
    make_org_fin = p["fin"]  # Fin was not consulted (consolidated() sends to BZK and JenV)
    auditor = make_user(Role.AUDITOR, org="Fin")
    lead = make_user(Role.PROJECTLEIDER, org="JenV")
    url = f"/assessments/{assessment.id}/documenten/par-advies"
    expected = {
        "par": 302,
        "sec": 302,
        "owner": 302,
        "jenv": 302,
        "auditor": 302,
        "fin": 403,
        "lead": 403,
    }
    who = {**p, "owner": assessment.owner, "auditor": auditor, "lead": lead, "fin": make_org_fin}
    got = {k: client_for(app, who[k]).post_form(url).status_code for k in expected}
    assert got == expected
    owner = client_for(app, assessment.owner)
    base = f"/assessments/{assessment.id}/beoordeling"
    # The departmental steps that a government-wide DPIA does not have: not found.
    for page in ("advies", "ap", "opvolging", "terugsturen"):
        assert owner.get(f"{base}/{page}").status_code in (403, 404), page
    assert owner.get(f"{base}/advies").status_code == 404
    assert owner.get(f"{base}/ap").status_code == 404
