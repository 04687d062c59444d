"""Write the three forms of the board report (HTML, XLSX, PDF) from a run's tables.

The HTML and XLSX need only Python packages and are always written; the PDF needs a layout
engine (WeasyPrint, or headless Chromium). When neither is present the run still succeeds and the
note says the PDF was skipped and why, so a missing renderer never costs an analyst a run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from align.report.html import render_html
from align.report.pdf import render_pdf
from align.report.xlsx import write_xlsx
from align.store import write_text


@dataclass
class ReportOutcome:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def write_reports(tables: dict[str, pd.DataFrame], manifest: dict, folder: Path, *, pdf: bool = True,
                  pdf_engine: str = "auto", quiet: bool = False) -> ReportOutcome:
    """Write report.html, report.xlsx and report.pdf into ``folder``; notes say what was skipped."""
    folder = Path(folder)
    out = ReportOutcome()
    html = render_html(tables, manifest)
    out.paths.append(write_text(folder / "report.html", html))
    out.paths.append(write_xlsx(tables, manifest, folder / "report.xlsx"))
    if pdf:
        path, note = render_pdf(html, folder / "report.pdf", engine=pdf_engine)
        if path is not None:
            out.paths.append(path)
        if note:
            out.notes.append(note)
    else:
        out.notes.append("report.pdf skipped: not requested")
    if not quiet:
        for n in out.notes:
            print(f"      note: {n}", file=sys.stderr)
    return out
