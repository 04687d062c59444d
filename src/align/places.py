"""Places by name: county FIPS codes → county names, so a reader meets names before codes.

Names come from the run's own inputs (the IPEDS institution directory publishes COUNTYNM beside
COUNTYCD for every institution); a county no input names keeps its code.
"""

from __future__ import annotations

import pandas as pd


def county_names(providers: pd.DataFrame | None, counties: list[str]) -> dict[str, str]:
    """The name of each of ``counties`` that a providers table names (e.g. ``{"39049": "Franklin County"}``)."""
    if providers is None or not {"county_fips", "county_name"} <= set(providers.columns):
        return {}
    named = providers.dropna(subset=["county_fips", "county_name"])
    named = named[named["county_fips"].astype(str).isin(set(counties))]
    found = named.groupby(named["county_fips"].astype(str))["county_name"].agg(lambda s: s.mode().iloc[0])
    return {c: str(found[c]) for c in counties if c in found.index}
