"""Full-text search: ranking, safe handling of any typed text, diacritics, index upkeep, migration."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest

from db import LessonFilters, LessonInput, LessonKind, Store


def add(store, finding, recommendation="", **extra):
    relationship = store.quadrangle.relationships()[0]
    return store.lessons.add(
        LessonInput(
            finding=finding,
            recommendation=recommendation,
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2008, 1, 1),
            relationship_ids=(relationship.id,),
            theme_keys=(store.catalog.themes()[0].key,),
            **extra,
        )
    )


def ids(page):
    return [hit.lesson.id for hit in page.hits]


@pytest.mark.parametrize(
    "text",
    [
        "route-clearance",
        '"unbalanced',
        "NEAR(",
        'a"b',
        "AND OR NOT",
        "*",
        "(",
        ")",
        "^x",
        "col:umn",
        "'",
        "\\",
        "NEAR(a b, 2)",
    ],
)
def test_any_typed_text_is_safe(mini_store, text):
    """Operators, quotes and hyphens are stored and returned literally and searched as words: typing the
    text finds the lesson that holds it (and only lessons with its words); with no word in it, the
    search is no filter at all and lists every lesson."""
    finding = f"Teams reported {text} at the border."
    target = add(mini_store, finding)
    other = add(mini_store, "Convoys waited for escorts.")
    assert mini_store.lessons.get(target.id).finding == finding  # stored literally
    page = mini_store.lessons.search(text)
    hit = next(h for h in page.hits if h.lesson.id == target.id)
    assert hit.lesson.finding == finding  # shown literally in the result
    typed_words = tuple(dict.fromkeys(re.findall(r"\w+", text.lower())))
    assert page.terms == typed_words
    if typed_words:
        assert ids(page)[0] == target.id and other.id not in ids(page)
        assert hit.matched_terms == typed_words
        assert mini_store.lessons.count(text=text) == len(page.hits)
    else:
        assert set(ids(page)) == set(ids(mini_store.lessons.search(""))) >= {target.id, other.id}


def test_hyphen_quote_and_operator_inputs_find_the_words(mini_store):
    """`route-clearance`, `"unbalanced` and `NEAR(` find the lessons with those words."""
    target = add(mini_store, "Route-clearance teams were unbalanced near the border.")
    other = add(mini_store, "The clearance of routes took weeks.")
    assert ids(mini_store.lessons.search("route-clearance")) == [target.id]
    assert ids(mini_store.lessons.search('"unbalanced')) == [target.id]
    assert ids(mini_store.lessons.search("NEAR(")) == [target.id]
    assert set(ids(mini_store.lessons.search("clearance "))) == {target.id, other.id}


def test_diacritics_are_ignored(mini_store):
    """cafe finds Café and Café finds cafe."""
    accented = add(mini_store, "Meetings at the Café Gbadolite.")
    plain = add(mini_store, "The cafe was closed.")
    assert set(ids(mini_store.lessons.search("cafe "))) == {accented.id, plain.id}
    assert set(ids(mini_store.lessons.search("CAFÉ "))) == {accented.id, plain.id}


def test_ranking_prefers_finding_and_reports_matched_terms(mini_store):
    """A word in the finding ranks above the same word in the recommendation only; hits list matched words."""
    in_recommendation = add(mini_store, "Other topic entirely.", "Improve interoperability.")
    in_finding = add(mini_store, "Interoperability of radios failed.", "Buy radios.")
    page = mini_store.lessons.search("interoperability radios")
    assert ids(page) == [in_finding.id]
    page = mini_store.lessons.search("interoperability ")
    assert ids(page) == [in_finding.id, in_recommendation.id]
    assert page.hits[0].matched_terms == ("interoperability",)
    assert page.terms == ("interoperability",)


def test_prefix_while_typing(mini_store):
    """The last word matches as a prefix while it is still being typed."""
    target = add(mini_store, "Interoperability of radios failed.")
    assert ids(mini_store.lessons.search("interop")) == [target.id]
    assert ids(mini_store.lessons.search("interop ")) == []


def test_citation_quotes_are_searched(mini_store):
    """Quotes of a lesson's citations are found, and edits keep the index current."""
    from db import CitationInput

    source = mini_store.sources.all()[0]
    record = add(mini_store, "Plain finding.", citations=(CitationInput(source.id, "12", "a smooth transition"),))
    assert ids(mini_store.lessons.search("smooth transition")) == [record.id]
    mini_store.lessons.update(
        record.id,
        LessonInput.from_record(record).__class__(**{**LessonInput.from_record(record).__dict__, "citations": ()}),
        record.revision,
    )
    assert ids(mini_store.lessons.search("smooth transition")) == []
    assert mini_store.lessons.check_search() == []


def test_search_combines_with_filters_and_excludes_trash(mini_store):
    """Search respects the filters and never shows trashed lessons (unless browsing the trash)."""
    success = add(mini_store, "Radios worked.")
    mini_store.lessons.update(
        success.id,
        LessonInput.from_record(success).__class__(
            **{**LessonInput.from_record(success).__dict__, "kind": LessonKind.SUCCESS}
        ),
        1,
    )
    challenge = add(mini_store, "Radios failed.")
    assert ids(mini_store.lessons.search("radios", LessonFilters(kind=LessonKind.SUCCESS))) == [success.id]
    mini_store.lessons.delete(challenge.id)
    assert ids(mini_store.lessons.search("radios")) == [success.id]
    assert ids(mini_store.lessons.search("radios", LessonFilters(in_trash=True))) == [challenge.id]


def test_seeded_database_is_indexed(default_store):
    """A freshly seeded database has every lesson in the index."""
    assert default_store.lessons.check_search() == []
    assert default_store.lessons.search("information").hits


def test_migration_fills_index_from_existing_lessons(tmp_path, default_db_path):
    """A database taken back to 0001 (lessons kept) and opened again gets every lesson indexed."""
    from alembic import command
    from sqlalchemy import create_engine

    from db.migrate import alembic_config

    engine = create_engine(f"sqlite:///{default_db_path}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        connection.commit()
        assert (
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name LIKE 'lesson_search%'").scalar()
            == 0
        )
        assert connection.exec_driver_sql("SELECT count(*) FROM lessons").scalar() > 0
    engine.dispose()
    with Store.open(default_db_path, actor="t") as store:
        assert store.lessons.check_search() == []
        assert store.lessons.search("information").hits
        assert store.lessons.theme_overview().counts


def test_rank_window_still_pages_through_every_match(mini_store, monkeypatch):
    """With more matches than the ranking window, pages (filtered or not) still list every match once."""
    from db.search import sqlite

    monkeypatch.setattr(sqlite, "RANK_WINDOW", 2)
    made = {add(mini_store, f"Radios failed in sector {n}.").id for n in range(7)}
    for filters in (None, LessonFilters(kind=LessonKind.CHALLENGE)):
        seen, offset = [], 0
        while True:
            page = mini_store.lessons.search("radios ", filters, limit=3, offset=offset)
            seen += ids(page)
            if not page.has_more:
                break
            offset += 3
        assert sorted(seen) == sorted(made)


def test_index_check_finds_a_stale_index(mini_store, mini_db_path):
    """A lesson written behind the store's back is reported, and a rebuild repairs the index."""
    add(mini_store, "Indexed lesson.")
    connection = sqlite3.connect(mini_db_path)
    connection.execute("UPDATE lessons SET finding = 'Changed behind the back'")
    connection.execute("DELETE FROM lesson_themes")
    connection.commit()
    connection.close()
    assert mini_store.lessons.check_search()
    mini_store.lessons.rebuild_search()
    assert mini_store.lessons.check_search() == []
    assert mini_store.lessons.search("behind back").hits


def test_common_typed_word_is_taken_whole(mini_store, monkeypatch):
    """While typing, a last word that is already common matches whole; a rare one still as a prefix."""
    from db.search import generic

    monkeypatch.setattr(generic, "PREFIX_EXACT_ENOUGH", 2)
    whole = {add(mini_store, "The radio failed.").id, add(mini_store, "A radio was lost.").id}
    longer = add(mini_store, "Radiology services were short.").id
    assert set(ids(mini_store.lessons.search("radio"))) == whole
    assert ids(mini_store.lessons.search("radiol")) == [longer]


def test_lessons_arriving_by_exchange_are_searchable(mini_db_path, tmp_path):
    """Lessons another workstation sends (exchange import) are in the search index and the overview."""
    import shutil
    import uuid

    other_path = tmp_path / "bob.db"
    shutil.copyfile(mini_db_path, other_path)
    connection = sqlite3.connect(other_path)
    connection.execute("UPDATE meta SET value=? WHERE key='database_id'", (str(uuid.uuid4()),))
    connection.commit()
    connection.close()
    with Store.open(mini_db_path, actor="alice") as alice, Store.open(other_path, actor="bob") as bob:
        sent = add(alice, "Helicopter spares ran out in Abéché.")
        alice.exchange.export(tmp_path / "a.json")
        assert bob.exchange.import_file(tmp_path / "a.json").changed
        assert ids(bob.lessons.search("abeche helicopter")) == [sent.id]
        assert bob.lessons.check_search() == []
