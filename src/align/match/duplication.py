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
    rows = []
    for (code, award), grp in p.groupby([key, "award_level"], sort=True):
        grp = grp.sort_values(["completers", "provider_id"], ascending=[False, True])
        by_provider = grp.groupby("provider_id")["completers"].sum()
        shares = by_provider / by_provider.sum() if by_provider.sum() > 0 else 0 * by_provider
        combined, allocated = grp["effective"].sum(), grp["allocated"].sum()
        thin = grp[(grp["completers"] < thin_completers) & (grp["completers"].max() >= 2 * thin_completers)]
        label = grp["cip_code"] + " " if series else ""
        rows.append({
            "cluster_id": f"{code}:{award}", key: code, "award_level": award,
            "cip_title": grp["cip_title"].iloc[0] if "cip_title" in grp else None,
            "award_label": grp["award_label"].iloc[0] if "award_label" in grp else None,
            "n_providers": int(grp["provider_id"].nunique()), "n_cip_codes": int(grp["cip_code"].nunique()),
            "combined_supply": combined, "allocated_demand": allocated, "excess_supply": combined - allocated,
            "hhi": float((shares ** 2).sum()),
            "is_duplicated": bool(combined > allocated * (1 + margin)),
            "providers": "; ".join(grp["provider_name"] + " " + label + grp["completers"].map("{:,.0f}".format)),
            "thin_programs": "; ".join(thin["provider_name"] + " (" + thin["completers"].round(1).astype(str) + ")"),
        })
    table = "duplication_series" if series else "duplication"
    out = pd.DataFrame(rows, columns=list(schemas.TABLES[table].columns))
    out["material"] = out["is_duplicated"].astype(bool) & (out["combined_supply"] >= material_supply) & (
        out["excess_supply"] >= material_excess)
    out = out.sort_values(["material", "is_duplicated", "excess_supply"], ascending=[False, False, False])
    return schemas.validate(out, table, origin=table)
