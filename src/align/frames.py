"""Small table operations shared by the stages and the report (no stage machinery here)."""

from __future__ import annotations

import pandas as pd


def joined(keys: pd.Series, texts: pd.Series, sep: str = "; ", *, distinct: bool = False) -> pd.Series:
    """Per key (sorted), its texts joined in row order (with ``distinct``: each text once, sorted).

    The same as ``texts.groupby(keys).agg(sep.join)`` without building a Series per group: a county
    has hundreds of groups, and pandas' per-group overhead was a tenth of its match stage.
    """
    groups: dict[object, list[str]] = {}
    for k, t in zip(keys, texts, strict=True):
        groups.setdefault(k, []).append(t)
    out = {k: sep.join(sorted(set(v)) if distinct else v) for k, v in sorted(groups.items())}
    return pd.Series(out, dtype=texts.dtype).rename_axis(keys.name).rename(texts.name)
