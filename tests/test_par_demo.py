"""The demo shows a government-wide trajectory in every PAR state to the people in it."""

import pytest
from sqlalchemy import select

from pia.demo import seed_demo
from pia.demo_par import PAR_EXAMPLES
from pia.extensions import db
from pia.models import Assessment, User
from pia.permissions import access
from tests.conftest import log_in, text_of

PASSWORD = "demo-wachtwoord-pia-2026"  # noqa: S105 - the public demo password


def demo_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.demo
def test_every_par_state_is_in_the_demo_for_the_right_people(app):
    seed_demo()
    db.session.commit()
    states = {
        title: db.session.scalar(select(Assessment.state).where(Assessment.title == title))
        for title, _ in PAR_EXAMPLES
    }
    assert sorted(states.values()) == sorted(
        [
            "submitted",
            "fg_consultation",
            "fg_consultation",
            "consolidation",
            "approval",
            "established",
            "awaiting_adoption",
        ]
    )
    running = db.session.scalar(
        select(Assessment).where(Assessment.title == "Rijksbrede samenwerkingsomgeving")
    )
    assert access(demo_user("fg.jenv@pia.test"), running).may_give_position
    client = app.test_client()
    log_in(client, demo_user("par@pia.test"), PASSWORD)
    board = text_of(client.get("/par"))
    assert "2 van 15 ministeries gereageerd" in board
    assert "Termijn verstreken: 14 dagen te laat" in board
    for title, _ in PAR_EXAMPLES:
        assert title in board
    secretariat = app.test_client()
    log_in(secretariat, demo_user("secretariaat@pia.test"), PASSWORD)
    board = text_of(secretariat.get("/par"))
    assert "Rijksbrede analyses personeelsverloop" in board
    assert "Rijksbreed verlofsysteem" not in board  # not offered for approval
    fg = app.test_client()
    log_in(fg, demo_user("fg.jenv@pia.test"), PASSWORD)
    home = text_of(fg.get("/"))
    assert "Rijksbrede samenwerkingsomgeving — standpunt JenV: nog niet gegeven" in home


@pytest.mark.demo
def test_the_demo_has_a_par_dpia_awaiting_the_controllers_signature(app):
    seed_demo()
    db.session.commit()
    director = demo_user("directeur@pia.test")
    waiting = db.session.scalar(
        select(Assessment).where(Assessment.title == "Rijksbrede urenregistratie")
    )
    assert access(director, waiting).may_sign
    client = app.test_client()
    log_in(client, director, PASSWORD)
    page = text_of(client.get(f"/assessments/{waiting.id}/beoordeling/ondertekenen"))
    assert "Rijksbreed privacyadvies: positief met voorwaarden" in page
    assert "Niet overgenomen" in page  # a condition not adopted: a reason is asked
    home = text_of(client.get("/"))
    assert "Rijksbrede urenregistratie" in home  # on the controller's dashboard, to sign
