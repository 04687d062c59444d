"""Continuing study: the completers who go on studying instead of entering work with their award.

The share differs by award level and field — most transfer associate's lead to a bachelor's,
few welding certificates do — so it comes from ``align/data/continuing_study.csv`` (national
published rates where marked, align's stated assumptions elsewhere), unless the configuration
sets one share for every program.
"""

from __future__ import annotations

import pandas as pd

from align.supply.education import _table, award_rank
from align.supply.kinds import program_kind


def rates() -> pd.DataFrame:
    """The sourced table: award_rank, kind, share, source_kind, source."""
    t = _table("continuing_study.csv").copy()
    t["award_rank"] = t["award_rank"].astype(int)
    t["share"] = t["share"].astype(float)
    return t


def continuing_study_share(programs: pd.DataFrame, override: float | None = None) -> pd.Series:
    """Share of each program's completers who continue studying (the table, or ``override`` for all)."""
    if override is not None:
        return pd.Series(float(override), index=programs.index)
    t = rates().set_index(["award_rank", "kind"])["share"]
    rank = award_rank(programs["award_level"]).fillna(1).astype(int)
    kind = program_kind(programs["cip_code"], programs["award_level"])
    keys = list(zip(rank, kind, strict=True))
    return pd.Series([float(t.get(k, 0.0)) for k in keys], index=programs.index)
