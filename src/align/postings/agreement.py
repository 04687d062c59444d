"""Do postings and projections agree on which occupations are in demand?

Postings are timely but cover perhaps 60-70% of openings and lean white-collar; projections are
slow and assume full employment. Neither replaces the other, so this table sits beside the gap
flags: per occupation, postings volume and projected annual openings, each as a percentile rank
across the occupations, a label, and one Spearman rank correlation for the whole set.

Labels (``high`` = rank percentile above ``high_quantile``, i.e. above the median by default):
``both high``, ``both low``, ``postings only`` (postings high, projections low) and
``projections only``. Occupations with projections but no coded postings have 0 postings (a
count, not a missing value); postings coded to occupations the run did not project are left
out of the table and counted in ``df.attrs["postings_outside_demand"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from align import schemas
from align.errors import InputError

LABELS = ("both high", "both low", "postings only", "projections only")


def _volume(postings: pd.DataFrame) -> pd.Series:
    """Postings per SOC from either coded postings (one row each) or ``postings_occupation``."""
    if "soc_code" not in postings.columns:
        raise InputError("postings have no soc_code column", expected="coded postings or postings_occupation")
    coded = postings[postings["soc_code"].notna()]
    if "n_postings" in coded.columns:
        return coded.groupby("soc_code")["n_postings"].sum()
    return coded.groupby("soc_code").size()


def postings_agreement(postings: pd.DataFrame, demand: pd.DataFrame, *,
                       high_quantile: float = 0.5) -> pd.DataFrame:
    """Table ``postings_agreement``: postings volume vs annual openings per occupation."""
    if not 0 < high_quantile < 1:
        raise InputError(f"high_quantile {high_quantile}", expected="a number between 0 and 1")
    for col in ("soc_code", "annual_openings"):
        if col not in demand.columns:
            raise InputError(f"demand table lacks {col}", expected="the run's occupation_demand table")
    volume = _volume(postings)
    d = demand.drop_duplicates("soc_code").set_index("soc_code")
    out = pd.DataFrame({"soc_code": d.index.astype(str)})
    if "occupation_title" in d.columns:
        out["occupation_title"] = d["occupation_title"].to_numpy()
    out["annual_openings"] = d["annual_openings"].to_numpy(dtype=float)
    out["n_postings"] = volume.reindex(d.index).fillna(0).to_numpy(dtype=float)
    have = out["annual_openings"].notna()
    out["openings_rank_pct"] = out["annual_openings"].where(have).rank(pct=True, method="average")
    out["postings_rank_pct"] = out["n_postings"].where(have).rank(pct=True, method="average")
    hi_p = out["postings_rank_pct"] > high_quantile
    hi_o = out["openings_rank_pct"] > high_quantile
    label = np.select([hi_p & hi_o, ~hi_p & ~hi_o, hi_p & ~hi_o], list(LABELS[:3]), LABELS[3])
    out["agreement_label"] = pd.Series(label, dtype=object).where(have, None)
    if have.sum() >= 3 and out.loc[have, "n_postings"].nunique() > 1 \
            and out.loc[have, "annual_openings"].nunique() > 1:
        # Spearman's rho: Pearson's correlation of the average ranks (as scipy.stats.spearmanr, without
        # importing scipy.stats, which alone costs about a second at start-up)
        rho = float(out.loc[have, "annual_openings"].rank().corr(out.loc[have, "n_postings"].rank()))
    else:
        rho = float("nan")
    out["rank_correlation"] = rho
    out = schemas.validate(out, "postings_agreement", origin="postings_agreement")
    outside = volume[~volume.index.isin(d.index)]
    out.attrs["rank_correlation"] = rho
    out.attrs["postings_outside_demand"] = int(outside.sum())
    return out
