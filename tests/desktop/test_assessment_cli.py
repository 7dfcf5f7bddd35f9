"""`quadrangle reversals` and `quadrangle history`: the history queries from the command line."""

from __future__ import annotations

import json
from datetime import date

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase, Store
from desktop.cli import main


def test_the_default_dataset_has_no_reversals(default_db_path, capsys):
    """The report's observation is a command anyone can rerun."""
    assert main(["reversals", "--db", str(default_db_path)]) == 0
    assert capsys.readouterr().out == "UNCLASSIFIED\nNo relationship has been reversed.\nUNCLASSIFIED\n"


def test_a_reversal_is_listed_once(mini_db_path, capsys):
    """A reversal saved with its rationale is printed once, in text and in JSON."""
    with Store.open(mini_db_path, actor="Kristin") as store:
        rel = store.quadrangle.relationships()[0]
        store.assessments.save(
            AssessmentInput(
                relationship_id=rel.id,
                as_of=date(2009, 1, 1),
                phases=(Phase.ENDING,),
                confidence=Confidence.LOW,
                summary="",
                motives=tuple(MotiveAssessment(m, 0) for m in Motive),
                reversal_rationale="Mandate lapsed",
            )
        )
    assert main(["reversals", "--db", str(mini_db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "UNCLASSIFIED",
        "UN–EU  2009-01-01  Maintenance -> Ending  (Kristin): Mandate lapsed",
        "UNCLASSIFIED",
    ]
    assert main(["reversals", "--db", str(mini_db_path), "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["to"] == "Ending" and entry["rationale"] == "Mandate lapsed"


def test_history_lists_the_versions(mini_db_path, capsys):
    """`quadrangle history UN-EU` prints the versions oldest first, with who recorded them."""
    assert main(["history", "EU-UN", "--db", str(mini_db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == lines[-1] == "UNCLASSIFIED"  # between its banner lines, like every output
    assert lines[1] == "UN–EU: 2 versions"
    assert lines[2].split()[:2] == ["2003-06-30", "Start-up"] and lines[3].endswith("by Test")
    assert main(["history", "UN-XX", "--db", str(mini_db_path)]) == 1
