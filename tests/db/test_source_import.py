"""Importing sources through a preview: duplicates found before anything is written (DOI, ISBN,
title + year + first family name), per-entry and for-all choices, merge that fills and keeps, one
transaction after a backup, audited and undoable; stored duplicates merged with their citations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import (
    CitationInput,
    ConflictError,
    ImportAction,
    ImportStatus,
    LessonInput,
    LessonKind,
    SourceInput,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "references"
FIXTURES = ["zotero_library.bib", "mendeley_export.bib", "endnote_export.ris", "zotero_export.json"]


def _data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_preview_marks_new_duplicate_and_conflicting_and_writes_nothing(mini_store):
    """Osland, K. (stored) matches "Osland, Kari M." by title, year and family name; a DOI match with
    another title conflicts; the preview writes nothing."""
    mini_store.sources.add(
        SourceInput(authors="Osland, K.", year="2004", title="The EU police mission in Bosnia and Herzegovina")
    )
    mini_store.sources.add(
        SourceInput(
            authors="Morgenthau, H. J.", year="1948", title="Politics among nations", key="m", isbn="0-07-043306-2"
        )
    )
    mini_store.sources.add(
        SourceInput(authors="Eide, E. B.", year="2005", title="Something else entirely", key="e", doi="10.1/x")
    )
    before = mini_store.sources.all()
    preview = mini_store.references.preview_import(_data("mendeley_export.bib"), "mendeley.bib")
    assert mini_store.sources.all() == before
    osland, morgenthau, eide = preview.entries
    assert osland.status == ImportStatus.DUPLICATE and osland.reason == "same title, year and first author"
    assert {"DOI", "Volume", "Issue", "Pages", "URL", "ISSN", "Container"} <= set(osland.fills)
    assert osland.match.authors == "Osland, K."
    assert morgenthau.reason == "same ISBN" and morgenthau.status == ImportStatus.CONFLICT
    assert [c.field for c in morgenthau.conflicts] == ["Title"]
    assert eide.status == ImportStatus.NEW
    assert preview.summary().startswith("3 entries: 1 new, 1 duplicate, 1 conflicting")


def test_merge_fills_what_the_library_lacks_keeps_what_it_has_and_undoes(mini_store):
    """A merged entry fills empty fields only, says which, and `revert_import` puts the source back."""
    kept = mini_store.sources.add(
        SourceInput(authors="Osland, K.", year="2004", title="The EU police mission in Bosnia and Herzegovina")
    )
    preview = mini_store.references.preview_import(_data("mendeley_export.bib"), "mendeley.bib")
    result = mini_store.references.apply_import(preview, {0: ImportAction.MERGE})
    (merge,) = result.merged
    after = mini_store.sources.get(kept.id)
    assert after.doi == "10.1080/1353331042000249055" and after.volume == "11" and after.pages == "544–560"
    assert after.authors == "Osland, K." and after.title == kept.title  # kept what it had
    assert "DOI" in merge.filled and any("filled" in n and "DOI" in n for n in result.notes)
    assert len(result.sources) == 2
    undone = mini_store.references.revert_import(result)
    assert mini_store.sources.get(kept.id).doi == "" and len(mini_store.sources.all()) == 2
    mini_store.references.redo_import(undone)
    assert mini_store.sources.get(kept.id).doi == after.doi and len(mini_store.sources.all()) == 4


def test_choice_for_all_duplicates_and_add_anyway(mini_store):
    """`on_duplicate` decides every duplicate; a per-entry choice overrides it; ADD adds a second copy."""
    mini_store.references.import_file(_data("zotero_export.json"), "z.json")
    count = len(mini_store.sources.all())
    preview = mini_store.references.preview_import(_data("zotero_export.json"), "z.json")
    assert {e.status for e in preview.entries} == {ImportStatus.DUPLICATE}
    result = mini_store.references.apply_import(preview, {1: ImportAction.ADD}, on_duplicate=ImportAction.SKIP)
    assert len(result.sources) == 1 and result.skipped == 2 and len(mini_store.sources.all()) == count + 1


def test_repeated_entry_in_one_file_is_a_duplicate_of_the_earlier_one(mini_store):
    """The same work twice in a file: the second is a duplicate (skipped by default), not a second source."""
    text = (
        "@book{a, title = {Same Book}, author = {Able, Ann}, year = 2001}\n"
        "@book{b, title = {Same book.}, author = {Able, A.}, year = 2001}\n"
    )
    preview = mini_store.references.preview_import(text, "twice.bib")
    assert [e.status for e in preview.entries] == [ImportStatus.NEW, ImportStatus.DUPLICATE]
    assert preview.entries[1].repeats == 0 and preview.entries[1].match is None
    assert len(mini_store.references.apply_import(preview, on_duplicate=ImportAction.MERGE).sources) == 1


def test_import_is_one_transaction_after_a_backup_and_is_audited(mini_store):
    """A backup is taken before writing and the audit log names the file and the counts."""
    result = mini_store.references.import_file(_data("endnote_export.ris"), "endnote.ris")
    assert len(result.sources) == 3
    if mini_store.location.is_sqlite:
        assert result.backup_path and "endnote" in result.backup_path
    entries = mini_store.audit.entries()
    assert any("Imported 3 source(s)" in e.summary and e.origin == "endnote.ris" for e in entries)


def test_a_source_changed_since_the_preview_refuses_the_merge(mini_store):
    """If a matched source is edited between preview and apply, nothing is imported."""
    kept = mini_store.sources.add(
        SourceInput(authors="Osland, K.", year="2004", title="The EU police mission in Bosnia and Herzegovina")
    )
    preview = mini_store.references.preview_import(_data("mendeley_export.bib"), "mendeley.bib")
    mini_store.sources.update(kept.id, SourceInput.from_record(kept), kept.revision)
    before = mini_store.sources.all()
    with pytest.raises(ConflictError):
        mini_store.references.apply_import(preview, on_duplicate=ImportAction.MERGE)
    assert mini_store.sources.all() == before


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("suffix", [".bib", ".ris", ".json"])
def test_round_trip_import_export_import_finds_only_duplicates(mini_store, tmp_path, name, suffix):
    """Import a fixture, export it in each format, import the export: identical records, all duplicates."""
    first = mini_store.references.import_file(_data(name), name)
    out = tmp_path / f"export{suffix}"
    mini_store.references.export_to(out, [s.id for s in first.sources])
    assert out.stat().st_mode & 0o777 == 0o600
    preview = mini_store.references.preview_import(out.read_bytes(), out.name)
    assert preview.problems == ()
    assert [e.status for e in preview.entries] == [ImportStatus.DUPLICATE] * len(first.sources)
    stored = {s.key: s for s in first.sources}
    for entry in preview.entries:
        record = stored[entry.draft.key] if entry.draft.key in stored else entry.match
        assert entry.match.id == record.id and entry.fills == () and entry.conflicts == ()
        for field in ("item_type", "creators", "title", "container", "volume", "issue", "pages", "date", "doi", "url"):
            assert getattr(entry.draft, field) == getattr(record, field), (record.key, field)


def test_export_refuses_the_database_file_itself(mini_store, tmp_path):
    """Exporting onto the open database (under a .bib name through a link) is refused."""
    if not mini_store.location.is_sqlite:
        pytest.skip("only an SQLite store has a file")
    from db import StorageError

    link = tmp_path / "library.bib"
    link.symlink_to(mini_store.location.path)
    with pytest.raises(StorageError, match="database"):
        mini_store.references.export_to(link)


def _lesson_citing(store, source_id: str) -> str:
    relationship = store.quadrangle.relationships()[0].id
    lesson = store.lessons.add(
        LessonInput(
            relationship_ids=(relationship,),
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2007, 1, 1),
            finding="A finding",
            theme_keys=(store.catalog.themes()[0].key,),
            citations=(CitationInput(source_id=source_id, locator="12"),),
        )
    )
    return lesson.id


def test_stored_duplicates_merge_moving_citations_and_undo(mini_store):
    """Merging a stored duplicate moves its citations to the kept source; undo restores both."""
    kept = mini_store.sources.add(SourceInput(authors="Osland, K.", year="2004", title="The EU Police Mission"))
    duplicate = mini_store.sources.add(
        SourceInput(authors="Osland, Kari M.", year="2004", title="The EU police mission.", doi="10.1/osland")
    )
    assert [(a.id, b.id) for a, b, _ in mini_store.references.duplicates()] == [(kept.id, duplicate.id)]
    lesson_id = _lesson_citing(mini_store, duplicate.id)
    merge = mini_store.references.merge_sources(kept.id, duplicate.id)
    assert mini_store.sources.get(kept.id).doi == "10.1/osland" and "DOI" in merge.filled
    assert [c.owner_id for c in mini_store.sources.cited_by(kept.id)] == [lesson_id]
    assert duplicate.id not in {s.id for s in mini_store.sources.all()}
    mini_store.references.unmerge_sources(merge)
    assert mini_store.sources.get(duplicate.id).title == duplicate.title
    assert [c.owner_id for c in mini_store.sources.cited_by(duplicate.id)] == [lesson_id]
    assert mini_store.sources.cited_by(kept.id) == [] and mini_store.sources.get(kept.id).doi == ""
