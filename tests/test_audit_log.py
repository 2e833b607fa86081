"""The audit log: what is recorded, that it is append-only, and that tampering is detected."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from pia.extensions import db
from pia.models import AuditEvent
from pia.models.audit import AuditLogIsAppendOnly
from pia.models.types import utcnow
from pia.roles import Role
from pia.services.audit import verify_chain
from tests.conftest import PASSWORD, audit_events, log_in, make_org, make_user, text_of

ADDRESS = "192.0.2.44"


def from_address(client, address: str = ADDRESS):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def only(action: str) -> AuditEvent:
    events = audit_events(action)
    assert len(events) == 1, f"{action}: {[e.summary for e in events]}"
    return events[0]


def assert_recent(event: AuditEvent) -> None:
    assert utcnow() - timedelta(minutes=1) < event.occurred_at <= utcnow()


def test_logins_failures_and_logout_are_recorded_with_who_when_and_where(client):
    user = make_user(Role.FG, name="Joost Verbeek", email="joost@pia.test")
    from_address(client)
    client.post_form("/inloggen", {"email": "niemand@pia.test", "password": PASSWORD})
    client.post_form("/inloggen", {"email": user.email, "password": "verkeerd-wachtwoord"})
    log_in(client, user)
    client.post_form("/uitloggen")

    unknown, wrong = audit_events("login.failed")
    assert unknown.actor_id is None
    # What was typed for an account that does not exist is not kept (it may be a typo of
    # someone's private address, or a password typed in the wrong field): a keyed hash.
    assert unknown.summary == "Mislukte inlogpoging voor een onbekend account"
    assert "niemand" not in str(unknown.details)
    assert len(unknown.details["account_key"]) == 16
    assert wrong.actor_id == user.id
    assert wrong.details["reason"] == "wachtwoord"
    success = only("login.succeeded")
    logout = only("logout")
    for event in (unknown, wrong, success, logout):
        assert event.ip_address == ADDRESS
        assert_recent(event)
    for event in (success, logout):
        assert event.actor_id == user.id
        assert event.actor_label == "Joost Verbeek <joost@pia.test>"
    assert PASSWORD not in str([(e.summary, e.details) for e in audit_events()])


def test_account_and_organisation_changes_are_recorded(client, login):
    admin = make_user(Role.BEHEERDER, name="Bea Beheer", email="bea@pia.test")
    jenv = make_org("JenV", "Justitie en Veiligheid")
    from_address(client)
    login(admin)

    client.post_form(
        "/beheer/gebruikers/nieuw",
        {
            "name": "Fatima Gerritsen",
            "email": "fatima@pia.test",
            "organisation_id": str(jenv.id),
            "roles": ["fg"],
        },
    )
    created = only("user.created")
    user_id = int(created.object_id)
    base = {
        "name": "Fatima Gerritsen",
        "email": "fatima@pia.test",
        "function": "",
        "organisation_id": str(jenv.id),
    }
    client.post_form(f"/beheer/gebruikers/{user_id}", {**base, "roles": ["fg", "auditor"]})
    client.post_form(
        f"/beheer/gebruikers/{user_id}", {**base, "name": "Fatima de Vries", "roles": ["fg"]}
    )
    client.post_form(f"/beheer/gebruikers/{user_id}/wachtwoord")
    client.post_form(f"/beheer/gebruikers/{user_id}/actief")
    client.post_form(f"/beheer/gebruikers/{user_id}/actief")
    client.post_form(
        "/beheer/organisaties/nieuw", {"name": "Raad van State", "abbreviation": "RvS"}
    )
    org_id = int(only("organisation.created").object_id)
    client.post_form(
        f"/beheer/organisaties/{org_id}", {"name": "Raad van State", "abbreviation": "RVS"}
    )
    client.post_form(f"/beheer/organisaties/{org_id}/actief")

    assert created.details == {"organisation": "JenV", "roles": ["fg"]}
    roles_changed = only("user.roles_changed")
    assert roles_changed.details == {"changes": {"roles": [["fg"], ["auditor", "fg"]]}}
    updated = only("user.updated")
    assert updated.details["changes"]["name"] == ["Fatima Gerritsen", "Fatima de Vries"]
    assert updated.details["changes"]["roles"] == [["auditor", "fg"], ["fg"]]
    assert only("organisation.updated").details == {"changes": {"abbreviation": ["RvS", "RVS"]}}

    user_events = [
        "user.created",
        "user.invited",
        "user.roles_changed",
        "user.updated",
        "user.password_link_sent",
        "user.deactivated",
        "user.reactivated",
    ]
    org_events = ["organisation.created", "organisation.updated", "organisation.deactivated"]
    for action in user_events + org_events:
        event = only(action)
        assert event.actor_id == admin.id, action
        assert event.actor_label == "Bea Beheer <bea@pia.test>", action
        assert event.ip_address == ADDRESS, action
        assert_recent(event)
        expected_id = user_id if action.startswith("user.") else org_id
        assert (event.object_type, event.object_id) == (action.split(".")[0], str(expected_id))
    everything = str([(e.summary, e.details) for e in audit_events()])
    assert "/wachtwoord-instellen/" not in everything, "password links never reach the log"


def test_rows_cannot_be_changed_or_deleted_through_the_orm(client, login):
    login(make_user(Role.FG))
    event = audit_events()[0]
    event.summary = "niets gebeurd"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(audit_events()[0])
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert audit_events()[0].summary != "niets gebeurd"


RAW_CHANGES = [
    "UPDATE audit_events SET summary = 'niets gebeurd'",
    "UPDATE audit_events SET actor_id = NULL, actor_label = ''",
    "DELETE FROM audit_events",
    "DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)",
]


def test_database_refuses_raw_updates_and_deletes(client, login, backend):
    login(make_user(Role.FG))
    before = [(e.id, e.summary, e.actor_id) for e in audit_events()]
    assert before
    statements = RAW_CHANGES + (["TRUNCATE audit_events"] if backend == "postgresql" else [])
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            outside_the_app(statement)
        assert [(e.id, e.summary, e.actor_id) for e in audit_events()] == before, statement


def outside_the_app(*statements: str, **params) -> None:
    """Run SQL on a connection of its own, as someone with database access would."""
    db.session.commit()  # our own transaction would hold locks the statements wait for
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)
    db.session.expire_all()


def drop_guards(backend: str) -> None:
    """What an attacker with database access would do first."""
    statements = {
        "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
        "postgresql": ["DROP TRIGGER audit_events_append_only ON audit_events"],
    }[backend]
    outside_the_app(*statements)


def some_history(client, login) -> list[AuditEvent]:
    user = make_user(Role.BEHEERDER)
    login(user)
    client.post_form(
        "/beheer/organisaties/nieuw", {"name": "Raad van State", "abbreviation": "RvS"}
    )
    client.post_form("/uitloggen")
    log_in(client, user)
    events = audit_events()
    assert len(events) >= 4
    return events


def verify_audit_command(app):
    return app.test_cli_runner().invoke(args=["verify-audit"])


def test_intact_chain_verifies(app, client, login):
    events = some_history(client, login)
    assert events[0].prev_hash == "0" * 64
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert verify_chain() is None
    result = verify_audit_command(app)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_altered_row_is_detected(app, client, login, backend):
    events = some_history(client, login)
    drop_guards(backend)
    victim = events[2]
    outside_the_app(
        "UPDATE audit_events SET summary = 'Niets aan de hand' WHERE id = :id", id=victim.id
    )
    assert verify_chain() == victim.id
    result = verify_audit_command(app)
    assert result.exit_code != 0
    assert str(victim.id) in result.output


def test_altered_row_with_recomputed_hash_is_detected_by_the_next_row(app, client, login, backend):
    from pia.services.audit import _digest

    events = some_history(client, login)
    drop_guards(backend)
    victim = events[1]
    victim_id, following_id = victim.id, events[2].id
    db.session.expunge(victim)
    victim.actor_label = "Iemand anders <anders@pia.test>"
    forged = _digest(victim)
    outside_the_app(
        "UPDATE audit_events SET actor_label = :label, hash = :hash WHERE id = :id",
        label=victim.actor_label,
        hash=forged,
        id=victim_id,
    )
    assert verify_chain() == following_id


def test_deleted_row_is_detected(app, client, login, backend):
    events = some_history(client, login)
    drop_guards(backend)
    outside_the_app("DELETE FROM audit_events WHERE id = :id", id=events[1].id)
    assert verify_chain() == events[2].id
    assert verify_audit_command(app).exit_code != 0


def test_a_removed_tail_leaves_an_intact_chain_but_the_anchor_shows_it(app, client, login, backend):
    from pia.models import AuditAnchor

    events = some_history(client, login)
    first = verify_audit_command(app)
    assert first.exit_code == 0, first.output
    head_id, head_hash, total = events[-1].id, events[-1].hash, len(events)
    assert f"Kop: {total} gebeurtenissen, laatste {head_id}, hash {head_hash}" in first.output
    (stored,) = db.session.scalars(select(AuditAnchor)).all()
    assert (stored.event_id, stored.event_hash, stored.event_count) == (head_id, head_hash, total)

    drop_guards(backend)
    outside_the_app("DELETE FROM audit_events WHERE id >= :id", id=events[-2].id)
    assert verify_chain() is None, "what is left is a valid chain: the hashes alone miss it"
    result = verify_audit_command(app)
    assert result.exit_code == 1
    assert f"Gebeurtenis {head_id}" in result.output
    assert "het einde van het auditlog is verwijderd" in result.output
    assert len(db.session.scalars(select(AuditAnchor)).all()) == 1, "no anchor for a bad log"


def test_a_forged_anchor_is_detected(app, client, login, backend):
    some_history(client, login)
    assert verify_audit_command(app).exit_code == 0
    guard = {
        "sqlite": ["DROP TRIGGER audit_anchors_no_update"],
        "postgresql": ["DROP TRIGGER audit_anchors_append_only ON audit_anchors"],
    }[backend]
    outside_the_app(*guard, "UPDATE audit_anchors SET event_count = 1")
    result = verify_audit_command(app)
    assert result.exit_code == 1
    assert "geen geldige handtekening" in result.output


def test_anchors_are_append_only_in_the_database(app, client, login):
    some_history(client, login)
    assert verify_audit_command(app).exit_code == 0
    for statement in ("UPDATE audit_anchors SET event_count = 0", "DELETE FROM audit_anchors"):
        with pytest.raises(DBAPIError):
            outside_the_app(statement)


def test_verify_audit_checks_an_expected_head_kept_elsewhere(app, client, login, backend):
    events = some_history(client, login)
    kept, kept_id = events[-1].hash, events[-1].id
    assert (
        app.test_cli_runner()
        .invoke(args=["verify-audit", "--no-anchor", "--expect-head", kept])
        .exit_code
        == 0
    )
    drop_guards(backend)
    outside_the_app("DELETE FROM audit_events WHERE id = :id", id=kept_id)
    result = app.test_cli_runner().invoke(
        args=["verify-audit", "--no-anchor", "--expect-head", kept]
    )
    assert result.exit_code == 1
    assert "niet (meer) in het auditlog" in result.output


def test_beheerder_and_auditor_read_the_log(app, client, login):
    actor = make_user(Role.FG, name="Joost Verbeek", email="joost@pia.test")
    someone = from_address(app.test_client())
    log_in(someone, actor)
    someone.post_form("/uitloggen")
    for role in (Role.BEHEERDER, Role.AUDITOR):
        reader = app.test_client()
        log_in(reader, make_user(role))
        page = reader.get("/auditlog/")
        assert page.status_code == 200, role
        text = text_of(page)
        assert "Joost Verbeek <joost@pia.test>" in text
        # every event code in words, never the code itself
        assert "Ingelogd" in text and "Uitgelogd" in text
        assert "login.succeeded" not in text and "logout" not in text
        assert ADDRESS in text
        filtered = text_of(reader.get("/auditlog/", query_string={"actie": "logout"}))
        assert "Joost Verbeek is uitgelogd" in filtered
        assert "Joost Verbeek is ingelogd" not in filtered


def test_other_roles_cannot_read_the_log(app):
    for role in (Role.PROJECTLEIDER, Role.FG, Role.PAR_COORDINATOR, Role.SECRETARIAAT):
        client = app.test_client()
        log_in(client, make_user(role))
        assert client.get("/auditlog/").status_code == 403, role


def test_actor_label_keeps_the_name_at_the_time(client, login):
    user = make_user(Role.FG, name="Fatima Gerritsen", email="fatima@pia.test")
    login(user)
    user.name = "Fatima de Vries"
    db.session.commit()
    assert only("login.succeeded").actor_label == "Fatima Gerritsen <fatima@pia.test>"
    assert verify_chain() is None


def test_concurrent_writers_keep_a_single_chain(app, make_app):
    """Several workers logging at once must not fork the chain (it would look like tampering)."""
    from pia.services import audit

    workers = [make_app() for _ in range(4)]
    start = threading.Barrier(len(workers))
    errors = []

    def work(worker, n: int) -> None:
        try:
            with worker.app_context():
                start.wait()
                for i in range(10):
                    audit.record("test.concurrent", summary=f"werker {n}, gebeurtenis {i}")
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(w, n)) for n, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = audit_events("test.concurrent")
    assert len(events) == 40
    assert len({e.prev_hash for e in audit_events()}) == len(audit_events()), "the chain forked"
    assert verify_chain() is None
