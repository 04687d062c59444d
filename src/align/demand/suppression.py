"""Suppressed QCEW cells estimated from their published parent, flagged, in their own industry.

QCEW withholds a county × ownership × industry cell when it would disclose an employer (Ohio
State University is most of Franklin County's state-government education), but it publishes the
parent: the ownership total, the sector. Parent minus the disclosed children is what the
suppressed children hold together; it is shared out among them by a pattern: the same ownership
and industries in a pattern area given with the inputs (the state's or the nation's QCEW slice,
e.g. area ``39000`` or ``US000``), else the suppressed cells' own establishment counts, which
QCEW publishes even where it withholds employment. Estimated cells carry ``is_estimated``; a cell
whose parent is itself unknown stays missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["area_fips", "own_code", "period"]


# the last digit of QCEW's aggregation level (county 70-78, MSA 40-48, state 50-58, US 10-18):
# 0/1 totals, 2/3 super-sectors (not part of the NAICS tree), 4 sectors, 5 3-digit industries ...
_DIGITS = {"0": 0, "1": 0, "4": 2, "5": 3, "6": 4, "7": 5, "8": 6}


def _level(df: pd.DataFrame) -> pd.Series:
    """NAICS digits of each row (0 for a total, -1 for a super-sector)."""
    return df["agglvl_code"].astype(str).str[-1].map(_DIGITS).fillna(-1).astype(int)


def _parent_code(code: str, sectors: set[str]) -> str:
    """The sector (``31-33`` for ``336``) or the next-shorter code a NAICS code sits in."""
    if len(code) == 3 or "-" in code:
        two = code[:2]
        return next((s for s in sectors if s == two or ("-" in s and s[:2] <= two <= s[-2:])), two)
    return code[:-1]


def estimate_suppressed(annual: pd.DataFrame, *, areas: list[str], pattern_areas: list[str] = (),
                        max_digits: int = 6) -> pd.DataFrame:
    """``annual`` (QCEW annual rows) with suppressed cells of ``areas`` estimated where the parent allows.

    Adds ``is_estimated`` and ``estimate_basis`` (the pattern used). Works down the hierarchy
    (sectors from the ownership total, 3-digit industries from their sector, …) so an estimated
    sector is the parent of its own suppressed industries.
    """
    out = annual.reset_index(drop=True)
    if "establishments" not in out.columns:
        out["establishments"] = np.nan
    out["is_estimated"] = False
    out["estimate_basis"] = None
    level = _level(out)
    out["_level"] = level
    pattern = out[out["area_fips"].isin(pattern_areas) & ~out["is_suppressed"].astype(bool)]
    sectors = set(out.loc[level == 2, "naics_code"])
    for digits in range(2, max_digits + 1):
        child = out["area_fips"].isin(areas) & (out["_level"] == digits)
        if not child.any():
            continue
        parent_level = 0 if digits == 2 else digits - 1
        parents = out[out["area_fips"].isin(areas) & (out["_level"] == parent_level)]
        codes = out.loc[child, "naics_code"]
        parent_code = codes.map(lambda c: _parent_code(c, sectors)) if digits > 2 else codes.map(lambda c: "10")
        parent_value = pd.Series(
            parents.set_index([*KEYS, "naics_code"])["employment"].groupby(level=[0, 1, 2, 3]).first())
        rows = out.loc[child, [*KEYS, "naics_code", "employment", "is_suppressed", "establishments"]].assign(
            parent=parent_code)
        total = parent_value.reindex(pd.MultiIndex.from_frame(
            rows[[*KEYS, "parent"]].set_axis([*KEYS, "naics_code"], axis=1))).to_numpy()
        rows["parent_value"] = total
        group = [*KEYS, "parent"]
        suppressed = rows["is_suppressed"].astype(bool)
        # a suppressed cell holds at least what its own disclosed children publish
        rows["floor"] = _floors(out, rows, digits, sectors).where(suppressed, 0.0)
        known = rows["employment"].where(~suppressed).fillna(0.0) + rows["floor"]
        rows["remainder"] = (rows["parent_value"] - known.groupby([rows[k] for k in group]).transform("sum")
                             ).clip(lower=0.0)
        todo = rows[suppressed & rows["parent_value"].notna()]
        if todo.empty:
            continue
        weights, basis = _weights(todo, pattern)
        share = weights / weights.groupby([todo[k] for k in group]).transform("sum")
        n = todo.groupby(group)["naics_code"].transform("size")
        share = share.where(share.notna(), 1.0 / n)  # no pattern and no establishments: equal parts
        out.loc[todo.index, "employment"] = (todo["floor"] + todo["remainder"] * share).to_numpy()
        out.loc[todo.index, "is_estimated"] = True
        out.loc[todo.index, "is_suppressed"] = False
        out.loc[todo.index, "estimate_basis"] = basis.to_numpy()
    return out.drop(columns="_level")


def _floors(out: pd.DataFrame, rows: pd.DataFrame, digits: int, sectors: set[str]) -> pd.Series:
    """Per row of ``rows`` (cells at ``digits``), the sum of its disclosed children one level down."""
    below = out[out["area_fips"].isin(set(rows["area_fips"])) & (out["_level"] == digits + 1)
                & ~out["is_suppressed"].astype(bool)]
    if below.empty:
        return pd.Series(0.0, index=rows.index)
    parent = below["naics_code"].map(lambda c: _parent_code(c, sectors))
    sums = below["employment"].fillna(0.0).groupby([*(below[k] for k in KEYS), parent]).sum()
    key = pd.MultiIndex.from_frame(rows[[*KEYS, "naics_code"]])
    return pd.Series(sums.reindex(key).fillna(0.0).to_numpy(), index=rows.index)


def _weights(todo: pd.DataFrame, pattern: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The pattern area's employment in the same ownership and industry, else the cell's establishments."""
    key = ["own_code", "period", "naics_code"]
    if not pattern.empty:
        area_pattern = pattern.groupby(key)["employment"].first()
        from_pattern = pd.Series(area_pattern.reindex(pd.MultiIndex.from_frame(todo[key])).to_numpy(),
                                 index=todo.index)
    else:
        from_pattern = pd.Series(np.nan, index=todo.index)
    group = [*KEYS, "parent"]
    # a pattern counts only where it covers every suppressed sibling, or the shares would not add up
    complete = from_pattern.notna().groupby([todo[k] for k in group]).transform("all")
    estabs = todo["establishments"].astype(float)
    use_pattern = complete & (from_pattern.groupby([todo[k] for k in group]).transform("sum") > 0)
    weights = from_pattern.where(use_pattern, estabs)
    basis = pd.Series(np.where(use_pattern, "pattern area employment", "establishments"), index=todo.index)
    return weights, basis
