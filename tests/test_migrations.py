"""The migrations are the schema: all the way up equals the models, down and up again works."""

import itertools

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from pia import create_app
from pia.extensions import db
from tests.conftest import BASE_CONFIG

_names = itertools.count()


@pytest.fixture
def empty_database_url(db_template, tmp_path):
    """A database with nothing in it, on this run's backend."""
    backend, source = db_template
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        name = f"pia_empty_{next(_names)}"
        source.execute(f"CREATE DATABASE {name}")
        yield source.url(name)
        source.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def empty_app(empty_database_url):
    app = create_app({**BASE_CONFIG, "DATABASE_URL": empty_database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def audit_triggers() -> set[str]:
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        return set(connection.execute(text(query)).scalars())


def test_starting_the_app_creates_no_tables(empty_app):
    assert empty_app.test_client().get("/health").status_code == 200
    assert tables() == set(), "the schema comes from migrations only, never from the app"


def test_all_migrations_produce_exactly_the_models_schema(empty_app):
    upgrade()
    assert schema_differences() == []
    assert set(db.metadata.tables) <= tables()
    assert audit_triggers(), "the audit log's append-only triggers are part of the schema"
    # The comparison does notice a difference (here: an index gone missing).
    with db.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_audit_events_action"))
    assert [d[0] for d in schema_differences()] == ["add_index"]


def test_downgrade_to_base_and_upgrade_again(empty_app):
    upgrade()
    triggers = audit_triggers()
    downgrade(revision="base")
    assert tables() == {"alembic_version"}
    assert audit_triggers() == set()
    upgrade()
    assert schema_differences() == []
    assert audit_triggers() == triggers


def test_one_line_of_history(empty_app):
    from alembic.script import ScriptDirectory

    config = empty_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads, merge them: {heads}"


def test_the_record_hardening_back_fills_who_wrote_in_an_assessment(empty_app):
    """0005r: every writer so far (answers, section saves, the audit log) becomes an author."""
    upgrade(revision="0004")
    now = "2026-11-01 10:00:00"
    statements = [
        "INSERT INTO organisations (id, name, abbreviation, is_ministry, active, created_at) "
        "VALUES (1, 'Ministerie BZK', 'BZK', true, true, :now)",
        "INSERT INTO assessments (id, title, description, organisation_id, government_wide, "
        "state, prescan_definition, prescan_version, created_by_id, created_at, updated_at, "
        "round, withdrawal_reason) VALUES (7, 'T', '', 1, false, 'concept', 'prescan', '2.0', "
        "1, :now, :now, 1, '')",
        "INSERT INTO answers (assessment_id, questionnaire, question_id, value, updated_at, "
        "updated_by_id) VALUES (7, 'prescan', '0.2', '\"x\"', :now, 2)",
        "INSERT INTO section_versions (assessment_id, questionnaire, section_id, version, "
        "updated_at, updated_by_id) VALUES (7, 'prescan', '0', 1, :now, 3)",
        # An editor who saved and was later overwritten: only the audit log remembers.
        "INSERT INTO audit_events (occurred_at, actor_id, actor_label, ip_address, action, "
        "object_type, object_id, summary, details, prev_hash, hash) VALUES (:now, 4, 'U4', '', "
        "'assessment.answers_saved', 'assessment', '7', '', '{}', '0', 'h1')",
        # Someone who only read it is not an author.
        "INSERT INTO audit_events (occurred_at, actor_id, actor_label, ip_address, action, "
        "object_type, object_id, summary, details, prev_hash, hash) VALUES (:now, 5, 'U5', '', "
        "'document.generated', 'assessment', '7', '', '{}', 'h1', 'h2')",
    ]
    organisation, *statements = statements
    with db.engine.begin() as connection:
        connection.execute(text(organisation), {"now": now})
        for n in (1, 2, 3, 4, 5):
            connection.execute(
                text(
                    "INSERT INTO users (id, email, name, function, organisation_id, "
                    "password_hash, must_change_password, active, created_at, "
                    "password_changed_at) VALUES (:n, :email, :name, '', 1, 'x', false, true, "
                    ":now, :now)"
                ),
                {"n": n, "email": f"u{n}@pia.test", "name": f"U{n}", "now": now},
            )
        for statement in statements:
            connection.execute(text(statement), {"now": now})
    upgrade()
    with db.engine.connect() as connection:
        authors = connection.execute(
            text("SELECT user_id FROM assessment_authors WHERE assessment_id = 7 ORDER BY 1")
        ).scalars()
        assert list(authors) == [1, 2, 3, 4]
        assert connection.execute(text("SELECT revision FROM assessments")).scalar() == 0
