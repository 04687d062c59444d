"""Write the forms of the board report from a run's tables.

- ``report.html``: the full report, every job and table, sortable (and printable from a browser);
- ``report.xlsx``: every table for staff who sort and filter;
- ``report.pdf``: the board packet, at most 12 pages (:mod:`align.report.packet`);
- ``report-appendix.pdf``: a card for every flagged job and every table (:mod:`align.report.appendix`).

The PDFs are laid out by ReportLab, an ordinary dependency, so every install writes them; ``pdf=False``
(``--no-pdf``) skips them when only the tables and the HTML are wanted. They are laid out in a
second process and the workbook in a third while this one writes the HTML (:mod:`align.background`):
the forms are independent, and on two cores that halves the time the report takes. ReportLab and
the workbook writer are imported where they are used, so each process imports only its own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from align.background import in_background
from align.report.html import gap_cards, render_html
from align.report.views import board_views
from align.store import write_text

PACKET, APPENDIX = "report.pdf", "report-appendix.pdf"


@dataclass
class ReportOutcome:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def write_reports(tables: dict[str, pd.DataFrame], manifest: dict, folder: Path, *, pdf: bool = True,
                  quiet: bool = False, alongside: Callable[[], object] | None = None) -> ReportOutcome:
    """Write report.html, report.xlsx and (unless ``pdf`` is False) the packet and appendix PDFs.

    The PDFs and the workbook are written by two forked processes while this one writes the HTML;
    ``alongside`` is other work for this process meanwhile (the run's tables), done first.
    """
    from align.report.xlsx import write_xlsx

    folder = Path(folder)
    out = ReportOutcome()
    views = board_views(tables)  # shared by the HTML and the appendix
    pdfs = in_background(lambda: _write_pdfs(tables, manifest, folder, views)) if pdf else nullcontext(None)
    with pdfs as pending, in_background(lambda: write_xlsx(tables, manifest, folder / "report.xlsx")) as workbook:
        if alongside is not None:
            alongside()
        out.paths.append(write_text(folder / "report.html", render_html(tables, manifest, views)))
        out.paths.append(workbook.result())
        if pending is not None:
            out.paths += pending.result()
    if not pdf:
        out.notes.append(f"{PACKET} and {APPENDIX} skipped: not requested (--no-pdf)")
    if not quiet:
        for n in out.notes:
            print(f"      note: {n}", file=sys.stderr)
    return out


def _write_pdfs(tables: dict[str, pd.DataFrame], manifest: dict, folder: Path, views: list[dict]) -> list[Path]:
    """The board packet and its appendix."""
    from align.report.appendix import write_appendix
    from align.report.packet import write_packet

    params = manifest.get("config", {}).get("parameters", {})
    cards = gap_cards(tables["gaps"], params)
    return [write_packet(tables, manifest, folder / PACKET),
            write_appendix(tables, manifest, cards, folder / APPENDIX, views)]
