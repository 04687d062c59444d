"""Completers to occupations without double counting: the CIP→SOC allocation.

The CIP–SOC crosswalk is many-to-many. Summing every mapped occupation's openings per program
counts the same openings once per program; counting every completer toward every mapped
occupation counts the same person several times. The default, proportional, allocation shares
each program's completers among its occupations in proportion to their openings, and each
occupation's openings among its programs in proportion to their completers, so that both totals
are conserved. ``naive`` reproduces the common double-counting method, for the audit only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from align import schemas
from align.supply.education import award_rank, entry_rank

MODES = ("proportional", "education-weighted", "naive")


@dataclass(frozen=True)
class Factors:
    """Completers → effective supply: who stays, works, and does not go on studying."""

    retention: float
    participation: float
    continuing_study: float

    @property
    def product(self) -> float:
        return self.retention * self.participation * (1.0 - self.continuing_study)

    def describe(self) -> str:
        return (f"retention {self.retention:.2f} × participation {self.participation:.2f} × "
                f"(1 − continuing study {self.continuing_study:.2f}) = {self.product:.3f}")


@dataclass(frozen=True)
class Allocation:
    table: pd.DataFrame        # program × occupation (the `allocation` table)
    unallocated: pd.DataFrame  # programs that supply no occupation in the demand table, with why
    audit: pd.DataFrame        # naive vs allocated demand per program, plus an overall row


def eligible_edges(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame, *,
                   allow_below_entry: bool = False, experienced_entry: list[str] | tuple[str, ...] = (),
                   prefer_matching_level: bool = True, tolerance: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Program × occupation pairs the crosswalk allows and the award level qualifies for.

    Occupations entered only after years of related work (``experienced_entry`` levels of BLS's
    work experience, e.g. managers) are filled from experience, not by new completers. With
    ``prefer_matching_level`` a program that maps to occupations at its own level supplies only
    those: a nurse-practitioner master's supplies nurse practitioners, not registered nurses.
    ``tolerance`` lets an award that many levels below the entry education count (0: strict).
    Returns (edges, unallocated programs with the reason none qualified).
    """
    xw = cip_soc
    if "is_no_match" in cip_soc.columns:
        xw = cip_soc[~cip_soc["is_no_match"].astype(bool)]
    xw = xw[["cip_code", "soc_code"]].drop_duplicates()
    occ = demand[["soc_code", "annual_openings", "typical_entry_education"]]
    if experienced_entry and "work_experience" in demand.columns:
        occ = occ[~demand["work_experience"].isin(list(experienced_entry))]
    cols = ["program_id", "cip_code", "award_level", "completers"]
    by_cip = programs[programs["cip_code"].notna()][cols].merge(xw, on="cip_code")
    # programs registered by occupation (apprenticeships) map to their SOC directly
    direct = programs[programs["cip_code"].isna() & programs["soc_code"].notna()][[*cols, "soc_code"]] \
        if "soc_code" in programs.columns else by_cip.iloc[:0]
    pairs = pd.concat([by_cip, direct], ignore_index=True)
    mapped = set(pairs["program_id"])
    pairs = pairs.merge(occ, on="soc_code")
    in_demand = set(pairs["program_id"])
    pairs["award_rank"] = award_rank(pairs["award_level"]).fillna(1).astype(int)
    pairs["entry_rank"] = entry_rank(pairs["soc_code"], pairs["typical_entry_education"].fillna(""))
    if not allow_below_entry:
        pairs = pairs[pairs["award_rank"] + tolerance >= pairs["entry_rank"]]
    if prefer_matching_level:
        exact = pairs["award_rank"] == pairs["entry_rank"]
        pairs = pairs[exact | ~exact.groupby(pairs["program_id"]).transform("any")]
    qualified = set(pairs["program_id"])

    def why(pid: str) -> str | None:
        if pid not in mapped:
            return "its CIP code has no occupation in the CIP–SOC crosswalk (NO MATCH)"
        if pid not in in_demand:
            return ("its CIP code maps only to occupations outside the region's demand table or entered "
                    "only after years of related work")
        if pid not in qualified:
            return "its award level is below the entry education of every occupation it maps to"
        return None

    reasons = programs["program_id"].map(why)
    unallocated = programs.loc[reasons.notna()].assign(reason=reasons[reasons.notna()])
    return pairs.reset_index(drop=True), unallocated.reset_index(drop=True)


def below_level(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame) -> pd.DataFrame:
    """Program × occupation pairs the crosswalk allows but the award level does not (soc_code, program_id)."""
    pairs, _ = eligible_edges(programs, cip_soc, demand, allow_below_entry=True, prefer_matching_level=False)
    return pairs[pairs["award_rank"] < pairs["entry_rank"]][["soc_code", "program_id"]].reset_index(drop=True)


def allocate(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame, *,
             mode: str = "proportional", factors: Factors, allow_below_entry: bool = False,
             experienced_entry: list[str] | tuple[str, ...] = (), prefer_matching_level: bool = True,
             tolerance: int = 0) -> Allocation:
    """Allocate completers to occupations and openings to programs (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"unknown allocation mode {mode!r}; choose one of {MODES}")
    edges, unallocated = eligible_edges(programs, cip_soc, demand, allow_below_entry=allow_below_entry,
                                        experienced_entry=experienced_entry,
                                        prefer_matching_level=prefer_matching_level, tolerance=tolerance)
    weight = edges["annual_openings"].astype(float)
    if mode == "education-weighted":
        # a program at exactly the occupation's entry level counts fully; above it, half
        weight = weight * np.where(edges["award_rank"] == edges["entry_rank"], 1.0, 0.5)
    if mode == "naive":
        share = pd.Series(1.0, index=edges.index)
        openings_alloc = edges["annual_openings"].astype(float)
    else:
        share = _normalise(weight, edges["program_id"])
        openings_alloc = edges["annual_openings"] * _normalise(edges["completers"].astype(float), edges["soc_code"])
    table = pd.DataFrame({
        "program_id": edges["program_id"], "soc_code": edges["soc_code"], "share": share,
        "completers_allocated": edges["completers"] * share, "openings_allocated": openings_alloc,
        "cip_code": edges["cip_code"], "award_level": edges["award_level"],
    })
    table["effective_supply"] = table["completers_allocated"] * factors.product
    table = schemas.validate(table.sort_values(["program_id", "soc_code"]), "allocation", origin="allocation")
    return Allocation(table, unallocated, double_count_audit(edges, demand))


def _normalise(values: pd.Series, groups: pd.Series) -> pd.Series:
    """values / group total; equal shares inside a group whose total is zero."""
    total = values.groupby(groups).transform("sum")
    size = values.groupby(groups).transform("size")
    return pd.Series(np.where(total > 0, values / total.where(total > 0, 1.0), 1.0 / size), index=values.index)


def double_count_audit(edges: pd.DataFrame, demand: pd.DataFrame) -> pd.DataFrame:
    """How much the naive method (sum of mapped openings per program) overstates true openings."""
    per_program = edges.groupby("program_id").agg(naive_demand=("annual_openings", "sum"),
                                                  n_occupations=("soc_code", "nunique")).reset_index()
    allocated = edges["annual_openings"] * _normalise(edges["completers"].astype(float), edges["soc_code"])
    per_program["openings_allocated"] = allocated.groupby(edges["program_id"]).sum().reindex(
        per_program["program_id"]).to_numpy()
    per_program["inflation"] = per_program["naive_demand"] - per_program["openings_allocated"]
    fed = edges.drop_duplicates("soc_code")
    true_total = float(fed["annual_openings"].sum())
    naive_total = float(per_program["naive_demand"].sum())
    overall = pd.DataFrame([{"program_id": "ALL PROGRAMS", "naive_demand": naive_total,
                             "n_occupations": int(fed["soc_code"].nunique()),
                             "openings_allocated": true_total, "inflation": naive_total - true_total}])
    audit = pd.concat([per_program, overall], ignore_index=True)
    return schemas.validate(audit, "double_count_audit", origin="double_count_audit")


def supply_bounds(edges: pd.DataFrame, factors: Factors) -> pd.DataFrame:
    """Lowest and highest effective supply each occupation could receive under any allocation.

    Exact argument: an occupation gets at most every completer of every program that may feed
    it, and at least the completers of programs for which it is the only eligible occupation.
    """
    n_occ = edges.groupby("program_id")["soc_code"].transform("nunique")
    eff = edges["completers"].astype(float) * factors.product
    high = eff.groupby(edges["soc_code"]).sum()
    low = eff.where(n_occ == 1, 0.0).groupby(edges["soc_code"]).sum()
    return pd.DataFrame({"supply_low": low, "supply_high": high})
