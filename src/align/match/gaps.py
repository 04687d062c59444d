"""Gaps and flags per occupation, each flag with the arithmetic behind it in plain words.

The flag bands are the practitioners' supply/demand ratio bands (configurable). Uncertainty is
carried through: openings have an 80% range from the forecast intervals, and the probability
of a shortage treats openings as normal with the spread that range implies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri  # normal cdf, quantile; lighter than scipy.stats

from align import schemas
from align.config import FlagBands
from align.supply.allocation import Factors
from align.supply.education import entry_rank

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
SHORTAGE_FLAGS = (UNDERSUPPLY, SLIGHT_UNDERSUPPLY, NO_PROGRAM)
SURPLUS_FLAGS = (SLIGHT_OVERSUPPLY, OVERSUPPLY)


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


def compute_gaps(demand: pd.DataFrame, supply: pd.DataFrame, bounds: pd.DataFrame,
                 contributions: pd.DataFrame, *, bands: FlagBands, min_openings: float,
                 factors: Factors, alternative_supply: pd.Series | None = None,
                 supply_sd: pd.Series | None = None, below_level: pd.Series | None = None) -> pd.DataFrame:
    """The gaps table: one row per occupation in the demand table.

    ``alternative_supply`` is the supply under the other reasonable allocation mode; with the
    bounds it grades robustness: short (or surplus) under every allocation, under most (both
    modes), or depending on the allocation. ``supply_sd`` adds supply uncertainty. ``below_level``
    names, per occupation, regional programs the crosswalk links to it at a lower award level.
    """
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
    listing = contributions.groupby("soc_code")["text"].agg("; ".join)
    g["programs"] = g["soc_code"].map(listing).astype(object).fillna("")
    flags, reasons = zip(*(_flag(r, bands, min_openings, factors) for r in g.itertuples()), strict=True) \
        if len(g) else ((), ())
    g["flag"] = list(flags)
    g["reason"] = list(reasons)
    g = g.sort_values(["gap", "soc_code"], ascending=[False, True])
    return schemas.validate(g.drop(columns=["entry_rank", "below_level"]), "gaps", origin="gaps")


def _listing(programs: object) -> str:
    """Programs inside a reason: commas, since '; ' separates the reason's own steps."""
    return str(programs).replace("; ", ", ")


def _short_training(training: object) -> bool:
    """BLS on-the-job training of a month or less (or none): the job is learnt at work."""
    return training is None or (isinstance(training, float) and np.isnan(training)) or str(training) in (
        "Short-term on-the-job training", "None", "")


def _flag(r: object, bands: FlagBands, min_openings: float, factors: Factors) -> tuple[str, str]:
    span = ("no forecast range: too little history" if pd.isna(r.annual_openings_low)
            else f"80% range {r.annual_openings_low:,.0f}–{r.annual_openings_high:,.0f}")
    openings = (f"openings {r.annual_openings:,.0f}/yr = growth {r.growth_annual:,.1f} + exits "
                f"{r.exits_annual:,.1f} + transfers {r.transfers_annual:,.1f} ({span})")
    if r.annual_openings < min_openings:
        return BELOW_MINIMUM, f"{openings}; below the minimum of {min_openings:g} openings, so no flag is raised"
    if r.n_programs == 0 and str(r.work_experience) == "5 years or more":
        return EXPERIENCED, (f"{openings}; workers typically need 5 years or more in a related occupation, so "
                             f"openings are filled by experienced workers moving up, not by new completers")
    learnt_at_work = _short_training(r.on_the_job_training) or (
        r.n_programs == 0 and str(r.on_the_job_training) != "Apprenticeship") or (
        str(r.typical_entry_education) == "No formal educational credential"
        and str(r.on_the_job_training) == "Moderate-term on-the-job training")
    if r.entry_rank == 0 and learnt_at_work:
        programs = "no regional program" if r.n_programs == 0 else (
            f"regional programs add {r.effective_supply:,.1f} a year ({_listing(r.programs)})")
        return ON_THE_JOB, (f"{openings}; {programs}; workers typically enter with "
                            f"{str(r.typical_entry_education or 'no formal credential').lower()} and "
                            f"{str(r.on_the_job_training or 'learn on the job').lower()}, so training programs "
                            f"are not the usual way in and this is not counted as a training shortage")
    if r.n_programs == 0:
        lower = (f"; programs in the field stop below the {str(r.typical_entry_education).lower()} it needs: "
                 f"{r.below_level}" if isinstance(r.below_level, str) and r.below_level else "")
        return NO_PROGRAM, (f"{openings}; no regional program trains for it at the level it needs "
                            f"(effective supply 0){lower}")
    supply = (f"effective supply {r.effective_supply:,.1f}/yr from {r.n_programs} program"
              f"{'s' if r.n_programs != 1 else ''} ({_listing(r.programs)}) after {factors.describe()}")
    flag, threshold = band(r.supply_demand_ratio, bands)
    return flag, (f"{openings}; {supply}; {threshold} → {flag}; {r.robustness} "
                  f"(supply could range {r.supply_low:,.1f}–{r.supply_high:,.1f}); "
                  + ("probability of shortage unknown (no forecast range)" if pd.isna(r.probability_shortage)
                     else f"probability of shortage {r.probability_shortage:.0%}"))
