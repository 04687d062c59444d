"""The board's gap report, built from a run's tables alone (so it can be rebuilt without rerunning)."""

from __future__ import annotations

from align.report.html import build_reports, load_run_tables, render_html

__all__ = ["build_reports", "load_run_tables", "render_html"]
