"""Industries to occupations through staffing patterns, as one matrix product.

``E_occ = Σ_ind E_ind · share(occ | ind)`` for every period and bound at once: a (periods ×
industries) matrix times an (industries × occupations) share matrix — no per-row loops, so a
national run of many regions stays a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from align.errors import InputError


@dataclass(frozen=True)
class StaffingMatrix:
    naics: list[str]
    soc: list[str]
    shares: sparse.csr_matrix  # industries × occupations

    def coverage(self) -> pd.Series:
        """Share of each industry's employment that the pattern assigns to an occupation."""
        return pd.Series(np.asarray(self.shares.sum(axis=1)).ravel(), index=self.naics)


def staffing_matrix(staffing: pd.DataFrame, geography: str | None = None) -> StaffingMatrix:
    """The sparse share matrix of one geography's staffing pattern (suppressed shares left out)."""
    table = staffing
    if geography is not None:
        table = staffing[staffing["geography"] == geography]
        if table.empty:
            raise InputError(f"no staffing pattern for geography {geography!r}", file="staffing_patterns",
                             expected=f"one of {sorted(staffing['geography'].unique())}")
    elif staffing["geography"].nunique() > 1:
        raise InputError("staffing patterns for several geographies; set parameters.staffing_geography",
                         file="staffing_patterns",
                         expected=f"one of {sorted(staffing['geography'].unique())}")
    table = table.dropna(subset=["share_of_industry_employment"])
    naics = sorted(table["naics_code"].unique())
    soc = sorted(table["soc_code"].unique())
    rows = pd.Index(naics).get_indexer(table["naics_code"])
    cols = pd.Index(soc).get_indexer(table["soc_code"])
    m = sparse.csr_matrix((table["share_of_industry_employment"].to_numpy(float), (rows, cols)),
                          shape=(len(naics), len(soc)))
    return StaffingMatrix(naics, soc, m)


def to_occupations(industry_values: pd.DataFrame, matrix: StaffingMatrix) -> pd.DataFrame:
    """Convert industry-level columns to occupation-level columns.

    ``industry_values`` is indexed by NAICS code, one column per quantity (base, target,
    bounds…). Industries absent from the pattern contribute nothing (report them with
    :func:`unmatched_industries`). Returns a frame indexed by SOC code with the same columns.
    """
    aligned = industry_values.reindex(matrix.naics).fillna(0.0)
    product = matrix.shares.T @ aligned.to_numpy(float)
    return pd.DataFrame(np.asarray(product), index=pd.Index(matrix.soc, name="soc_code"),
                        columns=industry_values.columns)


def unmatched_industries(industry_codes: list[str], matrix: StaffingMatrix) -> list[str]:
    known = set(matrix.naics)
    return sorted(c for c in industry_codes if c not in known)
