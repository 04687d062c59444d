"""Where every completer goes: one account per program that adds up exactly.

    completers = outside region + continuing study + post-licensure
                 + not occupation-specific + allocated + unallocated

* *outside region*: the share of an institution's IPEDS report that belongs to campuses or
  online students elsewhere (``regional_share``, :mod:`align.supply.regional`);
* *continuing study*: completers who go on studying (by award and field,
  :mod:`align.supply.continuing`);
* *post-licensure*: completers already in the licensed occupation the program starts from
  (RN-to-BSN, nursing master's) who have no advanced occupation to go to;
* *not occupation-specific*: graduates of general academic fields beyond the share counted
  toward the field's own occupations, and programs mapped only to residual "All Other" codes;
* *allocated*: shared among the program's eligible occupations (:mod:`align.supply.allocation`);
* *unallocated*: programs that train for no occupation in the region's demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from align.supply.continuing import continuing_study_share
from align.supply.kinds import GENERAL, program_kind
from align.supply.regional import regional_shares

NOT_SPECIFIC, POST_LICENSURE, UNALLOCATED = "not occupation-specific", "post-licensure", "unallocated"
ACCOUNT_COLUMNS = ["outside_region", "continuing_study", "post_licensure", "not_occupation_specific",
                   "completers_allocated", "unallocated"]


@dataclass(frozen=True)
class SupplyRules:
    """The documented settings that decide how a program's completers are counted (docs/matching.md)."""

    continuing_study: float | None = None
    """One continuing-study share for every program; None: the sourced table by award and field."""
    general_related_share: float = 0.27
    """Share of a general academic field's graduates counted toward the field's own occupations."""
    rn_to_bsn_share: float = 0.30
    """Share of bachelor's nursing completers who are RN-to-BSN (already registered nurses)."""
    post_licensure_share: dict[str, float] = field(default_factory=dict)
    """Per provider (UNITID): its own RN-to-BSN share, overriding ``rn_to_bsn_share``."""
    regional_share: dict[str, float] = field(default_factory=dict)
    """Per provider (UNITID): share of its IPEDS completers counted as the region's."""


def completer_accounts(programs: pd.DataFrame, edges: pd.DataFrame, excluded: pd.DataFrame,
                       post_licensure: pd.DataFrame, rules: SupplyRules) -> pd.DataFrame:
    """The ``supply_accounts`` table: every program's completers, split into the six accounts."""
    p = programs.reset_index(drop=True)
    out = {"program_id": p["program_id"], "completers": p["completers"].astype(float)}
    for c in ("provider_id", "provider_name", "cip_code", "cip_title", "award_level", "award_label"):
        if c in p.columns:
            out[c] = p[c].to_numpy()
    kind = program_kind(p["cip_code"], p["award_level"]).to_numpy()
    completers, share = out["completers"].to_numpy(), regional_shares(p, rules.regional_share).to_numpy()
    outside = completers * (1.0 - share)
    regional = completers - outside
    study_share = continuing_study_share(p, rules.continuing_study).to_numpy()
    study = regional * study_share
    working = regional - study

    has_edges = p["program_id"].isin(set(edges["program_id"])).to_numpy()
    category = p["program_id"].map(excluded.set_index("program_id")["supply_category"]).to_numpy(dtype=object) \
        if len(excluded) else np.full(len(p), None, dtype=object)
    partial = post_licensure[post_licensure["post_licensure_share"] < 1.0].set_index("program_id")[
        "post_licensure_share"] if len(post_licensure) else pd.Series(dtype=float)
    # astype: mapping no rows (a county without programs) gives an empty *string* column
    licensed = np.where(has_edges, p["program_id"].map(partial).astype(float).fillna(0.0).to_numpy(), 0.0)
    related = np.where((kind == GENERAL) & has_edges, rules.general_related_share, 1.0)
    rest = working * (1.0 - licensed)
    out.update(program_kind=kind, regional_share=share, outside_region=outside, continuing_study_share=study_share,
               continuing_study=study,
               post_licensure=working * licensed + np.where(category == POST_LICENSURE, working, 0.0),
               completers_allocated=np.where(has_edges, rest * related, 0.0),
               not_occupation_specific=np.where(has_edges, rest * (1.0 - related), 0.0)
               + np.where(category == NOT_SPECIFIC, working, 0.0),
               unallocated=np.where(category == UNALLOCATED, working, 0.0))
    out["account_note"] = [_note(*r) for r in zip(*(out[c] for c in _NOTED), strict=True)]
    return pd.DataFrame(out)


# the words for the accounts after continuing study, in the order a note names them
_LABELS = {"post_licensure": "already licensed (post-licensure)", "not_occupation_specific": "not occupation-specific",
           "completers_allocated": "allocated to occupations", "unallocated": "supply no occupation in demand"}
_NOTED = ("outside_region", "regional_share", "continuing_study", "continuing_study_share", *_LABELS)  # _note's args


def _note(outside_region: float, regional_share: float, continuing_study: float, continuing_study_share: float,
          *accounts: float) -> str:
    """The account in words, one clause per non-zero part (``accounts``: those of :data:`_LABELS`)."""
    parts = []
    if outside_region > 0:
        parts.append(f"{outside_region:,.1f} outside the region (regional share {regional_share:.2f})")
    if continuing_study > 0:
        parts.append(f"{continuing_study:,.1f} continue studying ({continuing_study_share:.0%})")
    parts += [f"{v:,.1f} {label}" for v, label in zip(accounts, _LABELS.values(), strict=True) if v > 0]
    return "; ".join(parts)


def check_conservation(accounts: pd.DataFrame, tolerance: float = 1e-6) -> float:
    """Largest gap between a program's completers and the sum of its accounts (0 when exact)."""
    total = accounts[ACCOUNT_COLUMNS].sum(axis=1)
    return float((accounts["completers"] - total).abs().max()) if len(accounts) else 0.0


def not_occupation_specific(accounts: pd.DataFrame) -> pd.DataFrame:
    """Programs with completers counted as not occupation-specific, largest first.

    These completers enter work but not any one occupation the crosswalk can name: they are
    neither a surplus nor a shortage of any occupation, and the report shows them as their own line.
    """
    cols = ["program_id", "provider_name", "cip_code", "cip_title", "award_level", "award_label", "program_kind",
            "completers", "continuing_study", "completers_allocated", "not_occupation_specific", "account_note"]
    d = accounts[accounts["not_occupation_specific"] > 0]
    d = d[[c for c in cols if c in d.columns]]
    return d.sort_values(["not_occupation_specific", "program_id"], ascending=[False, True]).reset_index(drop=True)
