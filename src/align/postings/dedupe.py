"""De-duplicate postings: one job listed on several boards, or reposted, counts once.

Postings over-count demand when the same job appears on several boards or is reposted every few
weeks. Two postings are the same job when they share the employer (legal suffixes and
punctuation ignored) and the place (county FIPS, else city and state, else the location text),
their titles are equal or nearly so (character n-gram cosine ≥ ``similarity``), and the later
one was posted within ``window_days`` of the earliest of its group. The earliest is kept; a
posting without a date joins a group regardless of dates (nothing says it is a different job).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

_LEGAL = re.compile(r"\b(?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|"
                    r"plc|lp|llp|pc|gmbh|the)\b")


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


def title_key(value: object) -> str:
    """Lower case, punctuation dropped, plurals folded; seniority kept (a senior post is another job)."""
    from align.postings.titles import singular as _singular

    return " ".join(_singular(w) for w in _text(value).split())


def employer_key(value: object) -> str:
    """``"Unreal Staffing, Inc"`` and ``"Unreal Staffing"`` → ``"unreal staffing"``."""
    return " ".join(_LEGAL.sub(" ", _text(value)).split())


def _place(df: pd.DataFrame) -> pd.Series:
    def col(name: str) -> pd.Series:
        if name in df.columns:
            return df[name].map(_text)
        return pd.Series([""] * len(df), index=df.index)

    county, city, state, text = col("county_fips"), col("city"), col("state_abbr"), col("location_text")
    city_state = (city + "|" + state).where((city != "") | (state != ""), "")
    return county.where(county != "", city_state.where(city_state != "", text))


@dataclass
class DedupeResult:
    """``postings``: every input row with ``duplicate_of`` (the kept posting's id, or missing).
    ``kept``: the de-duplicated postings. ``duplicate_rate``: duplicates / all postings."""

    postings: pd.DataFrame
    kept: pd.DataFrame
    duplicate_rate: float
    n_duplicates: int


def dedupe_postings(postings: pd.DataFrame, *, window_days: int = 60,
                    similarity: float = 0.9) -> DedupeResult:
    """Mark reposts and cross-board copies of the same job and keep the earliest of each."""
    from align.postings.vectors import char_wb, fit_transform

    df = postings.reset_index(drop=True).copy()
    n = len(df)
    duplicate_of: list[str | None] = [None] * n
    if n:
        titles = df["title"].map(title_key)
        block = (df["employer"].map(employer_key) if "employer" in df.columns
                 else pd.Series([""] * n)) + "||" + _place(df)
        dates = pd.to_datetime(df["posted_date"], errors="coerce") if "posted_date" in df.columns \
            else pd.Series(pd.NaT, index=df.index)
        x = fit_transform(titles.where(titles != "", "_").tolist(), char_wb(3))  # character trigram tf-idf
        # earliest first; undated postings after dated ones, in file order
        order = pd.DataFrame({"block": block, "date": dates, "i": np.arange(n)}).sort_values(
            ["block", "date", "i"], na_position="last", kind="stable")
        ids = df["posting_id"].astype(str).to_numpy()
        codes = pd.factorize(titles)[0]
        dated = dates.notna().to_numpy()
        day = np.where(dated, dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64), 0)
        i_sorted = order["i"].to_numpy()
        b = order["block"].to_numpy()
        starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
        for start, stop in zip(starts, np.r_[starts[1:], n], strict=True):
            if stop - start < 2:
                continue
            rows = i_sorted[start:stop]
            sim = (x[rows] @ x[rows].T).toarray()
            tc, dy, hd = codes[rows], day[rows], dated[rows]
            heads = np.empty(len(rows), dtype=np.int64)  # positions in ``rows`` of the kept postings
            n_heads = 0
            for j in range(len(rows)):
                h = heads[:n_heads]
                same_title = (tc[h] == tc[j]) | (sim[j, h] >= similarity)
                in_window = ~hd[h] | (not hd[j]) | (dy[j] - dy[h] <= window_days)
                match = np.flatnonzero(same_title & in_window)
                if len(match):
                    duplicate_of[rows[j]] = ids[rows[h[match[0]]]]
                else:
                    heads[n_heads] = j
                    n_heads += 1
    df["duplicate_of"] = pd.Series(duplicate_of, index=df.index, dtype=object)
    is_dup = df["duplicate_of"].notna()
    n_dup = int(is_dup.sum())
    return DedupeResult(postings=df, kept=df[~is_dup].drop(columns="duplicate_of").reset_index(drop=True),
                        duplicate_rate=n_dup / n if n else 0.0, n_duplicates=n_dup)
