"""The briefing as a list of plain blocks (headings, paragraphs of runs, tables, figures), built once
from the content and written by each engine: ReportLab for PDF (pdf.py), python-docx for Word
(docx_export.py). Plain Python, no Qt, no ReportLab: what is said is decided here, how it looks there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text with one look; `link` is the key of a heading or anchor it points to."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None  # a style colour name (see style.py), never user data
    link: str | None = None


def runs(*parts: str | Run) -> tuple[Run, ...]:
    """Plain strings become plain runs."""
    return tuple(part if isinstance(part, Run) else Run(part) for part in parts)


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 starts a section on a new page. Every heading with a key is a PDF bookmark
    and a link target; `toc` puts it in the contents."""

    level: int
    text: str
    key: str | None = None
    toc: bool = False
    number: str = ""

    @property
    def title(self) -> str:
        return f"{self.number}  {self.text}" if self.number else self.text


@dataclass(frozen=True)
class Para:
    """A paragraph; `style` is one of STYLES; `anchor` makes it a link target."""

    runs: tuple[Run, ...]
    style: str = "body"
    anchor: str | None = None


STYLES = ("body", "lead", "note", "facts", "lesson", "rec", "cite", "bib", "judgement", "caption", "more", "ref")

Cell = tuple[Run, ...]


@dataclass(frozen=True)
class Table:
    """A grid with one header row repeated on every page. `shade[(row, col)]` names a fill colour,
    `bold_first` sets the first column in bold; widths are percentages of the text block."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    shade: dict[tuple[int, int], str] = field(default_factory=dict)
    align_right: tuple[int, ...] = ()
    centre: tuple[int, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A vector drawing (SVG bytes recorded from the screen's scene) with its caption."""

    svg: bytes | None
    caption: str
    title: str = ""


@dataclass(frozen=True)
class Contents:
    """Where the table of contents goes."""


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Cover:
    """The cover's facts (label, value); the engines lay it out."""

    title: str
    subtitle: str
    organization: str
    facts: tuple[tuple[str, str], ...]
    note: str


@dataclass(frozen=True)
class Later:
    """Blocks made only when a writer reaches them (the annex's thousands of lessons), so they are
    never all in memory at once. `headings` are the contents entries among them, known beforehand;
    `size` is how many blocks `make` yields, for progress."""

    make: Callable[[], Iterable[Block]]
    headings: tuple[Heading, ...]
    size: int


Block = Heading | Para | Table | Figure | Contents | PageBreak | Cover | Later


@dataclass(frozen=True)
class Document:
    """Everything one file shows, with the properties readers show in their document info."""

    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    marking: str
    as_of_text: str
    blocks: tuple[Block, ...]
    paper: str = "a4"

    def walk(self) -> Iterator[Block]:
        """Every block in reading order, the later ones made as they are reached."""
        for block in self.blocks:
            if isinstance(block, Later):
                yield from block.make()
            else:
                yield block

    def contents_headings(self) -> Iterator[Heading]:
        """The headings the contents list, in order, without making the later blocks."""
        for block in self.blocks:
            if isinstance(block, Later):
                yield from block.headings
            elif isinstance(block, Heading) and block.toc:
                yield block

    def size(self) -> int:
        return sum(b.size if isinstance(b, Later) else 1 for b in self.blocks)
