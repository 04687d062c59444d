"""The report's board views of the pathway, outcome and postings tables."""

from __future__ import annotations

from align.report.views import SUPPRESSED, board_views
from align.runs import load_run


def test_board_views_use_names_rates_and_withheld_cells(demo_run_folder):
    run = load_run(demo_run_folder)
    views = {v["name"]: v for v in board_views(run.tables)}
    assert set(views) >= {"pathway_gaps", "ladders", "entry_points", "stacks", "metrics", "postings_agreement"}
    stacks = views["stacks"]
    providers = stacks["columns"].index("Providers")
    cells = " ".join(r[providers] for r in stacks["rows"])
    assert "Riverbend Community College" in cells and "130001" not in cells  # names, not UNITIDs
    metrics = views["metrics"]
    region = next(r for r in metrics["rows"] if r[0].startswith("Region:"))
    employment = metrics["columns"].index("Employment rate, 2nd quarter after exit")
    assert region[employment].endswith("%")
    assert any(SUPPRESSED in row for row in metrics["rows"])  # the demo's thin program is withheld
    ladders = views["ladders"]
    assert all(" → " in r[0] for r in ladders["rows"]) and ladders["more"] >= 0
