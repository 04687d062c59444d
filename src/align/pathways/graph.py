"""The pathway graph: the region's occupations as nodes, O*NET related occupations as edges.

An edge is kept only where it leads upward — a higher O*NET job zone, a higher typical entry
education, or a wage gain of at least a configurable share — because a career pathway is about
advancement, and O*NET's relatedness alone is symmetric in spirit (a nurse is "related" to a
nursing assistant). Every edge carries its wage gain so a board can see what a step is worth.

A counsellor would recognise the step, too: it stays within related work (one career family,
``align/data/career_families.csv``, or up into management), it builds on the previous job's
requirements (entry education rises by at most ``max_education_step`` unless one regional
program trains for both), a licensed occupation is entered only from the occupations its
licence builds on (``ladder_prerequisites.csv``: nurse practitioners from registered nurses),
and residual "All Other" categories are nobody's next job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from align.match.gaps import SHORTAGE_FLAGS
from align.supply.education import _table, award_rank, entry_rank
from align.supply.kinds import is_residual

TIER_ORDER = {"Primary-Short": 0, "Primary-Long": 1, "SOC first-line supervisor": 2, "Supplemental": 3}
WAGE_COLUMNS = ("wage_annual_median", "wage_annual_p25", "wage_annual_p75")


@dataclass(frozen=True)
class PathwayParams:
    """Named thresholds of the pathway analysis (all configurable in region.toml)."""

    min_wage_gain: float = 0.10
    """An edge with no job-zone or education step is upward if the wage rises by this share."""
    tiers: tuple[str, ...] = ("Primary-Short", "Primary-Long")
    """O*NET relatedness tiers used as edges (Supplemental ones are the weakest links)."""
    max_steps: int = 3
    """Longest ladder, in steps, from an entry point to a high-demand occupation."""
    min_openings: float = 10.0
    """Fewer annual openings than this and an occupation is never 'high demand'."""
    high_demand_quantile: float = 0.75
    """Occupations at or above this quantile of annual openings are high demand (besides shortages)."""
    entry_job_zone_max: int = 2
    """Entry-level: O*NET job zone at most this (1-2: little or some preparation)."""
    entry_rank_max: int = 1
    """…or typical entry education rank at most this (1 = postsecondary non-degree award)."""
    ladders_per_start: int = 5
    """Ranked ladders kept per starting occupation."""
    sector: str | None = None
    """Restrict ladder targets to one SOC major group (e.g. '29'); None for all."""
    max_education_step: int = 1
    """Largest rise in typical entry education rank in one step, unless a program trains for both."""


def occupation_wages(wages: pd.DataFrame | None, geography: str | None = None) -> pd.DataFrame:
    """One row of annual wages per SOC code from an OEWS (or EP) table.

    Accepts ``occupation_employment`` (detailed rows are preferred; a geography may be chosen)
    or ``occupation_projections``; wages missing in the source stay missing.
    """
    cols = ["soc_code", *WAGE_COLUMNS]
    if wages is None or wages.empty or "soc_code" not in wages.columns:
        return pd.DataFrame(columns=cols)
    w = wages.copy()
    if geography is not None and "geography" in w.columns:
        w = w[w["geography"].astype(str) == str(geography)]
    if "o_group" in w.columns:
        w = w[w["o_group"].isin(["detailed", "detail"]) | w["o_group"].isna()]
    for c in WAGE_COLUMNS:
        w[c] = pd.to_numeric(w[c], errors="coerce") if c in w.columns else np.nan
    if "period" in w.columns:
        w = w.sort_values("period", ascending=False, kind="stable")
    return w.groupby("soc_code", sort=True)[list(WAGE_COLUMNS)].first().reset_index()


def soc_job_zones(job_zones: pd.DataFrame | None) -> pd.Series:
    """Job zone per 6-digit SOC: the '.00' O*NET code's zone, else the lowest of its detail codes."""
    if job_zones is None or job_zones.empty:
        return pd.Series(dtype="float64", name="job_zone")
    jz = job_zones.assign(job_zone=pd.to_numeric(job_zones["job_zone"], errors="coerce"),
                          _main=~job_zones["onet_soc_code"].astype(str).str.endswith(".00"))
    jz = jz.dropna(subset=["job_zone"]).sort_values(["soc_code", "_main", "job_zone"], kind="stable")
    return jz.drop_duplicates("soc_code").set_index("soc_code")["job_zone"].rename("job_zone")


def training_programs(socs: pd.Series, ranks: pd.Series, programs: pd.DataFrame,
                      cip_soc: pd.DataFrame) -> pd.DataFrame:
    """Regional programs that train for each occupation: crosswalked CIP, award at entry level or above."""
    if programs is None or programs.empty or cip_soc is None or cip_soc.empty:
        return pd.DataFrame(columns=["soc_code", "program_id", "provider_id", "cip_code", "award_level"])
    occ = pd.DataFrame({"soc_code": socs.to_numpy(), "_need": ranks.to_numpy()})
    edges = cip_soc[["cip_code", "soc_code"]].drop_duplicates().merge(occ, on="soc_code")
    p = programs[["program_id", "provider_id", "cip_code", "award_level"]].copy()
    p["_rank"] = award_rank(p["award_level"])
    m = edges.merge(p, on="cip_code")
    m = m[m["_rank"].isna() | (m["_rank"] >= m["_need"])]
    return m[["soc_code", "program_id", "provider_id", "cip_code", "award_level"]].sort_values(
        ["soc_code", "program_id"]).reset_index(drop=True)


def build_nodes(demand: pd.DataFrame, gaps: pd.DataFrame | None, programs: pd.DataFrame | None,
                cip_soc: pd.DataFrame | None, job_zones: pd.DataFrame | None,
                wages: pd.DataFrame | None, params: PathwayParams) -> pd.DataFrame:
    """One row per regional occupation with what a pathway needs to know about it."""
    n = demand[["soc_code", "occupation_title", "annual_openings"]].copy()
    edu = demand["typical_entry_education"] if "typical_entry_education" in demand.columns else None
    if edu is None and gaps is not None and "typical_entry_education" in gaps.columns:
        edu = n["soc_code"].map(gaps.set_index("soc_code")["typical_entry_education"])
    n["typical_entry_education"] = (edu if edu is not None else pd.Series(None, index=n.index)).to_numpy()
    n["entry_rank"] = entry_rank(n["soc_code"], n["typical_entry_education"].fillna("")).to_numpy()
    n["job_zone"] = n["soc_code"].map(soc_job_zones(job_zones)).astype("float64")
    w = occupation_wages(wages).set_index("soc_code")
    for c in WAGE_COLUMNS:
        n[c] = n["soc_code"].map(w[c]) if c in w.columns else np.nan
    flags = gaps.set_index("soc_code")["flag"] if gaps is not None and len(gaps) else pd.Series(dtype=object)
    n["flag"] = n["soc_code"].map(flags)
    trained = training_programs(n["soc_code"], n["entry_rank"], programs, cip_soc)
    by_soc = trained.groupby("soc_code")["program_id"]
    n["n_programs"] = n["soc_code"].map(by_soc.size()).fillna(0).astype(int)
    listed = by_soc.agg(lambda s: "; ".join(sorted(set(s)))).to_dict()
    n["programs"] = [listed.get(s, "") for s in n["soc_code"]]
    openings = n["annual_openings"].astype(float)
    cut = openings.quantile(params.high_demand_quantile) if len(openings) else np.inf
    n["is_high_demand"] = (openings >= params.min_openings) & (
        n["flag"].isin(SHORTAGE_FLAGS) | (openings >= cut))
    n["is_entry_level"] = (n["job_zone"] <= params.entry_job_zone_max) | (
        n["entry_rank"] <= params.entry_rank_max)
    return n.sort_values("soc_code").reset_index(drop=True)


SUPERVISOR_TIER = "SOC first-line supervisor"


def supervisor_steps(nodes: pd.DataFrame) -> pd.DataFrame:
    """Worker → first-line supervisor of the same SOC major group, where the group has one supervisor code.

    SOC defines first-line supervisors (xx-1011 ...) by the workers they supervise; O*NET's
    related-occupation lists often omit that step (electricians → supervisors of construction
    trades), the most common promotion in the trades, offices and production.
    """
    title = nodes["occupation_title"].fillna("").astype(str)
    sup = nodes[title.str.startswith("First-Line Supervisors")]
    major = sup["soc_code"].str[:2]
    single = sup[major.map(major.value_counts()) == 1]
    by_major = dict(zip(single["soc_code"].str[:2], single["soc_code"], strict=True))
    workers = nodes[~title.str.startswith("First-Line Supervisors") & ~nodes["soc_code"].str[3:4].eq("1")]
    target = workers["soc_code"].str[:2].map(by_major)
    w = workers[target.notna()]
    return pd.DataFrame({"soc_code": w["soc_code"].to_numpy(), "related_soc_code": target.dropna().to_numpy(),
                         "relatedness_tier": SUPERVISOR_TIER, "relatedness_index": float("nan")})


def career_family(soc_codes: pd.Series) -> pd.Series:
    """The career family of each SOC code's major group (career_families.csv)."""
    t = _table("career_families.csv")
    return soc_codes.astype(str).str[:2].map(dict(zip(t["soc_major_group"], t["family"], strict=True)))


def shared_training(a: pd.Series, b: pd.Series, cip_soc: pd.DataFrame | None) -> pd.Series:
    """Whether some CIP code in the crosswalk trains for both occupations of each pair."""
    if cip_soc is None or cip_soc.empty:
        return pd.Series(False, index=a.index)
    by_soc = cip_soc.groupby("soc_code")["cip_code"].agg(frozenset).to_dict()
    return pd.Series([bool(by_soc.get(x, frozenset()) & by_soc.get(y, frozenset())) for x, y in zip(a, b, strict=True)],
                     index=a.index, dtype=bool)


def prerequisite_met(a: pd.Series, b: pd.Series) -> pd.Series:
    """False where ``b`` may be entered only from named occupations and ``a`` is not one of them."""
    t = _table("ladder_prerequisites.csv")
    need = {s: {c for c in r.split(";") if c} for s, r in zip(t["soc_code"], t["requires"], strict=True)}
    return pd.Series([y not in need or x in need[y] for x, y in zip(a, b, strict=True)], index=a.index, dtype=bool)


def build_edges(nodes: pd.DataFrame, related: pd.DataFrame | None, params: PathwayParams,
                cip_soc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Upward edges between regional occupations, with the wage gain and the reason in words."""
    cols = ["soc_code", "occupation_title", "related_soc_code", "related_occupation_title",
            "relatedness_tier", "relatedness_index", "job_zone", "related_job_zone", "entry_rank",
            "related_entry_rank", "wage_annual_median", "related_wage_annual_median", "wage_gain",
            "wage_gain_pct", "related_annual_openings", "related_flag", "is_high_demand", "edge_reason"]
    if related is None or related.empty:
        return pd.DataFrame(columns=cols)
    r = related[related["relatedness_tier"].isin(params.tiers)].copy()
    r = pd.concat([r, supervisor_steps(nodes)], ignore_index=True)
    r = r[r["soc_code"] != r["related_soc_code"]]
    r["_tier"] = r["relatedness_tier"].map(TIER_ORDER).fillna(9)
    r["relatedness_index"] = pd.to_numeric(r["relatedness_index"], errors="coerce")
    r = r.sort_values(["soc_code", "related_soc_code", "_tier", "relatedness_index"], kind="stable")
    r = r.drop_duplicates(["soc_code", "related_soc_code"])  # detailed O*NET codes fold into one SOC
    node = nodes.set_index("soc_code")
    r = r[r["soc_code"].isin(node.index) & r["related_soc_code"].isin(node.index)]
    a, b = node.loc[r["soc_code"]], node.loc[r["related_soc_code"]]
    e = pd.DataFrame({
        "soc_code": r["soc_code"].to_numpy(), "occupation_title": a["occupation_title"].to_numpy(),
        "related_soc_code": r["related_soc_code"].to_numpy(),
        "related_occupation_title": b["occupation_title"].to_numpy(),
        "relatedness_tier": r["relatedness_tier"].to_numpy(),
        "relatedness_index": r["relatedness_index"].to_numpy(),
        "job_zone": a["job_zone"].to_numpy(), "related_job_zone": b["job_zone"].to_numpy(),
        "entry_rank": a["entry_rank"].to_numpy(), "related_entry_rank": b["entry_rank"].to_numpy(),
        "wage_annual_median": a["wage_annual_median"].to_numpy(dtype=float),
        "related_wage_annual_median": b["wage_annual_median"].to_numpy(dtype=float),
        "related_annual_openings": b["annual_openings"].to_numpy(dtype=float),
        "related_flag": b["flag"].to_numpy(), "is_high_demand": b["is_high_demand"].to_numpy(dtype=bool),
    })
    e["wage_gain"] = e["related_wage_annual_median"] - e["wage_annual_median"]
    e["wage_gain_pct"] = e["wage_gain"] / e["wage_annual_median"]
    zone_up = e["related_job_zone"] > e["job_zone"]
    edu_up = e["related_entry_rank"] > e["entry_rank"]
    wage_up = e["wage_gain_pct"] >= params.min_wage_gain
    # a move up never goes down in entry education or job zone, and never to lower pay: a physical
    # therapist (doctorate) is not "advancing" by retraining as a nurse practitioner (master's)
    not_down = (~(e["related_entry_rank"] < e["entry_rank"]) & ~(e["related_job_zone"] < e["job_zone"])
                & ~(e["wage_gain"] < 0))
    e = e[(zone_up | edu_up | wage_up) & not_down].copy()
    e = e[recognisable(e, nodes, params, cip_soc)]
    e["edge_reason"] = [_reason(r) for r in e.itertuples()]
    return e[cols].sort_values(["soc_code", "related_soc_code"]).reset_index(drop=True)


def recognisable(e: pd.DataFrame, nodes: pd.DataFrame, params: PathwayParams,
                 cip_soc: pd.DataFrame | None) -> pd.Series:
    """Steps a counsellor would recognise (module docstring): related work, built on, licensed entry."""
    a, b = e["soc_code"], e["related_soc_code"]
    fam_a, fam_b = career_family(a), career_family(b)
    related_work = (fam_a == fam_b) | b.str.startswith("11-")
    residual = set(nodes.loc[is_residual(nodes["soc_code"], nodes["occupation_title"]), "soc_code"])
    named = ~a.isin(residual) & ~b.isin(residual)
    step = (e["related_entry_rank"] - e["entry_rank"]) <= params.max_education_step
    builds_on = step | shared_training(a, b, cip_soc)
    licensed = prerequisite_met(a, b)
    return related_work & named & licensed & (builds_on | (licensed & b.isin(set(_table(
        "ladder_prerequisites.csv")["soc_code"]))))


def _reason(r: object) -> str:
    parts = []
    if r.related_job_zone > r.job_zone:
        parts.append(f"job zone {r.job_zone:.0f} → {r.related_job_zone:.0f}")
    if r.related_entry_rank > r.entry_rank:
        parts.append(f"entry education rank {r.entry_rank} → {r.related_entry_rank}")
    if pd.notna(r.wage_gain_pct):
        parts.append(f"median wage {r.wage_annual_median:,.0f} → {r.related_wage_annual_median:,.0f} "
                     f"({r.wage_gain_pct:+.0%})")
    else:
        parts.append("wage gain unknown (wage missing)")
    return "; ".join(parts)
