"""The base year: named when it is a recession or a one-off shock, and optionally averaged.

Openings are computed from base-year employment, so a base year in a recession (2009) or a
one-off shock (2020) carries its dip into every number: growth to a normal target year looks
large, replacement openings small. The run names such a base year in the report's caveats, and
``years.base_average`` replaces the base level with the average of chosen years.
"""

from __future__ import annotations

import pandas as pd

from align.errors import InputError

# NBER Business Cycle Dating Committee, "US Business Cycle Expansions and Contractions"
# (https://www.nber.org/research/data/us-business-cycle-expansions-and-contractions): the years that
# hold months of a contraction, peak to trough.
SHOCK_YEARS: dict[int, str] = {
    1990: "the 1990-91 recession (NBER: July 1990 to March 1991)",
    1991: "the 1990-91 recession (NBER: July 1990 to March 1991)",
    2001: "the 2001 recession (NBER: March to November 2001)",
    2007: "the Great Recession (NBER: December 2007 to June 2009)",
    2008: "the Great Recession (NBER: December 2007 to June 2009)",
    2009: "the Great Recession (NBER: December 2007 to June 2009)",
    2020: "the COVID-19 pandemic recession (NBER: February to April 2020)",
}
FALL = -0.015  # a fall in the region's own total employment from the year before that is named too


def base_year_caveat(base: int, totals: pd.Series) -> str | None:
    """A caveat when ``base`` is a listed shock year or the region's total fell sharply into it.

    ``totals`` is the region's total employment by year (what the run observed).
    """
    reasons = []
    if base in SHOCK_YEARS:
        reasons.append(f"falls in {SHOCK_YEARS[base]}")
    if base in totals.index and base - 1 in totals.index and totals[base - 1] > 0:
        change = totals[base] / totals[base - 1] - 1
        if change <= FALL:
            reasons.append(f"saw the region's employment fall {-change:.1%} from {base - 1}")
    if not reasons:
        return None
    before = [y for y in totals.index if y < base and y not in SHOCK_YEARS][-2:]
    hint = (f"years.base_average = {before} would use the average of those years instead" if before else
            "with history before it, years.base_average could replace it with an average of normal years")
    return (f"the base year {base} " + " and ".join(reasons) + ": openings start from its employment, so growth "
            f"and replacement openings carry that dip; {hint}")


def average_base(projection: pd.DataFrame, history: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Base level = each industry's mean employment over ``years``; the target keeps the forecast's growth.

    ``projection`` is indexed by industry with employment_base/target/bounds; ``history`` holds
    the observed ``series_id``/``period``/``forecast`` rows. Target and bounds are scaled by the
    same factor, so the growth rate from the base year stays the model's.
    """
    observed = history[history["period"].isin(years)]
    absent = sorted(set(years) - set(observed["period"]))
    if absent:
        raise InputError(f"years.base_average: no employment observed in {absent}", file="industry_employment",
                         expected=f"years within the history ({int(history['period'].min())}-"
                                  f"{int(history['period'].max())})")
    mean = observed.groupby("series_id")["forecast"].mean().reindex(projection.index)
    factor = (mean / projection["employment_base"]).where(projection["employment_base"] > 0)
    factor = factor.fillna(1.0)
    out = projection.copy()
    for col in ("employment_target", "employment_target_lo80", "employment_target_hi80"):
        out[col] = projection[col] * factor
    out["employment_base"] = mean.fillna(projection["employment_base"])
    return out
