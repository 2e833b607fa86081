"""One-time links to choose a password: single use, expiring, revocable, only in the mail."""

from datetime import timedelta

from sqlalchemy import select

from pia.extensions import db
from pia.models import OutgoingMail, PasswordLink
from pia.roles import Role
from pia.services import password_links
from tests.conftest import (
    PASSWORD,
    audit_events,
    log_in,
    make_user,
    password_link_token,
    text_of,
    user_sessions,
)

CHOSEN = "zelf-gekozen-wachtwoord-2026"


def send(app, user, purpose="reset"):
    with app.test_request_context():
        password_links.send_link(user, purpose, actor=None)
        db.session.commit()
    return password_link_token(user)


def choose(client, token, password=CHOSEN, confirm=None):
    return client.post_form(
        f"/wachtwoord-instellen/{token}",
        {"new_password": password, "confirm_password": confirm or password},
    )


def test_only_a_hash_of_the_token_is_stored(app):
    user = make_user(Role.FG)
    token = send(app, user)
    (link,) = db.session.scalars(select(PasswordLink)).all()
    assert token not in link.token_hash
    assert len(link.token_hash) == 64
    assert link.expires_at - link.created_at == timedelta(hours=24)


def test_a_link_works_once(app, client):
    user = make_user(Role.FG)
    token = send(app, user)
    page = client.get(f"/wachtwoord-instellen/{token}")
    assert page.status_code == 200
    assert user.email in text_of(page)
    assert client.get(f"/wachtwoord-instellen/{token}").status_code == 200, "opening uses nothing"

    response = choose(client, token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/inloggen"
    log_in(app.test_client(), user, CHOSEN)
    (event,) = audit_events("user.password_set_by_link")
    assert event.actor_id == user.id

    again = choose(app.test_client(), token, "nog-een-ander-wachtwoord-2026")
    assert again.status_code == 404
    assert "al gebruikt" in text_of(again)
    log_in(app.test_client(), user, CHOSEN)


def test_an_expired_link_is_refused(app, client):
    user = make_user(Role.FG)
    token = send(app, user)
    link = db.session.scalar(select(PasswordLink))
    link.expires_at = link.created_at - timedelta(seconds=1)
    db.session.commit()
    response = choose(client, token)
    assert response.status_code == 404
    assert "verlopen" in text_of(response)
    log_in(client, user, PASSWORD)


def test_unknown_tokens_and_deactivated_accounts_get_nothing(app, client):
    assert client.get("/wachtwoord-instellen/verzonnen").status_code == 404
    user = make_user(Role.FG)
    token = send(app, user)
    admin = make_user(Role.BEHEERDER)
    beheer = app.test_client()
    log_in(beheer, admin)
    beheer.post_form(f"/beheer/gebruikers/{user.id}/actief")
    assert choose(client, token).status_code == 404
    link = db.session.scalar(select(PasswordLink))
    assert link.revoked_at is not None, "deactivation revokes the link"


def test_a_refused_password_keeps_the_link_usable(app, client):
    user = make_user(Role.FG)
    token = send(app, user)
    weak = choose(client, token, "wachtwoord123")
    assert weak.status_code == 200
    assert "te voorspelbaar" in text_of(weak)
    mismatch = choose(client, token, CHOSEN, "iets-anders-dan-dat-2026")
    assert "niet gelijk" in text_of(mismatch)
    assert choose(client, token).status_code == 302


def test_two_requests_at_once_use_a_link_only_once(app, make_app, monkeypatch):
    """The second request checked the link before the first one used it."""
    user = make_user(Role.FG)
    token = send(app, user)
    link_id = password_links.open_link(token).id  # checked: still unused

    first = make_app().test_client()
    assert choose(first, token).status_code == 302

    # The check has passed already; only the conditional update can stop the second use.
    monkeypatch.setattr(
        password_links, "open_link", lambda _token: db.session.get(PasswordLink, link_id)
    )
    with app.test_request_context():
        try:
            password_links.use_link(token, "tweede-wachtwoord-van-de-race-2026")
        except password_links.LinkError:
            pass
        else:
            raise AssertionError("the link was used twice")
    db.session.rollback()
    db.session.expire_all()
    log_in(app.test_client(), user, CHOSEN)


def test_using_a_link_ends_every_session_of_the_account(app, client):
    user = make_user(Role.FG)
    other_browser = app.test_client()
    log_in(other_browser, user)
    token = send(app, user)
    assert choose(client, token).status_code == 302
    assert [s.end_reason for s in user_sessions(user)] == ["password_reset"]
    assert other_browser.get("/").status_code == 302


def test_a_sent_link_mail_loses_its_body(app):
    from pia.services import notify

    user = make_user(Role.FG)
    send(app, user)
    (item,) = db.session.scalars(select(OutgoingMail)).all()
    assert "/wachtwoord-instellen/" in item.body
    assert notify.dispatch_pending() == (1, 0)
    db.session.expire_all()
    assert item.sent_at is not None
    assert item.body == "", "the link is in the recipient's mailbox only"


def test_the_beheerder_is_warned_when_mail_is_off(app, client):
    app.config["MAIL_BACKEND"] = "none"
    user = make_user(Role.FG)
    log_in(client, make_user(Role.BEHEERDER))
    response = client.post_form(f"/beheer/gebruikers/{user.id}/wachtwoord")
    assert "e-mail staat uit" in text_of(client.get(response.headers["Location"]))
