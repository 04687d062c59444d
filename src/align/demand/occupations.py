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


def choose_patterns(staffing: pd.DataFrame, preference: list[str] | None = None) -> pd.DataFrame:
    """One staffing pattern per industry: the first geography in ``preference`` that has one.

    A region's own pattern where it was measured, else the state's, else the nation's — the
    usual fallback when a local OEWS industry file suppresses or lacks an industry.
    """
    geographies = sorted(staffing["geography"].astype(str).unique())
    if not preference:
        if len(geographies) > 1:
            raise InputError("staffing patterns for several geographies; set parameters.staffing_geography "
                             "to one of them or to a list in order of preference", file="staffing_patterns",
                             expected=f"one or more of {geographies}")
        return staffing.reset_index(drop=True)
    unknown = [g for g in preference if g not in geographies]
    if unknown:
        raise InputError(f"no staffing pattern for geography {', '.join(map(repr, unknown))}",
                         file="staffing_patterns", expected=f"one or more of {geographies}")
    rank = {g: i for i, g in enumerate(preference)}
    table = staffing[staffing["geography"].astype(str).isin(rank)]
    best = table["naics_code"].map(table.assign(r=table["geography"].astype(str).map(rank))
                                   .groupby("naics_code")["r"].min())
    return table[table["geography"].astype(str).map(rank) == best].reset_index(drop=True)


def staffing_matrix(staffing: pd.DataFrame) -> StaffingMatrix:
    """The sparse share matrix of a staffing table with one pattern per industry."""
    mixed = staffing.groupby("naics_code")["geography"].nunique()
    if (mixed > 1).any():
        raise InputError(f"industry {mixed[mixed > 1].index[0]} has patterns from several geographies",
                         file="staffing_patterns", expected="one pattern per industry (see choose_patterns)")
    table = staffing.dropna(subset=["share_of_industry_employment"])
    naics = sorted(table["naics_code"].unique())
    soc = sorted(table["soc_code"].unique())
    rows = pd.Index(naics).get_indexer(table["naics_code"])
    cols = pd.Index(soc).get_indexer(table["soc_code"])
    m = sparse.csr_matrix((table["share_of_industry_employment"].to_numpy(float), (rows, cols)),
                          shape=(len(naics), len(soc)))
    return StaffingMatrix(naics, soc, m)


def pattern_code(code: str, known: set[str]) -> str:
    """The staffing-pattern code for an industry code: itself, or a sector range's first code.

    QCEW writes manufacturing as ``31-33``; OEWS's sector files write ``31``.
    """
    if code in known or "-" not in code:
        return code
    start = code.split("-")[0]
    return start if start in known else code


def to_occupations(industry_values: pd.DataFrame, matrix: StaffingMatrix) -> pd.DataFrame:
    """Convert industry-level columns to occupation-level columns.

    ``industry_values`` is indexed by NAICS code, one column per quantity (base, target,
    bounds…). Industries absent from the pattern contribute nothing (report them with
    :func:`unmatched_industries`). Returns a frame indexed by SOC code with the same columns.
    """
    aligned = aligned_industries(industry_values, matrix)
    product = matrix.shares.T @ aligned.to_numpy(float)
    return pd.DataFrame(np.asarray(product), index=pd.Index(matrix.soc, name="soc_code"),
                        columns=industry_values.columns)


def aligned_industries(industry_values: pd.DataFrame, matrix: StaffingMatrix) -> pd.DataFrame:
    """Industry values in the matrix's row order, under the pattern's codes (``31-33`` → ``31``)."""
    known = set(matrix.naics)
    renamed = industry_values.rename(index=lambda c: pattern_code(c, known))
    grouped = renamed.groupby(level=0).sum(min_count=1)
    # an industry the region lacks contributes nothing; an unknown value (no interval) stays unknown
    aligned = grouped.reindex(matrix.naics)
    aligned.loc[~aligned.index.isin(grouped.index)] = 0.0
    return aligned


def unmatched_industries(industry_codes: list[str], matrix: StaffingMatrix) -> list[str]:
    known = set(matrix.naics)
    return sorted(c for c in industry_codes if pattern_code(c, known) not in known)
