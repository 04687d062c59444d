"""Annual openings by the BLS method: growth plus labour-force exits plus occupational transfers.

Exits and transfers apply the Employment Projections separation rates to the occupation's
*average* employment over the projection period — the way BLS computes Table 1.10 (checked:
chief executives 2019-29, 2.6% × (287.9 + 259.1)/2 = 7.1 ≈ the published 7.2 thousand, where the
base year alone would give 7.5).
"""

from __future__ import annotations

import pandas as pd


def annual_openings(employment_base: pd.Series, employment_target: pd.Series, years: int,
                    exit_rate: pd.Series, transfer_rate: pd.Series) -> pd.DataFrame:
    """Growth, exits, transfers and openings per year for aligned occupation Series.

    Negative growth lowers openings (declining occupations still replace leavers), but total
    openings are never below zero.
    """
    if years <= 0:
        raise ValueError(f"projection period must be positive, got {years} years")
    growth = (employment_target - employment_base) / years
    average = (employment_base + employment_target) / 2
    exits = exit_rate * average
    transfers = transfer_rate * average
    openings = (growth + exits + transfers).clip(lower=0.0)
    return pd.DataFrame({"growth_annual": growth, "exits_annual": exits,
                         "transfers_annual": transfers, "annual_openings": openings})
