"""Migration 0006 moves every existing source (the whole default dataset) into the full record
without loss, and a newly seeded database holds the same records."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import create_engine

from db import DEFAULT_DATASET_PATH, Store
from db.migrate import alembic_config
from db.references.model import CreatorRole, ItemType


def _downgrade_to_0004(path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_app_id")
        connection.commit()
    engine.dispose()


def test_every_default_source_survives_the_migration(default_db_path):
    """Downgraded to 0004 and migrated again, each source keeps its key, author string, title and
    reference, and gains creators and fields read from them."""
    dataset = {s["key"]: s for s in json.loads(DEFAULT_DATASET_PATH.read_text(encoding="utf-8"))["sources"]}
    _downgrade_to_0004(default_db_path)
    with Store.open(default_db_path) as store:
        sources = {s.key: s for s in store.sources.all()}
    assert set(sources) == set(dataset)
    for key, entry in dataset.items():
        source = sources[key]
        for name in ("authors", "year", "title", "container", "publisher", "place", "reference", "marking"):
            assert getattr(source, name) == entry.get(name, getattr(source, name)), (key, name)
        assert source.creators, key
    child = sources["child-et-al-2005"]
    assert [(c.family, c.given) for c in child.creators] == [("Child", "J."), ("Faulkner", "D."), ("Tallman", "S.")]
    eds = sources["pugh-sidhu-2003b"]
    assert {c.role for c in eds.creators} == {CreatorRole.EDITOR} and eds.authors.endswith("(Eds.)")
    assert [c.literal for c in sources["au-eu-2007"].creators] == ["AU", "EU"]
    finnemore = sources["finnemore-sikkink-1998"]
    assert (finnemore.volume, finnemore.issue, finnemore.item_type) == ("52", "4", ItemType.JOURNAL_ARTICLE)
    assert sources["unsc-2003"].item_type == ItemType.UN_RESOLUTION
    factsheet = sources["eu-factsheet-amis"]
    assert factsheet.url.startswith("http://www.consilium.europa.eu/") and factsheet.reference == factsheet.url


def test_seeding_writes_the_same_records_as_the_migration(default_db_path, tmp_path):
    """A database seeded at head and one migrated from 0004 hold equal source records."""
    with Store.open(default_db_path) as store:
        seeded = {s.key: s for s in store.sources.all()}
    _downgrade_to_0004(default_db_path)
    with Store.open(default_db_path) as store:
        migrated = {s.key: s for s in store.sources.all()}
    for key, record in seeded.items():
        assert migrated[key] == record, key
