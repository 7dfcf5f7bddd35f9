"""The briefing's later blocks: a lesson in full or by reference, the changes section, the sources,
and Annex A (every included lesson, numbered; the text of those not printed in the body)."""

from __future__ import annotations

from collections.abc import Iterator

from db import LessonRecord, SourceRecord
from desktop.briefing.content import BriefingContent
from desktop.briefing.judgements import LessonPlan
from desktop.briefing.model import Block, Heading, Later, Para, Run, Table, runs
from desktop.briefing.text import long_date, markup, plural, printable

NEW_LESSONS_LISTED = 200  # above this, the changes section counts new lessons instead of listing them


def is_printed(lesson_id: str, content: BriefingContent, plan: LessonPlan) -> bool:
    """Whether the lesson's full text is somewhere in this briefing (so a link to it resolves)."""
    return lesson_id in plan.in_body or (content.options.annex and lesson_id in plan.number)


def portion(marking: str | None, lowest: str) -> Run:
    """The portion mark an item carries before its text, e.g. "(CONFIDENTIAL) "; an item with no
    marking of its own (milestones, operations) is at the lowest level. The PDF and the Word file
    print the same run."""
    return Run(f"({printable(marking or lowest)}) ", bold=True, color="marking_text")


def full_lesson(
    lesson: LessonRecord, content: BriefingContent, lowest: str, plan: LessonPlan, *, anchored: bool = True
) -> list[Para]:
    """The lesson's finding, recommendation and citations: the one place they are printed. Its number
    and kind label it; its portion mark stands right before the finding. `anchored`: something links
    to it (a target per lesson would cost a PDF object each, for 100,000 lessons)."""
    head = [
        Run(plan.number[lesson.id] + "  ", bold=True, color="muted"),
        Run(f"{lesson.kind.label}. ", bold=True, color="accent"),
    ]
    head += [portion(lesson.marking, lowest), Run(lesson.finding)]
    out = [Para(tuple(head), "lesson", anchor=f"lesson-{lesson.id}" if anchored else None)]
    if lesson.recommendation:
        out.append(Para((Run("Recommendation: ", italic=True), Run(lesson.recommendation)), "rec"))
    if lesson.citations:
        out.append(Para(runs("; ".join(c.text for c in lesson.citations)), "cite"))
    return out


def lesson_ref(lesson: LessonRecord, content: BriefingContent, plan: LessonPlan, *, home_label: str) -> Para:
    """A lesson named by its number and kind, with a link to where its text is."""
    number = plan.number[lesson.id]
    if not is_printed(lesson.id, content, plan):
        return Para(runs(f"{number} {lesson.kind.label}, under {home_label}: not printed (annex switched off)."), "ref")
    where = "its section" if lesson.id in plan.in_body else "Annex A"
    return Para(
        (
            Run(number, bold=True, link=f"lesson-{lesson.id}"),
            Run(f" {lesson.kind.label} also concerning {home_label}: printed in full in {where}."),
        ),
        "ref",
    )


def changes_blocks(content: BriefingContent, n: str, plan: LessonPlan, lowest: str) -> list:
    changes = content.changes
    assert changes is not None
    title = f"Changes since {long_date(changes.since)}"
    blocks: list = [Heading(1, title, key="changes", toc=True, number=n)]
    blocks.append(
        Para(runs(f"What changed after {long_date(changes.since)} up to {long_date(content.as_of)}."), "lead")
    )
    blocks.append(Heading(2, "Phase moves"))
    if changes.phase_moves:
        rows = tuple(
            (
                runs(long_date(m.when)),
                runs(m.relationship),
                runs(m.before),
                (Run(m.after), *([Run(" (reversal)", bold=True, color="marking_text")] if m.is_reversal else [])),
            )
            for m in changes.phase_moves
        )
        blocks.append(Table(("Date", "Relationship", "From", "To"), rows, (20, 18, 31, 31)))
    else:
        blocks.append(Para(runs("No phase moves.")))
    blocks.append(Heading(2, "New lessons"))
    if len(changes.new_lessons) > NEW_LESSONS_LISTED:
        blocks += _new_lesson_counts(content)
    elif changes.new_lessons:
        listed: list[tuple[tuple[Run, ...], ...]] = []
        for names, lesson in changes.new_lessons:
            number = plan.number.get(lesson.id, "")
            link = f"lesson-{lesson.id}" if is_printed(lesson.id, content, plan) else None
            listed.append(
                (
                    (Run(number, bold=True, link=link),),
                    runs(lesson.recorded_on.isoformat()),
                    runs(names),
                    (portion(lesson.marking, lowest), Run(lesson.kind.label)),
                    runs(", ".join(content.theme_names.get(k, k) for k in lesson.theme_keys)),
                )
            )
        blocks.append(
            Table(("Lesson", "Recorded", "Relationship", "Kind", "Themes"), tuple(listed), (12, 14, 22, 16, 36))
        )
    else:
        blocks.append(Para(runs("No new lessons.")))
    blocks.append(Heading(2, "New operations"))
    if changes.new_operations:
        rows = tuple(
            (
                runs(op.start or ""),
                (portion(getattr(op, "marking", None), lowest), Run(op.acronym, bold=True), Run(" " + op.name)),
                runs(op.location),
                runs(", ".join(op.organization_codes)),
            )
            for op in changes.new_operations
        )
        blocks.append(Table(("Start", "Operation", "Where", "Organizations"), rows, (11, 41, 30, 18)))
    else:
        blocks.append(Para(runs("No new operations.")))
    return blocks


def _new_lesson_counts(content: BriefingContent) -> list:
    """Many new lessons: counted by relationship and kind (each is printed once, in its section or the annex)."""
    changes = content.changes
    assert changes is not None  # only called for a briefing with a "since" date
    rows = []
    for section in content.sections:
        items = [
            lesson
            for _, lessons in section.lessons_by_theme
            for lesson in lessons
            if changes.since < lesson.recorded_on <= content.as_of
        ]
        if items:
            challenges = sum(1 for lesson in items if lesson.kind.value == "challenge")
            rows.append(
                (runs(section.label), runs(str(challenges)), runs(str(len(items) - challenges)), runs(str(len(items))))
            )
    return [
        Para(
            runs(
                f"{len(changes.new_lessons)} lessons were recorded in the period, too many to list here; each is "
                "printed once, in its relationship's section or in Annex A. By relationship (a lesson about several "
                "relationships counts under each):"
            )
        ),
        Table(
            ("Relationship", "Challenges", "Successes", "New lessons"),
            tuple(rows),
            (40, 20, 20, 20),
            align_right=(1, 2, 3),
        ),
    ]


def bibliography_runs(source: SourceRecord) -> tuple[Run, ...]:
    def part(value: str) -> str:  # one full stop after each part, even when the value ends with one
        return value.strip().rstrip(".")

    out = [Run(f"{source.authors} ({source.year}). "), Run(part(source.title), italic=True), Run(".")]
    if source.container:
        out.append(Run(f" In: {part(source.container)}."))
    place = ": ".join(p for p in (source.place, source.publisher) if p)
    if place:
        out.append(Run(f" {part(place)}."))
    if source.reference:
        out.append(Run(f" {part(source.reference)}."))
    return tuple(out)


def bibliography_entry(source: SourceRecord) -> str:
    """The entry as ReportLab markup (user text escaped)."""
    return "".join(f"<i>{markup(r.text)}</i>" if r.italic else markup(r.text) for r in bibliography_runs(source))


def bibliography_blocks(content: BriefingContent, n: str, lowest: str) -> list:
    blocks: list = [Heading(1, "Sources cited", key="sources", toc=True, number=n)]
    if not content.sources:
        blocks.append(Para(runs("No source is cited by the included material.")))
    for source in content.sources:
        blocks.append(Para((portion(source.marking, lowest), *bibliography_runs(source)), "bib"))
    if content.left_out.get("sources"):
        blocks.append(
            Para(
                runs(f"{plural(content.left_out['sources'], 'source')} marked above {content.max_marking} left out."),
                "note",
            )
        )
    return blocks


def annex_blocks(content: BriefingContent, plan: LessonPlan, lowest: str, linked: set[str]) -> list:
    """Annex A: every included lesson under its first relationship and theme, numbered; the lessons the
    body prints in full point there instead of being printed twice. Its lessons are made as a writer
    reaches them (`Later`), so 100,000 of them are never all in memory; `linked` are the anchors some
    link points to."""
    blocks: list = [Heading(1, "Every lesson in full", key="annex", toc=True, number="Annex A")]
    blocks.append(
        Para(
            runs(
                f"All {plural(len(plan.number), 'included lesson')}, numbered, under the first of their relationships "
                "and their first theme, most significant first. The text of each is printed once: lessons shown in "
                "the relationship sections are listed here with a link back."
            ),
            "lead",
        )
    )
    headings = []
    size = 0
    current = None
    for section, _, lessons in plan.annex:
        if section is not current:
            current = section
            headings.append(_annex_heading(section))
            size += 1
        size += 1 + sum(
            1 if lesson.id in plan.in_body else 1 + bool(lesson.recommendation) + bool(lesson.citations)
            for lesson in lessons
        )
    blocks.append(Later(lambda: _annex_lessons(content, plan, lowest, linked), tuple(headings), size))
    return blocks


def _annex_heading(section) -> Heading:
    return Heading(2, section.label, key=f"annex-{section.state.relationship.key}", toc=True)


def _annex_lessons(content: BriefingContent, plan: LessonPlan, lowest: str, linked: set[str]) -> Iterator[Block]:
    current = None
    for section, theme, lessons in plan.annex:
        if section is not current:
            current = section
            yield _annex_heading(section)
        yield Heading(3, f"{theme} ({len(lessons)})")
        for lesson in lessons:
            if lesson.id in plan.in_body:
                yield Para(
                    (
                        Run(plan.number[lesson.id], bold=True),
                        Run(f" {lesson.kind.label}: "),
                        Run("printed in full in the section on " + section.label, link=f"lesson-{lesson.id}"),
                        Run("."),
                    ),
                    "ref",
                )
            else:
                yield from full_lesson(lesson, content, lowest, plan, anchored=f"lesson-{lesson.id}" in linked)


def links_in(blocks) -> set[str]:
    """Every link target named by the runs of these blocks (paragraphs and table cells)."""
    found: set[str] = set()
    for block in blocks:
        if isinstance(block, Para):
            found.update(run.link for run in block.runs if run.link)
        elif isinstance(block, Table):
            found.update(run.link for row in block.rows for cell in row for run in cell if run.link)
    return found
