"""Which regions a state run plans: the listed ones, or every area of one type in the industry input.

A state's own areas (New York's labour market regions) have no federal code and the export does
not say which counties make them up, so their counties come from ``src/align/data/state_areas.csv``
(New York State Department of Labor, "Labor Market Regions": the ten regions and their 62
counties). Because a region's numbers are built from its counties, the membership is checked
against the file itself: each area's published total must equal the sum of its counties' totals,
every year, to rounding (the export rounds each area's annual average on its own: 4 jobs in
542,261 for the Finger Lakes in 2003), or the run stops naming the area and year.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import pandas as pd

from align.config import Region
from align.errors import InputError
from align.multiregion.config import StateConfig

MEMBERS = "state_areas.csv"
COUNTY = "County"


@cache
def memberships() -> pd.DataFrame:
    """state_fips, area_type, area_title, county_fips of every state-defined area align knows."""
    return pd.read_csv(files("align.data").joinpath(MEMBERS), dtype=str, keep_default_na=False)


def plan_regions(config: StateConfig, area: pd.DataFrame) -> list[Region]:
    """The regions of the run, in a stable order (as listed, else by published title)."""
    if config.regions is not None:
        return list(config.regions)
    assert config.areas is not None
    kind, state = config.areas.type, config.state.state_fips
    if "area_type" not in area.columns:
        raise InputError("the industry input carries no area types (a BLS QCEW slice)", file="industry_employment",
                         column="area_type", expected="a state export (e.g. qcew_ny), or list the [[regions]]")
    published = area[(area["area_type"] == kind) & area["area_fips"].str.startswith(state)]
    titles = published.drop_duplicates("area_title").set_index("area_title")["area_fips"].sort_index()
    if titles.empty:
        found = sorted(set(area["area_type"].dropna()))
        raise InputError(f"no area of type {kind!r} in state {state}", file="industry_employment",
                         column="area_type", expected=", ".join(found))
    if config.areas.only is not None:
        unknown = sorted(set(config.areas.only) - set(titles.index))
        if unknown:
            raise InputError(f"areas.only names {unknown}, not published as {kind!r}", file="industry_employment",
                             column="area_title", expected=", ".join(titles.index[:12]))
        titles = titles[titles.index.isin(config.areas.only)]
    if kind == COUNTY:
        counties = {title: [fips] for title, fips in titles.items()}
    else:
        counties = _members(state, kind, list(titles.index))
        check_membership(area, titles, counties)
    return [Region(name=f"{title}, {config.state.name}", id=_slug(title), state_fips=state,
                   counties=counties[title]) for title in titles.index]


def _members(state: str, kind: str, titles: list[str]) -> dict[str, list[str]]:
    m = memberships()
    m = m[(m["state_fips"] == state) & (m["area_type"] == kind)]
    out = {t: sorted(g["county_fips"]) for t, g in m.groupby("area_title")}
    unknown = [t for t in titles if t not in out]
    if unknown:
        raise InputError(f"no county list for {kind} {unknown[0]!r}", file=f"src/align/data/{MEMBERS}",
                         expected="a row per county of every area of this type (state_fips, area_type, area_title)")
    return {t: out[t] for t in titles}


def check_membership(area: pd.DataFrame, fips: pd.Series, counties: dict[str, list[str]]) -> None:
    """Each area's published all-industry total equals its counties' sum, every year (to rounding)."""
    totals = area[(area["own_code"] == "0") & (area["naics_code"] == "10") & (area["qtr"] == "A")]
    by = totals.set_index(["area_fips", "period"])["employment"]
    for title, members in counties.items():
        own = by.xs(fips[title], level="area_fips")
        parts = by[by.index.get_level_values("area_fips").isin(members)].groupby(level="period").sum(min_count=1)
        diff = (own - parts.reindex(own.index)).abs()
        # annual averages are rounded per area: a few jobs per county, never a county's worth
        bad = diff[diff.isna() | (diff > 0.5 * len(members) + 1e-4 * own.abs())]
        if len(bad):
            year = bad.index[0]
            raise InputError(f"{title}: the published total of {year} ({own[year]:,.0f}) is not the sum of its "
                             f"counties {', '.join(members)} ({parts.get(year, float('nan')):,.0f})",
                             file="industry_employment", column="employment",
                             expected=f"the counties of {title} as {MEMBERS} lists them")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
