"""Gaps and flags per occupation, each flag with the arithmetic behind it in plain words.

The flag bands are the practitioners' supply/demand ratio bands (configurable). Uncertainty is
carried through: openings have an 80% range from the forecast intervals, and the probability
of a shortage treats openings as normal with the spread that range implies.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri  # normal cdf, quantile; lighter than scipy.stats

from align import schemas
from align.config import FlagBands, Parameters
from align.frames import joined
from align.supply.allocation import Factors
from align.supply.education import entry_rank
from align.supply.kinds import GENERAL, is_residual, national_market, program_kind
from align.supply.routes import HOW_TO_ADD, ROUTE_COLUMNS, has_listed_route

Z80 = float(ndtri(0.9))  # half-width of a central 80% interval in standard deviations

UNDERSUPPLY = "undersupply"
SLIGHT_UNDERSUPPLY = "slight undersupply"
BALANCED = "balanced"
SLIGHT_OVERSUPPLY = "slight oversupply"
OVERSUPPLY = "oversupply"
NO_PROGRAM = "no regional program"
ON_THE_JOB = "on-the-job entry"
EXPERIENCED = "filled from experience"
BELOW_MINIMUM = "below minimum openings"
RESIDUAL = "residual category"
NOT_COVERED = "training not in this run"
NATIONAL = "national market"
SHORTAGE_FLAGS = (UNDERSUPPLY, SLIGHT_UNDERSUPPLY, NO_PROGRAM)
SURPLUS_FLAGS = (SLIGHT_OVERSUPPLY, OVERSUPPLY)
# The lists a board reads, each ranked on its own (``rank`` in gaps.csv): shortages where the
# run's sources cover the usual training routes, surpluses, and shortages the run cannot measure
# because a usual route (CDL schools, nurse-aide courses, academies) is outside them.
LISTS = {"shortages": SHORTAGE_FLAGS, "surpluses": SURPLUS_FLAGS, "not covered": (NOT_COVERED,)}


def band(ratio: float, bands: FlagBands) -> tuple[str, str]:
    """The flag for a supply/demand ratio and the threshold it fell within, in words."""
    if ratio <= bands.undersupply:
        return UNDERSUPPLY, f"ratio {ratio:.2f} ≤ {bands.undersupply:.2f}"
    if ratio <= bands.slight_undersupply:
        return SLIGHT_UNDERSUPPLY, f"{bands.undersupply:.2f} < ratio {ratio:.2f} ≤ {bands.slight_undersupply:.2f}"
    if ratio <= bands.balanced:
        return BALANCED, f"{bands.slight_undersupply:.2f} < ratio {ratio:.2f} ≤ {bands.balanced:.2f}"
    if ratio <= bands.slight_oversupply:
        return SLIGHT_OVERSUPPLY, f"{bands.balanced:.2f} < ratio {ratio:.2f} ≤ {bands.slight_oversupply:.2f}"
    return OVERSUPPLY, f"ratio {ratio:.2f} > {bands.slight_oversupply:.2f}"


def probability_shortage(openings: pd.Series, low: pd.Series, high: pd.Series,
                         supply: pd.Series, supply_sd: pd.Series | None = None) -> pd.Series:
    """P(openings > supply) with openings ~ Normal(point, sd from the 80% range).

    With ``supply_sd`` supply is normal too (independent of demand), so the difference has the
    two variances added.
    """
    sd = (high - low) / (2 * Z80)
    if supply_sd is not None:
        sd = np.sqrt(sd ** 2 + supply_sd.fillna(0.0) ** 2)
    z = (openings - supply) / sd.where(sd > 0)
    p = pd.Series(ndtr(z), index=openings.index)
    exact = (openings > supply).astype(float)
    return p.where(sd.isna() | (sd > 0), exact)  # no range known: no probability either


@dataclass(frozen=True)
class Materiality:
    """Named thresholds that keep flags and lists from turning on a handful of people (docs/matching.md).

    Built from the run's ``[parameters]`` (:meth:`of`), where their defaults and meanings live.
    """

    min_program_supply: float
    """Supply below this (a year) is not a regional program for the flag: on-the-job entry stays so."""
    material_gap: float
    """A shortage or surplus smaller than this (a year) is kept in the tables but not led with."""
    min_program_share: float
    """For jobs entered with a diploma or less, programs are a usual way in only if they supply this share of openings."""
    general_surplus_share: float = 0.5
    """A surplus resting more than this share on general academic fields is not led with (see docs/matching.md)."""

    @classmethod
    def of(cls, p: Parameters | None = None) -> Materiality:
        p = p or Parameters()
        return cls(p.min_program_supply, p.material_gap, p.min_program_share)


def compute_gaps(demand: pd.DataFrame, supply: pd.DataFrame, bounds: pd.DataFrame,
                 contributions: pd.DataFrame, *, bands: FlagBands, min_openings: float,
                 factors: Factors, alternative_supply: pd.Series | None = None,
                 supply_sd: pd.Series | None = None, below_level: pd.Series | None = None,
                 routes: pd.DataFrame | None = None, materiality: Materiality | None = None,
                 supply_notes: pd.Series | None = None) -> pd.DataFrame:
    """The gaps table: one row per occupation in the demand table.

    ``alternative_supply`` is the supply under the other reasonable allocation mode; with the
    bounds it grades robustness: short (or surplus) under every allocation, under most (both
    modes), or depending on the allocation. ``supply_sd`` adds supply uncertainty. ``below_level``
    names, per occupation, regional programs the crosswalk links to it at a lower award level.
    ``routes`` (:func:`align.supply.routes.training_routes`) says which usual training routes the
    run covers: a shortage is not asserted where a usual route is outside the run's sources.
    ``supply_notes`` says, per occupation, what the supply rests on (one provider, doctorates), in words.
    """
    materiality = materiality or Materiality.of()
    g = demand.merge(supply, on="soc_code", how="left").merge(
        bounds, left_on="soc_code", right_index=True, how="left")
    g["effective_supply"] = g["effective_supply"].fillna(0.0)
    g["n_programs"] = g["n_programs"].fillna(0).astype(int)
    g["supply_low"] = g["supply_low"].fillna(0.0)
    g["supply_high"] = g["supply_high"].fillna(0.0)
    g["gap"] = g["annual_openings"] - g["effective_supply"]
    g["supply_demand_ratio"] = (g["effective_supply"] / g["annual_openings"]).where(g["annual_openings"] > 0)
    if supply_sd is not None:
        g["supply_sd"] = g["soc_code"].map(supply_sd).fillna(0.0)
    g["probability_shortage"] = probability_shortage(
        g["annual_openings"], g["annual_openings_low"], g["annual_openings_high"], g["effective_supply"],
        g["supply_sd"] if supply_sd is not None else None)
    alt = g["soc_code"].map(alternative_supply).fillna(0.0) if alternative_supply is not None \
        else g["effective_supply"]
    o, s = g["annual_openings"], g["effective_supply"]
    g["robustness"] = np.select(
        [g["supply_high"] < o, g["supply_low"] > o, (s < o) & (alt < o), (s > o) & (alt > o)],
        ["short under every allocation", "surplus under every allocation", "short under most allocations",
         "surplus under most allocations"],
        default="depends on the allocation")
    g.loc[g["n_programs"] == 0, "robustness"] = "no regional program"
    for col in ("on_the_job_training", "work_experience"):
        if col not in g.columns:
            g[col] = None
    g["below_level"] = g["soc_code"].map(below_level) if below_level is not None else None
    g["entry_rank"] = entry_rank(g["soc_code"], g["typical_entry_education"].fillna(""))
    g["is_residual"] = is_residual(g["soc_code"], g["occupation_title"])
    g["has_listed_route"] = has_listed_route(g["soc_code"])
    r = (routes if routes is not None else pd.DataFrame(columns=ROUTE_COLUMNS)).set_index("soc_code")
    for col in ("usual_routes", "routes_not_covered"):
        g[col] = g["soc_code"].map(r[col]).astype(object).fillna("")
    g["coverage"] = g["soc_code"].map(r["coverage"]).astype(object).fillna("covered")
    g["supply_note"] = g["soc_code"].map(supply_notes) if supply_notes is not None else None
    g["is_national"] = national_market(g["soc_code"], g["entry_rank"])
    g["general_share"] = g["soc_code"].map(general_share(contributions)).fillna(0.0)
    listing = joined(contributions["soc_code"], contributions["text"])
    g["programs"] = g["soc_code"].map(listing).astype(object).fillna("")
    rows = map(_Row._make, zip(*(g[c].tolist() for c in _Row._fields), strict=True))  # as itertuples, faster
    flags, reasons = zip(*(_flag(r, bands, min_openings, factors, materiality) for r in rows),
                         strict=True) if len(g) else ((), ())
    g["flag"] = pd.Series(flags, index=g.index, dtype=object)  # object, as the contract keeps text
    g["reason"] = pd.Series(reasons, index=g.index, dtype=object)
    g = g.sort_values(["gap", "soc_code"], ascending=[False, True])
    g["material"], g["board_list"], g["rank"] = _material(g, materiality)
    return schemas.validate(g.drop(columns=["entry_rank", "below_level", "is_residual", "has_listed_route",
                                            "supply_note", "is_national", "general_share"]),
                            "gaps", origin="gaps")


def general_share(contributions: pd.DataFrame) -> pd.Series:
    """Per occupation, the share of its effective supply from general academic fields (program_kinds.csv)."""
    if not len(contributions) or not {"cip_code", "award_level"} <= set(contributions.columns):
        return pd.Series(dtype=float)
    kind = program_kind(contributions["cip_code"], contributions["award_level"])
    eff = contributions["effective_supply"].astype(float)
    total = eff.groupby(contributions["soc_code"]).sum()
    return (eff.where(kind == GENERAL, 0.0).groupby(contributions["soc_code"]).sum() / total.where(total > 0)).fillna(0.0)


def _material(g: pd.DataFrame, m: Materiality) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whether a flag is large enough to lead its board list with, which list, and its rank there.

    Each list in :data:`LISTS` ranks on its own: shortages and uncovered shortages by gap (largest
    first), surpluses by excess supply. A surplus resting mostly on general academic fields is not
    led with: those graduates go on to other occupations (it stays flagged in the tables).
    """
    rank, ranked = np.zeros(len(g), dtype=np.int64), np.zeros(len(g), dtype=bool)
    board_list = np.full(len(g), "", dtype=object)  # empty, like routes_not_covered: no None/NaN split
    flag, gap = g["flag"].to_numpy(dtype=object), g["gap"].to_numpy(dtype=float)
    for name, flags in LISTS.items():  # the lists' flags are disjoint: a row is on one list at most
        surplus = flags == SURPLUS_FLAGS
        size = -gap if surplus else gap
        hit = np.isin(flag, flags) & (size >= m.material_gap)
        if surplus:
            hit &= g["general_share"].to_numpy(dtype=float) <= m.general_surplus_share
        at = np.flatnonzero(hit)
        # largest first, ties in table order (``rank(ascending=False, method="first")``)
        rank[at[np.argsort(-size[at], kind="stable")]] = np.arange(1, len(at) + 1)
        ranked[at] = True
        board_list[at] = name
    return (pd.Series(ranked, index=g.index), pd.Series(board_list, index=g.index, dtype=object),
            pd.Series(pd.arrays.IntegerArray(rank, ~ranked), index=g.index))


def leading(gaps: pd.DataFrame, which: str, n: int | None = None) -> pd.DataFrame:
    """The first ``n`` rows of one board list (:data:`LISTS`) in rank order: the report displays them,
    the ranking rule lives here."""
    d = gaps[gaps["flag"].isin(LISTS[which]) & gaps["material"].fillna(False).astype(bool)]
    d = d.sort_values(["rank", "soc_code"])
    return d if n is None else d.head(n)


def _listing(programs: object) -> str:
    """Programs inside a reason: commas, since '; ' separates the reason's own steps."""
    return str(programs).replace("; ", ", ")


def _short_training(training: object) -> bool:
    """BLS on-the-job training of a month or less (or none): the job is learnt at work."""
    return training is None or (isinstance(training, float) and np.isnan(training)) or str(training) in (
        "Short-term on-the-job training", "None", "")


# the columns _flag reads, one row at a time
_Row = namedtuple("_Row", [
    "annual_openings", "annual_openings_low", "annual_openings_high", "growth_annual", "exits_annual",
    "transfers_annual", "n_programs", "work_experience", "on_the_job_training", "typical_entry_education",
    "entry_rank", "is_residual", "is_national", "has_listed_route", "effective_supply", "supply_low", "supply_high",
    "supply_demand_ratio", "probability_shortage", "robustness", "programs", "below_level", "usual_routes",
    "routes_not_covered", "supply_note", "general_share"])


def _flag(r: _Row, bands: FlagBands, min_openings: float, factors: Factors,
          materiality: Materiality) -> tuple[str, str]:
    span = ("no forecast range: too little history" if pd.isna(r.annual_openings_low)
            else f"80% range {r.annual_openings_low:,.0f}–{r.annual_openings_high:,.0f}")
    openings = (f"openings {r.annual_openings:,.0f}/yr = growth {r.growth_annual:,.1f} + exits "
                f"{r.exits_annual:,.1f} + transfers {r.transfers_annual:,.1f} ({span})")
    if r.annual_openings < min_openings:
        return BELOW_MINIMUM, f"{openings}; below the minimum of {min_openings:g} openings, so no flag is raised"
    if r.n_programs == 0 and str(r.work_experience) == "5 years or more":
        return EXPERIENCED, (f"{openings}; workers typically need 5 years or more in a related occupation, so "
                             f"openings are filled by experienced workers moving up, not by new completers")
    if r.is_residual:
        return RESIDUAL, (f"{openings}; a residual 'All Other' category of its major group: programs are not matched "
                          f"to it (their graduates are counted in named occupations, or as not occupation-specific), "
                          f"so no shortage or surplus is assessed")
    if r.is_national:
        found = (f"regional programs add {r.effective_supply:,.1f} a year ({_listing(r.programs)})" if r.n_programs
                 else "no regional program trains for it")
        return NATIONAL, (f"{openings}; {found}; workers enter with a doctoral or professional degree, or teach "
                          f"in a college: they are hired in a national market (residency matches, national "
                          f"searches), so the region's own graduates neither fill nor exceed its openings and no "
                          f"regional shortage or surplus is assessed")
    floor = materiality.min_program_supply
    if r.entry_rank == 0:  # is a program a usual way in at all? only if it trains a share of the hires
        floor = max(floor, materiality.min_program_share * r.annual_openings)
    material = r.effective_supply >= floor
    small = (f"regional programs add only {r.effective_supply:,.1f} a year ({_listing(r.programs)}), below the "
             f"materiality threshold of {floor:,.1f}, so they do not decide the flag"
             if r.n_programs and not material else "")
    learnt_at_work = not r.has_listed_route and (_short_training(r.on_the_job_training) or (
        not material and str(r.on_the_job_training) != "Apprenticeship") or (
        str(r.typical_entry_education) == "No formal educational credential"
        and str(r.on_the_job_training) in ("Moderate-term on-the-job training", "Long-term on-the-job training")))
    # "some college, no degree" is no credential: with training at work (or none), work is the way in
    some_college = str(r.typical_entry_education) == "Some college, no degree" and not r.has_listed_route and (
        _short_training(r.on_the_job_training) or str(r.on_the_job_training) in (
            "Moderate-term on-the-job training", "Long-term on-the-job training"))
    if (r.entry_rank == 0 and learnt_at_work) or some_college:
        programs = small or ("no regional program" if r.n_programs == 0 else
                             f"regional programs add {r.effective_supply:,.1f} a year ({_listing(r.programs)})")
        return ON_THE_JOB, (f"{openings}; {programs}; workers typically enter with "
                            f"{str(r.typical_entry_education or 'no formal credential').lower()} and "
                            f"{str(r.on_the_job_training or 'learn on the job').lower()}, so training programs "
                            f"are not the usual way in and this is not counted as a training shortage")
    uncovered = (f"its usual training route{'s' if ';' in r.routes_not_covered else ''} "
                 f"({r.routes_not_covered}) {'are' if ';' in r.routes_not_covered else 'is'} outside IPEDS and "
                 f"not in this run's training inventory, so a shortage cannot be measured: {HOW_TO_ADD}"
                 if r.routes_not_covered else "")
    if not material:
        lower = (f"; programs in the field stop below the {str(r.typical_entry_education).lower()} it needs: "
                 f"{r.below_level}" if isinstance(r.below_level, str) and r.below_level else "")
        found = small or "effective supply 0"
        if uncovered:
            return NOT_COVERED, f"{openings}; no regional IPEDS program trains for it ({found}){lower}; {uncovered}"
        covered = f"; every usual route ({r.usual_routes}) is in this run" if r.usual_routes else ""
        return NO_PROGRAM, (f"{openings}; no regional program trains for it at the level it needs "
                            f"({found}){covered}{lower}")
    supply = (f"effective supply {r.effective_supply:,.1f}/yr from {r.n_programs} program"
              f"{'s' if r.n_programs != 1 else ''} ({_listing(r.programs)}) after continuing study and "
              f"{factors.describe()}")
    flag, threshold = band(r.supply_demand_ratio, bands)
    reason = (f"{openings}; {supply}; {threshold} → {flag}; {r.robustness} "
              f"(supply could range {r.supply_low:,.1f}–{r.supply_high:,.1f}); "
              + ("probability of shortage unknown (no forecast range)" if pd.isna(r.probability_shortage)
                 else f"probability of shortage {r.probability_shortage:.0%}"))
    if isinstance(r.supply_note, str) and r.supply_note:
        reason += f"; {r.supply_note}"
    if flag in SHORTAGE_FLAGS and uncovered:
        return NOT_COVERED, f"{reason}; IPEDS programs alone would read {flag}, but {uncovered}"
    if flag in SURPLUS_FLAGS and r.general_share > materiality.general_surplus_share:
        reason += (f"; {r.general_share:.0%} of this supply is the share of general academic fields counted toward "
                   f"their own occupations, and those graduates go on to other work, so it is not a surplus a "
                   f"program decision acts on and is not led with")
    return flag, reason
