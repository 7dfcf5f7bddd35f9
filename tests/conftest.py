"""Shared fixtures: headless Qt, stores on temporary files (seeded from the mini or the default dataset)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest

from db import DEFAULT_DATASET_PATH, Store

TESTS = Path(__file__).resolve().parent
MINI_DATASET = TESTS / "data" / "mini_dataset.json"


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's data folder and Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QUADRANGLE_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    for name in ("QUADRANGLE_DB", "QUADRANGLE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


class _Templates:
    """Seeds each dataset once per session, on first use; tests get their own copy of the file."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._paths: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self._paths:
            dataset = {"mini": MINI_DATASET, "default": DEFAULT_DATASET_PATH}[name]
            path = self._folder / f"{name}.db"
            Store.open(path, actor="fixture", dataset_path=dataset).close()
            self._paths[name] = path
        return self._paths[name]


@pytest.fixture(scope="session")
def _seeded_templates(tmp_path_factory) -> _Templates:
    return _Templates(tmp_path_factory.mktemp("templates"))


def _copy_template(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture
def mini_db_path(tmp_path, _seeded_templates) -> Path:
    """A database file seeded from tests/data/mini_dataset.json (UN and EU only)."""
    return _copy_template(_seeded_templates["mini"], tmp_path / "mini.db")


@pytest.fixture
def default_db_path(tmp_path, _seeded_templates) -> Path:
    """A database file seeded from the default dataset (the report's content)."""
    return _copy_template(_seeded_templates["default"], tmp_path / "quadrangle.db")


@pytest.fixture
def mini_store(db_engine, request):
    """A store seeded from the mini dataset: an SQLite file, or (tests/db, second run) a PostgreSQL database."""
    target = _store_target(db_engine, "mini", request)
    store = Store.open(target, actor="tester")
    yield store
    store.close()


@pytest.fixture
def default_store(db_engine, request):
    """A store seeded from the default dataset, on the engine of `db_engine`."""
    target = _store_target(db_engine, "default", request)
    store = Store.open(target, actor="tester")
    yield store
    store.close()


# -- both engines -------------------------------------------------------------------------------
# Tests under tests/db that use a store fixture run twice: on SQLite and on a throwaway PostgreSQL
# cluster (tests/pg_server.py). Tests that need an SQLite file (they use *_db_path) or are marked
# `sqlite_only` run on SQLite alone; tests/desktop always use SQLite.

ENGINES = ("sqlite", "postgresql")
STORE_TESTS = TESTS / "db"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a store test about the SQLite file itself (pragmas, backups)")


def pytest_generate_tests(metafunc):
    if "db_engine" not in metafunc.fixturenames:
        return
    if any("db_engine" in str(m.args[0]) for m in metafunc.definition.iter_markers("parametrize") if m.args):
        return  # the test chose its engines itself
    in_store_suite = STORE_TESTS in Path(str(metafunc.definition.path)).parents
    sqlite_file = {"mini_db_path", "default_db_path"} & set(metafunc.fixturenames)
    if in_store_suite and not sqlite_file and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("db_engine", ENGINES, indirect=True)


@pytest.fixture
def db_engine(request) -> str:
    """The engine a store fixture opens: "sqlite", or "postgresql" in the second run of tests/db."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql":
        request.getfixturevalue("pg_server")
    return engine


@pytest.fixture(scope="session")
def _pg_server_or_reason():
    """The session's cluster, started once, or the reason it could not start (tried once, not per test)."""
    from tests.pg_server import ServerUnavailableError, start_server

    try:
        server = start_server()
    except ServerUnavailableError as exc:
        yield str(exc)
        return
    yield server
    server.stop()


@pytest.fixture
def pg_server(_pg_server_or_reason):
    """A private PostgreSQL cluster for the session; skipped with the reason when none can be started,
    except in CI (CI=true), where a missing server fails the run instead."""
    if isinstance(_pg_server_or_reason, str):
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(
                f"CI needs a PostgreSQL server and none could be started: {_pg_server_or_reason}", pytrace=False
            )
        pytest.skip(f"no local PostgreSQL server: {_pg_server_or_reason}")
    return _pg_server_or_reason


class _PostgresTemplates:
    """Seeds each dataset once per session into a template database; tests get their own copy."""

    def __init__(self, server) -> None:
        self.server = server
        self._names: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._names:
            dataset = {"mini": MINI_DATASET, "default": DEFAULT_DATASET_PATH}[name]
            database = self.server.create_database(name=f"template_{name}")
            Store.open(self.server.url(database), actor="fixture", dataset_path=dataset).close()
            self._names[name] = database
        return self._names[name]


@pytest.fixture(scope="session")
def _pg_templates(_pg_server_or_reason) -> _PostgresTemplates:
    return _PostgresTemplates(_pg_server_or_reason)


@pytest.fixture
def pg_database(pg_server, request):
    """Make PostgreSQL databases for one test: `pg_database()` an empty one, `pg_database("mini")` a
    seeded copy; returns its URL. All are dropped after the test."""
    created: list[str] = []

    def make(seeded_from: str | None = None) -> str:
        template = request.getfixturevalue("_pg_templates")[seeded_from] if seeded_from else None
        name = pg_server.create_database(template=template)
        created.append(name)
        return pg_server.url(name)

    yield make
    for name in created:
        pg_server.drop_database(name)


def _store_target(engine: str, dataset: str, request) -> str | Path:
    if engine == "postgresql":
        return request.getfixturevalue("pg_database")(dataset)
    return request.getfixturevalue(f"{dataset}_db_path")


@pytest.fixture
def store_target(db_engine, request, tmp_path):
    """Make a new seeded database on the test's engine: `store_target("mini")` returns a path or URL
    that several Store objects can open at once (two analysts on one database)."""
    made = []

    def make(dataset: str = "mini") -> str | Path:
        made.append(dataset)
        if db_engine == "postgresql":
            return request.getfixturevalue("pg_database")(dataset)
        template = request.getfixturevalue("_seeded_templates")[dataset]
        return _copy_template(template, tmp_path / f"{dataset}-{len(made)}.db")

    return make


def pytest_report_header(config):
    """Say up front which PostgreSQL the store suite will use (or why it will not run there)."""
    from tests.pg_server import ServerUnavailableError, find_bin_dir

    try:
        return f"postgresql: throwaway cluster from {find_bin_dir()} (CI={os.environ.get('CI', '')})"
    except ServerUnavailableError as exc:
        return f"postgresql: {exc}"


def pytest_sessionfinish(session, exitstatus):
    """Empty the clipboard before Qt shuts down: Qt's offscreen clipboard frees the mime data a copy
    left there after the application object is gone, and the process dies with SIGSEGV after every
    test has passed (a copied table is rich mime data since the Office-fit work)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        QApplication.clipboard().clear()
