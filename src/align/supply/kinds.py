"""What a program is for, beyond what the CIP–SOC crosswalk says it may lead to.

The crosswalk lists the occupations a field *may* lead to, not where its graduates go. Three
documented tables in ``align/data`` correct the cases where reading it literally misleads:

* ``program_kinds.csv``: general academic fields (psychology, biology, English, ...), whose
  graduates work across the whole economy; only a documented share of them is counted toward
  the field's own occupations, and the rest is *not occupation-specific*.
* ``occupation_entry.csv``: occupations only some programs may supply (K-12 teachers need an
  educator-preparation program; postsecondary teachers come from research degrees).
* ``post_licensure.csv``: programs taken by people already in a licensed occupation (RN-to-BSN,
  nursing master's): they are not new supply of it.

Residual "All Other" occupations (SOC codes ending in 9 titled "..., All Other") absorb no
completers: they are what is left of a major group, not a destination a program trains for.
Occupations entered with a doctoral or professional degree, and postsecondary teachers, are hired
in a national market (:func:`national_market`): a region's own graduates neither fill nor exceed
its openings.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from align.supply.education import _table, award_ranks

GENERAL = "general"
SPECIFIC = "specific"


def program_kind(cip: pd.Series, award_level: pd.Series) -> pd.Series:
    """``general`` for general academic fields at or below their table's award rank, else ``specific``."""
    codes = cip.fillna("").astype(str)
    return pd.Series([_kind(c, str(a)) for c, a in zip(codes, award_level, strict=True)], index=cip.index,
                     dtype=object)


@cache
def _kind(cip: str, award_level: str) -> str:
    """One (CIP code, award level)'s kind: the longest matching ``cip_prefix`` of program_kinds.csv decides."""
    rule = next((r for r in _rules("program_kinds.csv", "cip_prefix") if cip.startswith(r.cip_prefix)), None)
    if rule is None:
        return SPECIFIC
    return rule.kind if award_ranks().get(award_level, 1) <= int(rule.max_award_rank) else SPECIFIC


@cache
def _rules(name: str, prefix: str) -> tuple:
    """A documented table's rows, longest ``prefix`` first (table order among equals): the first match decides."""
    rows = list(_table(name).itertuples())
    return tuple(sorted(rows, key=lambda r: -len(getattr(r, prefix))))


def is_residual(soc_code: pd.Series, title: pd.Series) -> pd.Series:
    """SOC's residual categories: a code ending in 9 whose title ends 'All Other'."""
    return soc_code.astype(str).str.endswith("9") & title.fillna("").astype(str).str.strip().str.lower() \
        .str.endswith("all other")


def national_market(soc_code: pd.Series, entry_rank: pd.Series) -> pd.Series:
    """Occupations hired across the country, not from the region's own graduates.

    Those entered with a doctoral or professional degree (physicians, veterinarians, lawyers,
    psychologists: residency matches, national searches, graduates who move for them) and
    postsecondary teachers (faculty are recruited in national searches whatever their degree) and
    graduate teaching assistants (25-9044: the graduate students universities admit from everywhere).
    """
    soc = soc_code.astype(str)
    return (entry_rank.astype(int) >= 5) | soc.str.startswith("25-1") | (soc == "25-9044")


def entry_allowed(edges: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether each program × occupation edge passes ``occupation_entry.csv``, and the rule's reason.

    The longest matching ``soc_prefix`` decides; a blocked edge gives that rule's reason. Each
    distinct (SOC, CIP, award) is decided once.
    """
    cip = edges["cip_code"].fillna("").astype(str)
    decided = [_entry(str(s), c, str(a)) for s, c, a in zip(edges["soc_code"], cip, edges["award_level"], strict=True)]
    ok = pd.Series([d is None for d in decided], index=edges.index, dtype=bool)
    return ok, pd.Series(decided, index=edges.index, dtype=object)


@cache
def _entry(soc: str, cip: str, award_level: str) -> str | None:
    """The reason an occupation_entry.csv rule blocks this edge, or None where it may supply."""
    rule = next((r for r in _rules("occupation_entry.csv", "soc_prefix") if soc.startswith(r.soc_prefix)), None)
    if rule is None:
        return None
    cips = tuple(c for c in rule.cip_prefixes.split(";") if c)
    levels = [a for a in rule.award_levels.split(";") if a]
    passes = (not cips or cip.startswith(cips)) and (not levels or award_level in levels)
    return None if passes else rule.reason


def post_licensure(programs: pd.DataFrame, *, rn_to_bsn_share: float,
                   by_provider: dict[str, float] | None = None) -> pd.DataFrame:
    """Per program: the licensed occupations it is not new supply of, and the share that is post-licensure.

    Returns program_id, base_soc_codes (a frozenset), post_licensure_share and the rule's label,
    for programs a ``post_licensure.csv`` row matches. ``by_provider`` overrides the share of a
    partial (share-based) rule for named providers.
    """
    t = _table("post_licensure.csv")
    ranks = award_ranks()
    rank = [ranks.get(str(a), 1) for a in programs["award_level"]]
    cip = programs["cip_code"].fillna("").astype(str).tolist()
    ids, providers = programs["program_id"].tolist(), programs["provider_id"].tolist()
    rows = []
    for rule in t.itertuples():
        lo, hi = int(rule.min_award_rank), int(rule.max_award_rank)
        hit = [i for i, (c, r) in enumerate(zip(cip, rank, strict=True)) if c.startswith(rule.cip_prefix) and lo <= r <= hi]
        for pid, provider in ((ids[i], providers[i]) for i in hit):
            if rule.share == "rn_to_bsn_share":
                share = (by_provider or {}).get(str(provider), rn_to_bsn_share)
            else:
                share = float(rule.share)
            rows.append({"program_id": pid, "base_soc_codes": frozenset(rule.base_soc_codes.split(";")),
                         "post_licensure_share": share, "post_licensure_rule": rule.label})
    out = pd.DataFrame(rows, columns=["program_id", "base_soc_codes", "post_licensure_share", "post_licensure_rule"])
    return out.drop_duplicates("program_id")
