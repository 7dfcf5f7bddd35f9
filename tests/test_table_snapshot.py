"""`quadrangle table` from the start-up snapshot (issue 22): the same bytes as through the store, in
every format, under every limit and requested marking, for today and other dates; the store answers
whenever the snapshot cannot, and the fast path loads no SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from db import AssessmentInput, Store, ValidationError, read_only_snapshot
from desktop.cli import build_parser, main
from desktop.cli.table import table_from_snapshot
from desktop.marked_exports import table_export

LEVELS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET")
CAVEATS = "REL TO NATO/EU"
HANDLING = "Handle via liaison channels only"


@pytest.fixture
def marked_db(default_db_path):
    """The default dataset with four levels, caveats and a handling statement, one relationship's
    assessment in force marked CONFIDENTIAL, closed cleanly (sealed, with today's snapshot)."""
    with Store.open(default_db_path, actor="t") as store:
        store.catalog.set_markings(list(LEVELS), caveats=CAVEATS, handling=HANDLING)
        rel = store.quadrangle.relationships()[1]
        current = store.quadrangle.state_as_of(date.today()).relationship(rel.id).assessment
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date.today(),
                phases=current.phases,
                confidence=current.confidence,
                summary="A confidential reading.",
                motives=current.motives,
                marking="CONFIDENTIAL",
            )
        )
    return default_db_path


def args_for(path, *options: str):
    argv = ["--db", str(path), "table", *options]
    return build_parser(argv).parse_args(argv)


def through_the_store(path, args) -> tuple[str, str]:
    """The table's text and marking as the store makes them."""
    with Store.open(path, read_only=True) as store:
        result = table_export(store, args.as_of, args.format, max_marking=args.max_marking, marking=args.marking)
        return result.text, result.marking


@pytest.mark.parametrize("fmt", ["text", "csv", "json"])
def test_the_snapshot_table_equals_the_stores_table(marked_db, fmt):
    """Every combination of date, limit and requested marking prints the same bytes either way, and the
    snapshot answers today's table whenever nothing in force is above the limit."""
    today = date.today().isoformat()
    for as_of in ([], ["--as-of", today], ["--as-of", "2008-06-30"]):
        for limit in (
            [],
            ["--max-marking", "secret"],
            ["--max-marking", "CONFIDENTIAL"],
            ["--max-marking", "RESTRICTED"],
        ):
            for marking in ([], ["--marking", "SECRET"]):
                args = args_for(marked_db, "--format", fmt, *as_of, *limit, *marking)
                fast = table_from_snapshot(args)
                slow = through_the_store(marked_db, args)
                answers = as_of != ["--as-of", "2008-06-30"] and limit != ["--max-marking", "RESTRICTED"]
                assert (fast is not None) == answers, (as_of, limit, marking)
                assert fast is None or fast == slow, (as_of, limit, marking)
    if fmt != "json":  # a JSON table marks each row with its level only
        assert f"{CAVEATS}//{HANDLING}" in slow[0]


def test_the_command_prints_the_same_table_either_way(marked_db, capsys):
    """`quadrangle table` prints the banner with caveats and handling, and withholds above a limit."""
    assert main(["--db", str(marked_db), "table"]) == 0
    printed = capsys.readouterr().out
    assert printed == through_the_store(marked_db, args_for(marked_db))[0]
    assert printed.splitlines()[0] == f"CONFIDENTIAL//{CAVEATS}//{HANDLING}"
    assert main(["--db", str(marked_db), "table", "--max-marking", "RESTRICTED"]) == 0
    assert "1 assessment(s) above RESTRICTED withheld." in capsys.readouterr().out


def test_a_limit_or_marking_that_is_not_a_level_is_refused_alike(marked_db):
    """A look-alike limit and a marking lower than the content are refused with the store's words."""
    for options in (["--max-marking", "NATO RESTRICTED"], ["--marking", "RESTRICTED"]):
        args = args_for(marked_db, *options)
        with pytest.raises(ValidationError) as fast:
            table_from_snapshot(args)
        with pytest.raises(ValidationError) as slow:
            through_the_store(marked_db, args)
        assert str(fast.value) == str(slow.value)


def test_a_change_while_the_window_holds_the_database_shows_at_once(marked_db, capsys):
    """While a writer holds the file, a version saved since the snapshot makes it stale: the store answers."""
    with Store.open(marked_db, actor="window", backup_on_open=False) as store:
        rel = store.quadrangle.relationships()[0]
        current = store.quadrangle.state_as_of(date.today()).relationship(rel.id).assessment
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date.today(),
                phases=current.phases,
                confidence=current.confidence,
                summary="Newer.",
                motives=current.motives,
                marking="SECRET",
            )
        )
        assert read_only_snapshot(marked_db) is None
        assert main(["--db", str(marked_db), "table"]) == 0
        assert capsys.readouterr().out.splitlines()[0].startswith("SECRET//")


def test_a_file_not_closed_cleanly_goes_through_the_store(marked_db):
    """Without the seal of a clean close the store's open (and its integrity check) makes the table."""
    (marked_db.parent / f"{marked_db.name}.lock").unlink()
    assert read_only_snapshot(marked_db) is None


def test_todays_table_loads_no_sqlalchemy(marked_db):
    """The snapshot path prints today's table without importing SQLAlchemy; another date needs it."""
    probe = (
        "import sys; from desktop.cli import main; main(sys.argv[1:]);"
        " print('sqlalchemy' in sys.modules, file=sys.stderr)"
    )
    for options, loaded in (([], "False"), (["--as-of", "2008-06-30"], "True")):
        result = subprocess.run(
            [sys.executable, "-c", probe, "--db", str(marked_db), "table", *options],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.split()[-1] == loaded
