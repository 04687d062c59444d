"""Render the HTML report: answer first, every number explained, uncertainty stated.

Everything from the data passes through Jinja2's autoescaping; charts are SVG made here with
text drawn as paths, so no value from an input file can become markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from align import schemas
from align.match import gaps as G
from align.report import charts
from align.store import write_text

FLAG_ORDER = [G.UNDERSUPPLY, G.SLIGHT_UNDERSUPPLY, G.NO_PROGRAM, G.BALANCED, G.SLIGHT_OVERSUPPLY, G.OVERSUPPLY,
              G.ON_THE_JOB, G.BELOW_MINIMUM]
FLAG_SYMBOL = {G.UNDERSUPPLY: "▼▼", G.SLIGHT_UNDERSUPPLY: "▼", G.NO_PROGRAM: "∅", G.BALANCED: "●",
               G.SLIGHT_OVERSUPPLY: "▲", G.OVERSUPPLY: "▲▲", G.ON_THE_JOB: "○",
               G.BELOW_MINIMUM: "–"}
REPORT_TABLES = ("gaps", "duplication", "industry_employment", "industry_forecast", "forecast_accuracy",
                 "unallocated_programs", "double_count_audit", "programs")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("align.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, d=0: "—" if v is None or pd.isna(v) else f"{v:,.{d}f}"
    env.filters["pct"] = lambda v: "—" if v is None or pd.isna(v) else f"{v:.0%}"
    return env


def load_run_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    """Read a finished run's tables and manifest back from its folder."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tables = {}
    for name in REPORT_TABLES:
        path = folder / f"{name}.parquet"
        if path.exists():
            tables[name] = pd.read_parquet(path)
    return tables, manifest


def _sentences(gaps: pd.DataFrame, dup: pd.DataFrame) -> dict[str, list[str]]:
    short = gaps[gaps["flag"].isin(G.SHORTAGE_FLAGS)].sort_values("gap", ascending=False).head(5)
    surplus = gaps[gaps["flag"].isin(G.SURPLUS_FLAGS)].sort_values("gap").head(5)
    out = {"shortages": [], "surpluses": [], "duplication": []}
    for r in short.itertuples():
        trained = (f"regional programs supply about {r.effective_supply:,.0f}" if r.n_programs
                   else "no regional program trains for it")
        out["shortages"].append(
            f"{r.occupation_title}: about {r.annual_openings:,.0f} openings a year "
            f"({r.annual_openings_low:,.0f}–{r.annual_openings_high:,.0f}), {trained} — "
            f"a gap of {r.gap:,.0f} a year; chance of a shortage {r.probability_shortage:.0%}.")
    for r in surplus.itertuples():
        out["surpluses"].append(
            f"{r.occupation_title}: regional programs supply about {r.effective_supply:,.0f} a year "
            f"for about {r.annual_openings:,.0f} openings — {-r.gap:,.0f} more than the region's "
            f"employers are expected to hire.")
    for r in dup[dup["is_duplicated"]].itertuples():
        out["duplication"].append(
            f"{r.cip_title or r.cip_code} ({r.award_label or r.award_level}) is offered by {r.n_providers} "
            f"providers whose combined supply of {r.combined_supply:,.0f} a year exceeds the "
            f"{r.allocated_demand:,.0f} openings it serves.")
    return out


def render_html(tables: dict[str, pd.DataFrame], manifest: dict) -> str:
    gaps = tables["gaps"]
    dup = tables.get("duplication", pd.DataFrame(columns=list(schemas.TABLES["duplication"].columns)))
    history = tables.get("industry_employment")
    fc = tables.get("industry_forecast")
    flagged = gaps[gaps["flag"] != G.BELOW_MINIMUM]
    chart_svgs: dict[str, str] = {}
    if len(flagged):
        chart_svgs["gaps"] = charts.openings_vs_supply(flagged)
        chart_svgs["bands"] = charts.ratio_bands(gaps, FLAG_ORDER)
    if len(dup):
        chart_svgs["duplication"] = charts.duplication_clusters(dup)
    if history is not None and fc is not None and len(fc):
        latest = history[history["period"] == history["period"].max()].dropna(subset=["employment"])
        top = latest.sort_values("employment", ascending=False)["naics_code"].head(6).tolist()
        titles = {}
        if "industry_title" in history.columns:
            titles = history.dropna(subset=["industry_title"]).drop_duplicates("naics_code").set_index(
                "naics_code")["industry_title"].to_dict()
        chart_svgs["forecasts"] = charts.industry_forecasts(history, fc, top, titles)
    config = manifest.get("config", {})
    return _env().get_template("report.html.j2").render(
        manifest=manifest, config=config, region=manifest.get("region", {}),
        years=config.get("years", {}), params=config.get("parameters", {}),
        sentences=_sentences(gaps, dup), gaps=flagged.to_dict("records"),
        below_minimum=int((gaps["flag"] == G.BELOW_MINIMUM).sum()),
        counts=gaps["flag"].value_counts().reindex(FLAG_ORDER).fillna(0).astype(int).to_dict(),
        symbols=FLAG_SYMBOL, shortage_flags=G.SHORTAGE_FLAGS, surplus_flags=G.SURPLUS_FLAGS,
        duplication=dup.to_dict("records"),
        unallocated=tables.get("unallocated_programs", pd.DataFrame()).to_dict("records"),
        audit=tables.get("double_count_audit", pd.DataFrame()).to_dict("records"),
        accuracy=tables.get("forecast_accuracy", pd.DataFrame()).to_dict("records"),
        charts=chart_svgs, dictionary=schemas.data_dictionary(
            ["occupation_demand", "occupation_supply", "gaps", "duplication"]).to_dict("records"),
        synthetic="synthetic" in str(manifest.get("region", {}).get("name", "")).lower(),
    )


def build_reports(result: Any, folder: Path) -> list[Path]:
    """Write the report(s) for a run into ``folder``; returns the paths written."""
    html = render_html(result.tables, result.manifest)
    return [write_text(Path(folder) / "report.html", html)]
