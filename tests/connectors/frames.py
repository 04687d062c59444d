"""Small helpers the connector tests share (a plain module: pytest puts this folder on the path)."""

from __future__ import annotations

import pandas as pd


def row(df: pd.DataFrame, **key: str) -> pd.Series:
    """The one row of ``df`` whose columns equal ``key``; fails unless there is exactly one."""
    hit = df
    for col, value in key.items():
        hit = hit[hit[col] == value]
    assert len(hit) == 1, key
    return hit.iloc[0]
