"""Board-readable views of the pathway, outcome and postings tables.

The run's CSVs keep every column for analysts; the report shows, for each table, the few
columns a board member needs, with plain headers, in a useful order, and says where the rest is.
Suppressed outcome cells are shown as withheld, never as zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from align.report import board
from align.report.formats import money, number, percent
from align.report.words import agreement_label

SUPPRESSED = "◌ suppressed"
RATE_METRICS = ("rate",)


@dataclass(frozen=True)
class View:
    title: str
    build: Callable[[pd.DataFrame, dict[str, pd.DataFrame]], pd.DataFrame]
    limit: int = 20
    note: str = ""


def pathway_gaps(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = df.sort_values(["n_ladders", "annual_openings"], ascending=False)
    return pd.DataFrame({
        "Job": d["occupation_title"] + " (" + d["soc_code"] + ")",
        "Openings a year": d["annual_openings"].map(number), "Why it is a gap": d["gap_kind"],
        "On ladders": d["n_ladders"].map(number), "Usual entry education": d["typical_entry_education"],
        "Median pay": d["wage_annual_median"].map(money), "Regional programs": d["n_programs"].map(number)})


def ladders(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every start's best-paid ladder (rank 1), in the packet's order (:func:`board.rank_ladders`)."""
    out = board.rank_ladders(board.ladder_summary(df[df["ladder_rank"] == 1]))
    if out.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Ladder": out["path"], "Pay at the start": out["start"].map(money), "Pay at the top": out["top"].map(money),
        "Pay rise": out["gain"].map(percent), "Fewest openings on a step": out["carry"].map(number),
        "Steps up with regional training": [f"{int(t)} of {int(n)}" for t, n in zip(out["trained"], out["climbs"],
                                                                                     strict=True)]}).reset_index(drop=True)


def entry_points(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = df.sort_values(["n_reachable", "best_wage_gain_pct"], ascending=False)
    return pd.DataFrame({
        "Entry job": d["occupation_title"], "Usual entry education": d["typical_entry_education"],
        "Median pay": d["wage_annual_median"].map(money), "High-demand jobs within reach": d["n_reachable"].map(number),
        "Best pay rise": d["best_wage_gain_pct"].map(percent), "Regional programs": d["n_programs"].map(number)})


def _names(codes: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """'a; b' lists of codes → the same lists in words."""
    return codes.fillna("").map(lambda text: "; ".join(lookup.get(c.strip(), c.strip())
                                                       for c in str(text).split(";") if c.strip()))


def stacks(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = df.sort_values(["cip_family", "stack_step"])
    providers, families, occupations = {}, {}, {}
    if "programs" in tables:
        p = tables["programs"]
        providers = p.drop_duplicates("provider_id").set_index("provider_id")["provider_name"].to_dict()
        if "cip_title" in p.columns:
            named = p.dropna(subset=["cip_code", "cip_title"]).sort_values("cip_code")
            families = named.assign(f=named["cip_code"].str[:5]).drop_duplicates("f").set_index("f")[
                "cip_title"].str.rstrip(".").to_dict()
    if "occupation_demand" in tables:
        occupations = tables["occupation_demand"].set_index("soc_code")["occupation_title"].to_dict()
    return pd.DataFrame({
        "Field of study (CIP family)": d["cip_family"] + d["cip_family"].map(families).map(lambda t: f" (e.g. {t})", na_action="ignore")
        .fillna(""),
        "Step": d["award_rank_label"], "Stack": d["stack_kind"],
        "Broken?": d["is_broken"].map(lambda b: "⚠ broken: no regional program" if bool(b) else "offered"),
        "Providers": _names(d["providers"], providers), "Occupations served": _names(d["occupations"], occupations)})


def metrics(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per region/provider/pathway, one column per metric; suppressed cells withheld."""
    names = {}
    if "programs" in tables:
        names = tables["programs"].drop_duplicates("provider_id").set_index("provider_id")["provider_name"].to_dict()
    d = df[df["group_type"].isin(["region", "provider", "pathway"])].copy()

    def cell(r: pd.Series) -> str:
        if bool(r["is_suppressed"]):
            return SUPPRESSED
        v = r["metric_value"]
        return money(v) if r["metric"].startswith(("median_earnings", "wage_change")) else percent(v)

    d["cell"] = d.apply(cell, axis=1)
    d["group"] = d["group_type"].str.capitalize() + ": " + d["group_id"].map(lambda g: names.get(g, g))
    order = {"region": 0, "pathway": 1, "provider": 2}
    d["_o"] = d["group_type"].map(order)
    wide = d.pivot_table(index=["_o", "group"], columns="metric_label", values="cell", aggfunc="first", sort=False)
    labels = list(dict.fromkeys(d["metric_label"]))
    return wide.reindex(columns=labels).sort_index().reset_index().drop(columns="_o").rename(columns={"group": "Group"})


def postings(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = df.sort_values("annual_openings", ascending=False)
    return pd.DataFrame({
        "Job": d["occupation_title"], "Projected openings a year": d["annual_openings"].map(number),
        "Job postings (de-duplicated)": d["n_postings"].map(number), "Postings and projections": d["agreement_label"].map(agreement_label)})


def not_occupation_specific(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = df.sort_values("not_occupation_specific", ascending=False)
    return pd.DataFrame({
        "Program": d["cip_title"].fillna(d["cip_code"]) + " (" + d["award_label"].fillna("") + ")",
        "Provider": d["provider_name"], "Completers / yr": d["completers"].map(number),
        "Not occupation-specific / yr": d["not_occupation_specific"].map(number),
        "Counted toward occupations / yr": d["completers_allocated"].map(number)})


VIEWS: dict[str, View] = {
    "not_occupation_specific": View(
        "Completers not tied to one occupation", not_occupation_specific, limit=15,
        note="Graduates of general academic fields work across the whole economy: only a documented share is counted "
             "toward the field's own occupations; the rest is shown here, neither a surplus nor a shortage."),
    "pathway_gaps": View("Career-ladder steps with demand but no regional training", pathway_gaps,
                         note="Steps on the region's career ladders flagged short, or needing training the region "
                              "does not offer."),
    "ladders": View("Career ladders", ladders, limit=15,
                    note="The best-paying ladder from each entry point, with the wage at each end."),
    "entry_points": View("Entry points into high-demand work", entry_points, limit=15,
                         note="Occupations open with short training or a certificate that lead, within three steps, "
                              "to high-demand occupations."),
    "stacks": View("Stackable credentials", stacks, limit=30,
                   note="Programs in one field of study at rising award levels; a broken step has openings but no "
                        "regional program at that level."),
    "metrics": View("Outcome metrics", metrics, limit=40,
                    note="Shared definitions for every partner (the \"Metric definitions\" sheet of report.xlsx says how each "
                         "is counted). ◌ suppressed: too few people to publish, or recoverable from totals — withheld, not zero."),
    "postings_agreement": View("Job postings compared with projected openings", postings, limit=25,
                               note="Postings are not openings: they show where employers are advertising now, "
                                    "beside the projections, never in place of them."),
}


def board_views(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """The sections to render: title, note, headers, rows (as text), and how many rows were cut."""
    sections = []
    for name, view in VIEWS.items():
        df = tables.get(name)
        if df is None or not len(df):
            continue
        shown = view.build(df, tables)
        total = len(shown)
        shown = shown.head(view.limit)
        sections.append({"name": name, "title": view.title, "note": view.note, "columns": list(shown.columns),
                         "rows": shown.astype(object).where(shown.notna(), "").values.tolist(),
                         "more": total - len(shown), "file": f"{name}.csv",
                         "any_suppressed": bool((shown == SUPPRESSED).any().any())})
    return sections
