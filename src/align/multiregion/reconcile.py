"""Sub-state projections controlled to the state's own projection, the way state LMI shops do it.

Each region's industry projection is forecast from its own history; the state's from the
state's series (QCEW area ``SS000``). Their sums differ: the regions' models differ from the
state's, and the state's series also counts jobs its export places in no county. Proportional
reconciliation scales every region's base and target employment of an industry by one factor
per industry and year, ``state / Σ regions``, so that the regions add up to the state exactly and
each keeps its share. The 80% bounds move with the target. The regions' own (unreconciled)
numbers stay in their run folders; the reconciled ones are separate tables.
"""

from __future__ import annotations

import pandas as pd

from align.demand.stages import PROJECTION_COLUMNS

KEY = ["region_id", "naics_code"]


def reconcile(regional: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """``regional`` (region_id + industry_projection columns) scaled to ``state`` (industry_projection).

    Returns one row per region and industry: the projection as forecast, the factors, and the
    reconciled projection. An industry the state projects but no region holds (all its regional
    cells suppressed) cannot be shared out and is left out (see :func:`unshared`); one with no
    state projection keeps its regional numbers (factor missing).
    """
    sums = regional.groupby("naics_code")[["employment_base", "employment_target"]].sum()
    s = state.set_index("naics_code")
    factor_base = (s["employment_base"] / sums["employment_base"].where(sums["employment_base"] > 0))
    factor_target = (s["employment_target"] / sums["employment_target"].where(sums["employment_target"] > 0))
    out = regional[KEY + PROJECTION_COLUMNS].copy()
    out["factor_base"] = out["naics_code"].map(factor_base)
    out["factor_target"] = out["naics_code"].map(factor_target)
    fb, ft = out["factor_base"].fillna(1.0), out["factor_target"].fillna(1.0)
    out["employment_base_reconciled"] = out["employment_base"] * fb
    for col in ("employment_target", "employment_target_lo80", "employment_target_hi80"):
        out[f"{col}_reconciled"] = out[col] * ft
    out["adjustment_target"] = out["employment_target_reconciled"] - out["employment_target"]
    return out.sort_values(KEY).reset_index(drop=True)


def reconciled_projection(table: pd.DataFrame, region_id: str) -> pd.DataFrame:
    """One region's reconciled rows as an ``industry_projection`` table, for the downstream stages."""
    rows = table[table["region_id"] == region_id]
    return pd.DataFrame({"naics_code": rows["naics_code"].to_numpy(),
                         **{c: rows[f"{c}_reconciled"].to_numpy() for c in PROJECTION_COLUMNS}})


def unshared(regional: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """State industries no region holds: their jobs are in the state total and in no region."""
    return state[~state["naics_code"].isin(set(regional["naics_code"]))].reset_index(drop=True)


def by_region(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per region: jobs and growth before and after reconciliation, and the size of the change."""
    cols = ["employment_base", "employment_target", "employment_base_reconciled", "employment_target_reconciled"]
    g = table.groupby("region_id", sort=False)[cols].sum()
    g["growth"] = g["employment_target"] - g["employment_base"]
    g["growth_reconciled"] = g["employment_target_reconciled"] - g["employment_base_reconciled"]
    g["adjustment_base"] = g["employment_base_reconciled"] - g["employment_base"]
    g["adjustment_target"] = g["employment_target_reconciled"] - g["employment_target"]
    g["adjustment_target_pct"] = 100 * g["adjustment_target"] / g["employment_target"]
    g["adjustment_growth"] = g["growth_reconciled"] - g["growth"]
    # the reconciliation's size: how many jobs of the target year moved, counting both directions
    g["jobs_moved"] = (table["adjustment_target"].abs()).groupby(table["region_id"], sort=False).sum()
    g = g.reset_index()
    g.insert(1, "region_name", g["region_id"].map(names))
    return g
