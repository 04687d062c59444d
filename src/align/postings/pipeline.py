"""The postings path: connectors' postings → coded → de-duplicated → per occupation per period.

One function so a planning run (or a notebook) gets the same postings signal and the same
quality numbers every time: the share coded above the confidence threshold and the duplicate
rate are reported with the tables, never silently absorbed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from align import schemas
from align.postings.aggregate import Period, postings_by_occupation
from align.postings.autocoder import DEFAULT_THRESHOLD, Autocoder, code_titles
from align.postings.dedupe import dedupe_postings


@dataclass
class PostingsResult:
    postings: pd.DataFrame  # every posting, coded, with duplicate_of
    kept: pd.DataFrame  # de-duplicated postings
    by_occupation: pd.DataFrame  # table postings_occupation
    summary: dict[str, float] = field(default_factory=dict)


def read_postings(paths: Iterable[Path], source: str | None = None) -> pd.DataFrame:
    """Parse postings files through their connectors (named, or detected from the layout)."""
    from align import connector

    frames = []
    for path in paths:
        c = connector.get(source) if source else connector.detect(Path(path))
        frames.append(c.parse(Path(path)))
    return combine(frames)


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stack postings from several sources; ids are made unique per source (``source|id``)."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return schemas.validate(pd.DataFrame({"posting_id": [], "title": [], "source": []}),
                                "postings", origin="postings")
    df = pd.concat(parts, ignore_index=True)
    if df["posting_id"].duplicated().any():
        df["posting_id"] = df["source"].astype(str) + "|" + df["posting_id"].astype(str)
    return schemas.validate(df, "postings", origin="postings")


def code_postings(postings: pd.DataFrame, model: Autocoder, *,
                  threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The postings table with soc_code (missing when unknown), soc_title, confidence, alternatives."""
    coded = code_titles(postings["title"], model, threshold=threshold)
    out = postings.drop(columns=[c for c in coded.columns if c in postings.columns]).reset_index(drop=True)
    out = pd.concat([out, coded], axis=1)
    return schemas.validate(out, "postings", origin="postings (coded)")


def postings_signal(postings: pd.DataFrame, model: Autocoder, *, threshold: float = DEFAULT_THRESHOLD,
                    window_days: int = 60, similarity: float = 0.9, period: Period = "quarter",
                    counties: Iterable[str] | None = None,
                    state_fips: str | None = None) -> PostingsResult:
    """Code, de-duplicate and aggregate postings, with the coding and duplicate rates."""
    coded = code_postings(postings, model, threshold=threshold)
    dd = dedupe_postings(coded, window_days=window_days, similarity=similarity)
    agg = postings_by_occupation(dd.kept, period=period, counties=counties, state_fips=state_fips)
    n = len(coded)
    summary = {
        "postings": float(n),
        "share_coded": float(coded["soc_code"].notna().mean()) if n else 0.0,
        "threshold": float(threshold),
        "duplicates": float(dd.n_duplicates),
        "duplicate_rate": dd.duplicate_rate,
        "kept": float(len(dd.kept)),
        **{f"aggregate_{k}": float(v) for k, v in agg.counts.items()},
    }
    return PostingsResult(postings=dd.postings, kept=dd.kept, by_occupation=agg.table, summary=summary)
