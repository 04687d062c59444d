"""Labelled lines in the PDFs (the appendix's cards): broken by measured width, never past it."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from align.report import pdf as P


def test_lines_break_at_the_width_keep_every_word_and_split_between_rows():
    regular, bold = P.fonts()
    words = "Capital University 13.1210 Bachelor's degree: 4.2; Franklin University 13.1202 Bachelor's degree: 1.4"
    lines = P.Lines([[("Why:", True, None), ("demand is " * 12, False, None)],
                     [("Programs that supply it:", True, None), (words, False, None)]])
    width = 150.0
    w, h = lines.wrap(width, 1000)
    rows = lines._rows
    assert w == width and h == len(rows) * P.styles()["cell"].leading
    for row in rows:  # the last piece's right edge is inside the width
        x, text, font, _ = row[-1]
        assert x + pdfmetrics.stringWidth(text, font, 8) <= width + 1e-9
    assert rows[0][0][1:3] == ("Why:", bold) and rows[0][1][2] == regular
    second = next(i for i, row in enumerate(rows) if row[0][1].startswith("Programs"))  # a labelled line starts a row
    assert " ".join(t for row in rows[second:] for _, t, _, _ in row) == f"Programs that supply it: {words}"
    top, rest = lines.split(width, 2.5 * P.styles()["cell"].leading)
    assert len(top._rows) == 2 and top._rows + rest._rows == rows
