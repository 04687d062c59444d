"""What the supply tables say to a reader: each program's contribution, what an occupation's supply
rests on, and providers whose IPEDS report may reach beyond the region."""

from __future__ import annotations

import pandas as pd

from align.frames import joined
from align.notes import operator
from align.supply.education import award_rank


def contributions(allocation: pd.DataFrame, programs: pd.DataFrame) -> pd.DataFrame:
    """Allocation rows with a one-line description of each program's contribution."""
    table = allocation.merge(programs[["program_id", "provider_name", "award_label"]], on="program_id")
    code = table["cip_code"].fillna("") if "cip_code" in table else ""
    return table.assign(text=table["provider_name"] + " " + code + " " + table["award_label"] + ": "
                        + table["effective_supply"].round(1).astype(str))


def supply_notes(allocation: pd.DataFrame, programs: pd.DataFrame, share: float = 0.5,
                 one_provider: float = 0.75) -> pd.Series:
    """Per occupation, what its supply rests on, where a board should know: one provider supplying
    more than ``one_provider`` of it, or doctorates (hired in a national market) more than ``share``."""
    a = allocation.merge(programs[["program_id", "provider_id", "provider_name"]], on="program_id")
    total = a.groupby("soc_code")["effective_supply"].sum()
    by = a.groupby(["soc_code", "provider_id", "provider_name"])["effective_supply"].sum().reset_index()
    by["share"] = by["effective_supply"] / by["soc_code"].map(total)
    top = by[(by["share"] > one_provider) & (by.groupby("soc_code")["provider_id"].transform("nunique") > 1)]
    notes = pd.Series((top["provider_name"] + " supplies " + (100 * top["share"]).round().astype(int).astype(str)
                       + "%, so the finding rests on that one provider").to_numpy(), index=top["soc_code"].to_numpy())
    doctoral = a[award_rank(a["award_level"]) == 5].groupby("soc_code")["effective_supply"].sum() / total
    doctoral = doctoral[doctoral > share]
    phd = pd.Series("doctoral graduates make up " + (100 * doctoral).round().astype(int).astype(str)
                    + "% of this supply, and doctorates are hired in a national market", index=doctoral.index)
    both = pd.concat([notes, phd])
    return joined(pd.Series(both.index, name="soc_code"), pd.Series(both.to_numpy()))


def inventory_occupations(programs: pd.DataFrame, allocation: pd.DataFrame) -> set[str]:
    """Occupations the run's training inventory (non-IPEDS programs) supplies."""
    if "provider_kind" not in programs.columns:
        return set()
    listed = set(programs.loc[programs["provider_kind"].fillna("ipeds") != "ipeds", "program_id"])
    return set(allocation.loc[allocation["program_id"].isin(listed), "soc_code"])


def regional_notes(programs: pd.DataFrame, shares: dict[str, float]) -> list[str]:
    """What the run counted of each provider whose IPEDS report may reach beyond the region: one
    plain caveat per kind for the board, the provider ids and the setting for the operator."""
    names = programs.drop_duplicates("provider_id").set_index("provider_id")["provider_name"]
    out = []
    if shares:
        parts = [f"{names.get(pid, pid)} {share:.0%}" for pid, share in sorted(shares.items())]
        out.append("some colleges also serve students from outside the region, so only part of their graduates "
                   "is counted: " + ", ".join(parts))
        out.append(operator("share of IPEDS completers counted as the region's ([parameters.regional_share]): "
                            + ", ".join(f"{pid} {share:.0%}" for pid, share in sorted(shares.items()))))
    if "single_unit_system" in programs.columns:
        lone = programs.dropna(subset=["single_unit_system"]).drop_duplicates("provider_id")
        lone = lone[~lone["provider_id"].isin(list(shares))]
        if len(lone):
            out.append("these colleges report to IPEDS for campuses that may lie outside the region, and all their "
                       "graduates are counted as the region's: " + ", ".join(lone["provider_name"].astype(str)))
            out.append(operator("providers that are the only IPEDS unit of their organisation: "
                                + ", ".join(f"{r.provider_id} ({r.single_unit_system})" for r in lone.itertuples())
                                + "; set [parameters.regional_share] to apportion their completers"))
    return out
