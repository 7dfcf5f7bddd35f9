"""`quadrangle table --format json` on a new database reproduces the report's Figure 2, cell by cell."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main

# Figure 2 of Haugevik (2007): relationship -> (phase, motives, cooperation on the ground).
FIGURE_2 = {
    ("UN", "EU"): (
        ["maintenance"],
        ["resource dependence", "legitimization", "shared values", "organizational learning"],
        ["Bosnia and Herzegovina (2004–present)", "DRC (2003, 2006)", "Chad (2008–present)"],
    ),
    ("NATO", "EU"): (
        ["maintenance"],
        ["organizational survival", "neutralizing competition", "resource dependence", "organizational learning"],
        ["Macedonia (2003)", "Bosnia and Herzegovina (2004–present)", "Kosovo (planned)"],
    ),
    ("UN", "NATO"): (
        ["start-up", "maintenance"],
        ["organizational survival", "resource dependence", "legitimization", "organizational learning"],
        ["Bosnia and Herzegovina (1992–2004)", "Kosovo (1999–present)", "Afghanistan (2003–present)"],
    ),
    ("UN", "AU"): (
        ["start-up", "maintenance"],
        ["resource dependence", "legitimization", "shared values", "organizational learning"],
        ["Burundi (2004)", "Sudan (2004–present)"],
    ),
    ("EU", "AU"): (
        ["start-up"],
        ["resource dependence", "organizational learning"],
        ["Burundi (2004)", "Sudan (2004–2007)"],
    ),
    ("NATO", "AU"): (
        ["start-up"],
        ["resource dependence", "organizational learning"],
        ["Sudan (2004–2007)", "Somalia (2007–present)"],
    ),
}


@pytest.fixture(scope="module")
def figure(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """The JSON table printed for a database created by this very command."""
    database = tmp_path_factory.mktemp("figure2") / "new.db"
    capture = pytest.MonkeyPatch()
    import io
    import sys

    out = io.StringIO()
    capture.setattr(sys, "stdout", out)
    try:
        assert main(["table", "--db", str(database), "--format", "json", "--as-of", "2008-06-30"]) == 0
    finally:
        capture.undo()
    rows = json.loads(out.getvalue())
    return {tuple(row["organizations"]): row for row in rows}


def test_the_table_has_exactly_the_six_relationships_in_the_reports_order(figure):
    """The four organizations give six relationships, listed as in Figure 2."""
    assert list(figure) == list(FIGURE_2)


@pytest.mark.parametrize("pair", list(FIGURE_2), ids=lambda p: "-".join(p))
def test_each_phase_cell_matches_figure_2(figure, pair):
    """Phase column, including the two-phase ratings of UN–NATO and UN–AU."""
    assert figure[pair]["phase"] == FIGURE_2[pair][0]


@pytest.mark.parametrize("pair", list(FIGURE_2), ids=lambda p: "-".join(p))
def test_each_motives_cell_matches_figure_2(figure, pair):
    """Motives column: exactly the motives the report marks, in the report's order."""
    assert figure[pair]["motives"] == FIGURE_2[pair][1]


@pytest.mark.parametrize("pair", list(FIGURE_2), ids=lambda p: "-".join(p))
def test_each_cooperation_cell_matches_figure_2(figure, pair):
    """Cooperation column: places with their periods, two periods of one place joined."""
    assert figure[pair]["cooperation"] == FIGURE_2[pair][2]


def test_the_table_as_of_2004_shows_the_phases_of_2004(default_store):
    """Time travel: before Berlin Plus matured and before the AU's partnerships, earlier phases show."""
    from datetime import date

    rows = {row.organizations: row for row in default_store.quadrangle.comparison_table(date(2004, 1, 1))}
    assert rows[("NATO", "EU")].phases == ("start-up",)
    assert rows[("UN", "EU")].phases == ("start-up",)
    assert rows[("UN", "AU")].phases == ()  # not yet assessed: the AU's peace and security role began in 2004
    assert "Chad (2008–present)" not in rows[("UN", "EU")].cooperation
