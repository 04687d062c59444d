"""Paper: the page furniture, type and tables the board packet and its appendix share.

PDFs are laid out with ReportLab, a pip-installed package with no system libraries, so every
machine that can install align writes the same PDF (byte for byte: invariant mode). Type is DejaVu
Sans, shipped inside matplotlib, so the flag symbols (▼ ▲ ● ○) print everywhere. Charts come from
:mod:`align.report.charts` as PNG at print resolution.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from align.report.board import Table as BoardTable
from align.store import atomic_write

PAGE = letter
MARGIN = 0.6 * inch
WIDTH = PAGE[0] - 2 * MARGIN
INK, MUTED, LINE, HEAD_BG, BAND = (colors.HexColor(c) for c in ("#1d2327", "#55606a", "#c9d0d5", "#e7ebee",
                                                                 "#f6f7f8"))
SHORT, SURPLUS = colors.HexColor("#B34700"), colors.HexColor("#005A8F")


@cache
def fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) from matplotlib's own font folder."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVu", str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu",
                                  boldItalic="DejaVu-Bold")
    return "DejaVu", "DejaVu-Bold"


@cache
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    return {
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontName=bold, fontSize=12.5, leading=16, spaceAfter=8),
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=19, leading=23, spaceAfter=4),
        "h1": ParagraphStyle("h1", parent=body, fontName=bold, fontSize=14, leading=18, spaceBefore=10,
                             spaceAfter=5),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=6,
                             spaceAfter=3),
        "meta": ParagraphStyle("meta", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=11, bulletIndent=0, spaceAfter=3),
        "banner": ParagraphStyle("banner", parent=body, backColor=colors.HexColor("#fff4d6"),
                                 borderColor=colors.HexColor("#e0b94d"), borderWidth=0.6, borderPadding=4,
                                 spaceBefore=4, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
    }


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width: a KeepTogether block and then the frame
    each wrap every paragraph at the same width, and breaking lines is most of the layout time."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # within a hair: the two columns' frames differ in the last bit of their width
        if abs(getattr(self, "_wrapped_at", -1.0) - availWidth) < 1e-6 and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if size[0] == availWidth:  # laid out (a width too narrow to use is not remembered)
            self._wrapped_at = availWidth
        return size


#: one piece of a labelled line: its text, whether it is bold, and its colour (None: the style's)
Piece = tuple[str, bool, "colors.Color | None"]


class Lines(Flowable):
    """Lines of plain text pieces, bold or not, each line starting afresh and broken to the width
    by measuring its words: what a Paragraph of ``<b>`` and ``<br/>`` shows, laid out without
    ReportLab's general paragraph machinery (which made the appendix's cards most of its time).
    Nothing in the text is markup."""

    def __init__(self, lines: Sequence[Sequence[Piece]], style: str = "cell") -> None:
        super().__init__()
        self.lines, self.style = [list(line) for line in lines], styles()[style]
        self._rows: list[list[tuple[float, str, str, object]]] | None = None
        self._width: float | None = None

    def _break(self, width: float) -> list[list[tuple[float, str, str, object]]]:
        regular, bold = fonts()
        size, rows = self.style.fontSize, []
        for line in self.lines:
            row: list[tuple[float, str, str, object]] = []
            x = 0.0
            for text, strong, colour in line:
                font = bold if strong else regular
                space = pdfmetrics.stringWidth(" ", font, size)
                for word in str(text).split():
                    w = pdfmetrics.stringWidth(word, font, size)
                    if row and x + space + w > width:
                        rows.append(row)
                        row, x = [], 0.0
                    start = x + space if row else 0.0
                    if row and row[-1][2] == font and row[-1][3] is colour:  # same look: one string
                        row[-1] = (row[-1][0], f"{row[-1][1]} {word}", font, colour)
                    else:
                        row.append((start, word, font, colour))
                    x = start + w
            rows.append(row)
        return rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._rows is None or self._width is None or abs(self._width - availWidth) > 1e-6:
            self._rows, self._width = self._break(availWidth), availWidth
        self.width, self.height = availWidth, len(self._rows) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self._rows):
            return [] if fit <= 0 else [self]
        parts = []
        for rows in (self._rows[:fit], self._rows[fit:]):
            part = Lines([], self.style.name)
            part._rows, part._width = rows, availWidth
            parts.append(part)
        return parts

    def draw(self) -> None:
        size, leading = self.style.fontSize, self.style.leading
        ascent, _ = pdfmetrics.getAscentDescent(fonts()[0], size)
        c = self.canv
        for i, row in enumerate(self._rows or []):
            y = self.height - ascent - i * leading
            for x, text, font, colour in row:
                c.setFont(font, size)
                c.setFillColor(colour or self.style.textColor)
                c.drawString(x, y, text)


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: nothing from an input file becomes markup)."""
    return Para(escape(str(text)), styles()[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph whose markup this package wrote (bold, links); escape any data inside it first."""
    return Para(markup, styles()[style])


def bullets(items: Sequence[str]) -> list[Flowable]:
    return [Para(escape(str(t)), styles()["bullet"], bulletText="•") for t in items]


CELL_SIZE, HEAD_SIZE = 8, 8


def _fill(text: str, width: float, size: float, font: str) -> str:
    """``text`` broken into lines that fit ``width`` points (measured, so no cell is ever cut off)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        trial = f"{line} {word}" if line else word
        if line and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return "\n".join([*lines, line]) if words else ""


def table(t: BoardTable, widths: Sequence[float] | None = None, repeat: bool = True) -> Table:
    """A table that wraps its cells, right-aligns numbers and repeats its header across pages.

    Cells are plain strings wrapped here by measured width, not Paragraphs: a 500-row table lays
    out in a fraction of the time, and the text cannot carry markup.
    """
    regular, bold = fonts()
    n = len(t.columns)
    if widths is not None and len(widths) != n:  # a table that grew a column: share the page evenly
        widths = None
    if widths is None:
        first = min(0.34, 1.4 / n) if n > 2 else 0.55
        widths = [WIDTH * first] + [WIDTH * (1 - first) / (n - 1)] * (n - 1) if n > 1 else [WIDTH]
    room = [w - 6 for w in widths]  # less the cell padding

    def fit(text: object, j: int, font: str, size: float) -> str:
        text = str(text)
        return text if pdfmetrics.stringWidth(text, font, size) <= room[j] else _fill(text, room[j], size, font)

    head = [fit(c, j, bold, HEAD_SIZE) for j, c in enumerate(t.columns)]
    body = [[fit(v, j, regular, CELL_SIZE) for j, v in enumerate(row)] for row in t.rows]
    out = Table([head, *body], colWidths=list(widths), repeatRows=1 if repeat else 0)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, 0), bold, HEAD_SIZE, HEAD_SIZE + 2),
             ("FONT", (0, 1), (-1, -1), regular, CELL_SIZE, CELL_SIZE + 2), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    style += [("ALIGN", (j, 0), (j, -1), "RIGHT") for j in sorted(t.numeric)]
    style += [("BACKGROUND", (0, i), (-1, i), BAND) for i in range(2, len(body) + 1, 2)]
    out.setStyle(TableStyle(style))
    return out


def image(png: bytes, width: float = WIDTH) -> Image:
    """A chart at the page's width, keeping its aspect ratio."""
    img = Image(io.BytesIO(png))
    scale = width / img.imageWidth
    img.drawWidth, img.drawHeight = width, img.imageHeight * scale
    return img


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def space(h: float = 6) -> Spacer:
    return Spacer(1, h)


def _numbered_canvas(footer: str) -> type:
    """A canvas that prints "page N of M" (it needs the page count, so it holds pages until the end)."""
    regular, _ = fonts()

    class Numbered(rl_canvas.Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 7.5)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, 0.38 * inch, footer)
                self.drawRightString(PAGE[0] - MARGIN, 0.38 * inch, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return Numbered


def write_pdf(dest: Path, story: list[Flowable], *, title: str, footer: str, two_column_from: str | None = None,
              author: str = "align") -> Path:
    """Lay ``story`` out on Letter pages with a footer; atomic, and the same bytes for the same story."""
    frame = Frame(MARGIN, MARGIN, WIDTH, PAGE[1] - 2 * MARGIN, id="one", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    gutter = 0.2 * inch
    col = (WIDTH - gutter) / 2
    left = Frame(MARGIN, MARGIN, col, PAGE[1] - 2 * MARGIN, id="left", leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)
    right = Frame(MARGIN + col + gutter, MARGIN, col, PAGE[1] - 2 * MARGIN, id="right", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)

    def writer(path: Path) -> None:
        doc = BaseDocTemplate(str(path), pagesize=PAGE, title=title, author=author, creator="align",
                              leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                              invariant=1)
        doc.addPageTemplates([PageTemplate(id="one", frames=[frame]),
                              PageTemplate(id="two", frames=[left, right])])
        doc.build(story, canvasmaker=_numbered_canvas(footer))

    return atomic_write(Path(dest), writer)


def column_width() -> float:
    """The width of one column on a two-column page."""
    return (WIDTH - 0.2 * inch) / 2


Builder = Callable[..., list[Flowable]]
