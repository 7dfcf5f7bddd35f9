"""Relationships side by side: any chosen relationships at one date, Figure 2 style (phase, motives with
their weights, confidence, cooperation on the ground) in columns next to each other, then each
relationship's rationales (its summary, the reason for each motive, a reversal's), as PDF, Word, CSV
or Excel. Read through `db.view_as_of`, the one marking filter: a version above the limit is replaced
by the newest one at or below it, or said to be withheld, and citations of withheld sources dropped."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db import DASH, MOTIVE_ORDER, AssessmentRecord, MarkedView, RelationshipState, Store, ValidationError, view_as_of
from desktop.briefing.model import Cover, Document, Heading, Para, Run, Table, runs
from desktop.briefing.text import long_date

FORMATS = (".pdf", ".docx", ".csv", ".xlsx")
PER_TABLE = 4  # relationships per side-by-side table: more would squeeze each column below legibility
MOTIVE_COLUMNS = tuple(f"{m.value}_weight" for m in MOTIVE_ORDER) + tuple(f"{m.value}_rationale" for m in MOTIVE_ORDER)
CSV_COLUMNS = (
    "relationship",
    "phase",
    "confidence",
    "assessed_on",
    "motives",
    "cooperation",
    "summary",
    *MOTIVE_COLUMNS,
    "reversal_rationale",
    "citations",
    "marking",
)


@dataclass(frozen=True)
class SideBySideEntry:
    """One relationship's column: the assessment a reader cleared to the limit sees (None: none)."""

    state: RelationshipState

    @property
    def label(self) -> str:
        return self.state.relationship.label

    @property
    def assessment(self) -> AssessmentRecord | None:
        return self.state.assessment

    @property
    def status(self) -> str:
        """The phase, or why there is none: "withheld" (only versions above the limit), "not assessed"."""
        if self.assessment is not None:
            return self.assessment.phase_label
        return "withheld" if self.state.assessment_withheld else "not assessed"

    def weight_text(self, motive) -> str:
        weight = self.assessment.weight(motive) if self.assessment else 0
        return str(weight) if weight else DASH

    @property
    def motives_text(self) -> str:
        a = self.assessment
        if a is None:
            return DASH
        present = [m for m in sorted(a.motives, key=lambda m: MOTIVE_ORDER.index(m.motive)) if m.weight > 0]
        return "; ".join(f"{m.motive.label} {m.weight}" for m in present) or DASH


@dataclass(frozen=True)
class SideBySideContent:
    as_of: date
    entries: tuple[SideBySideEntry, ...]
    marking: str
    lowest: str
    view: MarkedView
    analyst: str
    paper: str = "a4"

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(entry.label for entry in self.entries)

    def row_marking(self, entry: SideBySideEntry) -> str:
        """An entry's marking: its assessment's with the sources it cites, or the lowest level."""
        a = entry.assessment
        if a is None:
            return self.lowest
        return self.view.scheme.highest([a.marking, *self.view.cited_source_markings([a])])

    @property
    def note(self) -> str:
        return self.view.left_out_note(("assessments",))


def parse_relationships(text: str | None) -> tuple[str, ...]:
    """ "UN-EU, NATO-EU" as the other commands read --relationships: comma-separated, blanks dropped."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def gather_side_by_side(
    store: Store,
    relationships: tuple[str, ...],
    as_of: date | None = None,
    *,
    max_marking: str | None = None,
    marking: str | None = None,
    analyst: str = "",
    paper: str = "a4",
) -> SideBySideContent:
    """The chosen relationships ("UN-EU"... in the order given, each once) as of `as_of` (default
    today) up to `max_marking`. ValidationError for an unknown relationship, none chosen, a marking
    or limit that is not exactly a level, or a `marking` below what is included."""
    if not relationships:
        raise ValidationError('Name the relationships to compare, e.g. --relationships "UN-EU,NATO-EU".')
    if paper not in ("a4", "letter"):
        raise ValidationError(f"Unknown paper '{paper}': choose a4 or letter.")
    ids: list[str] = []
    for key in relationships:
        record = store.quadrangle.find_relationship(key)
        if record.id not in ids:
            ids.append(record.id)
    view = view_as_of(store, as_of, max_marking)
    scheme = view.scheme
    by_id = {s.relationship.id: s for s in view.state.relationships}
    entries = tuple(SideBySideEntry(by_id[rel_id]) for rel_id in ids if rel_id in by_id)
    assessments = [e.assessment for e in entries if e.assessment is not None]
    contained = [a.marking for a in assessments] + view.cited_source_markings(assessments)
    return SideBySideContent(
        as_of=view.as_of,
        entries=entries,
        marking=scheme.output_marking(contained, marking),  # raised, never lowered (refused)
        lowest=scheme.lowest,
        view=view,
        analyst=analyst or store.actor or getpass.getuser(),
        paper=paper,
    )


def _portion(content: SideBySideContent, marking: str) -> tuple[Run, ...]:
    """A portion mark before an item above the lowest level, as the briefing prints them."""
    if marking.upper() == content.lowest.upper():
        return ()
    return (Run(f"({marking}) ", bold=True, color="marking_text"),)


def _grid(content: SideBySideContent, entries: tuple[SideBySideEntry, ...]) -> Table:
    year = content.as_of.year
    rows: list[tuple[tuple[Run, ...], ...]] = [
        (runs("Phase"), *((Run(e.status.replace("/", "/ "), bold=True),) for e in entries)),
        (runs("Confidence"), *(runs(e.assessment.confidence.label if e.assessment else DASH) for e in entries)),
        (runs("Assessed on"), *(runs(e.assessment.as_of.isoformat() if e.assessment else DASH) for e in entries)),
    ]
    for motive in MOTIVE_ORDER:
        rows.append((runs(motive.label), *(runs(e.weight_text(motive)) for e in entries)))
    rows.append(
        (
            runs("Cooperation on the ground"),
            *(runs("\n".join(e.state.cooperation_labels(year)) or DASH) for e in entries),
        )
    )
    rows.append((runs("Marking"), *(runs(content.row_marking(e)) for e in entries)))
    first = 28.0
    width = (100 - first) / min(PER_TABLE, len(content.entries))  # every chunk's columns alike
    # Left-aligned like the header row: the engines centre a cell's body, never its header.
    return Table(("", *(e.label for e in entries)), tuple(rows), (first, *([width] * len(entries))))


def _rationales(content: SideBySideContent, entry: SideBySideEntry) -> list:
    blocks: list = [Heading(2, entry.label, key=f"rationale-{entry.state.relationship.key}")]
    a = entry.assessment
    if a is None:
        text = (
            f"Every version in force on {long_date(content.as_of)} is marked above {content.view.limit}: withheld."
            if entry.state.assessment_withheld
            else f"Not assessed by {long_date(content.as_of)}."
        )
        blocks.append(Para(runs(text)))
        return blocks
    facts = f"{a.phase_label} · {a.confidence.label} confidence · assessed {long_date(a.as_of)}"
    blocks.append(Para((*_portion(content, a.marking), Run(facts, bold=True)), "facts"))
    if a.summary.strip():
        blocks.append(Para(runs(a.summary)))
    for motive in sorted(a.motives, key=lambda m: MOTIVE_ORDER.index(m.motive)):
        if motive.weight > 0:
            reason = motive.rationale.strip() or "no rationale recorded"
            cited = a.motive_citations(motive.motive)
            sources = (Run(" (" + "; ".join(c.text for c in cited) + ")", color="muted"),) if cited else ()
            blocks.append(
                Para((Run(f"{motive.motive.label} ({motive.weight}): ", bold=True), Run(reason), *sources), "rec")
            )
    if a.is_reversal and a.reversal_rationale.strip():
        blocks.append(Para((Run("Reversal: ", italic=True), Run(a.reversal_rationale)), "rec"))
    if a.whole_citations:
        blocks.append(Para(runs("; ".join(c.text for c in a.whole_citations)), "cite"))
    return blocks


def side_by_side_document(content: SideBySideContent, style) -> Document:
    """The report as the briefing's blocks: a cover, the side-by-side tables, then the rationales."""
    when = long_date(content.as_of)
    names = ", ".join(content.labels)
    blocks: list = [
        Cover(
            "Relationships side by side",
            f"{names} on {when}",
            style.organization,
            (
                ("As of", when),
                ("Analyst", content.analyst),
                ("Relationships", names if len(content.labels) <= 12 else f"{len(content.labels)} relationships"),
                ("Marking", content.marking),
            ),
            "Generated by Quadrangle from the assessments recorded in its database, read with the same function "
            "as the window and the briefing.",
        ),
        Heading(1, "Side by side", key="side-by-side", number="1"),
        Para(
            runs(
                f"Phase, confidence and motive weights (1 to 3; {DASH} absent) of {len(content.entries)} "
                f"relationships as they stood on {when}."
                + (f" {content.note[0].upper()}{content.note[1:]}." if content.note else "")
            ),
            "lead",
        ),
    ]
    total = len(content.entries)
    for start in range(0, total, PER_TABLE):
        chunk = content.entries[start : start + PER_TABLE]
        blocks.append(_grid(content, chunk))
        if total > PER_TABLE:
            blocks.append(Para(runs(f"Relationships {start + 1}–{start + len(chunk)} of {total}."), "note"))
    blocks.append(Heading(1, "Rationales", key="rationales", number="2"))
    for entry in content.entries:
        blocks.extend(_rationales(content, entry))
    return Document(
        title=f"Relationships side by side, {content.as_of.isoformat()}",
        subject=f"{content.marking} comparison of {names} on {content.as_of.isoformat()}",
        author=content.analyst,
        keywords=("comparison", "side by side", content.marking, *content.labels),
        marking=content.marking,
        as_of_text=f"As of {when}",
        blocks=tuple(blocks),
        paper=content.paper,
        running_header="Quadrangle comparison: relationships side by side",
    )


def side_by_side_rows(content: SideBySideContent) -> list[tuple[str, ...]]:
    """One row per relationship in CSV_COLUMNS order (the CSV and the workbook share them)."""
    rows = []
    for entry in content.entries:
        a = entry.assessment
        rationale = {m.motive: m.rationale for m in a.motives if m.weight > 0} if a else {}
        rows.append(
            (
                entry.label,
                entry.status,
                a.confidence.label if a else "",
                a.as_of.isoformat() if a else "",
                entry.motives_text if a else "",
                "; ".join(entry.state.cooperation_labels(content.as_of.year)),
                a.summary if a else "",
                *(str(a.weight(m)) if a else "" for m in MOTIVE_ORDER),
                *(rationale.get(m, "") for m in MOTIVE_ORDER),
                a.reversal_rationale if a and a.is_reversal else "",
                "; ".join(c.text for c in a.citations) if a else "",
                content.row_marking(entry),
            )
        )
    return rows


def side_by_side_csv(content: SideBySideContent) -> str:
    """The banner alone on the first line, then the header and one row per relationship (guarded)."""
    from desktop.briefing.csv_export import csv_text

    banner = content.view.scheme.banner(content.marking)
    return csv_text((banner,), ()) + csv_text(CSV_COLUMNS, side_by_side_rows(content))


def side_by_side_sheet(content: SideBySideContent):
    from desktop.briefing.xlsx_export import Sheet

    return Sheet(
        title="Side by side",
        banner=content.view.scheme.banner(content.marking),
        marking=content.marking,
        columns=CSV_COLUMNS,
        rows=tuple(side_by_side_rows(content)),
        subject=f"{content.marking} comparison of {', '.join(content.labels)} on {content.as_of.isoformat()}",
    )


def write_side_by_side(
    store: Store,
    relationships: tuple[str, ...],
    path: Path,
    as_of: date | None = None,
    *,
    max_marking: str | None = None,
    marking: str | None = None,
    analyst: str = "",
    paper: str = "a4",
    protect: tuple = (),
) -> tuple[int, SideBySideContent]:
    """Write the report to `path` (.pdf, .docx, .csv or .xlsx, atomically); returns (pages, content).
    Raises ValidationError (nothing written) or OSError."""
    from desktop.briefing.build import output_format, write_blocks
    from desktop.briefing.style import load_style

    kind = output_format(path, FORMATS)
    content = gather_side_by_side(
        store, relationships, as_of, max_marking=max_marking, marking=marking, analyst=analyst, paper=paper
    )
    if kind == ".csv":
        from desktop.briefing.csv_export import write_csv

        write_csv(path, side_by_side_csv(content), protect)
        return 0, content
    if kind == ".xlsx":
        from desktop.briefing.xlsx_export import write_xlsx

        write_xlsx(path, side_by_side_sheet(content), protect, author=content.analyst)
        return 0, content
    style = load_style()
    document = side_by_side_document(content, style)
    pages = write_blocks(document, style, Path(path), kind, lowest=content.lowest)
    return pages, content
