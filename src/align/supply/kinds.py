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

import pandas as pd

from align.supply.education import _table, award_rank

GENERAL = "general"
SPECIFIC = "specific"


def _longest_prefix(codes: pd.Series, prefixes: pd.Series) -> pd.Series:
    """Index into ``prefixes`` of the longest prefix of each code (-1 where none matches).

    Each distinct code is looked up once: a region's programs repeat a few hundred CIP codes.
    """
    order = [(i, prefixes[i]) for i in prefixes.str.len().sort_values(ascending=False, kind="stable").index]
    text = codes.fillna("").astype(str)
    hit = {c: next((i for i, p in order if c.startswith(p)), -1) for c in pd.unique(text.to_numpy())}
    return pd.Series(text.map(hit).to_numpy(dtype=int), index=codes.index)


def program_kind(cip: pd.Series, award_level: pd.Series) -> pd.Series:
    """``general`` for general academic fields at or below their table's award rank, else ``specific``."""
    t = _table("program_kinds.csv")
    hit = _longest_prefix(cip, t["cip_prefix"])
    kind = hit.map(t["kind"]).fillna(SPECIFIC)
    top = hit.map(t["max_award_rank"]).fillna("9").astype(int)
    rank = award_rank(award_level).fillna(1).astype(int)
    return kind.where(rank <= top, SPECIFIC)


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
    """Whether each program × occupation edge passes ``occupation_entry.csv``, and the rule's reason."""
    t = _table("occupation_entry.csv")
    t = t.iloc[t["soc_prefix"].str.len().sort_values(ascending=False, kind="stable").index]
    ok = pd.Series(True, index=edges.index)
    why = pd.Series(None, index=edges.index, dtype=object)
    ruled = pd.Series(False, index=edges.index)  # the longest matching soc_prefix decides
    for rule in t.itertuples():
        applies = edges["soc_code"].str.startswith(rule.soc_prefix) & ~ruled
        ruled |= applies
        cips = [c for c in rule.cip_prefixes.split(";") if c]
        levels = [a for a in rule.award_levels.split(";") if a]
        passes = pd.Series(True, index=edges.index)
        if cips:
            passes &= edges["cip_code"].fillna("").astype(str).str.startswith(tuple(cips))
        if levels:
            passes &= edges["award_level"].astype(str).isin(levels)
        blocked = applies & ~passes
        ok &= ~blocked
        why = why.mask(blocked & why.isna(), rule.reason)
    return ok, why


def post_licensure(programs: pd.DataFrame, *, rn_to_bsn_share: float,
                   by_provider: dict[str, float] | None = None) -> pd.DataFrame:
    """Per program: the licensed occupations it is not new supply of, and the share that is post-licensure.

    Returns program_id, base_soc_codes (a frozenset), post_licensure_share and the rule's label,
    for programs a ``post_licensure.csv`` row matches. ``by_provider`` overrides the share of a
    partial (share-based) rule for named providers.
    """
    t = _table("post_licensure.csv")
    rank = award_rank(programs["award_level"]).fillna(1).astype(int)
    cip = programs["cip_code"].fillna("").astype(str)
    rows = []
    for rule in t.itertuples():
        hit = cip.str.startswith(rule.cip_prefix) & rank.between(int(rule.min_award_rank), int(rule.max_award_rank))
        for pid, provider in zip(programs.loc[hit, "program_id"], programs.loc[hit, "provider_id"], strict=True):
            if rule.share == "rn_to_bsn_share":
                share = (by_provider or {}).get(str(provider), rn_to_bsn_share)
            else:
                share = float(rule.share)
            rows.append({"program_id": pid, "base_soc_codes": frozenset(rule.base_soc_codes.split(";")),
                         "post_licensure_share": share, "post_licensure_rule": rule.label})
    out = pd.DataFrame(rows, columns=["program_id", "base_soc_codes", "post_licensure_share", "post_licensure_rule"])
    return out.drop_duplicates("program_id")
