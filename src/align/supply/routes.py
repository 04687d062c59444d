"""Coverage: which of an occupation's usual training routes this run's supply sources can see.

IPEDS counts credit programs at Title IV institutions. Truck drivers train at CDL schools, nurse
aides in state-approved courses, police officers at academies, electricians in apprenticeships —
none of which IPEDS counts. A run that reads only IPEDS cannot tell "no regional training" from
"training IPEDS does not see", so every occupation carries its usual routes and whether the run
covers each: "no regional program" is said only where every usual route is covered.

Routes come from BLS Employment Projections' education and training categories (a postsecondary
award → a program IPEDS covers; "Apprenticeship" → a registered apprenticeship) and from
``align/data/training_routes.csv`` (licensure and non-credit routes, each with its rule). A route
outside IPEDS is covered only where the training inventory lists a program for the occupation.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from align.supply.education import _table, entry_rank

IPEDS_ROUTE = "postsecondary program (IPEDS)"
APPRENTICESHIP = "registered apprenticeship"
HOW_TO_ADD = ("list them in the training inventory (data/templates/training_inventory.csv, "
              "docs/training_inventory.md) and add it to [inputs] training_inventory")
ROUTE_COLUMNS = ["soc_code", "usual_routes", "routes_not_covered", "coverage"]


def training_routes(demand: pd.DataFrame, inventory_socs: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """One row per occupation: its usual training routes, those this run does not cover, and coverage.

    ``inventory_socs`` are the occupations the run's training inventory lists a program for.
    ``coverage`` is ``covered`` (every usual training route is in the run), ``partial`` or
    ``not covered``; an occupation learnt at work or entered from experience has no training
    route and is ``covered``.
    """
    extra = _listed_routes()
    edu = demand["typical_entry_education"] if "typical_entry_education" in demand.columns \
        else pd.Series("", index=demand.index)
    ojt = demand["on_the_job_training"] if "on_the_job_training" in demand.columns \
        else pd.Series("", index=demand.index)
    ranks = entry_rank(demand["soc_code"], edu.fillna(""))
    rows = []
    for soc, rank, training in zip(demand["soc_code"], ranks, ojt.fillna(""), strict=True):
        routes: list[tuple[str, bool]] = []
        if rank >= 1:
            routes.append((IPEDS_ROUTE, True))
        outside = list(extra.get(soc, []))
        if str(training) == "Apprenticeship":
            outside.append(APPRENTICESHIP)
        routes += [(r, soc in inventory_socs) for r in outside]
        missing = [r for r, covered in routes if not covered]
        coverage = "covered" if not missing else ("not covered" if len(missing) == len(routes) else "partial")
        rows.append({"soc_code": soc, "usual_routes": "; ".join(r for r, _ in routes),
                     "routes_not_covered": "; ".join(missing), "coverage": coverage})
    return pd.DataFrame(rows, columns=ROUTE_COLUMNS)


@cache
def _listed_routes() -> dict[str, list[str]]:
    """training_routes.csv as occupation → its routes outside IPEDS, in table order."""
    return _table("training_routes.csv").groupby("soc_code")["route"].agg(list).to_dict()


def has_listed_route(soc_codes: pd.Series) -> pd.Series:
    """Occupations with a licensure or course route in ``training_routes.csv`` (not learnt at work alone)."""
    return soc_codes.isin(list(_listed_routes()))
