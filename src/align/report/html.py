"""Render the HTML report: answer first, every number explained, uncertainty stated.

Everything from the data passes through Jinja2's autoescaping; charts are SVG made here with
text drawn as paths, so no value from an input file can become markup. The same HTML, with its
print stylesheet, is what the PDF renderer lays out, so the two forms never drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from align import schemas
from align.errors import InputError
from align.match import gaps as G
from align.report import board, charts
from align.report.jinja import environment
from align.report.partners import partner_section
from align.report.views import VIEWS, board_views
from align.report.words import (
    band_sentences,
    flag_label,
    glossary,
    per_hundred,
)

FLAG_ORDER = [G.UNDERSUPPLY, G.SLIGHT_UNDERSUPPLY, G.NO_PROGRAM, G.BALANCED, G.SLIGHT_OVERSUPPLY, G.OVERSUPPLY,
              G.NOT_COVERED, G.NATIONAL, G.ON_THE_JOB, G.EXPERIENCED, G.RESIDUAL, G.BELOW_MINIMUM]
FLAG_SYMBOL = {G.UNDERSUPPLY: "▼▼", G.SLIGHT_UNDERSUPPLY: "▼", G.NO_PROGRAM: "∅", G.BALANCED: "●",
               G.SLIGHT_OVERSUPPLY: "▲", G.OVERSUPPLY: "▲▲", G.NOT_COVERED: "?", G.ON_THE_JOB: "○",
               G.EXPERIENCED: "◇", G.NATIONAL: "◎", G.RESIDUAL: "…", G.BELOW_MINIMUM: "–"}
CARD_FLAGS = (*G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS)


def load_run_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    """Read a finished run's tables and manifest back from its folder (nothing is recomputed)."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise InputError("not a run folder", file=manifest_path, expected="manifest.json written by `align run`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tables = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    if "gaps" not in tables:
        raise InputError("run folder has no gaps table", file=folder / "gaps.parquet",
                         expected="gaps.parquet written by `align run`")
    return tables, manifest


def vintage_line(manifest: dict) -> str:
    """Every input's vintage in one line: a board member sees at once how fresh the data is."""
    by_table: dict[str, list[str]] = {}
    for i in manifest.get("inputs", []):
        by_table.setdefault(i["table"], [])
        if i.get("vintage") and i["vintage"] not in by_table[i["table"]]:
            by_table[i["table"]].append(str(i["vintage"]))
    parts = []
    for table, vintages in by_table.items():
        label = board.TABLE_NAMES.get(table, table.replace("_", " "))
        if not vintages:
            parts.append(label)
        elif len(vintages) <= 2:
            parts.append(f"{label}: {', '.join(vintages)}")
        else:
            parts.append(f"{label}: {vintages[0]} to {vintages[-1]}")
    return "; ".join(parts)


def _ratio_sentence(r: dict, bands: dict) -> str:
    """Why the flag, in words: trained people per 100 openings against the band's round threshold."""
    flag = r["flag"]
    if flag == G.NO_PROGRAM:
        return (f"Employers are expected to hire about {r['annual_openings']:,.0f} people a year, and no "
                f"program in the region trains for this job.")
    ratio = r["supply_demand_ratio"]
    per100 = f"about {ratio * 100:,.0f} trained people for every 100 openings"
    if flag in G.SHORTAGE_FLAGS:
        limit = bands.get("undersupply" if flag == G.UNDERSUPPLY else "slight_undersupply")
        rule = f" Fewer than {per_hundred(limit)} counts as a {flag_label(flag)}." if limit is not None else ""
        return (f"Regional programs produce {per100}.{rule} Employers will likely have to hire from "
                f"elsewhere or train on the job.")
    limit = bands.get("slight_oversupply" if flag == G.OVERSUPPLY else "balanced")
    rule = f" More than {per_hundred(limit)} counts as a {flag_label(flag)}." if limit is not None else ""
    return f"Regional programs produce {per100}.{rule} Some graduates will not find this work in the region."


def gap_cards(gaps: pd.DataFrame, params: dict) -> list[dict]:
    """One card per flagged occupation (shortages first, then surpluses), with its arithmetic."""
    flagged = gaps[gaps["flag"].isin(CARD_FLAGS)].copy()
    flagged["_order"] = flagged["flag"].map({f: i for i, f in enumerate(FLAG_ORDER)})
    flagged["_gap"] = flagged["gap"].abs()
    cards = []
    for r in flagged.sort_values(["_order", "_gap"], ascending=[True, False]).to_dict("records"):
        programs = [p.strip() for p in str(r.get("programs") or "").split(";") if p.strip()]
        arithmetic = [p.strip() for p in str(r.get("reason") or "").split("; ") if p.strip()]
        cards.append({**r, "program_list": programs, "arithmetic": arithmetic,
                      "why": _ratio_sentence(r, params.get("flag_bands", {})),
                      "kind": "short" if r["flag"] in G.SHORTAGE_FLAGS else "surplus"})
    return cards


def supply_account_totals(accounts: pd.DataFrame | None) -> dict[str, float] | None:
    """Where the region's completers went, summed over programs (see align.supply.accounts)."""
    if accounts is None or not len(accounts):
        return None
    cols = ["completers", "outside_region", "continuing_study", "post_licensure", "not_occupation_specific",
            "completers_allocated", "unallocated"]
    return {c: float(accounts[c].sum()) for c in cols if c in accounts.columns}


def render_html(tables: dict[str, pd.DataFrame], manifest: dict, views: list[dict] | None = None) -> str:
    """The whole report as one self-contained HTML page (also the source the PDF is laid out from)."""
    gaps = tables["gaps"]
    dup = tables.get("duplication", pd.DataFrame(columns=list(schemas.TABLES["duplication"].columns)))
    history = tables.get("industry_employment")
    fc = tables.get("industry_forecast")
    config = manifest.get("config", {})
    params = config.get("parameters", {})
    shown = gaps[gaps["flag"] != G.BELOW_MINIMUM]
    trained = shown[~shown["flag"].isin([G.ON_THE_JOB, G.EXPERIENCED])]  # training is the way in
    chart_svgs: dict[str, str] = {}
    if len(trained):
        chart_svgs["gaps"] = charts.svg(charts.openings_vs_supply(trained))
    if len(shown):
        chart_svgs["bands"] = charts.svg(charts.ratio_bands(gaps, FLAG_ORDER, {f: flag_label(f) for f in FLAG_ORDER}))
    if len(dup) and dup["is_duplicated"].astype(bool).any() and "programs" in tables:
        chart_svgs["providers"] = charts.svg(charts.duplication_by_provider(dup, tables["programs"]))
    if len(dup):
        chart_svgs["duplication"] = charts.svg(charts.duplication_clusters(dup))
    best = board.best_ladders(tables.get("ladders"), n=1)
    ladder = charts.pathway_ladder(tables.get("ladders"), best["ladder_id"].iloc[0]) if len(best) else None
    if ladder is not None:
        chart_svgs["ladder"] = charts.svg(ladder)
    if history is not None and fc is not None and len(fc):
        latest = history[history["period"] == history["period"].max()].dropna(subset=["employment"])
        top = latest.sort_values("employment", ascending=False)["naics_code"].head(6).tolist()
        titles = {}
        if "industry_title" in history.columns:
            titles = history.dropna(subset=["industry_title"]).drop_duplicates("naics_code").set_index(
                "naics_code")["industry_title"].to_dict()
        if top:
            chart_svgs["forecasts"] = charts.svg(charts.industry_forecasts(history, fc, top, titles))
    accuracy = tables.get("forecast_accuracy", pd.DataFrame())
    acc = accuracy.set_index("model") if len(accuracy) else pd.DataFrame()
    dict_tables = [t for t in ("gaps", "occupation_demand", "occupation_supply", "duplication", "programs",
                               *VIEWS) if t in schemas.TABLES and (t in tables or t in ("gaps",))]
    counts = gaps["flag"].value_counts().reindex(FLAG_ORDER).fillna(0).astype(int).to_dict()
    return environment().get_template("report.html.j2").render(
        manifest=manifest, config=config, region=manifest.get("region", {}),
        region_css=re.sub(r"[^\w ().,-]", "", str(manifest.get("region", {}).get("name", "")))[:60],
        years=config.get("years", {}), params=params, vintages=vintage_line(manifest),
        sections=board.sections(tables, manifest), headline=board.headline(gaps, dup), cards=gap_cards(gaps, params),
        county_line=board.county_line(manifest.get("region", {})), glossary=glossary(params),
        bands=band_sentences(params.get("flag_bands") or {}), caveats=board.caveats(manifest),
        has_wages="wage_annual_median" in gaps.columns and gaps["wage_annual_median"].notna().any(),
        has_postings="n_postings" in gaps.columns,
        gaps=shown.sort_values(["gap"], ascending=False).to_dict("records"),
        below_minimum=counts[G.BELOW_MINIMUM], counts=counts,
        n_short=sum(counts[f] for f in G.SHORTAGE_FLAGS), n_surplus=sum(counts[f] for f in G.SURPLUS_FLAGS),
        symbols=FLAG_SYMBOL, shortage_flags=G.SHORTAGE_FLAGS, surplus_flags=G.SURPLUS_FLAGS,
        duplication=dup.assign(largest_share=board.largest_share(dup, tables.get("programs"))).to_dict("records"),
        unallocated=tables.get("unallocated_programs", pd.DataFrame()).to_dict("records"),
        accounts=supply_account_totals(tables.get("supply_accounts")),
        audit=tables.get("double_count_audit", pd.DataFrame()).to_dict("records"),
        accuracy=accuracy[accuracy["n_series"] > 0].to_dict("records") if "n_series" in accuracy else [],
        scenario=manifest.get("scenario"),
        mase_selected=acc["mase"].get("selected") if len(acc) else None,
        mase_naive=acc["mase"].get("naive") if len(acc) else None,
        optional=board_views(tables) if views is None else views, charts=chart_svgs,
        partners=partner_section(tables),
        dictionary=schemas.data_dictionary(dict_tables).to_dict("records"),
        synthetic="synthetic" in str(manifest.get("region", {}).get("name", "")).lower(),
    )
