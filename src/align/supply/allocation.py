"""Completers to occupations without double counting: the CIP→SOC allocation.

The CIP–SOC crosswalk is many-to-many. Summing every mapped occupation's openings per program
counts the same openings once per program; counting every completer toward every mapped
occupation counts the same person several times. The default, proportional, allocation shares
each program's completers among its occupations in proportion to their openings, and each
occupation's openings among its programs in proportion to their completers, so that both totals
are conserved. ``naive`` reproduces the common double-counting method, for the audit only.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from align import schemas
from align.supply.accounts import (
    NOT_SPECIFIC,
    POST_LICENSURE,
    UNALLOCATED,
    SupplyRules,
    completer_accounts,
)
from align.supply.education import award_rank, entry_rank
from align.supply.kinds import GENERAL, entry_allowed, is_residual, national_market, program_kind
from align.supply.kinds import post_licensure as post_licensure_rules

MODES = ("proportional", "education-weighted", "naive")


@dataclass(frozen=True)
class Factors:
    """Completers entering work → effective supply: who stays in the region and works.

    Continuing study is not a factor here: it differs by field and award, so it is taken out of
    each program's completers before allocation (see :mod:`align.supply.accounts`).
    """

    retention: float
    participation: float

    @property
    def product(self) -> float:
        return self.retention * self.participation

    def describe(self) -> str:
        return f"retention {self.retention:.2f} × participation {self.participation:.2f} = {self.product:.3f}"


@dataclass(frozen=True)
class Allocation:
    table: pd.DataFrame        # program × occupation (the `allocation` table)
    unallocated: pd.DataFrame  # programs that supply no occupation in the demand table, with why
    audit: pd.DataFrame        # naive vs allocated demand per program, plus an overall row
    accounts: pd.DataFrame     # every program's completers, where each one went (supply_accounts)


def eligible_edges(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame, *,
                   allow_below_entry: bool = False, experienced_entry: list[str] | tuple[str, ...] = (),
                   prefer_matching_level: bool = True, tolerance: int = 0,
                   post_licensure: pd.DataFrame | None = None, group_fallback: bool = True,
                   max_overqualification: int | None = None,
                   crosswalk: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Program × occupation pairs the crosswalk allows and the award level qualifies for.

    Occupations entered only after years of related work (``experienced_entry`` levels of BLS's
    work experience, e.g. managers) are filled from experience, not by new completers. Residual
    "All Other" occupations absorb no completers; ``occupation_entry.csv`` limits who may supply
    teachers; a post-licensure program (``post_licensure``, from :func:`kinds.post_licensure`,
    share 1) is not new supply of the licensed occupation it starts from (a nurse-practitioner
    master's supplies nurse practitioners, not registered nurses). With ``prefer_matching_level``
    a doctoral or professional award that maps to national-market occupations (doctoral entry,
    postsecondary teachers: :func:`kinds.national_market`) supplies only those: an engineering
    PhD supplies engineering faculty, not the region's engineers; a DVM supplies veterinarians.
    Other awards are shared among every occupation they qualify for, in proportion to openings
    (a computer-science master's supplies software developers as well as research scientists).
    ``tolerance`` lets an award that many levels below the entry education count (0: strict);
    ``max_overqualification`` keeps an award from supplying occupations more than that many
    levels below it (a master's in education does not supply teaching assistants). Crosswalk codes
    the demand table has only combined count as the combined code (:func:`demand_codes`).
    With ``group_fallback`` an award below the entry education of every occupation its CIP maps
    to supplies, instead, the occupations of the same SOC broad group it does qualify for (a
    networking certificate mapped to computer network support specialists, an associate's-level
    occupation, supplies computer user support specialists, its broad group's certificate-level
    occupation); such edges have ``match = "same occupation group"``.
    ``crosswalk`` is :func:`crosswalk_pairs` of the same tables, where the caller has it already.
    Returns (edges, programs that supply no occupation with ``supply_category`` and ``reason``).
    """
    pairs, occ = crosswalk or crosswalk_pairs(programs, cip_soc, demand)
    if experienced_entry and "work_experience" in demand.columns:
        occ = occ[~demand["work_experience"].isin(list(experienced_entry))]
    mapped = set(pairs["program_id"])
    mapped_groups = pairs.assign(group=pairs["soc_code"].str[:6])[["program_id", "group"]].drop_duplicates()
    pairs = pairs.merge(occ, on="soc_code")
    in_demand = set(pairs["program_id"])
    residual_only = set(pairs["program_id"]) - set(pairs.loc[~pairs["_residual"], "program_id"])
    pairs = pairs[~pairs["_residual"]].drop(columns="_residual")
    _rank(pairs)
    allowed, _ = entry_allowed(pairs)
    rule_only = set(pairs["program_id"]) - set(pairs.loc[allowed, "program_id"])
    pairs = pairs[allowed]
    full = post_licensure[post_licensure["post_licensure_share"] >= 1.0] if post_licensure is not None \
        else pd.DataFrame(columns=["program_id", "base_soc_codes"])
    base = pd.Series(full["base_soc_codes"].to_numpy(), index=full["program_id"])

    def licensed_base(e: pd.DataFrame) -> pd.Series:
        return pd.Series([s in base.get(p, frozenset()) for p, s in zip(e["program_id"], e["soc_code"], strict=True)],
                         index=e.index, dtype=bool)

    is_base = licensed_base(pairs)
    licensed = set(pairs.loc[is_base, "program_id"])  # post-licensure unless an advanced occupation remains
    pairs = pairs[~is_base]
    leveled = set(pairs["program_id"])
    if not allow_below_entry:
        pairs = pairs[pairs["award_rank"] + tolerance >= pairs["entry_rank"]]
    fitting = set(pairs["program_id"])
    if max_overqualification is not None:
        pairs = pairs[pairs["award_rank"] - pairs["entry_rank"] <= max_overqualification]
    overqualified = fitting - set(pairs["program_id"])
    if prefer_matching_level:  # a doctorate mapped to national-market occupations supplies only those
        doctoral = pairs["award_rank"] >= 5
        national = doctoral & national_market(pairs["soc_code"], pairs["entry_rank"])
        pairs = pairs[national | ~(doctoral & national.groupby(pairs["program_id"]).transform("any"))]
    pairs = pairs.assign(match="crosswalk")
    below = leveled - fitting
    if group_fallback and below:
        extra = _group_edges(programs, below, mapped_groups, occ)
        extra = extra[entry_allowed(extra)[0] & ~licensed_base(extra)]
        if max_overqualification is not None:
            extra = extra[extra["award_rank"] - extra["entry_rank"] <= max_overqualification]
        pairs = pd.concat([pairs, extra], ignore_index=True)
    qualified = set(pairs["program_id"])
    kind = pd.Series(program_kind(programs["cip_code"], programs["award_level"]).to_numpy(),
                     index=programs["program_id"])

    def why(pid: str) -> tuple[str, str] | None:
        if pid in qualified:
            return None
        if pid not in mapped:
            return UNALLOCATED, "its CIP code has no occupation in the CIP–SOC crosswalk (NO MATCH)"
        if pid in licensed:
            return POST_LICENSURE, ("its completers already work in the licensed occupation it starts from, and the "
                                    "crosswalk gives no advanced occupation at its level in the region")
        if kind.get(pid) == GENERAL:
            return NOT_SPECIFIC, ("a general academic field whose graduates work across many occupations; none of "
                                  "its crosswalk occupations is open at its level")
        if pid not in in_demand:
            return UNALLOCATED, ("its CIP code maps only to occupations outside the region's demand table or entered "
                                 "only after years of related work")
        if pid in residual_only:
            return NOT_SPECIFIC, "its CIP code maps only to residual 'All Other' occupations"
        if pid in overqualified:
            return UNALLOCATED, ("its crosswalk occupations need much less than its award (more than "
                                 f"{max_overqualification} levels below), and none at or near its level is in demand")
        if pid in rule_only:
            return UNALLOCATED, "its occupations accept only programs of another kind (occupation_entry.csv)"
        return UNALLOCATED, "its award level is below the entry education of every occupation it maps to"

    reasons = [why(pid) for pid in programs["program_id"]]
    keep = [r is not None for r in reasons]
    unallocated = programs.loc[keep].assign(supply_category=[r[0] for r in reasons if r], reason=[r[1] for r in reasons if r])
    return pairs.reset_index(drop=True), unallocated.reset_index(drop=True)


def crosswalk_pairs(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every program × occupation pair the crosswalk names (SOC codes as the demand table codes them),
    and the demand's occupations new completers may enter (with whether each is residual)."""
    xw = cip_soc
    if "is_no_match" in cip_soc.columns:
        xw = cip_soc[~cip_soc["is_no_match"].astype(bool)]
    xw = xw[["cip_code", "soc_code"]].drop_duplicates()
    xw = xw.assign(soc_code=xw["soc_code"].map(demand_codes(xw["soc_code"], demand["soc_code"]))).drop_duplicates()
    title = demand["occupation_title"] if "occupation_title" in demand.columns else pd.Series("", index=demand.index)
    occ = demand.assign(_residual=is_residual(demand["soc_code"], title))[
        ["soc_code", "annual_openings", "typical_entry_education", "_residual"]]
    cols = ["program_id", "cip_code", "award_level", "completers"]
    by_cip = programs[programs["cip_code"].notna()][cols].merge(xw, on="cip_code")
    # programs registered by occupation (apprenticeships) map to their SOC directly
    direct = programs[programs["cip_code"].isna() & programs["soc_code"].notna()][[*cols, "soc_code"]] \
        if "soc_code" in programs.columns else by_cip.iloc[:0]
    return pd.concat([by_cip, direct], ignore_index=True), occ


def demand_codes(crosswalk_socs: pd.Series, demand_socs: pd.Series) -> dict[str, str]:
    """Each crosswalk SOC code as the demand table codes it.

    OEWS and Employment Projections publish some detailed SOC 2018 occupations only combined:
    as their broad group (13-1020 for 13-1021 … 13-1023) or as an aggregate code of their own
    (21-1018 for 21-1011 and 21-1014, 25-2052 for 25-2055 and 25-2056, 25-9045 for 25-9042 …).
    A crosswalk code absent from demand goes to its broad group where demand has it, else to the
    one demand code of its broad group that the crosswalk never uses; otherwise it stays.
    """
    known = set(demand_socs)
    aggregate: dict[str, list[str]] = {}
    for code in sorted(known - set(crosswalk_socs)):
        aggregate.setdefault(code[:6], []).append(code)
    out = {}
    for code in set(crosswalk_socs):
        broad = code[:6] + "0"
        if code in known:
            out[code] = code
        elif broad in known:
            out[code] = broad
        else:
            cand = aggregate.get(code[:6], [])
            out[code] = cand[0] if len(cand) == 1 else code
    return out


def _rank(pairs: pd.DataFrame) -> None:
    pairs["award_rank"] = award_rank(pairs["award_level"]).fillna(1).astype(int)
    pairs["entry_rank"] = entry_rank(pairs["soc_code"], pairs["typical_entry_education"].fillna(""))


def _group_edges(programs: pd.DataFrame, below: set[str], mapped_groups: pd.DataFrame,
                 occ: pd.DataFrame) -> pd.DataFrame:
    """Edges from below-level programs to the same-broad-group occupations their award qualifies for.

    Only sub-baccalaureate awards (certificates, associate's: where the crosswalk's gaps are), and
    only occupations that need postsecondary training (entry rank 1 or more) and are not
    residual: a certificate is not sent to a job learnt at work.
    """
    p = programs[programs["program_id"].isin(below)][["program_id", "cip_code", "award_level", "completers"]]
    cand = occ[~occ["_residual"]].assign(group=occ["soc_code"].str[:6]).drop(columns="_residual")
    e = p.merge(mapped_groups, on="program_id").merge(cand, on="group").drop(columns="group")
    _rank(e)
    e = e[(e["entry_rank"] >= 1) & (e["award_rank"] >= e["entry_rank"]) & (e["award_rank"] <= 2)]
    return e.drop_duplicates(["program_id", "soc_code"]).assign(match="same occupation group")


def below_level(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame,
                crosswalk: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Program × occupation pairs the crosswalk (and occupation_entry.csv) allows but the award level
    does not (soc_code, program_id); residual occupations are not named. ``crosswalk``: as in
    :func:`eligible_edges`."""
    pairs, occ = crosswalk or crosswalk_pairs(programs, cip_soc, demand)
    pairs = pairs.merge(occ[~occ["_residual"]], on="soc_code")
    _rank(pairs)
    pairs = pairs[entry_allowed(pairs)[0]]
    return pairs[pairs["award_rank"] < pairs["entry_rank"]][["soc_code", "program_id"]].reset_index(drop=True)


class SupplyEdges(NamedTuple):
    edges: pd.DataFrame        # eligible program × occupation pairs with allocatable completers
    excluded: pd.DataFrame     # programs that supply no occupation, with why
    accounts: pd.DataFrame     # every program's completer account (see :mod:`align.supply.accounts`)
    below_level: pd.DataFrame  # pairs the award level does not qualify for (:func:`below_level`)


def supply_edges(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame, *,
                 rules: SupplyRules | None = None, **eligibility: object) -> SupplyEdges:
    """Eligible edges carrying each program's *allocatable* completers and, on each, its share of the
    occupation's openings (``openings_allocated``: in proportion to completers), with what else the
    supply and match stages read from the same crosswalk pairs.

    Both stages need them for the same region: the second call with the same tables (by content,
    not identity) and rules gets copies of the first's.
    """
    rules = rules or SupplyRules()
    key = (_content(programs), _content(cip_soc), _content(demand), repr(rules), repr(sorted(eligibility.items())))
    if key not in _EDGES:
        post = post_licensure_rules(programs, rn_to_bsn_share=rules.rn_to_bsn_share,
                                    by_provider=rules.post_licensure_share)
        crosswalk = crosswalk_pairs(programs, cip_soc, demand)
        edges, excluded = eligible_edges(programs, cip_soc, demand, post_licensure=post, crosswalk=crosswalk,
                                         **eligibility)
        accounts = completer_accounts(programs, edges, excluded, post, rules)
        allocatable = accounts.set_index("program_id")["completers_allocated"]
        edges = edges.assign(completers=edges["program_id"].map(allocatable).fillna(0.0).astype(float))
        edges["openings_allocated"] = edges["annual_openings"] * _normalise(edges["completers"], edges["soc_code"])
        _EDGES[key] = SupplyEdges(edges, excluded, accounts, below_level(programs, cip_soc, demand, crosswalk))
        while len(_EDGES) > _EDGES_KEPT:
            _EDGES.popitem(last=False)
    _EDGES.move_to_end(key)
    return SupplyEdges(*(t.copy() for t in _EDGES[key]))


_EDGES: OrderedDict[tuple, SupplyEdges] = OrderedDict()
_EDGES_KEPT = 4


def _content(df: pd.DataFrame) -> bytes:
    """A table's content as a hashable key: a digest of its pickle (columns, dtypes, index, values).

    Equal bytes unpickle to equal tables, so a hit is never wrong; an equal table laid out
    differently in memory only misses, and is worked out afresh. Six times faster than hashing rows.
    """
    return hashlib.blake2b(pickle.dumps(df, protocol=5), digest_size=16).digest()


def allocate(programs: pd.DataFrame, cip_soc: pd.DataFrame, demand: pd.DataFrame, *,
             mode: str = "proportional", factors: Factors, rules: SupplyRules | None = None,
             **eligibility: object) -> Allocation:
    """Allocate completers to occupations and openings to programs (see the module docstring)."""
    edges, excluded, accounts, _ = supply_edges(programs, cip_soc, demand, rules=rules, **eligibility)
    table = allocation_table(edges, mode=mode, factors=factors)
    unallocated = excluded[excluded["supply_category"] == UNALLOCATED].reset_index(drop=True)
    return Allocation(table, unallocated, double_count_audit(edges, demand), accounts)


def allocation_table(edges: pd.DataFrame, *, mode: str, factors: Factors) -> pd.DataFrame:
    """The program × occupation ``allocation`` table from :func:`supply_edges`' edges, in one mode."""
    if mode not in MODES:
        raise ValueError(f"unknown allocation mode {mode!r}; choose one of {MODES}")
    weight = edges["annual_openings"].astype(float)
    if mode == "education-weighted":
        # a program at exactly the occupation's entry level counts fully; above it, half
        weight = weight * np.where(edges["award_rank"] == edges["entry_rank"], 1.0, 0.5)
    if mode == "naive":
        share = pd.Series(1.0, index=edges.index)
        openings_alloc = edges["annual_openings"].astype(float)
    else:
        share = _normalise(weight, edges["program_id"])
        openings_alloc = edges["openings_allocated"]
    table = pd.DataFrame({
        "program_id": edges["program_id"], "soc_code": edges["soc_code"], "share": share,
        "completers_allocated": edges["completers"] * share, "openings_allocated": openings_alloc,
        "cip_code": edges["cip_code"], "award_level": edges["award_level"], "match": edges["match"],
    })
    table["effective_supply"] = table["completers_allocated"] * factors.product
    return schemas.validate(table.sort_values(["program_id", "soc_code"]), "allocation", origin="allocation")


def _normalise(values: pd.Series, groups: pd.Series) -> pd.Series:
    """values / group total; equal shares inside a group whose total is zero."""
    total = values.groupby(groups).transform("sum")
    size = values.groupby(groups).transform("size")
    # dtype: with no rows the group transforms come back as strings, not numbers
    return pd.Series(np.where(total > 0, values / total.where(total > 0, 1.0), 1.0 / size.astype(float)),
                     index=values.index, dtype=float)


def double_count_audit(edges: pd.DataFrame, demand: pd.DataFrame) -> pd.DataFrame:
    """How much the naive method (sum of mapped openings per program) overstates true openings."""
    by = edges.groupby("program_id")  # an edge per program and occupation: size counts occupations
    per_program = pd.DataFrame({"naive_demand": by["annual_openings"].sum(), "n_occupations": by.size(),
                                "openings_allocated": by["openings_allocated"].sum()}).reset_index()
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
