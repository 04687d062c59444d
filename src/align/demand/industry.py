"""Regional industry employment: county QCEW cells summed to the planning region.

A regional total is only known when every county cell in it is disclosed. Where one is
suppressed the regional value is missing (flagged), never the sum of the disclosed part,
which would read as a fall in employment.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.errors import InputError


def regional_industry_employment(area: pd.DataFrame, *, region_id: str, counties: list[str],
                                 ownerships: list[str], naics_digits: int,
                                 origin: str = "industry_employment") -> pd.DataFrame:
    """Annual employment per NAICS industry of the given length, summed over counties and owners.

    ``area`` is the ``area_industry_employment`` table from the QCEW connector.
    """
    need = {"area_fips", "own_code", "naics_code", "period", "qtr", "employment", "is_suppressed"}
    missing = need - set(area.columns)
    if missing:
        raise InputError(f"missing column(s) {sorted(missing)}", file=origin,
                         expected="the area_industry_employment table of the qcew connector")
    rows = area[area["area_fips"].isin(counties) & (area["qtr"] == "A")
                & area["own_code"].isin(ownerships)
                & area["naics_code"].str.fullmatch(rf"\d{{{naics_digits}}}")]
    if rows.empty:
        raise InputError(f"no annual {naics_digits}-digit NAICS rows for counties {counties} "
                         f"and ownerships {ownerships}", file=origin)
    found = set(rows["area_fips"])
    absent = [c for c in counties if c not in found]
    if absent:
        raise InputError(f"no employment rows for county {', '.join(absent)}", file=origin,
                         expected="a QCEW area slice for every county of the region")
    # QCEW publishes no row where a county has no establishments in an industry (zero), and a
    # suppressed row where it has some but may not say how many (unknown).
    out = rows.groupby(["naics_code", "period"], sort=True).agg(
        employment=("employment", "sum"), is_suppressed=("is_suppressed", "any")).reset_index()
    out.loc[out["is_suppressed"], "employment"] = float("nan")
    out["region_id"] = region_id
    out["source"] = "qcew"
    if "industry_title" in rows.columns:
        out["industry_title"] = out["naics_code"].map(rows.groupby("naics_code")["industry_title"].first())
    return schemas.validate(out, "industry_employment", origin=origin)
