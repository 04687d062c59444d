"""How far an occupation's supply may swing from year to year, from its programs' swings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from align.supply.allocation import Factors


def supply_sd(allocation: pd.DataFrame, programs: pd.DataFrame, factors: Factors) -> pd.Series:
    """Per occupation, the standard deviation of effective supply: each program's completers_sd,
    scaled to the part of the program allocated to the occupation, the programs taken as independent."""
    a = allocation.merge(programs[["program_id", "completers", "completers_sd"]], on="program_id")
    # the program's swings scale with the part of it that is allocated
    scale = (a["completers_allocated"] / a["completers"].where(a["completers"] > 0)).fillna(0.0)
    return np.sqrt(((scale * factors.product * a["completers_sd"].fillna(0.0)) ** 2).groupby(a["soc_code"]).sum())
