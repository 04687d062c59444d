"""Places by name: county FIPS codes → county names, so a reader meets names before codes.

Names come from the run's own inputs (the IPEDS institution directory publishes COUNTYNM beside
COUNTYCD for every institution), else from the Census county table shipped in
``align/data/county_fips.csv``; a county neither names keeps its code.
"""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

import pandas as pd


def county_names(providers: pd.DataFrame | None, counties: list[str]) -> dict[str, str]:
    """The name of each of ``counties`` that we know (e.g. ``{"39049": "Franklin County"}``)."""
    found: dict[str, str] = {}
    if providers is not None and {"county_fips", "county_name"} <= set(providers.columns):
        named = providers.dropna(subset=["county_fips", "county_name"])
        named = named[named["county_fips"].astype(str).isin(set(counties))]
        found = named.groupby(named["county_fips"].astype(str))["county_name"].agg(
            lambda s: s.mode().iloc[0]).astype(str).to_dict()
    shipped = _shipped()
    return {c: found.get(c) or shipped[c] for c in counties if found.get(c) or c in shipped}


@cache
def _shipped() -> dict[str, str]:
    table = files("align.data").joinpath("county_fips.csv")
    if not table.is_file():
        return {}
    df = pd.read_csv(io.StringIO(table.read_text(encoding="utf-8")), dtype=str)
    return dict(zip(df["county_fips"], df["county_name"], strict=True))
