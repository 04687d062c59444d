"""Separation rates per occupation: BLS's exits and transfers, and the fallback BLS itself publishes.

Openings need a labour-force exit rate and an occupational transfer rate for every occupation;
an occupation the Employment Projections table lacks takes its major group's rates, else those of
all occupations (``00-0000``).
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.errors import InputError

RATES = ("labor_force_exit_rate", "occupational_transfer_rate")


def separation_rates(projections: pd.DataFrame, staffing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exit and transfer rates, entry education and a title per SOC code (detailed and summary)."""
    need = ["soc_code", *RATES]
    missing = [c for c in need if c not in projections.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file="occupation_projections",
                         expected="an Employment Projections table with separation rates (Table 1.10)")
    keep = need + [c for c in ("occupation_title", "typical_entry_education", "work_experience",
                               "on_the_job_training", "self_employed_share") if c in projections.columns]
    rates = projections[keep].drop_duplicates("soc_code").copy()
    if "occupation_title" in rates.columns:
        rates["occupation_title"] = rates["occupation_title"].str.strip()
    if staffing is not None and "occupation_title" in staffing.columns:
        # OEWS titles are the ones boards know; EP's sentence-case titles fill the rest
        oews = staffing.dropna(subset=["occupation_title"]).drop_duplicates("soc_code").set_index(
            "soc_code")["occupation_title"]
        rates["occupation_title"] = rates["soc_code"].map(oews).fillna(rates.get("occupation_title"))
    rates["source"] = "occupation_projections"
    return schemas.validate(rates, "separation_rates", origin="separation_rates")


def rates_for(occupations: pd.Index, rates: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``rates`` (indexed by soc_code) for each occupation, with the fallback filled in.

    Returns the rates and the occupations that took a fallback; an occupation with no rate even
    then is an error naming them.
    """
    r = rates.reindex(occupations)
    missing = sorted(occupations[r["labor_force_exit_rate"].isna() | r["occupational_transfer_rate"].isna()])
    if missing:
        for fallback in ([f"{s[:2]}-0000" for s in occupations], ["00-0000"] * len(occupations)):
            for col in RATES:
                r[col] = r[col].fillna(rates[col].reindex(fallback).set_axis(occupations))
    unrated = occupations[r["labor_force_exit_rate"].isna() | r["occupational_transfer_rate"].isna()]
    if len(unrated):
        raise InputError(f"no separation rates for {', '.join(unrated[:10])}", file="occupation_projections",
                         expected="an EP table with these occupations, their major group or the total row")
    return r, missing
