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
def mini_store(mini_db_path):
    store = Store.open(mini_db_path, actor="tester")
    yield store
    store.close()


@pytest.fixture
def default_store(default_db_path):
    store = Store.open(default_db_path, actor="tester")
    yield store
    store.close()
