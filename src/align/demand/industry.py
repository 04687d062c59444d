"""Regional industry employment: county QCEW cells summed to the planning region.

Suppressed cells are first estimated from their published parent (:mod:`align.demand.suppression`)
and flagged ``is_estimated``. A regional total is only known when every county cell in it is
disclosed or estimated; where one stays unknown the regional value is missing (flagged), never the
sum of the disclosed part, which would read as a fall in employment.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.demand.suppression import estimate_suppressed
from align.errors import InputError


def regional_industry_employment(area: pd.DataFrame, *, region_id: str, counties: list[str],
                                 ownerships: list[str], naics_digits: int, government_code: str | None = None,
                                 origin: str = "industry_employment", estimate: bool = True,
                                 pattern_areas: list[str] = ()) -> pd.DataFrame:
    """Annual employment per NAICS industry of the given length, summed over counties and owners.

    ``area`` is the ``area_industry_employment`` table from the QCEW connector. Two-digit runs
    take the sectors as QCEW publishes them, ranges included (``31-33``). With
    ``government_code`` government is arranged the way OEWS's cross-ownership files count it
    (see :func:`_government`). With ``estimate`` suppressed cells are estimated from their parents,
    shared out by ``pattern_areas`` (state or national QCEW rows in ``area``) or establishments.
    """
    need = {"area_fips", "own_code", "naics_code", "period", "qtr", "employment", "is_suppressed"}
    missing = need - set(area.columns)
    if missing:
        raise InputError(f"missing column(s) {sorted(missing)}", file=origin,
                         expected="the area_industry_employment table of the qcew connector")
    pattern = r"\d{2}(-\d{2})?" if naics_digits == 2 else rf"\d{{{naics_digits}}}"
    annual = area[area["qtr"] == "A"]
    if estimate and "agglvl_code" in annual.columns:
        annual = estimate_suppressed(annual[annual["area_fips"].isin([*counties, *pattern_areas])], areas=counties,
                                     pattern_areas=list(pattern_areas), max_digits=naics_digits)
    else:
        annual = annual.assign(is_estimated=False)
    annual = annual[annual["area_fips"].isin(counties)]
    by_industry = [o for o in ownerships if government_code is None or o == "5"]
    rows = annual[annual["own_code"].isin(by_industry) & annual["naics_code"].str.fullmatch(pattern)]
    if "agglvl_code" in rows.columns:
        # QCEW's aggregation level ends in 4 for sectors, 5 for 3-digit industries, … (74, 75 for
        # counties): this keeps out its own aggregates (10 total, 101 goods-producing, …)
        rows = rows[rows["agglvl_code"].astype(str).str[-1] == str(naics_digits + 2)]
    as_published = rows
    if government_code is not None:
        public = _government(annual, pattern, naics_digits, government_code)
        as_published = pd.concat([rows, public], ignore_index=True)
        rows = pd.concat([_spread_unclassified(rows, government_code), public], ignore_index=True)
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
    # A blank cell or a county with no file for a year (an accepted gap) makes the regional
    # total unknown too: a sum over the other counties would read as a fall in employment.
    rows = rows.assign(_unknown=rows["is_suppressed"].astype(bool) | rows["employment"].isna())
    out = rows.groupby(["naics_code", "period"], sort=True).agg(
        employment=("employment", "sum"), is_suppressed=("is_suppressed", "any"),
        is_estimated=("is_estimated", "any"), _unknown=("_unknown", "any")).reset_index()
    per_year = annual.groupby("period")["area_fips"].nunique()
    incomplete = out["period"].map(per_year).fillna(0) < len(counties)
    out.loc[out["_unknown"] | incomplete, "employment"] = float("nan")
    out = out.drop(columns="_unknown")
    _check_below_state(as_published, area[area["qtr"] == "A"], counties, origin)
    out["region_id"] = region_id
    out["source"] = "qcew"
    if "industry_title" in rows.columns:
        out["industry_title"] = out["naics_code"].map(rows.groupby("naics_code")["industry_title"].first())
    return schemas.validate(out, "industry_employment", origin=origin)


def _check_below_state(rows: pd.DataFrame, annual: pd.DataFrame, counties: list[str], origin: str) -> None:
    """A region's employment in an industry cannot exceed its state's, where the state row is given."""
    states = annual[annual["area_fips"].isin({c[:2] + "000" for c in counties})
                    & annual["naics_code"].isin(set(rows["naics_code"]))]
    if states.empty:
        return
    keys = ["own_code", "naics_code", "period"]
    region = rows.assign(state=rows["area_fips"].str[:2] + "000").groupby(["state", *keys])["employment"].sum()
    state = states.rename(columns={"area_fips": "state"}).groupby(["state", *keys])["employment"].sum(min_count=1)
    both = pd.concat({"region": region, "state": state}, axis=1, join="inner").dropna()
    over = both[both["region"] > both["state"] * 1.001 + 1]
    if len(over):
        (st, own, naics, year), r = over.index[0], over.iloc[0]
        raise InputError(f"the region's counties employ {r['region']:,.0f} in industry {naics} (ownership {own}, "
                         f"{year}), more than their state's {r['state']:,.0f} (area {st})", file=origin,
                         column="employment", expected="county employment summing to at most the state's")


# Where OEWS's cross-ownership files count public employers (OEWS ownership codes 235, 58, 59):
# state and local schools in 61, state and local hospitals in 62, the Postal Service in 48-49.
PUBLIC_KEPT = {"2": ("61", "62"), "3": ("61", "62"), "1": ("48", "49")}


def _government(annual: pd.DataFrame, pattern: str, naics_digits: int, code: str) -> pd.DataFrame:
    """Government rows: public schools, hospitals and the Postal Service by industry, the rest as ``code``.

    Suppressed school and hospital cells count where they were estimated (``is_estimated``);
    one still unknown stays in ``code``, so every government job is counted once. At the sector
    level a state or local 62 also holds public clinics and nursing homes, which OEWS counts in 99.
    """
    gov = annual[annual["own_code"].isin(["1", "2", "3"])]
    totals = gov[gov["naics_code"] == "10"]
    sector = gov["naics_code"].str[:2]
    public = pd.Series([s in PUBLIC_KEPT.get(o, ()) for o, s in zip(gov["own_code"], sector, strict=True)],
                       index=gov.index, dtype=bool)
    kept = gov[gov["naics_code"].str.fullmatch(pattern) & public & gov["employment"].notna()
               & ~gov["is_suppressed"].astype(bool)]
    if "agglvl_code" in kept.columns:
        kept = kept[kept["agglvl_code"].astype(str).str[-1] == str(naics_digits + 2)]
    keys = ["area_fips", "own_code", "period"]
    placed = kept.groupby(keys)["employment"].sum()
    rest = totals.set_index(keys)
    rest = rest.assign(employment=rest["employment"] - placed.reindex(rest.index).fillna(0.0),
                       is_estimated=kept.groupby(keys)["is_estimated"].any().reindex(rest.index, fill_value=False))
    # no title of its own parts ("Federal Government"): the staffing pattern's names the sector
    rest = rest.reset_index().assign(naics_code=code, industry_title=None)
    return pd.concat([kept, rest], ignore_index=True)


def _spread_unclassified(rows: pd.DataFrame, code: str) -> pd.DataFrame:
    """Private rows under the government code, shared out over the area's other private sectors.

    QCEW's private NAICS 99 ("Unclassified": establishments not yet given an industry) shares its
    code with OEWS's cross-ownership government sector 99. Left alone it would be summed into
    government and staffed like public administration; instead each area-year's unclassified jobs
    go to its sectors with a known value, in proportion to their employment, as projection shops
    treat them. (An area-year with no known sector keeps none: it has no staffing to give them.)
    """
    stray = rows["naics_code"] == code
    if not stray.any():
        return rows
    keys = ["area_fips", "period"]
    unclassified = rows[stray].groupby(keys)["employment"].sum().rename("_unclassified").reset_index()
    out = rows[~stray].merge(unclassified, on=keys, how="left")
    total = out.groupby(keys)["employment"].transform("sum")
    share = (out["employment"] / total.where(total > 0)).fillna(0.0)
    out["employment"] = out["employment"] + out.pop("_unclassified").fillna(0.0) * share
    return out
