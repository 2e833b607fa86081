"""Beheer of organisations: add, rename, (de)activate; names and abbreviations are unique."""

import pytest
from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation
from pia.roles import Role
from tests.conftest import count, input_value, make_org, make_user, text_of


def find_org(abbreviation: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.abbreviation == abbreviation))


@pytest.fixture
def beheerder(client, login):
    admin = make_user(Role.BEHEERDER, org="BZK")
    login(admin)
    return admin


def test_beheerder_adds_an_organisation(client, beheerder):
    response = client.post_form(
        "/beheer/organisaties/nieuw",
        {"name": " Autoriteit Persoonsgegevens ", "abbreviation": "AP"},
    )
    assert response.status_code == 302
    listing = client.get(response.headers["Location"])
    assert "Organisatie Autoriteit Persoonsgegevens is toegevoegd." in text_of(listing)
    org = find_org("AP")
    assert org.name == "Autoriteit Persoonsgegevens"
    assert org.active
    assert not org.is_ministry, "the box was not ticked"


def test_beheerder_renames_an_organisation(client, beheerder):
    org = make_org("EZK", "Economische Zaken en Klimaat")
    page = client.get(f"/beheer/organisaties/{org.id}")
    assert input_value(page, "name") == "Economische Zaken en Klimaat"
    response = client.post_form(
        f"/beheer/organisaties/{org.id}",
        {"name": "Economische Zaken", "abbreviation": "EZ", "is_ministry": "y"},
    )
    assert response.status_code == 302
    assert (org.name, org.abbreviation, org.is_ministry) == ("Economische Zaken", "EZ", True)
    assert "Economische Zaken" in text_of(client.get("/beheer/organisaties/"))


DUPLICATES = [
    ("justitie en veiligheid", "JV", "Er bestaat al een organisatie met deze naam."),
    ("Justitie", "jenv", "Er bestaat al een organisatie met deze afkorting."),
]


def test_duplicate_name_or_abbreviation_is_refused(client, beheerder):
    make_org("JenV", "Justitie en Veiligheid")
    other = make_org("OCW", "Onderwijs, Cultuur en Wetenschap")
    before = count(Organisation)
    for name, abbreviation, message in DUPLICATES:
        response = client.post_form(
            "/beheer/organisaties/nieuw", {"name": name, "abbreviation": abbreviation}
        )
        assert response.status_code == 200
        assert message in text_of(response)
        assert input_value(response, "name") == name, "what was typed is kept"
        assert input_value(response, "abbreviation") == abbreviation
        assert count(Organisation) == before

        response = client.post_form(
            f"/beheer/organisaties/{other.id}", {"name": name, "abbreviation": abbreviation}
        )
        assert response.status_code == 200
        assert message in text_of(response)
        assert (other.name, other.abbreviation) == ("Onderwijs, Cultuur en Wetenschap", "OCW")


def test_empty_form_says_what_is_missing(client, beheerder):
    before = count(Organisation)
    response = client.post_form("/beheer/organisaties/nieuw", {"name": " ", "abbreviation": ""})
    assert response.status_code == 200
    text = text_of(response)
    assert "Vul de naam van de organisatie in." in text
    assert "Vul een afkorting in." in text
    assert count(Organisation) == before


def test_deactivate_and_reactivate_an_organisation_keeping_its_users(client, beheerder):
    org = make_org("VRO", "Volkshuisvesting en Ruimtelijke Ordening")
    member = make_user(Role.FG, org="VRO")
    response = client.post_form(f"/beheer/organisaties/{org.id}/actief")
    assert response.status_code == 302
    assert "is gedeactiveerd" in text_of(client.get(response.headers["Location"]))
    assert not org.active
    assert member.organisation_id == org.id
    assert find_org("VRO") is not None, "deactivated, not deleted"

    client.post_form(f"/beheer/organisaties/{org.id}/actief")
    assert org.active


def test_beheerder_cannot_deactivate_their_own_organisation(client, beheerder):
    own = beheerder.organisation
    response = client.post_form(f"/beheer/organisaties/{own.id}/actief")
    assert response.status_code == 302
    assert "U kunt uw eigen organisatie niet deactiveren." in text_of(
        client.get(response.headers["Location"])
    )
    assert own.active


def test_organisations_cannot_be_deleted(app, client, beheerder):
    org = make_org("AZ", "Algemene Zaken")
    assert client.delete(f"/beheer/organisaties/{org.id}").status_code == 405
    assert client.post_form(f"/beheer/organisaties/{org.id}/verwijderen").status_code == 404
    assert find_org("AZ") is not None
