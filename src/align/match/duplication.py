"""Duplicated effort: several providers offering the same program beyond what demand absorbs.

A cluster is one CIP code at one award level offered by two or more regional providers. It is
flagged when its combined effective supply exceeds the openings allocated to it by more than
the configured margin; thin programs (few completers beside larger peers) are named. A flagged
cluster is *material* — worth a board's attention — only when its combined supply and its excess
both reach named thresholds; the rest stay in the tables, ordered after the material ones.
Effective supply is what the allocation counted (after continuing study, the regional share and
the not-occupation-specific part), so a cluster is never judged on completers the analysis does
not count.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from align import schemas
from align.supply.allocation import Factors


def find_duplication(programs: pd.DataFrame, allocation: pd.DataFrame, *, factors: Factors,
                     margin: float, thin_completers: float, series: bool = False,
                     material_supply: float = 0.0, material_excess: float = 0.0) -> pd.DataFrame:
    """Clusters of one CIP code (or, with ``series``, one 4-digit CIP series) at one award level."""
    demand = allocation.groupby("program_id")["openings_allocated"].sum()
    supplied = allocation.groupby("program_id")["completers_allocated"].sum()
    # programs that supply no occupation are reported on their own, not as duplicated effort
    programs = programs[programs["program_id"].isin(demand.index) & programs["cip_code"].notna()]
    # astype: mapping no programs at all gives an empty *string* column, which cannot be multiplied
    p = programs.assign(effective=programs["program_id"].map(supplied).astype(float) * factors.product,
                        allocated=programs["program_id"].map(demand).fillna(0.0).astype(float),
                        cip_series=programs["cip_code"].str[:5])
    key = "cip_series" if series else "cip_code"
    # one provider is no duplication; a one-code series repeats the 6-digit view. Decided for every
    # cluster at once, so the loop below visits only the few clusters that can be duplicated.
    counts = p.groupby([key, "award_level"], sort=False)[["provider_id", "cip_code"]].transform("nunique")
    p = p[(counts["provider_id"] >= 2) & ((counts["cip_code"] >= 2) if series else True)]
    table = "duplication_series" if series else "duplication"
    if not len(p):  # most regions: no cluster has two providers
        return _none_found(table).copy()
    out = pd.DataFrame(_clusters(p, key, series, margin, thin_completers), columns=list(schemas.TABLES[table].columns))
    out["material"] = out["is_duplicated"].astype(bool) & (out["combined_supply"] >= material_supply) & (
        out["excess_supply"] >= material_excess)
    out = out.sort_values(["material", "is_duplicated", "excess_supply"], ascending=[False, False, False])
    return schemas.validate(out, table, origin=table)


@cache
def _none_found(table: str) -> pd.DataFrame:
    """The table with no cluster in it, typed as its contract says (the same every time: kept)."""
    out = pd.DataFrame([], columns=list(schemas.TABLES[table].columns)).assign(material=pd.Series(dtype=bool))
    return schemas.validate(out, table, origin=table)


def _clusters(p: pd.DataFrame, key: str, series: bool, margin: float, thin_completers: float) -> list[dict]:
    """One row per cluster of the candidate programs ``p`` (two or more providers each)."""
    # each cluster's programs largest first; then per-cluster arithmetic on arrays, in that order
    # (the same sums, in the same order, as pandas per cluster: the numbers are the same to the bit)
    p = p.sort_values([key, "award_level", "completers", "provider_id"], ascending=[True, True, False, True])
    by_provider = p.groupby([key, "award_level", "provider_id"], sort=True)["completers"].sum()
    provider_totals: dict[tuple, list[float]] = {}
    for (code, award, _), total in by_provider.items():
        provider_totals.setdefault((code, award), []).append(total)
    columns = {c: p[c].to_numpy() for c in ("cip_code", "provider_id", "provider_name", "completers", "effective",
                                            "allocated", "cip_title", "award_label") if c in p}
    rows = []
    for (code, award), at in p.groupby([key, "award_level"], sort=True).indices.items():
        cip, provider, name, completers = (columns[c][at] for c in ("cip_code", "provider_id", "provider_name",
                                                                     "completers"))
        totals = np.asarray(provider_totals[(code, award)], dtype=float)
        grand = np.sum(totals)
        shares = totals / grand if grand > 0 else 0 * totals
        combined, allocated = np.nansum(columns["effective"][at]), np.nansum(columns["allocated"][at])
        biggest = np.nanmax(completers) if len(completers) else np.nan
        label = [f"{c} " for c in cip] if series else [""] * len(at)
        rows.append({
            "cluster_id": f"{code}:{award}", key: code, "award_level": award,
            "cip_title": columns["cip_title"][at[0]] if "cip_title" in columns else None,
            "award_label": columns["award_label"][at[0]] if "award_label" in columns else None,
            "n_providers": _distinct(provider), "n_cip_codes": _distinct(cip),
            "combined_supply": combined, "allocated_demand": allocated, "excess_supply": combined - allocated,
            "hhi": float(np.sum(shares ** 2)),
            "is_duplicated": bool(combined > allocated * (1 + margin)),
            "providers": "; ".join(f"{n} {lab}{c:,.0f}" for n, lab, c in zip(name, label, completers, strict=True)),
            "thin_programs": "; ".join(f"{n} ({float(np.round(c, 1))})" for n, c in zip(name, completers, strict=True)
                                       if c < thin_completers and biggest >= 2 * thin_completers),
        })
    return rows


def _distinct(values: np.ndarray) -> int:
    """Distinct values, missing ones not counted (as ``Series.nunique``)."""
    return len(set(values[~pd.isna(values)]))
