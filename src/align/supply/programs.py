"""Regional programs: completions of the region's providers, averaged over the chosen years.

IPEDS lists a program in a year only when it conferred awards (or reported zero), so a year in
which the provider reported but the program is absent counts as zero completers; years in which
the provider reported nothing at all are left out of that provider's average.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.supply.education import award_levels


def regional_providers(providers: pd.DataFrame, counties: list[str]) -> pd.DataFrame:
    return providers[providers["county_fips"].isin(counties)].copy()


def build_programs(completions: pd.DataFrame, providers: pd.DataFrame, *, counties: list[str],
                   years: list[int] | None = None, cip_titles: pd.Series | None = None) -> pd.DataFrame:
    """One row per regional program: provider, CIP, award level and average annual completers."""
    regional = regional_providers(providers, counties)
    c = completions[completions["provider_id"].isin(regional["provider_id"])]
    if years:
        c = c[c["year"].isin(years)]
    if c.empty:
        return schemas.validate(pd.DataFrame(columns=list(schemas.TABLES["programs"].required)), "programs")
    yearly = c.groupby(["provider_id", "cip_code", "award_level", "year"])["completers"].sum().unstack("year")
    # a year the provider reported without this program is a year of zero completers
    reported = c.groupby(["provider_id", "year"]).size().unstack("year").notna()
    yearly = yearly.fillna(0.0).where(reported.reindex(yearly.index.get_level_values("provider_id")).to_numpy())
    totals = pd.DataFrame({"completers": yearly.mean(axis=1), "completers_sd": yearly.std(axis=1, ddof=1)
                           .fillna(0.0)}).reset_index()
    totals["program_id"] = totals["provider_id"] + ":" + totals["cip_code"] + ":" + totals["award_level"]
    names = regional.set_index("provider_id")["provider_name"]
    totals["provider_name"] = totals["provider_id"].map(names)
    totals["provider_kind"] = totals["provider_id"].map(regional.set_index("provider_id")["provider_kind"])
    labels = award_levels().set_index("award_level")["award_label"]
    totals["award_label"] = totals["award_level"].map(labels).fillna("award level " + totals["award_level"])
    if cip_titles is not None:
        totals["cip_title"] = totals["cip_code"].map(cip_titles)
    return schemas.validate(totals.sort_values("program_id"), "programs", origin="programs")


def inventory_programs(inventory: pd.DataFrame, *, counties: list[str], years: list[int] | None = None,
                       cip_titles: pd.Series | None = None) -> pd.DataFrame:
    """Programs from the local training inventory (ETPL, apprenticeship, non-credit).

    A row without a county is taken as regional — the inventory is the region's own list.
    Programs that report no completers in the chosen years are left out: capacity alone says
    how many could finish, not how many do.
    """
    inv = inventory[inventory["county_fips"].isna() | inventory["county_fips"].isin(counties)]
    inv = inv.dropna(subset=["completers"])
    if years:
        inv = inv[inv["year"].isna() | inv["year"].isin(years)]
    if inv.empty:
        return pd.DataFrame(columns=list(schemas.TABLES["programs"].required))
    code = inv["cip_code"].fillna(inv["soc_code"])
    key = inv["provider_id"] + ":" + code + ":" + inv["award_level"]
    if "program_id" in inv.columns:
        key = inv["program_id"].fillna(key)
    grouped = inv.assign(program_id=key).groupby("program_id", sort=True)
    out = grouped.agg(provider_id=("provider_id", "first"), provider_name=("provider_name", "first"),
                      provider_kind=("provider_kind", "first"), program_name=("program_name", "first"),
                      cip_code=("cip_code", "first"), soc_code=("soc_code", "first"),
                      award_level=("award_level", "first"), completers=("completers", "mean"),
                      completers_sd=("completers", "std"),
                      capacity_seats=("capacity_seats", "max"),
                      work_based_learning=("work_based_learning", "any")).reset_index()
    out["completers_sd"] = out["completers_sd"].fillna(0.0)
    labels = award_levels().set_index("award_level")["award_label"]
    out["award_label"] = out["award_level"].map(labels).fillna("award level " + out["award_level"])
    if cip_titles is not None:
        out["cip_title"] = out["cip_code"].map(cip_titles).fillna(out["program_name"])
    return out
