"""Comparison reports: the quadrangle at two dates side by side (the two diagrams, phase, motives and
confidence then and now with the changes marked, the evidence that came in between, reversals),
as PDF, Word, CSV or Excel. Plain Python over the briefing's own content reader, so the numbers match it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db import DASH, MOTIVE_ORDER, Store, ValidationError
from desktop.briefing.content import BriefingContent, BriefingOptions, MarkingScale, gather, partial_day
from desktop.briefing.model import Cover, Document, Figure, Heading, Para, Run, Table, runs
from desktop.briefing.text import long_date, plural

FORMATS = (".pdf", ".docx", ".csv", ".xlsx")
CSV_COLUMNS = (
    "relationship",
    "phase_then",
    "phase_now",
    "motives_then",
    "motives_now",
    "confidence_then",
    "confidence_now",
    "changed",
    "marking",
)


WITHHELD = "withheld"


@dataclass(frozen=True)
class ComparisonLine:
    relationship: str
    then: tuple[str, str, str]  # phase, motives, confidence
    now: tuple[str, str, str]
    marking: str = ""  # the higher of the two assessments' markings (the lowest level when neither)

    @property
    def withheld(self) -> bool:
        """One side's assessment is above the limit: whether anything changed cannot be said."""
        return WITHHELD in (self.then[0], self.now[0])

    @property
    def changed(self) -> tuple[bool, bool, bool]:
        if self.withheld:
            return (False, False, False)
        return tuple(a != b for a, b in zip(self.then, self.now, strict=True))  # type: ignore[return-value]

    @property
    def changed_text(self) -> str:
        """The CSV's `changed` cell: "phase, confidence", "" or "unknown (withheld)"."""
        if self.withheld:
            return f"unknown ({WITHHELD})"
        names = ("phase", "motives", "confidence")
        return ", ".join(name for name, changed in zip(names, self.changed, strict=True) if changed)


@dataclass(frozen=True)
class ComparisonContent:
    before: BriefingContent
    after: BriefingContent  # as of the later date, with `changes` since the earlier one
    lines: tuple[ComparisonLine, ...]
    marking: str
    banner: str = ""  # the marking with the vocabulary's caveats and handling statement

    @property
    def banner_text(self) -> str:
        return self.banner or self.marking


def _facts(content: BriefingContent, label: str) -> tuple[str, str, str]:
    section = next((s for s in content.sections if s.label == label), None)
    a = section.assessment if section else None
    if a is None:
        return (WITHHELD if section and section.assessment_withheld else "not assessed", DASH, DASH)
    motives = ", ".join(
        f"{m.motive.label} {m.weight}"
        for m in sorted(a.motives, key=lambda m: MOTIVE_ORDER.index(m.motive))
        if m.weight > 0
    )
    return (a.phase_label, motives or DASH, a.confidence.label)


def _line_marking(scale: MarkingScale, before: BriefingContent, after: BriefingContent, label: str) -> str:
    markings = [
        s.assessment.marking
        for content in (before, after)
        for s in content.sections
        if s.label == label and s.assessment is not None
    ]
    return scale.name_of(max(markings, key=scale.rank, default=scale.lowest()))


def gather_comparison(
    store: Store, start: date, end: date, options: BriefingOptions | None = None
) -> ComparisonContent:
    """Read both dates through the briefing's reader. ValidationError when `start` is not before `end`."""
    if start >= end:
        raise ValidationError(f"--from {start.isoformat()} is not before --to {end.isoformat()}.")
    base = options or BriefingOptions()
    from dataclasses import replace

    before = gather(store, replace(base, as_of=start, since=None, marking=None))
    after = gather(store, replace(base, as_of=end, since=start, marking=None))
    labels = [s.label for s in after.sections]
    scale = MarkingScale(store)
    lines = tuple(
        ComparisonLine(label, _facts(before, label), _facts(after, label), _line_marking(scale, before, after, label))
        for label in labels
    )
    marking = max((before.marking, after.marking), key=scale.rank)
    if base.marking:
        marking = base.marking if scale.rank(base.marking) >= scale.rank(marking) else marking
    marking = scale.name_of(marking)
    return ComparisonContent(before, after, lines, marking, store.catalog.marking_scheme().banner(marking))


def _left_out(comparison: ComparisonContent) -> str:
    """ " 3 items above RESTRICTED left out (2 lessons, 1 citation)." or "" (counted at the later date)."""
    after = comparison.after
    if not after.left_out_total:
        return ""
    kinds = ", ".join(plural(n, kind.rstrip("s")) for kind, n in sorted(after.left_out.items()) if n)
    return f" {plural(after.left_out_total, 'item')} above {after.max_marking} left out ({kinds})."


def _cell_text(text: str) -> str:
    """A phase or motives cell for a narrow column: a transition ("Start-up/maintenance") may break
    after its slash; each motive on its own line, so a weight stays next to its name."""
    return text.replace("/", "/ ").replace(", ", "\n")


def _relationships(comparison: ComparisonContent) -> str:
    labels = [line.relationship for line in comparison.lines]
    return ", ".join(labels) if len(labels) <= 12 else f"{len(labels)} relationships"


def comparison_document(comparison: ComparisonContent, diagrams: tuple[bytes | None, bytes | None], style) -> Document:
    before, after = comparison.before, comparison.after
    start, end = before.as_of, after.as_of
    changes = after.changes
    assert changes is not None
    title = f"The quadrangle on {long_date(start)} and on {long_date(end)}"
    blocks: list = [
        Cover(
            "Comparison report",
            title,
            style.organization,
            (
                ("From", long_date(start)),
                ("To", long_date(end)),
                ("Analyst", after.analyst),
                ("Relationships", _relationships(comparison)),
                ("Marking", comparison.marking),
            ),
            "Generated by Quadrangle from the assessments recorded in its database; both dates are read with "
            "the same function as the window and the briefing.",
        )
    ]
    changed_rows = [line for line in comparison.lines if any(line.changed)]
    blocks.append(Heading(1, "What changed", key="changed", toc=False, number="1"))
    blocks.append(
        Para(
            runs(
                f"Between {long_date(start)} and {long_date(end)}: {plural(len(changed_rows), 'relationship')} of "
                f"{len(comparison.lines)} changed phase, motives or confidence; "
                f"{plural(len(changes.phase_moves), 'phase move')} "
                f"({plural(sum(1 for m in changes.phase_moves if m.is_reversal), 'reversal')}), "
                f"{plural(len(changes.new_lessons), 'new lesson')}, "
                f"{plural(len(changes.new_operations), 'new operation')}." + _left_out(comparison)
            ),
            "lead",
        )
    )
    shade = {}
    table_rows: list[tuple] = []
    for r, line in enumerate(comparison.lines):
        cells: list = [(Run(line.relationship, bold=True),)]
        changed = line.changed  # nothing is marked changed beside a withheld side
        for i, (then, now) in enumerate(zip(line.then[:2], line.now[:2], strict=True)):
            cells.append(runs(_cell_text(then)))
            cells.append((Run(_cell_text(now), bold=changed[i]),))
            if changed[i]:
                shade[(r, 2 + 2 * i)] = "changed"
        # Confidence is one word each side: one column ("Moderate → High") leaves the phases and
        # motives room enough not to break a word ("Maintenanc/e") in a narrow column.
        then, now = line.then[2], line.now[2]
        if not changed[2]:
            cells.append(runs(now if then == now else f"{then} → {now}"))
        else:
            cells.append((Run(f"{then} → "), Run(now, bold=True)))
            shade[(r, 5)] = "changed"
        table_rows.append(tuple(cells))
    blocks.append(
        Table(
            ("Relationship", "Phase then", "Phase now", "Motives then", "Motives now", "Confidence then → now"),
            tuple(table_rows),
            (13, 14, 16, 20, 20, 17),
            shade=shade,
        )
    )
    blocks.append(
        Para(
            runs(
                "Shaded and bold: the value changed between the two dates. Motive weights 1 to 3."
                + (
                    " Withheld: the assessment in force is marked above the limit, so no change is shown."
                    if any(line.withheld for line in comparison.lines)
                    else ""
                )
            ),
            "note",
        )
    )
    blocks.append(Heading(2, "Reversals"))
    reversals = [m for m in changes.phase_moves if m.is_reversal]
    if reversals:
        for move in reversals:
            blocks.append(
                Para(runs(f"{move.relationship}: {move.before} → {move.after} ({long_date(move.when)})"), "rec")
            )
    else:
        blocks.append(Para(runs("No relationship moved back to an earlier phase in the period.")))
    for n, (when, svg) in enumerate(((start, diagrams[0]), (end, diagrams[1])), start=2):
        heading = f"The quadrangle on {long_date(when)}"
        blocks.append(Heading(1, heading, key=f"diagram-{n}", number=str(n)))
        blocks.append(Figure(svg, f"As drawn in the Quadrangle window for {long_date(when)}.", title=heading))
    blocks.append(Heading(1, "Evidence in between", key="evidence", number="4"))
    blocks.append(Heading(2, "Phase moves"))
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    if changes.phase_moves:
        rows = tuple(
            (
                runs(long_date(m.when)),
                runs(m.relationship),
                runs(m.before),
                runs(m.after + (" (reversal)" if m.is_reversal else "")),
            )
            for m in changes.phase_moves
        )
        blocks.append(Table(("Date", "Relationship", "From", "To"), rows, (20, 18, 31, 31)))
    else:
        blocks.append(Para(runs("No phase moves.")))
    blocks.append(Heading(2, "Milestones"))
    milestones = [(s.label, m) for s in after.sections for m in s.milestones if start < partial_day(m.date) <= end]
    if milestones:
        rows = tuple(
            (
                runs(m.date),
                runs(label),
                (Run(m.title, bold=True), Run(("\n" + "; ".join(c.text for c in m.citations)) if m.citations else "")),
            )
            for label, m in sorted(milestones, key=lambda item: item[1].date)
        )
        blocks.append(Table(("Date", "Relationship", "Milestone"), rows, (13, 17, 70)))
    else:
        blocks.append(Para(runs("No milestones in the period.")))
    blocks.append(Heading(2, "Operations"))
    if changes.new_operations:
        rows = tuple(
            (runs(op.start or ""), (Run(op.acronym, bold=True), Run(" " + op.name)), runs(op.location))
            for op in changes.new_operations
        )
        blocks.append(Table(("Start", "Operation", "Where"), rows, (12, 55, 33)))
    else:
        blocks.append(Para(runs("No operation started in the period.")))
    blocks.append(Heading(2, "Lessons"))
    if changes.new_lessons:
        for names, lesson in changes.new_lessons:
            blocks.append(
                Para(
                    (
                        Run(f"{names} · {lesson.recorded_on.isoformat()} · {lesson.kind.label}. ", bold=True),
                        Run(lesson.finding),
                    ),
                    "lesson",
                )
            )
            if lesson.recommendation:
                blocks.append(Para((Run("Recommendation: ", italic=True), Run(lesson.recommendation)), "rec"))
            if lesson.citations:
                blocks.append(Para(runs("; ".join(c.text for c in lesson.citations)), "cite"))
    else:
        blocks.append(Para(runs("No lessons recorded in the period.")))
    return Document(
        title=f"Comparison of the quadrangle, {start.isoformat()} and {end.isoformat()}",
        subject=f"{comparison.marking} comparison report, {start.isoformat()} to {end.isoformat()}",
        author=after.analyst,
        keywords=("comparison", comparison.marking, *(line.relationship for line in comparison.lines)),
        marking=comparison.marking,
        as_of_text=f"{long_date(start)} → {long_date(end)}",
        blocks=tuple(blocks),
        paper=after.options.paper,
        running_header="Quadrangle comparison report",
    )


def comparison_rows(comparison: ComparisonContent) -> list[tuple[str, ...]]:
    """One row per relationship in CSV_COLUMNS order (the CSV and the workbook share them)."""
    return [
        (
            line.relationship,
            line.then[0],
            line.now[0],
            line.then[1],
            line.now[1],
            line.then[2],
            line.now[2],
            line.changed_text,
            line.marking,
        )
        for line in comparison.lines
    ]


def comparison_csv(comparison: ComparisonContent) -> str:
    """The banner alone on the first line (as every marked CSV), then the header and the rows."""
    from desktop.briefing.csv_export import csv_text

    return csv_text((comparison.banner_text,), ()) + csv_text(CSV_COLUMNS, comparison_rows(comparison))


def comparison_sheet(comparison: ComparisonContent):
    from desktop.briefing.xlsx_export import Sheet

    start, end = comparison.before.as_of.isoformat(), comparison.after.as_of.isoformat()
    return Sheet(
        title=f"{start} to {end}",
        banner=comparison.banner_text,
        marking=comparison.marking,
        columns=CSV_COLUMNS,
        rows=tuple(comparison_rows(comparison)),
        subject=f"{comparison.marking} comparison report, {start} to {end}",
    )


def write_comparison(
    store: Store,
    start: date,
    end: date,
    path: Path,
    *,
    options: BriefingOptions | None = None,
    diagram: Callable | None = None,
    progress=None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[int, ComparisonContent]:
    """Write the comparison report to `path` (.pdf, .docx, .csv or .xlsx, atomically); returns (pages, content)."""
    from desktop.briefing.build import output_format, write_blocks
    from desktop.briefing.style import load_style

    kind = output_format(path, FORMATS)
    comparison = gather_comparison(store, start, end, options)
    if kind == ".csv":
        from desktop.briefing.csv_export import write_csv

        write_csv(path, comparison_csv(comparison))
        return 0, comparison
    if kind == ".xlsx":
        from desktop.briefing.xlsx_export import write_xlsx

        write_xlsx(path, comparison_sheet(comparison), author=comparison.after.analyst)
        return 0, comparison
    style = load_style()
    pictures = (diagram(comparison.before.state), diagram(comparison.after.state)) if diagram else (None, None)
    document = comparison_document(comparison, pictures, style)
    lowest = MarkingScale(store).lowest()
    pages = write_blocks(document, style, Path(path), kind, lowest=lowest, progress=progress, cancelled=cancelled)
    return pages, comparison
