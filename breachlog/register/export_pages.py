"""The register PDF's pages: A4 upright and on its side, a footer on each, the month chart.

"Page x of y" needs y on page 1, before the pages after it exist. The usual two-pass
canvas keeps every page in memory until the end; here y is a tiny PDF form that each footer
refers to and that is filled in once, when the document is saved, so memory does not grow
with the number of pages.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FunctionType, MethodType
from typing import Any, BinaryIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFDocument, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .export_fonts import text_writer
from .export_text import REGULAR, clean, fonts

MARGIN = 30.0
FOOTER = 28.0  # height kept free for the footer at the bottom of every page
PAGE_COUNT_FORM = "breachlogPageCount"
FOOTER_FONT, FOOTER_SIZE = REGULAR, 6.5
BLUE = colors.HexColor("#1f4e79")
LIGHT_BLUE = colors.HexColor("#9dc3e6")


@dataclass(frozen=True)
class Footer:
    left: str  # what this document is: organisation, register, year
    fingerprint: str  # the line with the audit chain's fingerprint
    page: str  # translated "Page %(page)d of"; the page count is printed after it


class FooterCanvas(Canvas):  # type: ignore[misc]
    def __init__(self, *args: Any, footer: Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fonts()
        self.footer = footer
        # a long organisation name must not run into the page number: it is shortened to
        # what leaves room for "page 99999 of 99999" on the narrower, upright page
        room = (
            A4[0]
            - 2 * MARGIN
            - stringWidth(footer.page % {"page": 99999} + " 00000  ", FOOTER_FONT, FOOTER_SIZE)
        )
        self._left = _shortened(clean(footer.left), room)
        self._fingerprint = clean(footer.fingerprint)
        self._shown: tuple[str, str] | None = None
        self._shapes: dict[tuple[Any, ...], _Alike] = {}

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._draw_footer()
        super().showPage()
        self._compress_last_page()

    def _compress_last_page(self) -> None:
        """Compress the page now rather than when the document is saved.

        ReportLab keeps every page's operators as text until save(): 12 KB a page, 180 MB
        for a register of ten thousand incidents. Compressed they take a quarter of that.
        """
        page = self._doc.Pages.pages[-1]
        if page.stream and not page.Contents:
            # level 1: a tenth larger than the default level 6, in half the time
            data = zlib.compress(page.stream.encode("utf-8"), 1)
            page.Contents = _SavedOnce(_FLATE, data)
            page.stream = None
        # every page refers to the same form (the page count): one dictionary for all
        if page.XObjects is not None:
            self._xobjects = getattr(self, "_xobjects", None) or page.XObjects
            page.XObjects = self._xobjects
        shape = _shape(page)
        if shape is not None and type(page) is pdfdoc.PDFPage:
            page.__class__ = _PageAlike
            page.alike = self._shapes.setdefault(shape, _Alike())

    def save(self) -> None:
        if self._code:  # ReportLab would end the page inside save(), after our form
            self.showPage()
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(FOOTER_FONT, FOOTER_SIZE)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        if callable(getattr(self._filename, "write", None)):
            self._doc.format = _streaming_format(self._doc, self._filename)
        super().save()

    def _draw_footer(self) -> None:
        # written as PDF operators: ten thousand pages of canvas calls cost seconds
        width, _height = self._pagesize
        right = width - MARGIN
        writer = text_writer(self)
        font = writer.base[FOOTER_FONT]
        if self._shown is None:  # the same on every page
            left = writer.show(self._left, FOOTER_FONT, FOOTER_SIZE)
            self._shown = left, writer.show(self._fingerprint, FOOTER_FONT, FOOTER_SIZE)
        left, fingerprint = self._shown
        page = self.footer.page % {"page": self.getPageNumber()} + " "
        page_words = writer.show(clean(page), FOOTER_FONT, FOOTER_SIZE)
        # room for a page count of up to five digits after the words
        start = right - stringWidth(page + "00000", FOOTER_FONT, FOOTER_SIZE)
        count_at = start + stringWidth(page, FOOTER_FONT, FOOTER_SIZE)
        line, first, second = FOOTER - 6, FOOTER - 15, FOOTER - 23
        self.addLiteral(
            f"q 0.6 G 0.3 w {MARGIN} {line} m {right:.2f} {line} l S "
            f"BT {font} {FOOTER_SIZE} Tf 0.25 g "
            f"1 0 0 1 {MARGIN} {first} Tm {left} "
            f"1 0 0 1 {MARGIN} {second} Tm {fingerprint} "
            f"1 0 0 1 {start:.2f} {first} Tm {page_words} ET "
            f"1 0 0 1 {count_at:.2f} {first} cm"
        )
        self.doForm(PAGE_COUNT_FORM)
        self.addLiteral("Q")


def _shortened(text: str, width: float) -> str:
    if stringWidth(text, FOOTER_FONT, FOOTER_SIZE) <= width:
        return text
    while text and stringWidth(text + " …", FOOTER_FONT, FOOTER_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + " …"


def _streaming_format(document: PDFDocument, output: BinaryIO) -> Callable[[], bytes]:
    """ReportLab's own PDFDocument.format, writing each object into `output` as it goes.

    ReportLab collects the formatted objects in a list and joins them at the end: twice the
    size of the file in memory at once, 100 MB for a register of ten thousand incidents.
    Here its collector (PDFFile) writes every piece to the file at once, keeping the count of
    bytes for the cross-reference table as before, and the joined rest it returns is empty.
    """

    class StreamedFile(pdfdoc.PDFFile):  # type: ignore[misc]
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)  # it adds the PDF header to its list
            output.write(b"".join(self.strings))
            self.strings: list[bytes] = []
            self.write = output.write

    names = {**vars(pdfdoc), "PDFFile": StreamedFile}
    format_ = pdfdoc.PDFDocument.format
    streaming = FunctionType(format_.__code__, names, format_.__name__, format_.__defaults__)
    return MethodType(streaming, document)


def _shape(page: Any) -> tuple[Any, ...] | None:
    """What a page's dictionary is made of, but for its contents; None for a page with more
    than size, contents and forms (links, transparency, colour spaces, boxes)."""
    extras = (
        page.Annots,
        page.ExtGState,
        page._colorsUsed,
        page._shadingUsed,
        page.Dur,
        page.MediaBox,
        page.Resources,
        page.CropBox,
        page.ArtBox,
        page.BleedBox,
        page.TrimBox,
    )
    if any(extra for extra in extras):
        return None
    return page.pagewidth, page.pageheight, page.Rotate, page.hasImages, id(page.XObjects)


@dataclass
class _Alike:
    """The dictionary of pages of one shape, written before and after their contents."""

    head: bytes | None = None
    tail: bytes = b""


class _PageAlike(pdfdoc.PDFPage):  # type: ignore[misc]
    """A page written as the first of its shape was, with its own contents in the middle.

    ReportLab builds and writes every page's dictionary afresh (its size, fonts, forms and
    parent): for a register of thousands of pages, most of the time of saving it.
    """

    alike: _Alike

    def format(self, document: Any) -> bytes:
        alike = self.alike
        if alike.head is None:
            data: bytes = super().format(document)
            contents = b"/Contents " + document.Reference(self.Contents).format(document) + b" "
            head, found, tail = data.partition(contents)
            if found and contents not in tail:
                alike.head, alike.tail = head, tail
            return data
        # registered here, as ReportLab does: the contents keep their object numbers
        contents = document.Reference(self.Contents).format(document)
        return alike.head + b"/Contents " + contents + b" " + alike.tail


# copied by each stream it describes when the stream is written
_FLATE = PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])})


class _SavedOnce(PDFStream):  # type: ignore[misc]
    """A page's compressed operators, let go of once written into the file being saved."""

    def format(self, document: Any) -> bytes:
        formatted: bytes = super().format(document)
        self.content = b""  # the document is saved once; this halves its memory meanwhile
        return formatted


class RegisterDocument(BaseDocTemplate):  # type: ignore[misc]
    """Upright pages for the title, summary and details; pages on their side for the table."""

    def __init__(self, output: Any, **metadata: Any) -> None:
        super().__init__(output, pagesize=A4, **metadata)
        self.addPageTemplates([self._template("portrait", A4), self._template("landscape")])

    def _template(self, name: str, size: tuple[float, float] | None = None) -> PageTemplate:
        size = size or landscape(A4)
        frame = Frame(
            MARGIN,
            FOOTER + 6,
            size[0] - 2 * MARGIN,
            size[1] - MARGIN - FOOTER - 6,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )
        return PageTemplate(id=name, frames=[frame], pagesize=size)

    def frame_size(self, name: str) -> tuple[float, float]:
        frame = next(t for t in self.pageTemplates if t.id == name).frames[0]
        return frame._aW, frame._aH


def month_chart(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    width: float,
    height: float = 150,
) -> Drawing:
    """Grouped bars per month, one colour per series, with a legend."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = width - 150, height - 45
    chart.data = [list(values) for _name, values in series]
    chart.categoryAxis.categoryNames = list(months)
    chart.categoryAxis.labels.fontName = FOOTER_FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FOOTER_FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((v for _name, values in series for v in values), default=0)
    chart.valueAxis.valueMax = max(top, 1)
    chart.valueAxis.valueStep = max(1, -(-max(top, 1) // 5))
    chart.valueAxis.labelTextFormat = "%d"
    chart.barSpacing = 1
    chart.groupSpacing = 6
    palette = (BLUE, LIGHT_BLUE)
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index % 2]
        chart.bars[index].strokeColor = None
    legend = Legend()
    legend.x, legend.y = width - 110, height - 20
    legend.fontName, legend.fontSize = FOOTER_FONT, 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (palette[i % 2], clean(name)) for i, (name, _values) in enumerate(series)
    ]
    drawing.add(chart)
    drawing.add(legend)
    return drawing
