"""The headless source commands: import-sources (a dry run writes nothing; --on-duplicate) and
export-sources (the extension picks the format)."""

from __future__ import annotations

from pathlib import Path

from db import Store
from desktop.cli import main

DATA = Path(__file__).resolve().parent / "data" / "references"


def test_dry_run_prints_the_preview_and_writes_nothing(mini_db_path, capsys):
    """`--dry-run` lists each entry with its status and leaves the library as it was."""
    with Store.open(mini_db_path) as store:
        before = store.sources.all()
    assert main(["import-sources", str(DATA / "zotero_library.bib"), "--db", str(mini_db_path), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "6 entries: 6 new, 0 duplicate, 0 conflicting" in printed and "Dry run: nothing was written." in printed
    assert "[new] Tardy (2005) EU-UN Cooperation" in printed
    with Store.open(mini_db_path) as store:
        assert store.sources.all() == before


def test_second_import_finds_duplicates_and_merge_fills(mini_db_path, tmp_path, capsys):
    """Importing twice skips every entry by default; --on-duplicate merge merges them instead."""
    args = ["import-sources", str(DATA / "endnote_export.ris"), "--db", str(mini_db_path)]
    assert main(args) == 0
    assert "Imported 3 source(s), merged 0, skipped 0." in capsys.readouterr().out
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Imported 0 source(s), merged 0, skipped 3." in out and "[duplicate]" in out
    assert main([*args, "--on-duplicate", "merge"]) == 0
    assert "merged 3" in capsys.readouterr().out


def test_export_sources_by_extension_and_unknown_extension_is_one_line(mini_db_path, tmp_path, capsys):
    """export-sources writes .bib, .ris and .json; another extension ends in one line and status 1."""
    assert main(["import-sources", str(DATA / "zotero_export.json"), "--db", str(mini_db_path)]) == 0
    for suffix, marker in ((".bib", "@article{"), (".ris", "TY  - JOUR"), (".json", '"type": "article-journal"')):
        out = tmp_path / f"library{suffix}"
        assert main(["export-sources", str(out), "--db", str(mini_db_path)]) == 0
        assert marker in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["export-sources", str(tmp_path / "library.docx"), "--db", str(mini_db_path)]) == 1
    err = capsys.readouterr().err
    assert ".bib, .ris or .json" in err and err.count("\n") == 1


def test_the_preview_escapes_terminal_control_characters(mini_db_path, tmp_path, capsys):
    """A title with an ANSI escape or a direction override is printed escaped, never raw."""
    path = tmp_path / "evil.bib"
    path.write_text("@book{e, title = {x\x1b[31mred\u202eevil}, author = {Able, A.}, year = 2001}\n", encoding="utf-8")
    assert main(["import-sources", str(path), "--db", str(mini_db_path), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\u202e" not in printed and "\\u001b[31mred" in printed
