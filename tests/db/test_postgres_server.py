"""A shared server's failure modes: unreachable, gone mid-session, wrong database, and passwords that
must never show up in a message, a log line or a repr."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from db import AssessmentInput, Confidence, DatabaseOpenError, Motive, MotiveAssessment, Phase, StorageError, Store
from db.server import describe_server_error, server_address, without_password
from tests.pg_server import _free_port, start_server

PASSWORD = "s3cret-Pa55word"

pytestmark = pytest.mark.postgres


def _draft(relationship_id: str) -> AssessmentInput:
    return AssessmentInput(
        relationship_id=relationship_id,
        as_of=date(2010, 1, 1),
        phases=(Phase.MAINTENANCE,),
        confidence=Confidence.HIGH,
        summary="typed before the cable was pulled",
        motives=(MotiveAssessment(Motive.LEGITIMIZATION, 1, "Mandate."),),
    )


def test_unreachable_server_is_one_clear_line_without_the_password(caplog):
    """Opening a server nobody listens on says which address failed and how to act, and leaks no password."""
    caplog.set_level(logging.DEBUG)
    port = _free_port()
    url = f"postgresql://analyst:{PASSWORD}@127.0.0.1:{port}/quadrangle"
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(url, actor="a")
    message = str(caught.value)
    assert message == (
        f"Cannot reach the database server at 127.0.0.1:{port} (connection refused); check the connection."
    )
    assert "\n" not in message
    assert PASSWORD not in caplog.text


def test_missing_database_points_to_init(pg_server):
    """A database name the server does not have is named, with the command that creates it."""
    with pytest.raises(DatabaseOpenError, match=r"The database 'nowhere' does not exist .*`quadrangle init --db URL`"):
        Store.open(pg_server.url("nowhere", password=PASSWORD), actor="a")


def test_location_never_shows_the_password(pg_database):
    """The location shown to the user and its repr mask the password; the URL still carries it to the driver."""
    url = pg_database("mini").replace("quadrangle@", f"quadrangle:{PASSWORD}@")
    with Store.open(url, actor="a") as store:
        assert PASSWORD not in store.location.display
        assert "***" in store.location.display
        assert PASSWORD not in repr(store.location)
        assert PASSWORD not in repr(store.database.engine)
        assert PASSWORD in store.location.url


def test_server_going_away_mid_session_fails_cleanly_and_recovers(caplog):
    """When the server dies between two actions the save fails with one line and writes nothing; once the
    server is back the same store saves again without being reopened."""
    caplog.set_level(logging.DEBUG)
    server = start_server()
    try:
        url = server.url(server.create_database(), password=PASSWORD)
        with Store.open(url, actor="a", dataset_path=_mini()) as store:
            (rel,) = store.quadrangle.relationships()
            before = store.assessments.history(rel.id)
            server.halt()
            with pytest.raises(StorageError) as caught:
                store.assessments.save(_draft(rel.id))
            message = str(caught.value)
            assert message.startswith(f"Cannot reach the database server at {server.host}:{server.port}") or (
                message.startswith(f"Lost the connection to the database server at {server.host}:{server.port}")
            ), message
            assert "\n" not in message and PASSWORD not in message
            server.start()
            assert store.assessments.history(rel.id) == before
            saved = store.assessments.save(_draft(rel.id))
            assert store.assessments.history(rel.id) == [*before, saved]
        assert PASSWORD not in caplog.text
    finally:
        server.stop()


def test_dropped_connections_are_replaced_transparently(pg_server, mini_store_pg):
    """Connections the server ended (restart, idle timeout) are replaced before the next action uses them."""
    store = mini_store_pg
    (rel,) = store.quadrangle.relationships()
    pg_server.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'quadrangle' AND pid <> pg_backend_pid()"
    )
    saved = store.assessments.save(_draft(rel.id))
    assert store.assessments.history(rel.id)[-1] == saved


class _FakeDriverError(Exception):
    def __init__(self, text: str, sqlstate: str | None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("text", "sqlstate", "expected"),
    [
        (f'password authentication failed for user "analyst" ({PASSWORD})', "28P01", "refused the login of 'analyst'"),
        ("terminating connection due to administrator command", "57P01", "Lost the connection"),
        ("could not serialize access due to concurrent update", "40001", "collided with yours"),
        ("permission denied for table lessons", "42501", "may not change"),
        (f"weird failure password={PASSWORD}", "XX000", "Database error on"),
    ],
)
def test_server_errors_become_one_line_without_secrets(text, sqlstate, expected):
    """Each class of server error gets its own actionable line, and a password the driver echoed is masked."""
    url = f"postgresql+psycopg://analyst:{PASSWORD}@db.example:6543/team"
    message = describe_server_error(_FakeDriverError(text, sqlstate), url, "masked")
    assert expected in message
    assert PASSWORD not in message
    assert "\n" not in message


def test_password_is_removed_before_a_url_is_kept():
    """The preferences keep a connection without its password; paths and password-less URLs are unchanged."""
    assert without_password(f"postgresql://analyst:{PASSWORD}@db:5433/team") == "postgresql://analyst@db:5433/team"
    assert without_password("postgresql://analyst@db/team") == "postgresql://analyst@db/team"
    assert without_password("/home/a/quadrangle.db") == "/home/a/quadrangle.db"
    assert server_address("postgresql://analyst@db/team") == "db:5432"


def _mini():
    from tests.conftest import MINI_DATASET

    return MINI_DATASET


@pytest.fixture
def mini_store_pg(pg_database):
    store = Store.open(pg_database("mini"), actor="tester")
    yield store
    store.close()


def test_password_comes_from_pgpass_or_pgpassword_never_the_url(tmp_path, monkeypatch, caplog):
    """On a server that demands a password, ~/.pgpass and PGPASSWORD log in with a password-less URL; a
    wrong password is refused with one line naming the user, and no password appears anywhere."""
    caplog.set_level(logging.DEBUG)
    server = start_server(password=PASSWORD)
    try:
        url = server.url(server.create_database())  # no password in it
        monkeypatch.delenv("PGPASSWORD", raising=False)
        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
        with pytest.raises(DatabaseOpenError) as caught:
            Store.open(url, actor="a", dataset_path=_mini())
        assert str(caught.value).startswith(f"The database server at {server.host}:{server.port} refused the login")

        pgpass = tmp_path / "pgpass"
        pgpass.write_text(f"{server.host}:{server.port}:*:quadrangle:{PASSWORD}\n")
        pgpass.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(pgpass))
        with Store.open(url, actor="a", dataset_path=_mini()) as store:
            assert [o.code for o in store.quadrangle.organizations()] == ["UN", "EU"]

        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
        monkeypatch.setenv("PGPASSWORD", PASSWORD)
        with Store.open(url, actor="a") as store:
            assert len(store.quadrangle.organizations()) == 2

        monkeypatch.setenv("PGPASSWORD", "wrong-" + PASSWORD)
        with pytest.raises(DatabaseOpenError) as caught:
            Store.open(url, actor="a")
        assert "refused the login of 'quadrangle'" in str(caught.value)
        assert PASSWORD not in str(caught.value) and PASSWORD not in caplog.text
    finally:
        server.stop()
