"""The briefing PDF: sections, contents page numbers, running marking and page numbers, as-of, since,
marking filter, escaping, metadata and outline, read back from the PDF's text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import ValidationError
from desktop.briefing.content import BriefingOptions, gather, selected_state
from tests.desktop.briefing_helpers import (
    body_text,
    lesson,
    page_texts,
    split_pages,
    store_with_lessons,
    write,
)

AS_OF = date(2007, 12, 31)
RELATIONSHIPS = ("UN–EU", "NATO–EU", "UN–NATO", "UN–AU", "EU–AU", "NATO–AU")


@pytest.fixture
def app(qapp):
    return qapp


def _page_of(pages: list[str], heading: str) -> int:
    """1-based number of the first page whose body (after the running text) starts with `heading`."""
    for number, text in enumerate(split_pages(pages), start=1):
        if text.startswith(heading + " ") or text == heading:
            return number
    raise AssertionError(f"no page starts with {heading!r}")


def test_sections_in_order_with_contents_page_numbers(app, default_store, tmp_path):
    """Every section is there, in the brief's order, and the contents give the page each starts on."""
    pages = write(default_store, tmp_path / "b.pdf", as_of=AS_OF, since=date(2004, 1, 1))
    assert "Inter-organizational security cooperation" in pages[0]
    assert "AS OF 31 December 2007" in pages[0] and "ANALYST tester" in pages[0]
    assert pages[1].count("Contents") == 1
    titles = [
        ("1", "Key judgements"),
        ("2", "The quadrangle as of 31 December 2007"),
        ("3", "Comparison and motives"),
        *((str(i), name) for i, name in enumerate(RELATIONSHIPS, start=4)),
        ("10", "Cross-cutting lessons"),
        ("11", "Changes since 1 January 2004"),
        ("12", "Sources cited"),
        ("Annex A", "Every lesson in full"),
    ]
    contents = PdfReader(str(tmp_path / "b.pdf")).pages[1].extract_text(extraction_mode="layout")
    lines = [" ".join(line.replace(" .", " ").split()) for line in contents.splitlines()]
    starts = []
    for number, title in titles:
        entry = next((line for line in lines if line.startswith(f"{number} {title} ")), None)
        assert entry, f"contents line for {title}"
        start = _page_of(pages, f"{number} {title}")
        assert int(entry.rsplit(" ", 1)[1]) == start, title
        starts.append(start)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_every_page_has_marking_top_and_bottom_and_page_x_of_y(app, default_store, tmp_path):
    """Each page carries the marking at its top and bottom edge and "page X of Y" with the right X and Y."""
    path = tmp_path / "b.pdf"
    pages = write(default_store, path, as_of=AS_OF)
    assert len(pages) > 10
    split_pages(pages)  # the running text of every page, X and Y included
    for number, page in enumerate(PdfReader(str(path)).pages, start=1):
        height = float(page.mediabox.height)
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip() == "UNCLASSIFIED":
                found.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        assert min(found) < 30 and max(found) > height - 40, number


def test_sections_carry_the_relationship_data(app, default_store, tmp_path):
    """A relationship's section shows its phase, confidence, motives with rationales, milestones,
    cooperation and its most significant lessons with citations; the others are in the annex."""
    from desktop.briefing.judgements import plan_lessons

    write(default_store, tmp_path / "b.pdf", as_of=AS_OF)
    text = body_text(tmp_path / "b.pdf")
    state = default_store.quadrangle.state_as_of(AS_OF)
    un_eu = next(s for s in state.relationships if s.relationship.label == "UN–EU")
    assessment = un_eu.assessment
    section = text[text.index("4 UN–EU (UNCLASSIFIED) Phase:") : text.index("5 NATO–EU (UNCLASSIFIED) Phase:")]
    annex = text[text.index("Annex A Every lesson in full") :]
    assert f"Phase: {assessment.phase_label} · Confidence: {assessment.confidence.label}" in section
    for motive in assessment.motives:
        if motive.weight:
            assert motive.motive.label in section
            assert " ".join(motive.rationale.split()[:6]) in section
    for milestone in default_store.catalog.milestones(un_eu.relationship.id):
        assert milestone.title in section
    assert "(UNCLASSIFIED) Bosnia and Herzegovina 2004–present EUPM, EUFOR Althea" in section
    plan = plan_lessons(gather(default_store, BriefingOptions(as_of=AS_OF)))
    for item in default_store.lessons.all(un_eu.relationship.id):
        words = " ".join(item.finding.split()[:8])
        where = section if item.id in plan.in_body else annex
        assert words in where and item.citations[0].text in where
        assert plan.number[item.id] in section or plan.number[item.id] in annex
    comparison = text[text.index("3 Comparison and motives") : text.index("4 UN–EU (UNCLASSIFIED) Phase:")]
    for row in default_store.quadrangle.comparison_table(AS_OF):
        assert f"{row.label} {row.phase_label}" in comparison.replace("/ ", "/")
    assert "Sources cited" in text and "Tardy, T. (2005)." in text


def test_as_of_2004_shows_the_phases_of_2004(app, default_store, tmp_path):
    """A briefing as of 2004 shows the versions in force then, not today's."""
    pages = write(default_store, tmp_path / "b.pdf", as_of=date(2004, 6, 30))  # NATO–EU in maintenance from Althea
    text = " ".join(pages)
    comparison = text[text.index("3 Comparison and motives") : text.index("Motive matrix")]
    assert "UN–EU Start-up" in comparison
    assert "NATO–EU Start-up" in comparison
    assert "UN–NATO Start-up" in comparison
    assert "NATO–AU not assessed" in comparison
    assert "Maintenance" not in comparison
    assert "AS OF 30 June 2004" in pages[0]
    assert "EUFOR RD Congo" not in text  # deployed in 2006


def test_since_lists_exactly_what_changed(app, default_store, tmp_path):
    """--since lists every phase move, new lesson and new operation of the period, and nothing else."""
    options = BriefingOptions(as_of=date(2006, 12, 31), since=date(2005, 1, 1))
    changes = gather(default_store, options).changes
    assert [(m.relationship, m.when, m.before, m.after) for m in changes.phase_moves] == [
        ("NATO–AU", date(2005, 7, 31), "not assessed", "Start-up"),  # NATO's support began in July 2005
    ]
    assert changes.new_lessons == ()
    assert sorted(op.acronym for op in changes.new_operations) == ["EUFOR RD Congo", "UNMIS"]
    pages = write(default_store, tmp_path / "b.pdf", as_of=date(2006, 12, 31), since=date(2005, 1, 1))
    text = " ".join(pages)
    start = text.index("Changes since 1 January 2005 What changed")
    section = text[start : text.index("Sources cited", start)]
    assert "31 July 2005 NATO–AU not assessed Start-up" in section
    assert "Courtship/negotiation" not in section
    assert "No new lessons." in section
    assert "UNMIS" in section and "EUFOR RD Congo" in section and "AMIS " not in section


def test_since_counts_new_lessons(app, tmp_path, qapp):
    """A lesson recorded inside the period is listed as new; one recorded before it is not."""
    store = store_with_lessons(
        tmp_path,
        [
            lesson("Fresh finding about liaison officers", key="fresh", recorded_on="2007-06-01"),
            lesson("Old finding about liaison officers", key="old", recorded_on="2006-06-01"),
        ],
    )
    with store:
        changes = gather(store, BriefingOptions(as_of=AS_OF, since=date(2007, 1, 1))).changes
    assert [item.finding for _, item in changes.new_lessons][:1] == ["Fresh finding about liaison officers"]
    assert "Old finding about liaison officers" not in [item.finding for _, item in changes.new_lessons]


def test_max_marking_leaves_restricted_items_out_and_says_so(app, tmp_path):
    """Items above --max-marking are left out and counted; without it they are in and raise the marking."""
    store = store_with_lessons(
        tmp_path, [lesson("Covert liaison finding XQZ", key="restricted-one", marking="RESTRICTED")]
    )
    with store:
        filtered = write(store, tmp_path / "f.pdf", as_of=AS_OF, max_marking="UNCLASSIFIED")
        full = write(store, tmp_path / "u.pdf", as_of=AS_OF)
        state, _ = selected_state(store, BriefingOptions(as_of=AS_OF, max_marking="UNCLASSIFIED"))
        un_eu = next(s for s in state.relationships if s.relationship.label == "UN–EU")
        assert (
            un_eu.lesson_count
            == store.quadrangle.state_as_of(AS_OF).relationship(un_eu.relationship.id).lesson_count - 1
        )
    filtered_text = " ".join(filtered)
    assert "XQZ" not in filtered_text
    assert "1 item marked above UNCLASSIFIED was left out: 1 lesson." in filtered_text
    split_pages(filtered, "UNCLASSIFIED")
    full_text = " ".join(full)
    assert "Challenge. (RESTRICTED) Covert liaison finding XQZ" in full_text
    split_pages(full, "RESTRICTED")


def test_marking_lower_than_the_content_is_refused(app, tmp_path):
    """--marking cannot under-mark: UNCLASSIFIED over a RESTRICTED lesson is refused; it is exactly a
    level of the vocabulary (any case), never free text that merely looks like one (issue 17)."""
    store = store_with_lessons(tmp_path, [lesson("Restricted finding", key="restricted-two", marking="RESTRICTED")])
    with store:
        with pytest.raises(ValidationError, match="lower than the included material"):
            gather(store, BriefingOptions(as_of=AS_OF, marking="UNCLASSIFIED"))
        assert gather(store, BriefingOptions(as_of=AS_OF, marking="SECRET")).marking == "SECRET"
        assert gather(store, BriefingOptions(as_of=AS_OF, marking="secret")).marking == "SECRET"
        with pytest.raises(ValidationError, match="is not a marking of this database"):
            gather(store, BriefingOptions(as_of=AS_OF, marking="NATO RESTRICTED"))


def test_hostile_text_appears_literally(app, tmp_path):
    """Markup in user text is printed as typed, and an <img> pointing at a local file loads nothing."""
    picture = tmp_path / "secret.png"
    from PySide6.QtGui import QImage

    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    image.save(str(picture))
    hostile = f'Watch <b>bold</b> & <img src="{picture.as_uri()}"> and <script>x</script>'
    store = store_with_lessons(tmp_path, [lesson(hostile, key="hostile")])
    with store:
        write(store, tmp_path / "h.pdf", as_of=AS_OF)
    text = " ".join(page_texts(tmp_path / "h.pdf"))
    assert 'Watch <b>bold</b> & <img src="file:///' in text
    assert 'secret.png"> and <script>x</script>' in text
    reader = PdfReader(str(tmp_path / "h.pdf"))
    images = [name for page in reader.pages for name in page.images]
    assert images == []


def test_user_text_is_escaped_for_the_paragraph_markup(app, tmp_path):
    """ReportLab's markup is XML-like: a lesson with &, < and > and a would-be <img>, <a href> or
    <font> tag prints as typed and draws nothing (no image, no link)."""
    hostile = 'A & B <font color="red">x</font> <a href="https://example.org">link</a> <img src="/etc/x.png"/> 5 > 3'
    store = store_with_lessons(tmp_path, [lesson(hostile, key="markup")])
    with store:
        write(store, tmp_path / "m.pdf", as_of=AS_OF)
    text = body_text(tmp_path / "m.pdf")
    assert hostile in text
    reader = PdfReader(str(tmp_path / "m.pdf"))
    uris = [
        a.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for a in (page.get("/Annots") or [])
        if a.get_object().get("/A", {}).get("/URI")
    ]
    assert uris == [] and all(not page.images for page in reader.pages)


def test_metadata_fonts_and_paper(app, default_store, tmp_path):
    """The PDF has title, author (the analyst), subject, keywords with the marking, embeds every font
    it uses, and honours --paper letter."""
    path = tmp_path / "m.pdf"
    write(default_store, path, as_of=AS_OF, paper="letter", analyst="J. Analyst")
    reader = PdfReader(str(path))
    info = reader.metadata
    assert info.title == "Inter-organizational security cooperation as of 2007-12-31"
    assert info.author == "J. Analyst"
    assert info.subject.startswith("UNCLASSIFIED briefing")
    assert "UNCLASSIFIED" in info["/Keywords"] and "UN–EU" in info["/Keywords"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            else:
                descriptor = font["/FontDescriptor"]
            fonts[font["/BaseFont"]] = "/FontFile2" in descriptor.get_object()
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts), fonts


def test_relationship_filter_and_unknown_names(app, default_store, tmp_path):
    """--relationships keeps only the named relationships; an unknown name or marking is refused."""
    pages = write(default_store, tmp_path / "r.pdf", as_of=AS_OF, relationships=("UN-EU", "nato/au"))
    contents = pages[1]
    assert "UN–EU" in contents and "NATO–AU" in contents and "UN–NATO" not in contents
    with pytest.raises(ValidationError, match="No relationship"):
        gather(default_store, BriefingOptions(relationships=("UN-XX",)))
    with pytest.raises(ValidationError, match="'TOPSECRET' is not a limit of this database"):
        gather(default_store, BriefingOptions(max_marking="TOPSECRET"))


def test_report_command_writes_the_pdf(default_db_path, tmp_path, capsys):
    """`quadrangle report` writes the PDF headless and reports pages; a bad option ends in one line."""
    from desktop.cli import main

    out = tmp_path / "cli.pdf"
    status = main(
        [
            "--db",
            str(default_db_path),
            "report",
            str(out),
            "--as-of",
            "2005-06-30",
            "--relationships",
            "UN-EU,NATO-AU",
            "--max-marking",
            "UNCLASSIFIED",
            "--paper",
            "a4",
        ]
    )
    assert status == 0, capsys.readouterr().err
    assert "pages, UNCLASSIFIED, 0 item(s) above UNCLASSIFIED left out" in capsys.readouterr().out
    pages = page_texts(out)
    assert "AS OF 30 June 2005" in pages[0]
    status = main(["--db", str(default_db_path), "report", str(tmp_path / "x.pdf"), "--max-marking", "NOPE"])
    assert status == 1
    assert "'NOPE' is not a limit of this database" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert [p.name for p in Path(tmp_path).glob(".briefing-*")] == []


def test_diagram_page_is_the_screen_scene_as_vectors(app, default_store, tmp_path):
    """The diagram page carries the scene's own labels as text (vectors, no bitmap) for the as-of date,
    as wide as its page's text block, and no text on it prints below 7 pt."""
    from desktop.briefing.build import write_briefing
    from desktop.briefing.diagram import diagram_svg

    path = tmp_path / "d.pdf"
    write_briefing(default_store, BriefingOptions(as_of=date(2004, 12, 31)), path, diagram=diagram_svg)
    pages = page_texts(path)
    number = _page_of(pages, "2 The quadrangle as of 31 December 2004")
    page = pages[number - 1]
    assert "North Atlantic Treaty Organization" in page and "Quadrangle as of 2004-12-31" in page
    assert "NATO–AU Not assessed" in page
    reader = PdfReader(str(path))
    assert all(not p.images for p in reader.pages)
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    reader.pages[number - 1].extract_text(visitor_text=visit)
    assert len(sizes) > 20 and min(sizes) >= 6.99, sorted(sizes)[:5]


def test_bibliography_entries_escape_and_punctuate():
    """A source's fields are escaped in the bibliography and a title ending in a full stop gets only one."""
    from db import SourceRecord
    from desktop.briefing.annex import bibliography_entry

    source = SourceRecord(
        id="s",
        key="k",
        authors="Smith & <Jones>",
        year="2001",
        title="<b>Bold</b> claims.",
        container="",
        publisher="Press",
        place="Oslo",
    )
    assert bibliography_entry(source) == (
        "Smith &amp; &lt;Jones&gt; (2001). <i>&lt;b&gt;Bold&lt;/b&gt; claims</i>. Oslo: Press."
    )


def test_many_new_lessons_are_counted_by_relationship(app, tmp_path):
    """Past 200 new lessons the changes section gives counts per relationship instead of a very long table."""
    extra = [
        lesson(
            f"Bulk finding {i}",
            key=f"bulk-{i}",
            recorded_on="2007-06-01",
            relationship=("NATO", "AU") if i % 2 else ("UN", "EU"),
        )
        for i in range(200)
    ]
    store = store_with_lessons(tmp_path, extra)
    with store:
        content = gather(store, BriefingOptions(as_of=AS_OF, since=date(2007, 1, 1)))
        pages = write(store, tmp_path / "n.pdf", as_of=AS_OF, since=date(2007, 1, 1))
    total = len(content.changes.new_lessons)
    assert total == 243
    text = " ".join(pages)
    start = text.index("Changes since 1 January 2007 What changed")
    section = text[start : text.index("Sources cited", start)]
    assert f"{total} lessons were recorded in the period" in section
    un_eu = 100 + len([x for x in store_lessons_of(content, "UN–EU") if x.finding.startswith("Bulk") is False])
    assert f"UN–EU {sum(1 for x in store_lessons_of(content, 'UN–EU') if x.kind.value == 'challenge')}" in section
    assert f" {un_eu} " in section
    assert "Bulk finding 7" not in section


def store_lessons_of(content, label):
    section = next(s for s in content.sections if s.label == label)
    return [item for _, items in section.lessons_by_theme for item in items]


def test_style_file_restyles_without_code(app, default_store, tmp_path):
    """A copy of the style with other header and organization texts changes every page's running text."""
    import json
    import shutil

    from desktop.briefing.build import write_briefing
    from desktop.briefing.style import STYLE_FOLDER

    folder = tmp_path / "style"
    shutil.copytree(STYLE_FOLDER, folder)
    style = json.loads((folder / "style.json").read_text(encoding="utf-8"))
    style.update(header_text="Ministry of Defence situation brief", organization="Policy Directorate", logo=None)
    style["fonts"]["files"] = [str(STYLE_FOLDER / f) for f in style["fonts"]["files"]]
    (folder / "style.json").write_text(json.dumps(style), encoding="utf-8")
    path = tmp_path / "s.pdf"
    write_briefing(default_store, BriefingOptions(as_of=AS_OF), path, style_path=folder / "style.json")
    pages = page_texts(path)
    assert all("Policy Directorate page" in page for page in pages)
    assert all("Ministry of Defence situation brief" in page for page in pages[1:])


def test_tables_repeat_their_header_on_the_next_page(app, tmp_path):
    """A table that runs over pages starts each next page with its header row again, and no row is lost."""
    from desktop.briefing.build import write_blocks
    from desktop.briefing.model import Document, Heading, Table, runs
    from desktop.briefing.style import load_style

    rows = tuple((runs(f"row {i:03d}"), runs("word " * (i % 40))) for i in range(300))
    document = Document(
        "t",
        "s",
        "a",
        (),
        "UNCLASSIFIED",
        "As of 1 January 2000",
        (Heading(1, "Long table", key="long", toc=True), Table(("Name", "Words"), rows, (20, 80))),
    )
    path = tmp_path / "t.pdf"
    pages = write_blocks(document, load_style(), path, ".pdf", lowest="UNCLASSIFIED")
    assert pages > 3
    bodies = split_pages(page_texts(path))
    assert bodies[0].startswith("Long table Name Words row 000")
    for body in bodies[1:]:
        assert body.startswith("Name Words row "), body[:40]
    text = " ".join(bodies)
    assert all(text.count(f"row {i:03d} ") == 1 for i in range(300))


def test_a_heading_never_ends_a_page(app, tmp_path):
    """Whatever the filler above it, a heading that would sit alone at a page foot moves to the next
    page with its text, and no paragraph leaves a single line alone at a page top or foot."""
    from desktop.briefing.build import write_blocks
    from desktop.briefing.model import Document, Heading, Para, runs
    from desktop.briefing.style import load_style
    from tests.desktop.test_briefing_complete import last_body_lines

    seen_break = False
    for filler in range(40, 52):
        blocks = [Heading(1, "Start", key="start", toc=True)]
        blocks += [Para(runs(f"Filler line {i}.")) for i in range(filler)]
        blocks += [Heading(2, "Stranded heading"), Para(runs("First words after the heading. " * 12))]
        document = Document("t", "s", "a", (), "UNCLASSIFIED", "As of 1 January 2000", tuple(blocks))
        path = tmp_path / f"h{filler}.pdf"
        write_blocks(document, load_style(), path, ".pdf", lowest="UNCLASSIFIED")
        lasts = last_body_lines(path)
        assert "Stranded heading" not in lasts, filler
        bodies = split_pages(page_texts(path))
        if len(bodies) > 1:
            seen_break = True
            after = bodies[1]
            assert not after.startswith("heading."), filler  # the paragraph's last line never alone on top
    assert seen_break


def _blocks(doc):
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()
