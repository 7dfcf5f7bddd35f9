"""Markings that hold (issue 17): strict reading of a typed marking, the output marking, the editable
vocabulary, and the one limited view every output is made from."""

from __future__ import annotations

import json

import pytest

from db import MarkingScheme, Store, ValidationError, output_marking, resolve_marking, view_as_of
from tests.markings_helpers import AS_OF, CONFIDENTIAL_TEXT, LEVELS, SECRET_TEXTS, add_marked_material


@pytest.fixture
def marked(mini_db_path):
    store = Store.open(mini_db_path, actor="tester")
    ids = add_marked_material(store)
    yield store, ids
    store.close()


@pytest.mark.parametrize(
    "text",
    [
        "UNCLASSIFIED\u200b",  # zero-width space
        "UNCLAS\u2060SIFIED",  # word joiner
        "\ufeffUNCLASSIFIED",  # byte-order mark
        "UNCLASSIFIED\u202e",  # right-to-left override
        "UNCLASSIFIED//PUBLIC RELEASE",  # extra text
        "UNCLASSIFIED PUBLIC",
        "UNCLASSІFIED",  # Cyrillic І (U+0406)
        "SЕCRET",  # Cyrillic Е (U+0415)
        "UNCLASSIFIE",
        "",
    ],
)
def test_anything_but_exactly_a_level_is_refused_in_one_line(text):
    """Invisible characters, look-alike letters and extra text are refused, with a one-line reason."""
    with pytest.raises(ValidationError) as caught:
        resolve_marking(text, LEVELS)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("UNCLASSIFIED", "UNCLASSIFIED"),
        ("secret", "SECRET"),
        (" Restricted ", "RESTRICTED"),
        ("ＳＥＣＲＥＴ", "SECRET"),
    ],
)
def test_a_level_is_accepted_after_normalisation_and_spelled_as_the_vocabulary(text, level):
    """Case and NFKC compatibility forms (full-width letters) name the level; the vocabulary's spelling is kept."""
    assert resolve_marking(text, LEVELS) == level


def test_the_refusal_names_the_invisible_character():
    """The message says which character is wrong, so the analyst can find it."""
    with pytest.raises(ValidationError, match="U\\+200B ZERO WIDTH SPACE"):
        resolve_marking("UNCLASSIFIED\u200b", LEVELS)
    with pytest.raises(ValidationError, match="look-alike"):
        resolve_marking("SЕCRET", LEVELS)


def test_the_output_marking_is_the_highest_contained_and_can_only_be_raised():
    """Computed from the content; a request may raise it to a level, never lower it."""
    scheme = MarkingScheme(LEVELS)
    assert output_marking(["UNCLASSIFIED", "CONFIDENTIAL", "RESTRICTED"], scheme=scheme) == "CONFIDENTIAL"
    assert output_marking([], scheme=scheme) == "UNCLASSIFIED"
    assert output_marking(["RESTRICTED"], "secret", scheme) == "SECRET"
    with pytest.raises(ValidationError, match="lower than the material included"):
        output_marking(["CONFIDENTIAL"], "RESTRICTED", scheme)
    with pytest.raises(ValidationError):
        output_marking(["UNCLASSIFIED"], "UNCLASSIFIED\u200b", scheme)


def test_the_vocabulary_is_editable_with_caveats_and_a_handling_statement(mini_store):
    """An organisation's own scheme, printed on banners with its handling statement."""
    previous = mini_store.catalog.set_markings(
        ["UNCLASSIFIED", "RESTRICTED", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET"],
        caveats="",
        handling="REL TO NATO/EU",
    )
    scheme = mini_store.catalog.marking_scheme()
    assert scheme.levels == ("UNCLASSIFIED", "RESTRICTED", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET")
    assert scheme.banner("NATO SECRET") == "NATO SECRET//REL TO NATO/EU"
    assert [m.name for m in mini_store.catalog.markings()] == list(scheme.levels)
    mini_store.catalog.set_markings(previous.levels, caveats=previous.caveats, handling=previous.handling)
    assert mini_store.catalog.marking_scheme() == previous  # passing the previous scheme back undoes it


def test_a_marking_in_use_cannot_be_removed_or_renamed_and_the_refusal_names_its_users(marked):
    """Renaming or removing a level would change items' markings silently: refused, saying which items."""
    store, _ = marked
    before = store.catalog.marking_scheme()
    with pytest.raises(ValidationError) as caught:
        store.catalog.set_markings(["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "TOP SECRET"])
    message = str(caught.value)
    assert "SECRET is in use" in message and "1 lesson: Secret finding OMX" in message and "1 source" in message
    assert store.catalog.marking_scheme() == before  # nothing changed
    with pytest.raises(ValidationError, match="invisible"):
        store.catalog.set_markings(["UNCLASSIFIED", "RESTRICTED\u200b", "CONFIDENTIAL", "SECRET"])
    with pytest.raises(ValidationError, match="twice"):
        store.catalog.set_markings(["UNCLASSIFIED", "RESTRICTED", "restricted", "CONFIDENTIAL", "SECRET"])


def test_reordering_keeps_every_items_marking_name(marked):
    """Moving a level changes the order only: items keep the name they carry."""
    store, ids = marked
    store.catalog.set_markings(["UNCLASSIFIED", "CONFIDENTIAL", "RESTRICTED", "SECRET"])
    assert store.lessons.get(ids["secret_lesson"]).marking == "SECRET"
    assert store.quadrangle.state_as_of(AS_OF).relationships[0].assessment.marking == "CONFIDENTIAL"
    state = store.quadrangle.state_as_of(AS_OF, max_marking="RESTRICTED")  # now above CONFIDENTIAL
    assert state.relationships[0].assessment.marking == "CONFIDENTIAL"


def test_the_state_at_a_limit_shows_the_newest_allowed_version_and_counts_only_allowed_lessons(marked):
    """Below the version in force, the view falls back to the newest version at or below the limit."""
    store, ids = marked
    full = store.quadrangle.state_as_of(AS_OF).relationships[0]
    assert full.assessment.summary == CONFIDENTIAL_TEXT and full.lesson_count == 3
    limited = store.quadrangle.state_as_of(AS_OF, max_marking="UNCLASSIFIED")
    rel = limited.relationships[0]
    assert rel.assessment.marking == "UNCLASSIFIED" and rel.assessment.summary != CONFIDENTIAL_TEXT
    assert rel.assessment_withheld
    assert rel.lesson_count == 2  # the SECRET lesson is not counted
    assert limited.contained_markings == {"UNCLASSIFIED"}
    confidential = store.quadrangle.state_as_of(AS_OF, max_marking="CONFIDENTIAL").relationships[0]
    assert confidential.assessment.summary == CONFIDENTIAL_TEXT
    assert confidential.assessment.citations == ()  # its citation of the SECRET source is dropped
    assert store.quadrangle.state_as_of(AS_OF, max_marking="CONFIDENTIAL").dropped_citations == 1


def test_a_relationship_with_only_versions_above_the_limit_says_withheld(mini_store):
    """No version at or below the limit: the assessment is None and flagged withheld, so the table
    says "withheld" (not "not assessed", and nothing of the version)."""
    from datetime import date

    from db import AssessmentInput, comparison_rows

    mini_store.catalog.set_markings(list(LEVELS))
    rel = mini_store.quadrangle.relationships()[0]
    first = mini_store.assessments.history(rel.id)[0]
    mini_store.assessments.save(
        AssessmentInput(
            relationship_id=rel.id,
            as_of=date(2002, 6, 30),
            phases=first.phases,
            confidence=first.confidence,
            summary="Early secret view PLK",
            motives=first.motives,
            marking="SECRET",
        )
    )
    state = mini_store.quadrangle.state_as_of(date(2002, 12, 31), max_marking="CONFIDENTIAL")
    assert state.relationship(rel.id).assessment is None and state.relationship(rel.id).assessment_withheld
    row = comparison_rows(state)[0]
    assert row.phase_label == "withheld" and row.phases == () and row.motives == () and row.confidence == ""
    assert state.contained_markings == set()


def test_the_view_drops_and_counts_what_is_withheld(marked):
    """`view_as_of` is the one filter: nothing withheld is in it, and what was left out is counted."""
    store, ids = marked
    view = view_as_of(store, AS_OF, "unclassified")  # typed limits are resolved strictly
    assert view.limit == "UNCLASSIFIED"
    assert view.left_out == {"assessments": 1, "lessons": 1, "sources": 1, "citations": 1}
    assert ids["secret_lesson"] not in {lesson.id for lesson in view.lessons}
    open_lesson = next(lesson for lesson in view.lessons if lesson.id == ids["open_lesson"])
    assert open_lesson.citations == ()  # the citation of the SECRET source is dropped, the lesson kept
    assert ids["source"] not in {s.id for s in view.sources}
    assert "covert_liaison_qqt" not in view.themes_in_use
    assert view.marking() == "UNCLASSIFIED"
    assert view.left_out_note() == "1 assessment, 1 lesson, 1 source, 1 citation above UNCLASSIFIED left out"
    everything = view_as_of(store, AS_OF)
    assert everything.left_out == {} and everything.marking() == "SECRET"
    with pytest.raises(ValidationError):
        view_as_of(store, AS_OF, "UNCLASSIFIED\u200b")


def test_the_exchange_file_carries_its_marking_and_names_no_theme_only_withheld_lessons_carry(marked, tmp_path):
    """The manifest says the file's marking; a theme only a withheld lesson uses is not in the file."""
    store, _ = marked
    path = tmp_path / "out.json"
    store.exchange.export(path, max_marking="RESTRICTED")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["manifest"]["marking"] == "UNCLASSIFIED"
    assert document["manifest"]["selection"]["max_marking"] == "RESTRICTED"
    text = path.read_text(encoding="utf-8")
    for secret in (*SECRET_TEXTS, CONFIDENTIAL_TEXT):
        assert secret not in text
    store.exchange.export(tmp_path / "all.json")
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["manifest"]["marking"] == "SECRET"
    store.exchange.preview(path)  # the file still reads back
    with pytest.raises(ValidationError):
        store.exchange.export(tmp_path / "bad.json", max_marking="RESTRICTED\u200b")
    assert not (tmp_path / "bad.json").exists()


def test_the_lesson_search_and_its_count_obey_a_marking_limit(marked):
    """`LessonFilters.max_marking`: the browser's pages and its "N lessons" leave withheld lessons out."""
    from db import LessonFilters

    store, ids = marked
    everything = {h.lesson.id for h in store.lessons.search("", LessonFilters(), 200, 0).hits}
    limited = LessonFilters(max_marking="RESTRICTED")
    shown = {h.lesson.id for h in store.lessons.search("", limited, 200, 0).hits}
    assert ids["secret_lesson"] in everything and shown == everything - {ids["secret_lesson"]}
    assert store.lessons.count(limited) == len(shown) == store.lessons.count(LessonFilters()) - 1
    assert not store.lessons.search("OMX", limited, 200, 0).hits and store.lessons.search("OMX").hits
    assert store.lessons.count(LessonFilters(max_marking="SECRET")) == len(everything)


def test_the_marking_filter_counts_and_names_only_allowed_material(marked):
    """MarkingFilter: no theme only a withheld lesson carries, no count of a withheld lesson, no
    citation of a withheld source."""
    from db import MarkingFilter

    store, ids = marked
    reader = MarkingFilter(store, "unclassified")
    assert reader.limit == "UNCLASSIFIED"
    overview, markings = reader.theme_overview()
    assert "Covert liaison QQT" not in overview.theme_names and set(markings) == {"UNCLASSIFIED"}
    assert sum(overview.totals.values()) == sum(len(lesson.theme_keys) for lesson in reader.kept(store.lessons.all()))
    open_lesson = reader.cleaned(store.lessons.get(ids["open_lesson"]))
    assert open_lesson.citations == ()
    assert ids["source"] not in reader.citation_counts()
    kinds = [e.owner_kind for e in reader.cited_by(ids["source"])]
    assert kinds == ["lesson"]  # the CONFIDENTIAL version citing it is withheld, with its date
    assert "assessment" in [e.owner_kind for e in MarkingFilter(store, None).cited_by(ids["source"])]
    with pytest.raises(ValidationError):
        MarkingFilter(store, "UNCLASSIFIED\u200b")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (["UNCLASSIFIED", "SЕCRET"], "mixes Latin and Cyrillic letters"),  # Cyrillic Е (U+0415)
        (["UNCLASSIFIED", "SECRET", "UNCLASSΙFIED"], "mixes Latin and Greek letters"),  # Greek Ι (U+0399)
        (["UNCLASSIFIED", "SECRET", "СЕКРЕТ", "CEKPET"], "look the same on a banner"),  # Cyrillic, then Latin
    ],
)
def test_a_vocabulary_with_look_alike_markings_is_refused_and_nothing_changes(mini_store, levels, message):
    """A level that looks like another (mixed scripts, or two names a reader cannot tell apart) is
    refused in one line, and the vocabulary stays as it was: no banner can pass for a lower level."""
    before = mini_store.catalog.marking_scheme()
    with pytest.raises(ValidationError, match=message) as caught:
        mini_store.catalog.set_markings(levels)
    assert "\n" not in str(caught.value)
    assert mini_store.catalog.marking_scheme() == before


def test_a_vocabulary_in_one_other_script_is_accepted(mini_store):
    """An organisation's own scheme in Cyrillic (or any single script) is a scheme like any other."""
    levels = ["UNCLASSIFIED", "RESTRICTED", "СЕКРЕТНО", "NATO SECRET"]
    mini_store.catalog.set_markings(levels)
    assert mini_store.catalog.marking_scheme().levels == tuple(levels)


def test_the_overview_at_the_top_level_counts_what_the_unlimited_overview_counts(marked):
    """The overview added up from the per-marking counts agrees, cell by cell, with the store's own
    overview when nothing is above the limit; one level down it drops exactly the SECRET lesson."""
    from db import MarkingFilter

    store, ids = marked
    unlimited = store.lessons.theme_overview()
    top, markings = MarkingFilter(store, "SECRET").theme_overview()
    assert {k: v for k, v in top.counts.items() if v} == {k: v for k, v in unlimited.counts.items() if v}
    assert {k: v for k, v in top.totals.items() if v} == {k: v for k, v in unlimited.totals.items() if v}
    assert top.theme_keys == unlimited.theme_keys and "SECRET" in markings
    lower, _ = MarkingFilter(store, "CONFIDENTIAL").theme_overview()
    assert sum(lower.totals.values()) == sum(unlimited.totals.values()) - len(
        store.lessons.get(ids["secret_lesson"]).theme_keys
    )


def test_operation_lesson_counts_and_citation_counts_obey_a_marking_limit(marked):
    """A SECRET lesson drawn from an operation is neither counted nor dates the operation at
    RESTRICTED; a CONFIDENTIAL version's citation is not counted for its source."""
    from datetime import date

    from db import LessonInput, LessonKind, MarkingFilter

    store, ids = marked
    operation = store.operations.all()[0]
    before = store.operations.lesson_counts().get(operation.id, 0)
    store.lessons.add(
        LessonInput(
            finding="Secret operation lesson",
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2026, 1, 1),
            relationship_ids=(ids["relationship"],),
            theme_keys=("mandate",),
            operation_id=operation.id,
            marking="SECRET",
        )
    )
    reader = MarkingFilter(store, "RESTRICTED")
    assert store.operations.lesson_counts()[operation.id] == before + 1
    assert reader.lesson_counts_by_operation().get(operation.id, 0) == before
    assert store.operations.latest_lesson_days()[operation.id] == date(2026, 1, 1)
    assert reader.latest_lesson_days().get(operation.id) != date(2026, 1, 1)
    cited = store.assessments.get(ids["version"]).citations[0].source_id
    everything, limited = store.sources.citation_counts(), reader.citation_counts()
    assert cited == ids["source"] and everything[cited] == 2 and cited not in limited


def test_the_states_lesson_markings_are_the_distinct_markings_recorded_by_the_date(mini_store):
    """The state's lesson markings (one seek per level) equal a DISTINCT over the live lessons recorded
    by each date, with a limit, and leave out a trashed lesson."""
    from datetime import date

    from sqlalchemy import select

    from db import models
    from db.state import _lesson_markings
    from tests.markings_helpers import add_marked_material

    ids = add_marked_material(mini_store)
    mini_store.lessons.delete(ids["open_lesson"])
    lesson = models.Lesson
    for day in (date(2000, 1, 1), date(2008, 1, 31), date(2008, 2, 1), date(2008, 6, 30)):
        for allowed in (None, frozenset({"UNCLASSIFIED", "RESTRICTED"})):
            with mini_store.database.read() as s:
                query = select(lesson.marking).distinct().where(lesson.deleted_at.is_(None), lesson.recorded_on <= day)
                expected = {m for m in s.scalars(query) if allowed is None or m in allowed}
                assert set(_lesson_markings(s, day, None, allowed)) == expected, (day, allowed)
    with mini_store.database.read() as s:
        assert "SECRET" in _lesson_markings(s, date(2008, 6, 30), None, None)
