"""Reference series for regional forecasts: the state's own series of each industry.

A county or region's industry history is short and noisy; its state's series for the same
industry is long and smooth. The forecast models that use what the neighbours know
(``shift_share``, ``shrink``, ``global`` in :mod:`align.demand.models`) read it as
``forecast_panel(..., reference=...)``, one reference row per series and period.
"""

from __future__ import annotations

import pandas as pd

from align.demand.industry import regional_industry_employment


def state_reference(area: pd.DataFrame, *, state_area: str, ownerships: list[str],
                    naics_digits: int, government_code: str | None = None,
                    origin: str = "industry_employment") -> pd.DataFrame:
    """``series_id, period, value``: the state area's employment per industry, arranged exactly
    as the region's (same ownerships, NAICS length and government code), so each regional
    series has the state series of the same code beside it. ``state_area`` is the state's
    ``area_fips`` (``36000``; BLS QCEW state slices use the same ``SS000``). Suppressed state
    cells stay missing: a model never sees them as zero.
    """
    state = regional_industry_employment(area, region_id=state_area, counties=[state_area],
                                         ownerships=ownerships, naics_digits=naics_digits,
                                         government_code=government_code, origin=origin)
    return pd.DataFrame({"series_id": state["naics_code"].to_numpy(),
                         "period": state["period"].to_numpy(),
                         "value": state["employment"].to_numpy()})
