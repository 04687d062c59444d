"""The postings path: connectors' postings → coded → de-duplicated → per occupation per period.

One function so a planning run (or a notebook) gets the same postings signal and the same
quality numbers every time: the share coded above the confidence threshold, the share flagged
for review and the duplicate rate are reported with the tables, never silently absorbed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from align import schemas
from align.postings.aggregate import Period, postings_by_occupation
from align.postings.autocoder import DEFAULT_THRESHOLD, Autocoder, agreement, attach, code_titles
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
    """The postings table with the autocoder's columns beside it (``autocode_*``).

    ``soc_code`` is the code the postings are counted under: the file's own where it has one
    (never overwritten), else the autocoder's above ``threshold``; ``soc_code_source`` says which.
    Where the file has codes, ``autocode_agrees`` checks them against the coder's. A ``naics_code``
    column steers the coder by industry; ``description`` and ``employer_sector`` text by context.
    """
    industry = postings["naics_code"] if "naics_code" in postings.columns else None
    text = [postings[c].fillna("").astype(str) for c in ("description", "employer_sector") if c in postings.columns]
    context = (text[0] if len(text) == 1 else text[0] + " " + text[1]) if text else None
    coded = code_titles(postings["title"], model, threshold=threshold, industry=industry, context=context)
    out = attach(postings, coded, origin="postings")
    own = out["soc_code"] if "soc_code" in out.columns else pd.Series(None, index=out.index, dtype=object)
    has_own = own.notna() & own.astype(str).str.strip().ne("")
    if has_own.any():
        out["autocode_agrees"] = agreement(own, out["autocode_soc_code"])[0]
    out["soc_code"] = own.where(has_own, out["autocode_soc_code"])
    out["soc_code_source"] = np.select([has_own, out["autocode_soc_code"].notna()], ["input", "autocoder"], "none")
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
    agree = coded["autocode_agrees"].dropna() if "autocode_agrees" in coded.columns else pd.Series(dtype=bool)
    summary = {
        "postings": float(n),
        "share_coded": float(coded["soc_code"].notna().mean()) if n else 0.0,
        "share_review": float(coded["autocode_review"].mean()) if n else 0.0,
        "input_codes": float(len(agree)),
        "share_agreeing": float(agree.mean()) if len(agree) else float("nan"),
        "threshold": float(threshold),
        "duplicates": float(dd.n_duplicates),
        "duplicate_rate": dd.duplicate_rate,
        "kept": float(len(dd.kept)),
        **{f"aggregate_{k}": float(v) for k, v in agg.counts.items()},
    }
    return PostingsResult(postings=dd.postings, kept=dd.kept, by_occupation=agg.table, summary=summary)
