"""The short what-if report: what a scenario changed, occupation by occupation, in one page."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from align.report.jinja import environment


def render_comparison(comparison: pd.DataFrame, moved: pd.DataFrame, base_manifest: dict, scenario: dict,
                      figure: Any) -> str:
    """HTML for one scenario against its base run; ``figure`` is the matplotlib chart of changes."""
    buf = io.StringIO()
    figure.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    return environment().get_template("comparison.html.j2").render(
        scenario=scenario, base=base_manifest, rows=moved.to_dict("records"), chart=svg,
        n_occupations=comparison["soc_code"].nunique(), flags_changed=int(moved["flag_changed"].sum()))
