"""The self-employed, added to wage-and-salary employment as the Employment Projections count them.

QCEW and OEWS count wage-and-salary jobs only. BLS's separation rates (exits, transfers) are
measured on total employment, self-employed included, so openings computed on wage-and-salary
employment alone are too low wherever self-employment is common (chief executives of small firms,
childcare workers, carpenters). EP Table 1.2 publishes each occupation's percent self-employed;
with share ``s`` of total employment, total = wage-and-salary / (1 − s).
"""

from __future__ import annotations

import pandas as pd


def self_employed_shares(codes: pd.Index, published: pd.Series) -> tuple[pd.Series, list[str]]:
    """Each code's self-employed share: its own, else its broad, minor or major group's (EP summary rows).

    Returns the shares and the codes that had none at any level (their share is taken as 0).
    """
    known = published.dropna()
    share = pd.Series(known.reindex(codes).to_numpy(), index=codes)
    for parent in (lambda c: c[:6] + "0", lambda c: c[:5] + "00", lambda c: c[:3] + "0000"):
        fill = pd.Series([known.get(parent(c)) for c in codes], index=codes, dtype=float)
        share = share.fillna(fill)
    unknown = sorted(share.index[share.isna()])
    return share.fillna(0.0), unknown


def add_self_employed(employment: pd.DataFrame, share: pd.Series) -> pd.DataFrame:
    """Every employment column scaled to total employment: ``x / (1 − share)`` (share held constant).

    ``employment`` is indexed by SOC code; the base year's split is kept as
    ``employment_wage_salary`` and ``employment_self_employed``.
    """
    s = share.reindex(employment.index).fillna(0.0).clip(lower=0.0)
    if (s >= 1).any():
        raise ValueError(f"self-employed share of 100% or more for {', '.join(s.index[s >= 1][:5])}")
    total = employment.div(1.0 - s, axis=0)
    return total.assign(employment_wage_salary=employment["employment_base"],
                        employment_self_employed=total["employment_base"] - employment["employment_base"])
