"""Stackable credentials: regional programs in one CIP family at rising award levels.

A CIP family is the 4-digit series (``51.38`` for registered nursing and its specialties). A
family stacks when the region offers it at two or more award ranks (certificate → associate →
bachelor → master …), within one provider or across providers. A stack is *broken* at a rank
where occupations the family trains for have openings and need that rank, but no regional
program in the family is offered at it — the next rung exists in the labour market, not in the
region's training.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from align.pathways.graph import PathwayParams
from align.supply.education import award_rank

RANK_LABELS = {1: "certificate", 2: "associate's degree", 3: "bachelor's degree", 4: "master's degree",
               5: "doctoral degree"}
STACK_COLUMNS = ["cip_family", "stack_step", "award_rank", "award_rank_label", "award_levels",
                 "n_programs", "programs", "providers", "n_providers", "stack_kind", "occupations",
                 "annual_openings", "is_broken", "reason"]


def cip_family(cip: pd.Series) -> pd.Series:
    """The 4-digit CIP series of a 6-digit code ('51.3801' → '51.38')."""
    return cip.astype(str).str[:5]


def find_stacks(nodes: pd.DataFrame, programs: pd.DataFrame | None, cip_soc: pd.DataFrame | None,
                params: PathwayParams) -> pd.DataFrame:
    """One row per (CIP family, award rank) for families that stack or should: offered or broken."""
    if programs is None or programs.empty:
        return pd.DataFrame(columns=STACK_COLUMNS)
    # programs registered by occupation (apprenticeships) have no CIP family to stack in
    p = programs.dropna(subset=["cip_code"])[["program_id", "provider_id", "cip_code", "award_level"]].copy()
    p["cip_family"] = cip_family(p["cip_code"])
    p["award_rank"] = award_rank(p["award_level"])
    p = p.dropna(subset=["award_rank"])
    p["award_rank"] = p["award_rank"].astype(int)

    need = pd.DataFrame(columns=["cip_family", "award_rank", "soc_code", "annual_openings"])
    if cip_soc is not None and len(cip_soc):
        cw = cip_soc[["cip_code", "soc_code"]].drop_duplicates()
        cw = cw.assign(cip_family=cip_family(cw["cip_code"]))
        cw = cw[cw["cip_family"].isin(set(p["cip_family"]))]
        occ = nodes[["soc_code", "entry_rank", "annual_openings"]]
        need = cw.merge(occ, on="soc_code")
        need = need[(need["annual_openings"] >= params.min_openings) & (need["entry_rank"] >= 1)]
        need = need.rename(columns={"entry_rank": "award_rank"})[
            ["cip_family", "award_rank", "soc_code", "annual_openings"]].drop_duplicates(
            ["cip_family", "award_rank", "soc_code"])

    # grouped once into plain lists (a pandas filter per family and rank cost most of the stage);
    # each rank's programs and needs keep the tables' row order
    offered_at: dict[str, dict[int, list[tuple]]] = {}
    for row in zip(p["cip_family"], p["award_rank"], p["program_id"], p["provider_id"],
                   p["provider_id"].astype(str), p["award_level"].astype(str), p["provider_id"].notna(), strict=True):
        offered_at.setdefault(row[0], {}).setdefault(int(row[1]), []).append(row[2:])
    needed_at: dict[str, dict[int, list[tuple[str, float]]]] = {}
    for fam, rank, soc, n in zip(need["cip_family"], need["award_rank"], need["soc_code"], need["annual_openings"],
                                 strict=True):
        needed_at.setdefault(fam, {}).setdefault(int(rank), []).append((soc, n))

    rows: list[dict] = []
    for fam in sorted(offered_at):
        fp, fn = offered_at[fam], needed_at.get(fam, {})
        offered = sorted(fp)
        ranks = sorted(set(offered) | set(fn))
        if len(ranks) < 2:
            continue
        provider_ranks: dict[object, set[int]] = {}
        for rank, at in fp.items():
            for _, provider, _, _, known in at:
                if known:
                    provider_ranks.setdefault(provider, set()).add(rank)
        kind = ("within provider" if any(len(r) >= 2 for r in provider_ranks.values()) else
                "across providers" if len(offered) >= 2 else "single level")
        for step, rank in enumerate(ranks, start=1):
            at, nd = fp.get(rank, []), fn.get(rank, [])
            broken = not at and bool(nd)
            occs = sorted({soc for soc, _ in nd})
            openings = _first_per_occupation_sum(nd)
            if broken:
                reason = (f"{', '.join(occs)} need a {RANK_LABELS.get(rank, rank)} and have "
                          f"{openings:,.0f} openings/yr; no regional {fam} program at that level")
            else:
                reason = f"{len(at)} regional program(s) at this level"
            rows.append({"cip_family": fam, "stack_step": step, "award_rank": rank,
                         "award_rank_label": RANK_LABELS.get(rank, str(rank)),
                         "award_levels": "; ".join(sorted({a[3] for a in at})),
                         "n_programs": len(at), "programs": "; ".join(sorted(a[0] for a in at)),
                         "providers": "; ".join(sorted({a[2] for a in at})),
                         "n_providers": len({a[1] for a in at if a[4]}), "stack_kind": kind,
                         "occupations": "; ".join(occs), "annual_openings": openings,
                         "is_broken": broken, "reason": reason})
    return pd.DataFrame(rows, columns=STACK_COLUMNS)


def _first_per_occupation_sum(needs: list[tuple[str, float]]) -> float:
    """Openings summed once per occupation, as ``drop_duplicates("soc_code")[...].sum()`` does."""
    seen: dict[str, float] = {}
    for soc, n in needs:
        seen.setdefault(soc, n)
    return float(np.sum(np.asarray(list(seen.values()), dtype=float))) if seen else 0.0
