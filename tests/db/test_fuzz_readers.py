"""Property tests: every file reader gets generated and mutated input and either rejects it cleanly (a
QuadrangleError with a one-line message) or gives a correct result; never a crash, never a partial write.

Readers covered here: the dataset reader (`parse_dataset`, `load_dataset`, seeding a new store) and
backups given to restore. Helpers who add readers (BibTeX, RIS, exchange files) add their own cases.
Examples are derandomized so CI is stable; raise QUADRANGLE_FUZZ_EXAMPLES to search harder locally.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import Dataset, QuadrangleError, Store
from db.dataset import parse_dataset
from tests.conftest import MINI_DATASET
from tests.db.safety_helpers import digest

SCALE = float(os.environ.get("QUADRANGLE_FUZZ_EXAMPLES", "1"))
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MINI = json.loads(MINI_DATASET.read_text(encoding="utf-8"))
MINI_BYTES = MINI_DATASET.read_bytes()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=25,
)


def assert_clean_rejection(exc: BaseException) -> None:
    assert isinstance(exc, QuadrangleError), f"{type(exc).__name__} escaped: {exc!r}"
    text = str(exc)
    assert text.strip() and "\n" not in text and len(text) < 2000, text


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def mutated_datasets(draw):
    """The mini dataset with a few random edits: values replaced, keys deleted, items duplicated, text changed."""
    data = copy.deepcopy(MINI)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        operation = draw(st.sampled_from(["replace", "delete", "duplicate", "text", "number"]))
        if operation == "replace":
            parent[key] = draw(json_values)
        elif operation == "delete":
            del parent[key]
        elif operation == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif operation == "text":
            parent[key] = draw(
                st.text(max_size=400)
                | st.sampled_from(
                    ["", " ", "2008-01-15T00:00:00", "2099-02-30", "<b>x</b>", "\x00", "UN", "a" * 30_000]
                )
            )
        elif operation == "number":
            parent[key] = draw(st.integers(-(2**64), 2**64) | st.floats())
    return data


def _parse(data) -> Dataset | None:
    try:
        return parse_dataset(data, origin="fuzz")
    except Exception as exc:  # noqa: BLE001 - the property is about what escapes
        assert_clean_rejection(exc)
        return None


@FUZZ
@given(json_values)
def test_parse_dataset_on_arbitrary_json(value):
    """Any JSON value is a clean rejection (none of these is a dataset)."""
    assert _parse(value) is None


@settings(FUZZ, max_examples=int(300 * SCALE))
@given(mutated_datasets())
def test_parse_dataset_on_mutated_datasets(data):
    """A mutated dataset is either rejected cleanly or parsed into a Dataset whose references resolve."""
    result = _parse(data)
    if result is not None:
        assert {o.code for o in result.organizations} >= {c for r in result.relationships for c in r.organizations}


@st.composite
def mutated_bytes(draw, original: bytes):
    data = bytearray(original)
    operation = draw(st.sampled_from(["truncate", "flip", "insert", "replace", "nest"]))
    if operation == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if operation == "nest":
        return b"[" * draw(st.integers(1, 200_000))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if operation == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            data[at : at + 4] = draw(st.sampled_from([b"\xff\xfe", b"\x00", b'"', b"{", b"]", b"\\u0000", b"null"]))
    return bytes(data)


@settings(FUZZ, max_examples=int(200 * SCALE))
@given(mutated_bytes(MINI_BYTES))
def test_load_dataset_on_mutated_files(tmp_path_factory, raw):
    """A truncated, bit-flipped, spliced or absurdly nested dataset file is rejected cleanly or loads correctly."""
    from db import load_dataset

    path = tmp_path_factory.mktemp("ds") / "dataset.json"
    path.write_bytes(raw)
    try:
        result = load_dataset(path)
    except Exception as exc:  # noqa: BLE001
        assert_clean_rejection(exc)
    else:
        # Loaded means usable: a Dataset whose every relationship names organizations it defines.
        assert isinstance(result, Dataset)
        assert {o.code for o in result.organizations} >= {c for r in result.relationships for c in r.organizations}


def test_load_dataset_rejects_oversized_files(tmp_path):
    """A file over the size limit is refused before it is read."""
    from db import DatasetError, load_dataset

    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    with pytest.raises(DatasetError, match="larger than a dataset may be"):
        load_dataset(path)


@settings(FUZZ, max_examples=int(12 * SCALE))
@given(mutated_datasets())
def test_seeding_from_a_mutated_dataset_writes_all_or_nothing(tmp_path_factory, data):
    """A new store seeded from a mutated dataset either opens sound or leaves no database file behind."""
    folder = tmp_path_factory.mktemp("seed")
    dataset_path = folder / "dataset.json"
    dataset_path.write_text(json.dumps(data), encoding="utf-8")
    target = folder / "new.db"
    try:
        store = Store.open(target, actor="fuzz", dataset_path=dataset_path)
    except Exception as exc:  # noqa: BLE001
        assert_clean_rejection(exc)
        assert not target.exists() and not Path(f"{target}-wal").exists()
    else:
        with store:
            assert store.safety.check() == []
            assert len(store.quadrangle.organizations()) == len(data["organizations"])


@pytest.fixture(scope="module")
def backup_bytes(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("source")
    with Store.open(folder / "source.db", actor="fuzz", dataset_path=MINI_DATASET) as store:
        return store.safety.take_backup("fuzz").read_bytes()


@st.composite
def mutated_backups(draw, original: bytes):
    data = bytearray(original)
    operation = draw(st.sampled_from(["truncate", "flip", "zero-page", "random"]))
    if operation == "truncate":
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    if operation == "random":
        return b"SQLite format 3\x00" + draw(st.binary(max_size=4096))
    page = 4096
    pages = len(data) // page
    for _ in range(draw(st.integers(1, 6))):
        if operation == "flip":
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        else:
            start = draw(st.integers(0, pages - 1)) * page
            data[start : start + page] = bytes(page)
    return bytes(data)


@settings(FUZZ, max_examples=int(60 * SCALE))
@given(st.data())
def test_restore_of_a_mutated_backup_is_all_or_nothing(tmp_path_factory, backup_bytes, data):
    """A damaged backup is refused with the live database unchanged, or restored into a database that passes the check."""
    raw = data.draw(mutated_backups(backup_bytes))
    folder = tmp_path_factory.mktemp("restore")
    live = folder / "live.db"
    candidate = folder / "candidate.db"
    candidate.write_bytes(raw)
    live.write_bytes(backup_bytes)
    with Store.open(live, actor="fuzz", backup_on_open=False) as store:
        before = digest(live)
        try:
            store.safety.restore_backup(candidate)
        except Exception as exc:  # noqa: BLE001
            assert_clean_rejection(exc)
            assert digest(live) == before
        else:
            assert store.safety.check() == []
            store.quadrangle.relationships()  # and it is readable through the store
