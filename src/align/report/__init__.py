"""The board's gap report, built from a run's tables alone (so it can be rebuilt without rerunning)."""

from __future__ import annotations

from align.report.build import ReportOutcome, write_reports
from align.report.html import load_run_tables, render_html

__all__ = ["ReportOutcome", "load_run_tables", "render_html", "write_reports"]
