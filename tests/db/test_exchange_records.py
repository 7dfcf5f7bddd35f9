"""What an exchange file carries since format 2: the full bibliographic record of a source (issue 19)
and an organization's founding day (issue 20), with older files still read; and what an import keeps
current besides the records (the search index, the theme overview)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import Creator, CreatorRole, ExchangeFileError, SourceInput, Store, models
from db.exchange.format import EXCHANGE_FORMAT_VERSION, canonical_bytes, payload_sha256
from db.types import new_id
from tests.db.exchange_helpers import add_lesson, content, edit_lesson, snapshot

FULL_SOURCE = SourceInput(
    authors="",
    year="2003",
    title="Resolution 1484 (2003) on the situation in the Democratic Republic of the Congo",
    key="unsc-1484",
    container="Resolutions and decisions of the Security Council",
    publisher="United Nations",
    place="New York",
    marking="RESTRICTED",
    item_type="un-resolution",
    creators=(
        Creator(literal="United Nations Security Council"),
        Creator(family="Müller", given="Hans-Jürgen", role=CreatorRole.EDITOR, suffix="Jr."),
        Creator(family="Júlio", given="Ana", role=CreatorRole.TRANSLATOR),
    ),
    volume="58",
    issue="4",
    pages="49–68",
    edition="2nd",
    date="2003-05-30",
    doi="10.1080/13533310500424611",
    isbn="978-0-415-35839-3",
    issn="1353-3312",
    url="https://undocs.org/S/RES/1484(2003)",
    accessed="2007-11-02",
    document_symbol="S/RES/1484 (2003)",
    language="en",
    notes="Adopted unanimously at the 4764th meeting.\nOperation Artemis.",
)


def _peer(store_target, actor: str) -> Store:
    """A second workstation seeded from the same dataset (same record UUIDs), with its own database id."""
    store = Store.open(store_target("mini"), actor=actor)
    with store.database.write() as s:
        s.get_one(models.Meta, "database_id").value = new_id()
    return store


@pytest.fixture
def peers(store_target):
    """Alice's and Bob's stores on the test's engine (SQLite files, or PostgreSQL databases)."""
    alice, bob = _peer(store_target, "alice"), _peer(store_target, "bob")
    yield alice, bob
    alice.close()
    bob.close()


def test_a_source_with_every_field_filled_arrives_identical(peers, tmp_path):
    """Item type, creators with their roles (an institution as one name), container, volume, issue,
    pages, edition, publisher, place, date, DOI, ISBN/ISSN, URL, access date, document symbol,
    language, notes and marking all travel: B holds the very record A holds."""
    alice, bob = peers
    sent = alice.sources.add(FULL_SOURCE)
    alice.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["manifest"]["format_version"] == EXCHANGE_FORMAT_VERSION == 2
    assert bob.exchange.import_file(tmp_path / "a.json").inserted >= 1
    arrived = bob.sources.get(sent.id)
    assert arrived == sent
    assert [c.sort_name for c in arrived.creators] == [
        "United Nations Security Council",
        "Müller, Hans-Jürgen, Jr.",
        "Júlio, Ana",
    ]
    assert [c.role for c in arrived.creators] == [CreatorRole.AUTHOR, CreatorRole.EDITOR, CreatorRole.TRANSLATOR]
    assert not bob.exchange.import_file(tmp_path / "a.json").changed


def test_an_edit_of_a_bibliographic_field_is_a_difference_field_by_field(peers, tmp_path):
    """A DOI corrected on their side only is taken, and the preview names the field."""
    alice, bob = peers
    sent = alice.sources.add(FULL_SOURCE)
    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    corrected = replace(SourceInput.from_record(sent), doi="10.1080/13533310500424612")
    alice.sources.update(sent.id, corrected, sent.revision)
    alice.exchange.export(tmp_path / "a2.json")
    item = next(i for i in bob.exchange.preview(tmp_path / "a2.json").items if i.id == sent.id)
    assert [d.label for d in item.differences] == ["DOI"]
    bob.exchange.import_file(tmp_path / "a2.json")
    assert bob.sources.get(sent.id).doi == "10.1080/13533310500424612"


def test_an_organization_keeps_its_founding_day(peers, tmp_path):
    """A new organization's founding day (migration 0007) reaches the other database with it."""
    alice, bob = peers
    osce = alice.quadrangle.add_organization("OSCE", "Organization for Security and Co-operation in Europe", "regional")
    with alice.database.write() as s:
        s.get_one(models.Organization, osce.id).founded = date(1995, 1, 1)
    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    arrived = {o.code: o for o in bob.quadrangle.organizations()}["OSCE"]
    assert arrived.founded == date(1995, 1, 1) and not arrived.exists_on(date(1994, 12, 31))


def _as_version_1(path, out) -> None:
    """The file as Quadrangle wrote it before format 2: sources as display strings, no founding days."""
    data = json.loads(path.read_text(encoding="utf-8"))
    keep = {"key", "authors", "year", "title", "container", "publisher", "place", "reference", "marking"}
    for entry in data["payload"]["sources"].values():
        for name in set(entry) - keep - {"created_at", "created_by", "updated_at", "updated_by"}:
            del entry[name]
    for entry in data["payload"]["organizations"].values():
        del entry["founded"]
    data["manifest"]["format_version"] = 1
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_version_1_file_still_imports_with_the_missing_fields_filled(peers, tmp_path):
    """An older file's source gets its creators from the author string and its volume, issue, pages
    and URL from its reference (as migration 0006 moved stored sources); an organization gets no
    founding day."""
    alice, bob = peers
    old = alice.sources.add(
        SourceInput(
            authors="Gya, G., Ana Júlio and Hans-Jürgen Müller",
            year="2007",
            title="Coordination in crisis management",
            container="International Peacekeeping",
            reference="vol. 11, no. 4, pp. 49–68; https://example.org/gya",
        )
    )
    alice.quadrangle.add_organization("OSCE", "Organization for Security and Co-operation in Europe", "regional")
    alice.exchange.export(tmp_path / "a.json")
    _as_version_1(tmp_path / "a.json", tmp_path / "v1.json")
    assert bob.exchange.import_file(tmp_path / "v1.json").inserted >= 2
    arrived = bob.sources.get(old.id)
    assert (arrived.volume, arrived.issue, arrived.pages, arrived.url) == (
        "11",
        "4",
        "49–68",
        "https://example.org/gya",
    )
    assert arrived.creators[0].family == "Gya"
    assert arrived.item_type == old.item_type and arrived.creators == old.creators
    assert {o.code: o for o in bob.quadrangle.organizations()}["OSCE"].founded is None


@pytest.mark.sqlite_only
def test_a_creator_with_an_unknown_role_is_refused_before_anything_is_written(mini_store, tmp_path):
    """A re-signed file naming a creator role Quadrangle does not know is refused in one line."""
    mini_store.sources.add(FULL_SOURCE)
    mini_store.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    entry = next(e for e in data["payload"]["sources"].values() if e["key"] == "unsc-1484")
    entry["creators"][1]["role"] = "ghostwriter"
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(mini_store.location.path)
    with pytest.raises(ExchangeFileError, match="creators.1.role") as caught:
        mini_store.exchange.import_file(tmp_path / "bad.json")
    assert "\n" not in str(caught.value)
    assert snapshot(mini_store.location.path) == before


def test_imported_lessons_are_found_by_search_and_counted_in_the_overview(peers, tmp_path):
    """New lessons and a lesson whose themes and text changed on their side are searchable at once,
    and the index and the theme overview's counts agree with the lessons."""
    alice, bob = peers
    rel = alice.quadrangle.relationships()[0].id
    themes = [t.id for t in alice.catalog.themes()]
    add_lesson(alice, rel, "Helicopter lift shortfall in Ituri", theme_ids=themes[:2])
    shared = alice.lessons.all()[0].id
    alice.exchange.export(tmp_path / "a.json")
    bob.exchange.import_file(tmp_path / "a.json")
    with alice.database.write() as s:
        s.query(models.LessonTheme).filter_by(lesson_id=shared).delete()
        s.add(models.LessonTheme(lesson_id=shared, theme_id=themes[-1]))
    edit_lesson(alice, shared, finding="Liaison officers arrived late in Bunia")
    alice.exchange.export(tmp_path / "b.json")
    assert bob.exchange.import_file(tmp_path / "b.json").updated == 1
    for words in ("helicopter Ituri", "liaison Bunia"):
        assert bob.lessons.count(text=words) == 1
    assert bob.lessons.check_search() == []


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=4),
        st.dictionaries(
            st.text(max_size=4),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                max_leaves=8,
            ),
            max_size=4,
        )
        | st.lists(st.integers(), max_size=3),
        max_size=4,
    )
)
def test_the_checksum_fed_in_pieces_is_the_checksum_of_the_whole(payload):
    """Hashing the payload entry by entry gives exactly the SHA-256 of its canonical bytes."""
    import hashlib

    assert payload_sha256(payload) == hashlib.sha256(canonical_bytes(payload)).hexdigest()


@pytest.mark.sqlite_only
def test_a_key_given_twice_through_an_escape_is_refused(mini_store, tmp_path):
    """`"finding"` and `"\\u0066inding"` are one key given twice: refused by name, even with the checksum
    redone over the value a lenient reader would keep."""
    mini_store.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    lesson = next(iter(data["payload"]["lessons"].values()))
    lesson["finding"] = "sneaky"
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    lesson["zzdup"] = "sneaky"
    text = json.dumps(data).replace('"zzdup"', '"\\u0066inding"')
    (tmp_path / "dup.json").write_text(text, encoding="utf-8")
    before = snapshot(mini_store.location.path)
    with pytest.raises(ExchangeFileError, match="gives the key 'finding' twice"):
        mini_store.exchange.preview(tmp_path / "dup.json")
    with pytest.raises(ExchangeFileError, match="gives the key 'finding' twice"):
        mini_store.exchange.import_file(tmp_path / "dup.json")
    assert snapshot(mini_store.location.path) == before


@pytest.mark.sqlite_only
def test_a_key_given_twice_among_empty_strings_and_colons_is_refused(mini_store, tmp_path):
    """A key given twice is refused by name when the strings around it are empty, hold only a colon or
    brackets, or an escaped quote (the fast reader counts the members outside strings)."""
    mini_store.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    lesson = next(iter(data["payload"]["lessons"].values()))
    lesson["recommendation"] = ""
    lesson["finding"] = ':"[{'
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    lesson["zzdup"] = ":"
    text = json.dumps(data, ensure_ascii=False).replace('"zzdup"', '"finding"')
    (tmp_path / "dup.json").write_text(text, encoding="utf-8")
    with pytest.raises(ExchangeFileError, match="gives the key 'finding' twice"):
        mini_store.exchange.import_file(tmp_path / "dup.json")
    assert mini_store.lessons.all()[0].finding != ":"


def test_a_motives_own_citation_travels_with_its_motive(peers, tmp_path):
    """An assessment version citing a source for "resource dependence" arrives with that citation still
    under the motive (it used to arrive as a citation of the whole assessment); a version citing no
    motive keeps the content it had, so an older peer's file is still identical."""
    from db import AssessmentInput, CitationInput, Confidence, Motive, MotiveAssessment, Phase

    alice, bob = peers
    source = alice.sources.citable()[0]
    relationship = alice.quadrangle.find_relationship("UN-EU")
    weights = {Motive.RESOURCE_DEPENDENCE: 3, Motive.SHARED_VALUES: 1}
    saved = alice.assessments.save(
        AssessmentInput(
            relationship_id=relationship.id,
            as_of=date(2008, 3, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.MODERATE,
            summary="Cooperation deepened in Chad.",
            motives=tuple(MotiveAssessment(m, weights.get(m, 0), "why" if m in weights else "") for m in Motive),
            citations=(
                CitationInput(source.id, "12"),
                CitationInput(source.id, "44", motive=Motive.RESOURCE_DEPENDENCE),
            ),
        )
    )
    alice.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    cited = data["payload"]["assessment_versions"][saved.id]["citations"]
    assert [c.get("motive") for c in cited] == [None, "resource_dependence"] and "motive" not in cited[0]
    bob.exchange.import_file(tmp_path / "a.json")
    arrived = next(v for v in bob.assessments.history(relationship.id) if v.id == saved.id)
    assert [c.locator for c in arrived.motive_citations(Motive.RESOURCE_DEPENDENCE)] == ["44"]
    assert [c.locator for c in arrived.whole_citations] == ["12"]
    assert not bob.exchange.import_file(tmp_path / "a.json").changed


def test_a_lessons_citation_naming_a_motive_is_refused(mini_store, tmp_path):
    """Only an assessment's citation may belong to a motive: a file giving one to a lesson is refused
    in one line before anything is written."""
    mini_store.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    lesson = next(e for e in data["payload"]["lessons"].values() if e["citations"])
    lesson["citations"][0]["motive"] = "legitimization"
    data["manifest"]["payload_sha256"] = payload_sha256(data["payload"])
    (tmp_path / "b.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = content(mini_store), len(mini_store.audit.entries())
    with pytest.raises(ExchangeFileError, match="only an assessment's may") as refused:
        mini_store.exchange.import_file(tmp_path / "b.json")
    assert "\n" not in str(refused.value)
    assert (content(mini_store), len(mini_store.audit.entries())) == before


def _change_mandate(store, acronym: str, text: str, effective: date):
    from db import OperationInput

    operation = next(op for op in store.operations.all() if op.acronym == acronym)
    draft = replace(OperationInput.from_record(operation), mandate=text, mandate_effective=effective)
    store.operations.update(operation.id, draft, operation.revision)
    return operation.id


def test_a_mandate_history_travels_and_merges_change_by_change(peers, tmp_path):
    """Alice's dated change of a mandate reaches Bob with its date, both texts and its author, and
    counts there as newer evidence; Bob's own later change stays beside it, a repeat import adds
    nothing, and an operation without a history keeps the entry (and hash) it had."""
    alice, bob = peers
    op_acronym = alice.operations.all()[0].acronym
    op_id = _change_mandate(alice, op_acronym, "Extended by resolution 1778", date(2007, 9, 25))
    alice.exchange.export(tmp_path / "a.json")
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [c["new_mandate"] for c in data["payload"]["operations"][op_id]["mandate_changes"]] == [
        "Extended by resolution 1778"
    ]
    assert all("mandate_changes" not in e for i, e in data["payload"]["operations"].items() if i != op_id)
    result = bob.exchange.import_file(tmp_path / "a.json")
    assert result.mandate_changes == 1 and result.counts_line.endswith(", 1 mandate change added")
    (arrived,) = bob.operations.get(op_id).mandate_history
    assert (arrived.effective_on, arrived.new_mandate, arrived.recorded_by) == (
        date(2007, 9, 25),
        "Extended by resolution 1778",
        "alice",
    )
    assert bob.operations.get(op_id).mandate == "Extended by resolution 1778"
    assert not bob.exchange.import_file(tmp_path / "a.json").changed
    _change_mandate(bob, op_acronym, "Extended by resolution 1834", date(2008, 9, 24))
    bob.exchange.export(tmp_path / "b.json")
    assert alice.exchange.import_file(tmp_path / "b.json").mandate_changes == 1
    assert [c.new_mandate for c in alice.operations.get(op_id).mandate_history] == [
        "Extended by resolution 1778",
        "Extended by resolution 1834",
    ]


def test_a_mandate_change_alone_is_imported_even_when_the_texts_agree(peers, tmp_path):
    """A mandate changed and changed back on their side leaves the same text as here: the operation is
    identical, yet both dated changes join the history (they are evidence, not a field)."""
    alice, bob = peers
    operation = alice.operations.all()[0]
    _change_mandate(alice, operation.acronym, "Interim text", date(2007, 3, 1))
    _change_mandate(alice, operation.acronym, operation.mandate, date(2007, 6, 1))
    alice.exchange.export(tmp_path / "a.json")
    item = next(i for i in bob.exchange.preview(tmp_path / "a.json").items if i.id == operation.id)
    assert item.differences == ()
    assert bob.exchange.import_file(tmp_path / "a.json").mandate_changes == 2
    assert len(bob.operations.get(operation.id).mandate_history) == 2
