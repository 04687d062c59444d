"""Which award levels may supply which occupations, from the documented tables in align/data.

An occupation is supplied only by programs whose award is at least its typical entry education
(a certificate does not supply an occupation that needs a bachelor's degree), with named
exceptions in ``entry_exceptions.csv`` (for example associate-degree nursing) and a switch in
region.toml to allow any level.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd


@cache
def _table(name: str) -> pd.DataFrame:
    """A documented reference table from align/data (lines starting with # are its documentation)."""
    return pd.read_csv(files("align.data").joinpath(name), dtype=str, keep_default_na=False, comment="#")


def award_levels() -> pd.DataFrame:
    """award_level (text code), award_label, rank (1 certificate … 5 doctorate)."""
    t = _table("award_levels.csv").copy()
    t["rank"] = t["rank"].astype(int)
    return t


def award_label(code: str) -> str:
    labels = dict(zip(award_levels()["award_level"], award_levels()["award_label"], strict=True))
    return labels.get(str(code), f"award level {code}")


@cache
def award_ranks() -> dict[str, int]:
    """award_level code → rank (1 certificate … 5 doctorate)."""
    levels = award_levels()
    return dict(zip(levels["award_level"], levels["rank"], strict=True))


def award_rank(codes: pd.Series) -> pd.Series:
    return codes.astype(str).map(award_ranks())


def entry_rank(soc_codes: pd.Series, education: pd.Series) -> pd.Series:
    """Minimum award rank an occupation accepts: its entry education, or a named exception."""
    levels = _table("entry_education.csv")
    ranks = dict(zip(levels["typical_entry_education"], levels["rank"].astype(int), strict=True))
    exceptions = _table("entry_exceptions.csv")
    override = dict(zip(exceptions["soc_code"], exceptions["min_rank"].astype(int), strict=True))
    base = education.map(ranks).fillna(0).astype(int)
    return pd.Series([override.get(s, b) for s, b in zip(soc_codes, base, strict=True)], index=soc_codes.index)


def exception_reason(soc_code: str) -> str | None:
    t = _table("entry_exceptions.csv")
    hit = t.loc[t["soc_code"] == soc_code, "reason"]
    return str(hit.iloc[0]) if len(hit) else None
