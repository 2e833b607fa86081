"""Sharing an assessment: outsiders get 403 everywhere; editors save, viewers only read."""

import re

from pia.models import Answer, AssessmentMember, AssessmentRole
from pia.roles import Role
from tests.conftest import audit_events, count, log_in, make_user, text_of
from tests.factories_assessments import (
    DPIA,
    PRESCAN,
    add_member,
    answers_of,
    fill,
    make_assessment,
    questionnaire_form,
    section_url,
)


def member_of(assessment, user) -> AssessmentMember | None:
    from pia.extensions import db

    db.session.expire_all()
    return next((m for m in assessment.members if m.user_id == user.id), None)


def test_someone_without_a_role_gets_403_on_every_page_and_post(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    colleague = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.2": "Vertrouwelijk"}, start_dpia=True)
    add_member(assessment, colleague, AssessmentRole.VIEWER)
    member = member_of(assessment, colleague)
    outsider = make_user(Role.PROJECTLEIDER, org=owner.organisation.abbreviation)
    login(outsider)
    before = (count(Answer), count(AssessmentMember), answers_of(assessment, DPIA))
    base = f"/assessments/{assessment.id}"

    pages = [base, f"{base}/volledig", f"{base}/export.json", f"{base}/delen"]
    pages += [section_url(assessment, "prescan", str(n)) for n in range(8)]
    pages += [section_url(assessment, "dpia", str(n)) for n in range(19)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Vertrouwelijk" not in response.get_data(as_text=True)
    posts = {url: {"base_version": "0", "save": "1"} for url in pages[4:]}
    posts[f"{base}/delen"] = {"email": outsider.email, "role": "editor"}
    posts[f"{base}/delen/{member.id}/intrekken"] = {}
    posts[f"{base}/dpia/starten"] = {}
    for url, data in posts.items():
        assert client.post_form(url, data).status_code == 403, url

    assert (count(Answer), count(AssessmentMember), answers_of(assessment, DPIA)) == before
    assert member_of(assessment, outsider) is None
    assert "Vertrouwelijk" not in text_of(client.get("/assessments/"))


def test_owner_shares_as_editor_and_the_editor_can_save(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    editor = make_user(Role.PROJECTLEIDER, email="m.jansen@minbzk.nl", name="Mila Jansen")
    assessment = make_assessment(owner)
    login(owner)

    response = client.post_form(
        f"/assessments/{assessment.id}/delen", {"email": "M.Jansen@MinBZK.nl ", "role": "editor"}
    )

    assert response.status_code == 302
    assert member_of(assessment, editor).role == "editor"
    page = text_of(client.get(response.headers["Location"]))
    assert "Als m.jansen@minbzk.nl een actief account heeft, heeft die persoon nu toegang" in page
    assert "Mila Jansen (m.jansen@minbzk.nl) BZK Mede-opsteller" in page
    (event,) = audit_events("assessment.shared")
    assert event.details == {"user_id": editor.id, "role": "editor"}

    other = app.test_client()
    log_in(other, editor)
    assert (
        fill(other, assessment, "prescan", "0", {"q_0_2": "Door de mede-opsteller"}).status_code
        == 302
    )
    assert answers_of(assessment, PRESCAN) == {"0.2": "Door de mede-opsteller"}
    # an editor may not share or revoke
    url = f"/assessments/{assessment.id}/delen"
    assert other.post_form(url, {"email": owner.email, "role": "viewer"}).status_code == 403
    owner_member = member_of(assessment, owner)
    revoke = f"{url}/{owner_member.id}/intrekken"
    assert other.post_form(revoke).status_code == 403
    page = other.get(url)
    assert page.status_code == 200
    assert "Een collega toevoegen" not in text_of(page)
    assert "Toegang intrekken" not in text_of(page)


def test_a_viewer_reads_a_page_without_form_and_cannot_save(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    viewer = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner, prescan={"0.2": "Alleen te lezen"}, start_dpia=True)
    login(owner)
    client.post_form(
        f"/assessments/{assessment.id}/delen", {"email": viewer.email, "role": "viewer"}
    )
    assert member_of(assessment, viewer).role == "viewer"

    other = app.test_client()
    log_in(other, viewer)
    url = section_url(assessment, "prescan", "0")
    page = other.get(url)
    assert page.status_code == 200
    assert questionnaire_form(page) is None
    html = page.get_data(as_text=True)
    assert "<textarea" not in html and 'name="save"' not in html
    assert "Opslaan" not in text_of(page)
    assert "U kunt dit onderdeel lezen, maar niet wijzigen." in text_of(page)
    assert "Alleen te lezen" in text_of(page)

    response = other.post_form(url, {"base_version": "0", "q_0_2": "Gewijzigd", "save": "1"})
    assert response.status_code == 403
    response = other.post_form(
        url, {"base_version": "0", "q_0_2": "Gewijzigd"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 403
    assert answers_of(assessment, PRESCAN) == {"0.2": "Alleen te lezen"}
    assert audit_events("assessment.answers_saved") == []
    # reading everything and downloading is allowed
    assert other.get(f"/assessments/{assessment.id}/volledig").status_code == 200
    assert other.get(f"/assessments/{assessment.id}/export.json").status_code == 200


def test_the_owner_revokes_access(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    colleague = make_user(Role.PROJECTLEIDER, name="Kees de Vries")
    assessment = make_assessment(owner)
    add_member(assessment, colleague, AssessmentRole.EDITOR)
    other = app.test_client()
    log_in(other, colleague)
    assert other.get(f"/assessments/{assessment.id}").status_code == 200
    login(owner)

    member = member_of(assessment, colleague)
    response = client.post_form(f"/assessments/{assessment.id}/delen/{member.id}/intrekken")

    assert response.status_code == 302
    assert member_of(assessment, colleague) is None
    assert "De toegang van Kees de Vries is ingetrokken." in text_of(
        client.get(response.headers["Location"])
    )
    assert other.get(f"/assessments/{assessment.id}").status_code == 403
    assert other.get(section_url(assessment, "prescan", "0")).status_code == 403
    (event,) = audit_events("assessment.unshared")
    assert event.details == {"user_id": colleague.id, "role": "editor"}
    # the owner cannot be removed
    owner_member = member_of(assessment, owner)
    client.post_form(f"/assessments/{assessment.id}/delen/{owner_member.id}/intrekken")
    assert member_of(assessment, owner).role == "owner"


def neutral_answer(client, url, email):
    """Share with `email`; the page it leads to, minus the list of members."""
    response = client.post_form(url, {"email": email, "role": "viewer"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return response.headers["Location"], re.search(r'<div class="alert.*?</div>', page, re.S)[0]


def test_sharing_says_the_same_whether_or_not_the_address_has_an_account(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    make_user(Role.PROJECTLEIDER, email="bestaat@minbzk.nl")
    make_user(Role.PROJECTLEIDER, email="vertrokken@minbzk.nl", active=False)
    assessment = make_assessment(owner)
    login(owner)
    url = f"/assessments/{assessment.id}/delen"

    answers = {
        email: neutral_answer(client, url, email)
        for email in ("bestaat@minbzk.nl", "onbekend@minbzk.nl", "vertrokken@minbzk.nl")
    }
    normalised = {
        email: (location, alert.replace(email, "ADRES"))
        for email, (location, alert) in answers.items()
    }
    assert len(set(normalised.values())) == 1, answers
    assert "Als bestaat@minbzk.nl een actief account heeft" in answers["bestaat@minbzk.nl"][1]
    assert "geen actieve gebruiker" not in str(answers)
    assert [e.details["role"] for e in audit_events("assessment.shared")] == ["viewer"]


def test_changing_a_members_role_from_viewer_to_editor(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    colleague = make_user(Role.PROJECTLEIDER)
    assessment = make_assessment(owner)
    add_member(assessment, colleague, AssessmentRole.VIEWER)
    login(owner)
    client.post_form(
        f"/assessments/{assessment.id}/delen", {"email": colleague.email, "role": "editor"}
    )
    assert member_of(assessment, colleague).role == "editor"
    assert [e.details["role"] for e in audit_events("assessment.shared")] == ["viewer", "editor"]


def test_sharing_with_a_deactivated_user_or_the_owner_is_refused(app, client, login):
    owner = make_user(Role.PROJECTLEIDER)
    former = make_user(Role.PROJECTLEIDER, active=False)
    assessment = make_assessment(owner)
    login(owner)
    url = f"/assessments/{assessment.id}/delen"
    response = client.post_form(url, {"email": former.email, "role": "editor"})
    assert response.status_code == 302, "the neutral answer: nothing tells it is deactivated"
    response = client.post_form(url, {"email": owner.email, "role": "viewer"})
    assert "Dit is de eigenaar van het assessment." in text_of(response)
    response = client.post_form(url, {"email": former.email, "role": "owner"})
    assert "Rol: Ongeldige keuze." in text_of(response)
    assert [(m.user_id, m.role) for m in assessment.members] == [(owner.id, "owner")]
