"""Lean PDF objects for long briefings: page content streams, link annotations and page
dictionaries written straight to bytes.

Why: the large benchmark database's briefing has 15,000 pages and 21,000 cross-reference links.
ReportLab formats each of them through its generic dictionary writer (a Python call per key and
value, every name escaped again), about 2 s at the end of the write. The bytes written are what
ReportLab's own objects give; only how they are made differs. (Compressing pages on a second thread
was tried: the thread waits for the interpreter lock at every page, the pages queue up uncompressed
and the peak memory grew by 100 MB for a second saved.)
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFObject, PDFPage, PDFStream, format

_STREAM_DICTIONARY = b"<<\n/Filter [ /FlateDecode ] /Length %d\n>>"


def stream_output(document, sink: BinaryIO) -> None:
    """Have `document`'s final write go straight into `sink` instead of being gathered into one
    bytes object (the whole file, twice over for a moment, at the peak of a 40 MB briefing).
    Takes effect when the first lean object is formatted; `sink` must be the file ReportLab itself
    writes to (the canvas's file object), so what it writes last lands after."""
    document._quadrangle_sink = sink


def _start_streaming(document) -> None:
    """Inside ReportLab's final formatting (its output collector is `document.__accum__`): send what
    is collected so far, and everything after, to the sink."""
    sink = getattr(document, "_quadrangle_sink", None)
    output = getattr(document, "__accum__", None)
    if sink is None or output is None or output.write == sink.write:
        return
    for chunk in output.strings:
        sink.write(chunk)
    output.strings.clear()
    output.write = sink.write


class CompressedPageStream(PDFStream):
    """A page's content, deflated as soon as the page is finished (so a 15,000-page annex's text is
    never held uncompressed), written in one step."""

    __Comment__ = "page stream"

    def __init__(self, text: str) -> None:  # not PDFStream.__init__: its dictionary would never be used
        self.content = zlib.compress(text.encode("utf8"))

    def format(self, document) -> bytes:
        _start_streaming(document)
        content = document.encrypt.encode(self.content)
        self.content = b""  # written once, at the end: let it go as the file is written
        return _STREAM_DICTIONARY % len(content) + b"\nstream\n" + content + b"endstream\n"


class LeanLink(pdfdoc.LinkAnnotation):
    """A borderless link to a named destination in this document, written in one step."""

    def __init__(self, rect: tuple[float, float, float, float], destination) -> None:
        super().__init__(Rect=rect, Contents="", Destination=destination, Border="[ 0 0 0 ]")

    def format(self, document) -> bytes:
        rect = " ".join(fp_str(value) for value in self.Rect)
        dest = format(self.Destination, document)
        return b"<<\n/Border [ 0 0 0 ] /Contents () /Dest %s /Rect [ %s ] /Subtype /Link /Type /Annot\n>>" % (
            dest,
            rect.encode("ascii"),
        )


def add_link(canv, rect: tuple[float, float, float, float], name: str) -> None:
    """A link from `rect` (in the current user space, unrotated) to the bookmark `name`; what
    `canvas.linkRect(..., relative=1, thickness=0)` adds, without its generic formatting."""
    canv._addAnnotation(LeanLink(canv._absRect(rect, 1), canv._bookmarkReference(name)))


class LeanPage(PDFPage):
    """A page dictionary written in one step, without the per-page objects ReportLab's writer builds
    and keeps (a resource dictionary, a media box and an annotation array for each of 15,000 pages).
    Its resources (the fonts and the running forms, the same for thousands of pages) are formatted
    once per kind. A page with anything else (transparency, colour spaces, crop boxes, a
    stream of its own) is written by ReportLab's own code."""

    _OTHERS = tuple(
        set(PDFPage.__NoDefault__) - {"Annots", "Contents", "MediaBox", "Parent", "Resources", "Rotate", "Trans"}
    )

    def format(self, document) -> bytes:
        _start_streaming(document)
        forms = self.XObjects.dict if isinstance(self.XObjects, pdfdoc.PDFDictionary) else self.XObjects or {}
        if (
            not isinstance(self.Contents, CompressedPageStream)
            or self.Resources is not None
            or self.ExtGState
            or self._colorsUsed
            or self._shadingUsed
            or any(getattr(self, name, None) is not None for name in self._OTHERS)
            or not all(isinstance(v, pdfdoc.PDFObjectReference) for v in forms.values())
        ):
            return super().format(document)
        key = (bool(self.hasImages), *sorted((name, ref.name) for name, ref in forms.items()))
        cache = document.__dict__.setdefault("_quadrangle_resources", {})
        resources = cache.get(key)
        if resources is None:
            dictionary = pdfdoc.PDFResourceDictionary()
            dictionary.basicFonts()
            if self.hasImages:  # ReportLab's canvas sets it on every page that draws a form
                dictionary.allProcs()
            else:
                dictionary.basicProcs()
            if forms:
                dictionary.XObject = dict(forms)
            resources = cache[key] = format(dictionary, document)
        box = self.MediaBox or [0, 0, self.pagewidth, self.pageheight]
        if self.MediaBox is None and self.Rotate in (90, 270):
            box = [0, 0, self.pageheight, self.pagewidth]
        parts = []
        if self.Annots:
            parts.append(b"/Annots [ " + b" ".join(format(ref, document) for ref in self.Annots) + b" ]")
        parts.append(b"/Contents " + format(document.Reference(self.Contents), document))
        parts.append(b"/MediaBox " + format(box if isinstance(box, PDFObject) else pdfdoc.PDFArray(box), document))
        parts.append(b"/Parent " + format(document.Reference(document.Pages), document))
        parts.append(b"/Resources " + resources)
        parts.append(b"/Rotate " + format(self.Rotate or 0, document))
        if self.Trans is not None:
            parts.append(b"/Trans " + format(self.Trans, document))
        parts.append(b"/Type /Page")
        return b"<<\n" + b" ".join(parts) + b"\n>>"
