"""Duplicated effort: several providers offering the same program beyond what demand absorbs.

A cluster is one CIP code at one award level offered by two or more regional providers. It is
flagged when its combined effective supply exceeds the openings allocated to it by more than
the configured margin; thin programs (few completers beside larger peers) are named.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.supply.allocation import Factors


def find_duplication(programs: pd.DataFrame, allocation: pd.DataFrame, *, factors: Factors,
                     margin: float, thin_completers: float) -> pd.DataFrame:
    demand = allocation.groupby("program_id")["openings_allocated"].sum()
    # programs that supply no occupation are reported on their own, not as duplicated effort
    programs = programs[programs["program_id"].isin(demand.index)]
    p = programs.assign(effective=programs["completers"] * factors.product,
                        allocated=programs["program_id"].map(demand).fillna(0.0))
    rows = []
    for (cip, award), grp in p.groupby(["cip_code", "award_level"], sort=True):
        if grp["provider_id"].nunique() < 2:
            continue
        grp = grp.sort_values(["completers", "provider_id"], ascending=[False, True])
        shares = grp["completers"] / grp["completers"].sum() if grp["completers"].sum() > 0 else 0 * grp["completers"]
        combined, allocated = grp["effective"].sum(), grp["allocated"].sum()
        largest = grp["completers"].max()
        thin = grp[(grp["completers"] < thin_completers) & (largest >= 2 * thin_completers)]
        rows.append({
            "cluster_id": f"{cip}:{award}", "cip_code": cip, "award_level": award,
            "cip_title": grp["cip_title"].iloc[0] if "cip_title" in grp else None,
            "award_label": grp["award_label"].iloc[0] if "award_label" in grp else None,
            "n_providers": int(grp["provider_id"].nunique()), "combined_supply": combined,
            "allocated_demand": allocated, "excess_supply": combined - allocated,
            "hhi": float((shares ** 2).sum()),
            "is_duplicated": bool(combined > allocated * (1 + margin)),
            "providers": "; ".join(f"{n} {c:,.0f}" for n, c in zip(grp["provider_name"], grp["completers"], strict=True)),
            "thin_programs": "; ".join(thin["provider_name"] + " (" + thin["completers"].round(1).astype(str) + ")"),
        })
    columns = list(schemas.TABLES["duplication"].columns)
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["is_duplicated", "excess_supply"], ascending=[False, False])
    return schemas.validate(out, "duplication", origin="duplication")
