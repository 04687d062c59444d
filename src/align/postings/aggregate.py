"""Postings per occupation per period, for the region: the volume the agreement check compares.

Only coded postings (a ``soc_code``) are counted; how many were left uncoded or fell outside
the region is returned beside the table rather than hidden. Undated postings are counted in
the period ``undated`` (they are real postings; dropping them would bias the totals).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from align import codes, schemas
from align.errors import InputError

Period = Literal["month", "quarter", "year", "all"]


def posting_period(dates: pd.Series, period: Period) -> pd.Series:
    """ISO dates → ``2024-05`` (month), ``2024Q2`` (quarter), ``2024`` (year) or ``all``."""
    d = pd.to_datetime(dates, errors="coerce")
    if period == "all":
        out = pd.Series("all", index=dates.index, dtype=object)
    elif period == "month":
        out = d.dt.strftime("%Y-%m")
    elif period == "quarter":
        out = d.dt.year.astype("Int64").astype(str) + "Q" + d.dt.quarter.astype("Int64").astype(str)
    elif period == "year":
        out = d.dt.year.astype("Int64").astype(str)
    else:
        raise InputError(f"unknown period {period!r}", expected="month, quarter, year or all")
    return out.astype(object).where(d.notna() | (period == "all"), "undated")


@dataclass
class Aggregation:
    table: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


def postings_by_occupation(postings: pd.DataFrame, *, period: Period = "quarter",
                           counties: Iterable[str] | None = None,
                           state_fips: str | None = None) -> Aggregation:
    """Table ``postings_occupation``: soc_code, posting_period, n_postings, mean confidence.

    ``counties`` keeps postings placed in those counties; ``state_fips`` (alone) keeps postings
    in the state. Postings that cannot be placed are excluded and counted in ``counts``.
    """
    df = postings
    counts = {"postings": len(df)}
    if counties is not None:
        wanted = {codes.fips(c) for c in counties}
        placed = df["county_fips"].notna() if "county_fips" in df.columns else pd.Series(False, index=df.index)
        counts["unplaced"] = int((~placed).sum())
        df = df[placed & df["county_fips"].isin(wanted)] if placed.any() else df.iloc[0:0]
    elif state_fips is not None:
        st = codes.state_fips(state_fips)
        placed = df["state_fips"].notna() if "state_fips" in df.columns else pd.Series(False, index=df.index)
        counts["unplaced"] = int((~placed).sum())
        df = df[placed & (df["state_fips"] == st)] if placed.any() else df.iloc[0:0]
    counts["in_region"] = len(df)
    coded = df[df["soc_code"].notna()] if "soc_code" in df.columns else df.iloc[0:0]
    counts["uncoded"] = len(df) - len(coded)
    dates = coded["posted_date"] if "posted_date" in coded.columns else pd.Series(None, index=coded.index)
    work = pd.DataFrame({"soc_code": coded["soc_code"], "posting_period": posting_period(dates, period),
                         "confidence": coded["autocode_confidence"].where(coded["soc_code_source"] == "autocoder")
                         if "autocode_confidence" in coded.columns and "soc_code_source" in coded.columns
                         else float("nan")})
    table = (work.groupby(["soc_code", "posting_period"], sort=True)
             .agg(n_postings=("soc_code", "size"), mean_confidence=("confidence", "mean"))
             .reset_index())
    table = schemas.validate(table, "postings_occupation", origin="postings_occupation")
    return Aggregation(table=table, counts=counts)
