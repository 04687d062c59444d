"""The statewide tables: the regions added up, and the view across regions a state board needs.

- ``state_occupation_demand``: each occupation's employment and openings summed over the regions
  (reconciled, so they add up to the state's own industry projection);
- ``region_gaps``: regions × occupations, each region's own gap and flag beside the reconciled ones;
- ``state_gaps``: openings against supply statewide, and whether a shortage (or surplus) is
  *statewide* (the state as a whole trains too few) or *local* (some regions short while the
  state as a whole trains enough: people trained elsewhere in the state could fill it), or
  only *in some regions* (where programs train for a job most regions fill on the job);
- ``cross_region_duplication``: the same program (CIP code and award level) offered by providers
  in neighbouring regions whose combined supply exceeds the openings allocated to them.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from align.config import Parameters
from align.match import gaps as G
from align.match.duplication import find_duplication
from align.supply.allocation import Factors

GAP_COLUMNS = ["annual_openings", "effective_supply", "gap", "flag"]
TRAINING_FLAGS = (*G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS, G.BALANCED)
STATEWIDE_SHORTAGE, LOCAL_SHORTAGE = "statewide shortage", "local shortage"
STATEWIDE_SURPLUS, LOCAL_SURPLUS = "statewide surplus", "local surplus"
# short (or over-supplied) where some regions train for it, while most regions fill it on the job
SOME_SHORT, SOME_SURPLUS = "short in some regions", "surplus in some regions"


def stack(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One table per region → one long table with ``region_id`` first."""
    frames = [df.assign(region_id=rid) for rid, df in parts.items()]
    out = pd.concat(frames, ignore_index=True)
    return out[["region_id", *[c for c in out.columns if c != "region_id"]]]


def region_gaps(own: dict[str, pd.DataFrame], reconciled: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Regions × occupations: the region's own gap (as its run folder has it) and the reconciled one."""
    a = stack({r: g[["soc_code", "occupation_title", *GAP_COLUMNS, "material"]] for r, g in own.items()})
    b = stack({r: g[["soc_code", *GAP_COLUMNS, "material"]] for r, g in reconciled.items()})
    b = b.rename(columns={c: f"{c}_reconciled" for c in [*GAP_COLUMNS, "material"]})
    return a.merge(b, on=["region_id", "soc_code"], how="outer").sort_values(["region_id", "soc_code"],
                                                                              ignore_index=True)


def state_occupation_demand(demand: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Employment and openings per occupation, summed over the regions."""
    cols = ["employment_base", "employment_target", "growth_annual", "exits_annual", "transfers_annual",
            "annual_openings"]
    long = stack({r: d for r, d in demand.items()})
    titles = long.dropna(subset=["occupation_title"]).drop_duplicates("soc_code").set_index("soc_code")[
        "occupation_title"]
    out = long.groupby("soc_code")[cols].sum()
    out["n_regions"] = long.groupby("soc_code")["region_id"].nunique()
    out.insert(0, "occupation_title", titles.reindex(out.index))
    return out.reset_index()


def state_gaps(gaps: pd.DataFrame, names: dict[str, str], params: Parameters) -> pd.DataFrame:
    """Openings against supply statewide, with each occupation's statewide and local findings.

    ``gaps`` is :func:`region_gaps`; the reconciled columns are judged. An occupation is judged
    statewide only where most regions (at least half) found training the usual way in (a
    shortage, surplus or balance; elsewhere it is learned on the job, or has too few openings),
    with the same bands, minimum openings and materiality as a region. Openings and supply are
    summed over every region (``annual_openings``, ``effective_supply``).
    """
    g = gaps.assign(short=gaps["flag_reconciled"].isin(G.SHORTAGE_FLAGS) & gaps["material_reconciled"].fillna(False),
                    surplus=gaps["flag_reconciled"].isin(G.SURPLUS_FLAGS) & gaps["material_reconciled"].fillna(False),
                    training=gaps["flag_reconciled"].isin(TRAINING_FLAGS),
                    name=gaps["region_id"].map(names))
    by = g.groupby("soc_code")
    n_regions = len(names)
    out = pd.DataFrame({
        "occupation_title": by["occupation_title"].first(),
        "annual_openings": by["annual_openings_reconciled"].sum(),
        "effective_supply": by["effective_supply_reconciled"].sum(),
        "n_regions": by["region_id"].nunique(),
        "n_regions_training": by["training"].sum().astype(int),
        "n_regions_short": by["short"].sum().astype(int),
        "n_regions_surplus": by["surplus"].sum().astype(int),
        "regions_short": by.apply(lambda d: "; ".join(d.loc[d["short"], "name"]), include_groups=False),
        "regions_surplus": by.apply(lambda d: "; ".join(d.loc[d["surplus"], "name"]), include_groups=False),
    })
    out["gap"] = out["annual_openings"] - out["effective_supply"]
    ratio = out["effective_supply"] / out["annual_openings"].where(out["annual_openings"] > 0)
    out["supply_demand_ratio"] = ratio
    judged = (2 * out["n_regions_training"] >= n_regions) & (out["annual_openings"] >= params.min_openings)
    out["flag"] = [G.band(r, params.flag_bands)[0] if j and np.isfinite(r) else ""
                   for r, j in zip(ratio, judged, strict=True)]
    material = out["gap"].abs() >= params.material_gap
    state_short = out["flag"].isin(G.SHORTAGE_FLAGS) & material
    state_surplus = out["flag"].isin(G.SURPLUS_FLAGS) & material
    enough = out["flag"].isin([G.BALANCED, *G.SURPLUS_FLAGS])  # the state as a whole trains enough
    short_enough = out["flag"].isin([G.BALANCED, *G.SHORTAGE_FLAGS])
    somewhere_short, somewhere_surplus = out["n_regions_short"] > 0, out["n_regions_surplus"] > 0
    out["scope"] = np.select(
        [state_short, somewhere_short & enough, state_surplus, somewhere_surplus & short_enough,
         somewhere_short & ~judged, somewhere_surplus & ~judged],
        [STATEWIDE_SHORTAGE, LOCAL_SHORTAGE, STATEWIDE_SURPLUS, LOCAL_SURPLUS, SOME_SHORT, SOME_SURPLUS],
        default="")
    out = out.reset_index()
    return out.sort_values(["gap", "soc_code"], ascending=[False, True], ignore_index=True)


def neighbour_pairs(region_ids: list[str], neighbours: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Pairs of bordering regions (each once, in order); every pair when no borders are given."""
    if not neighbours:
        return list(itertools.combinations(sorted(region_ids), 2))
    pairs = {tuple(sorted((a, b))) for a, bs in neighbours.items() for b in bs if a != b}
    return sorted(p for p in pairs if p[0] in region_ids and p[1] in region_ids)


DUPLICATION_COLUMNS = ["region_a", "region_b", "cip_code", "award_level", "cip_title", "award_label", "n_providers",
                       "combined_supply", "allocated_demand", "excess_supply", "material", "within_region",
                       "providers"]


def cross_region_duplication(programs: dict[str, pd.DataFrame], allocation: dict[str, pd.DataFrame],
                             duplication: dict[str, pd.DataFrame], pairs: list[tuple[str, str]],
                             params: Parameters) -> pd.DataFrame:
    """Clusters (CIP code × award level) that neighbouring regions' providers offer on both sides,
    judged as a region's duplication is, over the two regions' supply and the openings it serves.

    ``within_region`` marks the clusters one of the two regions' own reports already flags (its
    own providers duplicate each other); the others only show across the border.
    """
    factors = Factors(params.retention, params.participation)
    rows = []
    for a, b in pairs:
        both = pd.concat([programs[a].assign(region_id=a), programs[b].assign(region_id=b)], ignore_index=True)
        alloc = pd.concat([allocation[a], allocation[b]], ignore_index=True)
        dup = find_duplication(both, alloc, factors=factors, margin=params.duplication_margin,
                               thin_completers=params.thin_program_completers,
                               material_supply=params.duplication_material_supply,
                               material_excess=params.duplication_material_excess)
        sides = both.groupby(["cip_code", "award_level"])["region_id"].nunique()
        dup = dup[[sides.get((c, w), 0) == 2 for c, w in zip(dup["cip_code"], dup["award_level"], strict=True)]]
        dup = dup[dup["is_duplicated"].astype(bool)]
        own = set().union(*({(c, w) for c, w, d in zip(duplication[r]["cip_code"], duplication[r]["award_level"],
                                                       duplication[r]["is_duplicated"], strict=True) if d}
                            for r in (a, b)))
        if len(dup):
            rows.append(dup.assign(region_a=a, region_b=b, within_region=[
                (c, w) in own for c, w in zip(dup["cip_code"], dup["award_level"], strict=True)]))
    if not rows:
        return pd.DataFrame(columns=DUPLICATION_COLUMNS)
    out = pd.concat(rows, ignore_index=True)[DUPLICATION_COLUMNS]
    return out.sort_values(["within_region", "material", "excess_supply"], ascending=[True, False, False],
                           ignore_index=True)
