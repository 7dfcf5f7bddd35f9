"""The briefing's sections as HTML for Qt's rich-text engine. Plain Python (no Qt).

Every value that comes from the database goes through `esc`, so a lesson containing `<b>`, `&` or
`<img src=...>` prints literally and loads nothing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from db import DASH, MOTIVE_ORDER, LessonRecord, SourceRecord
from desktop.briefing.content import BriefingContent, RelationshipSection

DIAGRAM = "diagram"
NEW_LESSONS_LISTED = 200  # above this, the changes section counts new lessons instead of listing them
REVERSAL = '<span class="reversal">reversal</span>'
FLOW = "flow"


@dataclass(frozen=True)
class Section:
    """One part of the briefing; each starts on a new page and has one line in the contents."""

    key: str
    number: str
    title: str
    html: str
    kind: str = FLOW
    caption: str = ""


SHORT_MOTIVES = {
    "organizational_survival": "Survival",
    "neutralizing_competition": "Competition",
    "resource_dependence": "Resources",
    "legitimization": "Legitimacy",
    "shared_values": "Values",
    "organizational_learning": "Learning",
}


def esc(value) -> str:
    """Escape any value for HTML; line breaks stay line breaks."""
    return html.escape(str(value), quote=True).replace("\n", "<br/>")


def labels(names) -> str:
    """Relationship labels joined, each kept on one line ("NATO–AU" never breaks at its dash)."""
    return ", ".join(f'<span style="white-space: nowrap">{esc(name)}</span>' for name in names)


def long_date(day) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _heading(number: str, title: str) -> str:
    return f"<h1>{esc(number)}&#160;&#160;{esc(title)}</h1>"


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None, cell_classes=None) -> str:
    """A shaded grid whose header repeats on every page (Qt repeats <thead> rows)."""
    cols = "".join(f'<th width="{widths[i]}%">{h}</th>' if widths else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = []
    for n, row in enumerate(rows):
        stripe = ' class="stripe"' if n % 2 else ""
        cells = []
        for i, cell in enumerate(row):
            css = cell_classes(n, i) if cell_classes else ""
            cells.append(f'<td class="{css}">{cell}</td>' if css else f"<td>{cell}</td>")
        body.append(f"<tr{stripe}>{''.join(cells)}</tr>")
    return (
        '<table class="grid" width="100%" cellspacing="0">'
        f"<thead><tr>{cols}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _portion(marking: str, content: BriefingContent, lowest: str) -> str:
    """Portion marking: items above the lowest marking say so where they stand."""
    if marking.upper() == lowest.upper():
        return ""
    return f'<span class="portion">({esc(marking)})</span> '


def _citations(citations) -> str:
    return "; ".join(esc(c.text) for c in citations)


def build_sections(content: BriefingContent, lowest_marking: str) -> list[Section]:
    """Every section after the cover and the table of contents, in the order of the brief."""
    sections: list[Section] = []
    number = 0

    def next_number() -> str:
        nonlocal number
        number += 1
        return str(number)

    n = next_number()
    sections.append(Section("summary", n, "Summary", _summary(content, n)))
    n = next_number()
    title = f"The quadrangle as of {long_date(content.as_of)}"
    sections.append(
        Section(
            "diagram",
            n,
            title,
            _heading(n, title),
            kind=DIAGRAM,
            caption=(
                "Each line is a relationship between two organizations, labelled with its life-cycle phase as "
                f"assessed on or before {long_date(content.as_of)}. Drawn by the same code as the Quadrangle "
                "window."
            ),
        )
    )
    n = next_number()
    sections.append(Section("comparison", n, "Comparison and motives", _comparison(content, n)))
    for section in content.sections:
        n = next_number()
        sections.append(
            Section(
                f"rel:{section.state.relationship.key}",
                n,
                section.label,
                _relationship(content, section, n, lowest_marking),
            )
        )
    n = next_number()
    sections.append(Section("cross", n, "Cross-cutting lessons", _cross_cutting(content, n)))
    if content.changes is not None:
        n = next_number()
        title = f"Changes since {long_date(content.changes.since)}"
        sections.append(Section("changes", n, title, _changes(content, n, title, lowest_marking)))
    n = next_number()
    sections.append(Section("sources", n, "Sources cited", _bibliography(content, n)))
    return sections


def _summary(content: BriefingContent, n: str) -> str:
    parts = [_heading(n, "Summary")]
    total = len(content.sections)
    parts.append(
        f'<p class="lead">This briefing covers {total} relationship{"s" if total != 1 else ""} between '
        f"international organizations as they stood on {esc(long_date(content.as_of))}; "
        f"{content.assessed_count} of them {'has' if content.assessed_count == 1 else 'have'} an assessment in force.</p>"
    )
    parts.append("<h2>Phases of cooperation</h2>")
    counts = content.phase_counts()
    if counts:
        rows = []
        for label, count in counts:
            names = [s.label for s in content.sections if s.assessment and s.assessment.phase_label == label]
            rows.append([esc(label), str(count), labels(names)])
        unassessed = [s.label for s in content.sections if s.assessment is None]
        if unassessed:
            rows.append(["Not assessed or withheld", str(len(unassessed)), labels(unassessed)])
        parts.append(
            _table(["Phase", "Relationships", "Which"], rows, [34, 16, 50], lambda r, c: "num" if c == 1 else "")
        )
    else:
        parts.append("<p>No relationship has an assessment in force on this date.</p>")
    parts.append("<h2>Recurring motives</h2>")
    motives = content.recurring_motives()
    if motives:
        items = "; ".join(f"{esc(label)} ({count} of {content.assessed_count})" for label, count in motives)
        parts.append(f"<p>Motives present in two or more relationships: {items}.</p>")
    else:
        parts.append("<p>No motive is present in more than one relationship.</p>")
    if content.changes is not None:
        changes = content.changes
        parts.append(f"<h2>Since {esc(long_date(changes.since))}</h2>")
        if changes.is_empty:
            parts.append("<p>Nothing changed in the period.</p>")
        else:
            parts.append(
                f"<p>{_count(len(changes.phase_moves), 'phase move')}, {_count(len(changes.new_lessons), 'new lesson')} "
                f"and {_count(len(changes.new_operations), 'new operation')} (details in the section on changes).</p>"
            )
            for move in changes.phase_moves:
                parts.append(
                    f'<p class="rec">{esc(move.relationship)}: {esc(move.before)} → {esc(move.after)} '
                    f"({esc(long_date(move.when))}){(' ' + REVERSAL) if move.is_reversal else ''}</p>"
                )
    parts.append("<h2>Marking and omissions</h2>")
    parts.append(f"<p>The overall marking of this briefing is {esc(content.marking)}.</p>")
    if content.max_marking:
        if content.left_out_total:
            detail = ", ".join(_count(count, kind.rstrip("s")) for kind, count in sorted(content.left_out.items()))
            parts.append(
                f"<p>{content.left_out_total} item{'s' if content.left_out_total != 1 else ''} marked above "
                f"{esc(content.max_marking)} {'were' if content.left_out_total != 1 else 'was'} left out: {detail}.</p>"
            )
        else:
            parts.append(f"<p>No item was marked above {esc(content.max_marking)}; nothing was left out.</p>")
    return "".join(parts)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _comparison(content: BriefingContent, n: str) -> str:
    parts = [_heading(n, "Comparison and motives"), "<h2>Comparison table</h2>"]
    rows = [
        [
            f"<b>{esc(row.label)}</b>",
            esc(row.phase_label),
            esc(", ".join(m.capitalize() for m in row.motives) or DASH),
            "<br/>".join(esc(c) for c in row.cooperation) or DASH,
            esc(row.confidence.capitalize() if row.confidence else DASH),
        ]
        for row in content.rows
    ]
    parts.append(
        _table(
            ["Relationship", "Phase", "Motives", "Cooperation on the ground", "Confidence"], rows, [14, 16, 27, 29, 14]
        )
    )
    parts.append("<h2>Motive matrix</h2>")
    headers = ["Relationship"] + [esc(SHORT_MOTIVES.get(m.value, m.label)) for m in MOTIVE_ORDER]
    weights: list[list[int]] = []
    matrix = []
    for section in content.sections:
        a = section.assessment
        ws = [a.weight(m) if a else -1 for m in MOTIVE_ORDER]
        weights.append(ws)
        matrix.append([f"<b>{esc(section.label)}</b>"] + [(str(w) if w > 0 else ("·" if w == 0 else DASH)) for w in ws])
    parts.append(
        _table(
            headers,
            matrix,
            [16, 14, 14, 14, 14, 14, 14],
            lambda r, c: "" if c == 0 else f"w{max(weights[r][c - 1], 0)}",
        )
    )
    parts.append(
        '<p class="note">Weights from 1 (present) to 3 (dominant); a dot means absent, a dash not assessed. '
        "Materialist motives: organizational survival, neutralizing competition, resource dependence; ideational: "
        "legitimization, shared values, organizational learning.</p>"
    )
    return "".join(parts)


def _relationship(content: BriefingContent, section: RelationshipSection, n: str, lowest: str) -> str:
    parts = [_heading(n, section.label)]
    a = section.assessment
    if a is None:
        if section.assessment_withheld:
            parts.append(
                f'<p class="facts">The assessment in force is marked above {esc(content.max_marking)} and is left out.</p>'
            )
        else:
            parts.append('<p class="facts">No assessment in force on this date.</p>')
    else:
        parts.append(
            f'<p class="facts">{_portion(a.marking, content, lowest)}Phase: <b>{esc(a.phase_label)}</b> · '
            f"Confidence: <b>{esc(a.confidence.label)}</b> · Assessed as of {esc(long_date(a.as_of))}"
            f"{(' · ' + REVERSAL) if a.is_reversal else ''}</p>"
        )
        parts.append(f"<p>{esc(a.summary)}</p>")
        if a.citations:
            parts.append(f'<p class="cite">Sources: {_citations(a.citations)}</p>')
        parts.append("<h2>Motives</h2>")
        present = [m for m in a.motives if m.weight > 0]
        if present:
            rows = [
                [esc(m.motive.label), "●" * m.weight + "○" * (3 - m.weight), esc(m.rationale)]
                for m in sorted(present, key=lambda m: MOTIVE_ORDER.index(m.motive))
            ]
            parts.append(_table(["Motive", "Weight", "Rationale"], rows, [22, 10, 68]))
        else:
            parts.append("<p>No motive is recorded.</p>")
    parts.append("<h2>Milestones</h2>")
    if section.milestones:
        rows = [
            [
                esc(m.date),
                f"<b>{esc(m.title)}</b>"
                + (f"<br/>{esc(m.description)}" if m.description else "")
                + (
                    f'<br/><span style="color:#5b6b7d;font-size:7.5pt">{_citations(m.citations)}</span>'
                    if m.citations
                    else ""
                ),
            ]
            for m in section.milestones
        ]
        parts.append(_table(["Date", "Milestone"], rows, [13, 87]))
    else:
        parts.append("<p>No milestone recorded up to this date.</p>")
    parts.append("<h2>Cooperation on the ground</h2>")
    if section.cooperation:
        year = content.as_of.year
        rows = [
            [esc(c.location), esc(c.period_label(year)), esc(", ".join(c.operation_acronyms) or DASH)]
            for c in section.cooperation
        ]
        parts.append(_table(["Where", "When", "Operations"], rows, [38, 22, 40]))
    else:
        parts.append("<p>No cooperation on the ground up to this date.</p>")
    parts.append("<h2>Lessons</h2>")
    if section.lessons_by_theme:
        for theme, lessons in section.lessons_by_theme:
            parts.append(f"<h3>{esc(theme)} ({len(lessons)})</h3>")
            parts.extend(_lesson(lesson, content, lowest) for lesson in lessons)
    else:
        parts.append("<p>No lesson recorded up to this date.</p>")
    return "".join(parts)


def _lesson(lesson: LessonRecord, content: BriefingContent, lowest: str) -> str:
    text = [
        f'<p class="lesson">{_portion(lesson.marking, content, lowest)}<span class="kind">{esc(lesson.kind.label)}.</span> '
        f"{esc(lesson.finding)}</p>"
    ]
    if lesson.recommendation:
        text.append(f'<p class="rec"><i>Recommendation:</i> {esc(lesson.recommendation)}</p>')
    if lesson.citations:
        text.append(f'<p class="cite">{_citations(lesson.citations)}</p>')
    return "".join(text)


def _cross_cutting(content: BriefingContent, n: str) -> str:
    parts = [_heading(n, "Cross-cutting lessons")]
    if not content.cross_cutting:
        parts.append("<p>No theme recurs across two or more of the included relationships.</p>")
        return "".join(parts)
    parts.append(
        '<p class="lead">Themes whose lessons come from two or more relationships, with one recommendation '
        "from each (up to four).</p>"
    )
    rows = [
        [f"<b>{esc(t.name)}</b>", labels(t.relationships), str(t.challenges), str(t.successes)]
        for t in content.cross_cutting
    ]
    parts.append(
        _table(
            ["Theme", "Relationships", "Challenges", "Successes"],
            rows,
            [32, 40, 14, 14],
            lambda r, c: "num" if c >= 2 else "",
        )
    )
    for theme in content.cross_cutting:
        parts.append(f"<h3>{esc(theme.name)}</h3>")
        for names, recommendation in theme.recommendations:
            parts.append(f'<p class="rec"><b>{esc(names)}:</b> {esc(recommendation)}</p>')
    return "".join(parts)


def _changes(content: BriefingContent, n: str, title: str, lowest: str) -> str:
    changes = content.changes
    assert changes is not None
    parts = [_heading(n, title)]
    parts.append(
        f'<p class="lead">What changed after {esc(long_date(changes.since))} up to {esc(long_date(content.as_of))}.</p>'
    )
    parts.append("<h2>Phase moves</h2>")
    if changes.phase_moves:
        rows = [
            [
                esc(long_date(m.when)),
                esc(m.relationship),
                esc(m.before),
                esc(m.after) + (' <span class="reversal">(reversal)</span>' if m.is_reversal else ""),
            ]
            for m in changes.phase_moves
        ]
        parts.append(_table(["Date", "Relationship", "From", "To"], rows, [20, 18, 31, 31]))
    else:
        parts.append("<p>No phase moves.</p>")
    parts.append("<h2>New lessons</h2>")
    if len(changes.new_lessons) > NEW_LESSONS_LISTED:
        parts.append(_new_lesson_counts(content))
    elif changes.new_lessons:
        rows = [
            [
                esc(lesson.recorded_on.isoformat()),
                esc(names),
                _portion(lesson.marking, content, lowest) + esc(lesson.kind.label),
                esc(lesson.finding),
            ]
            for names, lesson in changes.new_lessons
        ]
        parts.append(_table(["Recorded", "Relationship", "Kind", "Finding"], rows, [13, 15, 12, 60]))
    else:
        parts.append("<p>No new lessons.</p>")
    parts.append("<h2>New operations</h2>")
    if changes.new_operations:
        rows = [
            [
                esc(op.start or ""),
                f"<b>{esc(op.acronym)}</b> {esc(op.name)}",
                esc(op.location),
                esc(", ".join(op.organization_codes)),
            ]
            for op in changes.new_operations
        ]
        parts.append(_table(["Start", "Operation", "Where", "Organizations"], rows, [11, 41, 30, 18]))
    else:
        parts.append("<p>No new operations.</p>")
    return "".join(parts)


def _new_lesson_counts(content: BriefingContent) -> str:
    """Many new lessons: counted by relationship and kind (Qt lays out very long tables slowly, and
    each lesson is printed in full in its relationship's section anyway)."""
    changes = content.changes
    since = changes.since
    rows = []
    for section in content.sections:
        items = [
            lesson
            for _, lessons in section.lessons_by_theme
            for lesson in lessons
            if since < lesson.recorded_on <= content.as_of
        ]
        if items:
            challenges = sum(1 for lesson in items if lesson.kind.value == "challenge")
            rows.append([esc(section.label), str(challenges), str(len(items) - challenges), str(len(items))])
    return (
        f"<p>{len(changes.new_lessons)} lessons were recorded in the period, too many to list here; each is "
        "printed in full in its relationship's section. By relationship (a lesson about several relationships "
        "counts under each):</p>"
        + _table(
            ["Relationship", "Challenges", "Successes", "New lessons"],
            rows,
            [40, 20, 20, 20],
            lambda r, c: "num" if c else "",
        )
    )


def bibliography_entry(source: SourceRecord) -> str:
    def part(value: str) -> str:  # one full stop after each part, even when the value ends with one
        return esc(value.strip().rstrip("."))

    text = f"{esc(source.authors)} ({esc(source.year)}). <i>{part(source.title)}</i>."
    if source.container:
        text += f" In: {part(source.container)}."
    place = ": ".join(p for p in (source.place, source.publisher) if p)
    if place:
        text += f" {part(place)}."
    if source.reference:
        text += f" {part(source.reference)}."
    return text


def _bibliography(content: BriefingContent, n: str) -> str:
    parts = [_heading(n, "Sources cited")]
    if not content.sources:
        parts.append("<p>No source is cited by the included material.</p>")
    for source in content.sources:
        parts.append(f'<p class="bib">{bibliography_entry(source)}</p>')
    if content.left_out.get("sources"):
        parts.append(
            f'<p class="note">{_count(content.left_out["sources"], "source")} marked above {esc(content.max_marking)} left out.</p>'
        )
    return "".join(parts)
