from pia.roles import Role
from tests.conftest import make_user, text_of


def test_login_and_dashboard(client, login):
    user = make_user(Role.BEHEERDER, name="Bea Beheer")
    login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Welkom, Bea Beheer" in text_of(response)
