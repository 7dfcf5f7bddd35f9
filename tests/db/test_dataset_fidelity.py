"""The default dataset states the report's facts as the report gives them (issue 21): EUPM's mandate,
the general findings, the phases on the dates of the events, no cooperation shown before it began,
contradictions kept with a note, sourced notes and the names spelled right. Read from the store."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest

from db.partial_dates import latest_day
from db.records import short_authors

REPORT_PAIRS = ("UN–EU", "NATO–EU", "UN–NATO", "UN–AU", "EU–AU", "NATO–AU")
EARLY_PHASES = {"courtship", "negotiation"}
DATASET_OWN = "Quadrangle dataset summary (2008)"
GENERAL_LESSONS = (
    "general-path-dependency",
    "general-clarify-mandates",
    "general-communication-information-sharing",
    "general-respect-identity-procedures",
    "general-willingness-to-adjust",
    "general-overall-satisfactory",
)


@pytest.fixture
def rels(default_store) -> dict[str, str]:
    """Relationship id by label ("UN–EU")."""
    return {r.label: r.id for r in default_store.quadrangle.relationships()}


@pytest.fixture
def operations(default_store) -> dict:
    return {op.acronym: op for op in default_store.operations.all()}


@pytest.fixture
def sources(default_store) -> dict:
    """Source records by key."""
    return {s.key: s for s in default_store.sources.all()}


def lessons_by_key(store) -> dict:
    return {lesson.key: lesson for lesson in store.lessons.all()}


def version_dates(store, rels) -> dict[str, list[date]]:
    return {label: [v.as_of for v in store.assessments.history(rel_id)] for label, rel_id in rels.items()}


# -- EUPM's mandate ------------------------------------------------------------------------------


def test_eupm_had_no_formal_un_mandate_and_was_only_welcomed_by_resolution_1396(operations):
    """EUPM's mandate field says what the report says: no formal UN mandate, welcomed by resolution 1396."""
    mandate = operations["EUPM"].mandate
    assert mandate.startswith("No formal UN mandate")
    assert "welcomed by UNSC resolution 1396" in mandate


# -- the general findings ------------------------------------------------------------------------


@pytest.mark.parametrize("key", GENERAL_LESSONS)
def test_each_general_finding_is_a_lesson_on_all_six_relationships_citing_the_report(default_store, rels, sources, key):
    """Path dependency and the conclusion's cross-cutting lessons concern every relationship, with a citation."""
    lesson = lessons_by_key(default_store)[key]
    assert set(lesson.relationship_ids) == {rels[pair] for pair in REPORT_PAIRS}
    report = sources["haugevik-2007"].id
    assert any(c.source_id == report and c.locator for c in lesson.citations)


def test_the_path_dependency_finding_says_no_relationship_has_been_reversed(default_store):
    """The premise of the Reversals view is recorded as a finding, not only implied."""
    finding = lessons_by_key(default_store)["general-path-dependency"].finding
    assert "path dependency" in finding and "reversed" in finding


def test_the_conclusions_lessons_cover_its_themes(default_store):
    """Mandates, information sharing, respect for each other, adjustment and the overall judgement each have a lesson."""
    lessons = lessons_by_key(default_store)
    themes = {key: set(lessons[key].theme_keys) for key in GENERAL_LESSONS}
    assert "mandate" in themes["general-clarify-mandates"]
    assert "information_sharing" in themes["general-communication-information-sharing"]
    assert "respect" in themes["general-respect-identity-procedures"]
    assert "adaptation" in themes["general-willingness-to-adjust"]
    overall = lessons["general-overall-satisfactory"].finding
    assert all(word in overall for word in ("satisfactory", "promising", "efficient", "transparent", "coordinated"))


# -- phases on the dates of the events -----------------------------------------------------------

# (relationship, day, phases in force that day, whether a version is dated that very day)
PHASES_ON_EVENTS = [
    ("UN–EU", date(2002, 12, 31), ("courtship", "negotiation"), False),
    ("UN–EU", date(2003, 1, 1), ("start-up",), True),  # EUPM replaces the IPTF
    ("UN–EU", date(2003, 9, 24), ("start-up",), True),  # the joint declaration, after Artemis
    ("UN–EU", date(2004, 12, 31), ("maintenance",), True),
    ("NATO–EU", date(2002, 12, 15), ("courtship", "negotiation"), False),
    ("NATO–EU", date(2002, 12, 16), ("start-up",), True),  # EU–NATO Declaration on ESDP (Berlin Plus, 2002)
    ("NATO–EU", date(2003, 3, 31), ("start-up",), True),  # Concordia, after Berlin Plus was completed
    ("NATO–EU", date(2004, 12, 2), ("maintenance",), True),  # Althea
    ("UN–NATO", date(1995, 12, 20), ("start-up",), True),  # IFOR replaces UNPROFOR
    ("UN–AU", date(2004, 6, 30), ("start-up",), True),  # ONUB takes over from AMIB in June 2004
    ("UN–AU", date(2007, 7, 31), ("start-up", "maintenance"), True),  # resolution 1769: UNAMID
    ("EU–AU", date(2003, 12, 31), ("start-up",), True),  # EU funding for AMIB, 2003 in section 4.5
    ("NATO–AU", date(2005, 6, 30), (), False),  # no NATO support yet: not courtship beside Sudan (2004)
    ("NATO–AU", date(2005, 7, 31), ("start-up",), True),  # NATO's support began in July 2005
]


@pytest.mark.parametrize(
    ("pair", "day", "phases", "dated_that_day"), PHASES_ON_EVENTS, ids=lambda v: str(v) if isinstance(v, date) else None
)
def test_the_phase_changes_on_the_date_of_the_event_the_report_ties_it_to(
    default_store, rels, pair, day, phases, dated_that_day
):
    """Versions are dated on the event (Berlin Plus, Concordia, EUPM, UNAMID...), not on 31 December after it."""
    row = next(r for r in default_store.quadrangle.comparison_table(day) if r.relationship_id == rels[pair])
    assert row.phases == phases
    assert (row.last_assessed == day) is dated_that_day


def test_the_un_nato_version_of_1992_describes_no_air_strikes(default_store, rels):
    """Air support and air strikes came after 1992, so the 1992 version does not describe them."""
    version = default_store.quadrangle.state_as_of(date(1992, 12, 31)).relationship(rels["UN–NATO"]).assessment
    assert version is not None and version.as_of.year == 1992
    assert (
        "air strike" not in version.summary and "struck" not in version.summary and "air support" not in version.summary
    )


# -- nothing shown before it began ---------------------------------------------------------------


def _shown_before_it_began(store, rels, operations, day: date, pairs) -> list[str]:
    """Cooperation rows visible on `day` as under way (not "planned") none of whose joint operations (both
    organizations take part) had certainly begun by then, and such rows beside a version still in
    courtship or negotiation."""
    problems = []
    state = store.quadrangle.state_as_of(day)
    for pair in pairs:
        rel_state = state.relationship(rels[pair])
        codes = set(rel_state.relationship.codes)
        on_the_ground = [row for row in rel_state.cooperation if row.start_year is not None]  # "planned" is no claim
        for row in on_the_ground:
            joint = [operations[a] for a in row.operation_acronyms if codes <= set(operations[a].organization_codes)]
            started = [op for op in joint if op.start and latest_day(op.start) <= day]
            if not started:
                problems.append(f"{day} {pair} {row.location}: no joint operation had begun ({row.operation_acronyms})")
        version = rel_state.assessment
        if version is not None and set(p.value for p in version.phases) <= EARLY_PHASES and on_the_ground:
            problems.append(f"{day} {pair}: {version.phase_label} beside cooperation on the ground")
    return problems


def test_no_relationship_shows_cooperation_before_it_began_on_its_version_dates(default_store, rels, operations):
    """On every version date, each cooperation row shown has a joint operation that had begun, and a
    relationship still in courtship or negotiation shows no cooperation on the ground."""
    problems = [
        problem
        for pair, days in version_dates(default_store, rels).items()
        for day in days
        for problem in _shown_before_it_began(default_store, rels, operations, day, [pair])
    ]
    assert problems == []


def test_no_relationship_shows_cooperation_before_it_began_on_any_version_date(default_store, rels, operations):
    """The same check for all six relationships on every version date of any of them."""
    days = sorted({day for days in version_dates(default_store, rels).values() for day in days})
    problems = [p for day in days for p in _shown_before_it_began(default_store, rels, operations, day, REPORT_PAIRS)]
    assert problems == []


def test_versions_mention_only_operations_that_had_begun(default_store, rels, operations):
    """A version's summary and rationales name no operation that started after the version's date."""
    problems = []
    for rel_id in rels.values():
        for version in default_store.assessments.history(rel_id):
            text = " ".join([version.summary, *(m.rationale for m in version.motives)])
            for op in operations.values():
                if op.start and re.search(rf"(?<!\w){re.escape(op.acronym)}(?!\w)", text):
                    if latest_day(op.start) > version.as_of:
                        problems.append(f"{version.as_of} names {op.acronym} ({op.start})")
    assert problems == []


def test_an_ongoing_cooperation_row_has_an_operation_under_way(default_store, operations):
    """Chad (2008–present) rests on EUFOR Tchad/RCA, which is ongoing, not 'planned'."""
    for row in default_store.catalog.cooperation():
        if row.status.value == "ongoing":
            assert any(operations[a].status.value != "planned" for a in row.operation_acronyms), row.location
    assert operations["EUFOR Tchad/RCA"].status.value == "ongoing"


# -- contradictions kept, with a note ------------------------------------------------------------


def _cooperation_notes(db_path) -> dict[tuple[str, int | None], list[str]]:
    """(location, start year) -> notes; the note column is not part of the record the store returns."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT location, start_year, note FROM field_cooperation").fetchall()
    notes: dict[tuple[str, int | None], list[str]] = {}
    for location, start, note in rows:
        notes.setdefault((location, start), []).append(note)
    return notes


@pytest.mark.parametrize(
    ("location", "start", "dates"),
    [
        ("Sudan", 2004, ("2004", "July 2005")),
        ("Bosnia and Herzegovina", 2004, ("2003", "2004")),
        ("Burundi", 2004, ("2003", "2004")),
    ],
)
def test_where_the_report_gives_two_dates_the_row_keeps_figure_2s_and_its_note_names_both(
    default_db_path, location, start, dates
):
    """NATO–AU Sudan, UN–EU Bosnia and EU–AU Burundi keep Figure 2's period and say in a note where the text differs."""
    notes = _cooperation_notes(default_db_path)[(location, start)]
    assert any(all(d in note for d in dates) and "Figure 2" in note for note in notes)


def test_every_cooperation_row_has_a_sourced_note(default_db_path, sources):
    """Each row says where it comes from."""
    labels = _source_labels(sources)
    for (location, start), notes in _cooperation_notes(default_db_path).items():
        for note in notes:
            assert _marker_problems(note, labels) == [], (location, start)


# -- citations -----------------------------------------------------------------------------------

_MARKER = re.compile(r"\[Sources?: ([^\]]+)\]$")
_LABEL = re.compile(r"^(?P<author>.+) \((?P<year>[^():]+)(?:: (?P<locator>[^()]+))?\)$")


def _source_labels(sources) -> set[str]:
    return {f"{short_authors(s.authors)} ({s.year})" for s in sources.values()}


def _marker_problems(text: str, labels: set[str]) -> list[str]:
    """What is wrong with the trailing "[Source: Author (year: pages); ...]" of a field, if anything."""
    match = _MARKER.search(text)
    if not match:
        return [f"no [Source: ...] at the end of {text[:60]!r}"]
    problems = []
    for item in match.group(1).split("; "):
        label = _LABEL.match(item)
        if label is None or f"{label['author']} ({label['year']})" not in labels:
            problems.append(f"{item!r} is not a source of the store")
    return problems


def test_every_mandate_note_and_description_names_its_source_or_is_marked_as_the_datasets_own(
    default_store, operations, sources
):
    """Operations' mandates and notes and organizations' descriptions end with a source in the store."""
    labels = _source_labels(sources)
    assert DATASET_OWN in labels
    problems = []
    for op in operations.values():
        for field in (op.mandate, op.notes):
            if field:
                problems += [f"{op.acronym}: {p}" for p in _marker_problems(field, labels)]
    for org in default_store.quadrangle.organizations():
        problems += [f"{org.code}: {p}" for p in _marker_problems(org.description, labels)]
    assert problems == []


def test_mandates_the_report_does_not_give_are_marked_as_the_datasets_own(operations):
    """Resolution numbers added by the dataset (UNPROFOR's 743...) cite the dataset summary, not the report."""
    assert operations["UNPROFOR"].mandate.endswith(f"[Source: {DATASET_OWN}]")
    assert operations["KFOR"].mandate.endswith("[Source: UNSC (1999)]")


def test_every_recommendation_is_marked_as_the_datasets_own(default_store, sources):
    """Recommendations are the dataset's advice, so each lesson that has one cites the dataset summary for it."""
    own = sources["quadrangle-dataset-summary"].id
    for lesson in default_store.lessons.all():
        if lesson.recommendation:
            assert any(c.source_id == own and c.locator == "recommendation" for c in lesson.citations), lesson.key


def test_osland_page_544_is_not_cited_for_the_eupm_identity_lesson(default_store, sources):
    """Osland (2004: 544) is about EUPM as the EU's first test; the identity problem is Hansen (2006: 45)."""
    osland, hansen = sources["osland-2004"].id, sources["hansen-2006"].id
    lesson = lessons_by_key(default_store)["un-eu-eupm-distinct-identity"]
    assert not any(c.source_id == osland and c.locator == "544" for c in lesson.citations)
    assert any(c.source_id == hansen and c.locator == "45" for c in lesson.citations)
    for other in default_store.lessons.all():
        assert not any(c.source_id == osland and c.locator == "544" for c in other.citations), other.key


def test_the_eu_template_phrase_is_quoted_with_its_citation(default_store, rels, sources):
    """Babarinde's 'relied on the EU template' is a quotation in a quote field, not part of the rationale."""
    babarinde = sources["babarinde-2007"].id
    latest = default_store.assessments.history(rels["EU–AU"])[-1]
    text = " ".join(m.rationale for m in latest.motives)
    assert "EU template" not in text
    assert any(c.source_id == babarinde and c.quote == "relied on the EU template" for c in latest.citations)


# -- names ---------------------------------------------------------------------------------------


def test_names_in_the_bibliography_are_spelled_right(sources):
    """Ban Ki-moon, The International Spectator and McGraw-Hill, whatever the report's typos."""
    ban = sources["ki-moon-solana-2007"]
    assert ban.authors.startswith("Ban, Ki-moon")
    assert short_authors(ban.authors) == "Ban and Solana"
    assert sources["keohane-2003"].container == "The International Spectator"
    assert sources["morgenthau-1948"].publisher == "McGraw-Hill"
    every_field = " ".join(" ".join((s.authors, s.title, s.container, s.publisher, s.place)) for s in sources.values())
    assert "ki-Moon," not in every_field and "Specator" not in every_field and "McGraw.Hill" not in every_field


def test_the_un_au_declaration_says_the_report_cites_it_as_un_2006(sources):
    """The report's 'UN (2006)' notes on the UN–AU declaration are resolved to UN & AU (2006), and the entry says so."""
    assert "UN (2006)" in sources["un-au-2006"].reference
