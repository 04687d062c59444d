"""The coordinated-funding view: which streams pay for which programs and occupations, and where
money stacks up on one program while a larger shortage gets none.

A program's funding reaches occupations the way its completers do: each stream's known annual
amount is shared among the occupations by the program's allocation shares (so a program whose
completers split 60/40 between two occupations sends 60% of its funding to the first). Funding
per projected opening is that sum over the occupation's programs divided by its annual openings;
the ``arithmetic`` column spells the sum out. A stream listed without an amount counts as a
stream but adds no dollars, and a program missing from the inventory has "no funding recorded",
which the view says rather than calling it unfunded in fact.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.match.gaps import SHORTAGE_FLAGS
from align.partners.vocabulary import FUNDING_STREAMS, SUPPORT_SERVICES, WORK_BASED_LEARNING


def _labels(items: pd.Series, vocabulary: dict[str, str]) -> str:
    return "; ".join(vocabulary[i] for i in sorted(set(items)))


def _dollars(v: float) -> str:
    return f"${v:,.0f}"


def program_names(programs: pd.DataFrame) -> pd.Series:
    """'Provider — program' for each program id, as the views print it."""
    p = programs.set_index("program_id")
    what = p["program_name"] if "program_name" in p.columns else pd.Series(None, index=p.index, dtype=object)
    if "cip_title" in p.columns:
        what = what.fillna(p["cip_title"])
    return (p["provider_name"] + " — " + what.fillna("").str.rstrip(".")).str.rstrip(" —")


def program_funding(inventory: pd.DataFrame, programs: pd.DataFrame, allocation: pd.DataFrame,
                    demand: pd.DataFrame) -> pd.DataFrame:
    """Table ``program_funding``: per inventory program, its streams, known dollars, services and placements."""
    rows = []
    top = allocation.sort_values(["share", "soc_code"], ascending=[False, True]).drop_duplicates("program_id")
    serves = top.set_index("program_id")["soc_code"]
    titles = demand.drop_duplicates("soc_code").set_index("soc_code")["occupation_title"]
    p = programs.set_index("program_id")
    names = program_names(programs)
    for pid, g in inventory.groupby("program_id", sort=True):
        money = g[g["item_kind"] == "funding"]
        rows.append({
            "program_id": pid, "provider_name": p["provider_name"].get(pid),
            "program_name": names.get(pid),
            "pathway": next(iter(g["pathway"].dropna()), None) if "pathway" in g.columns else None,
            "n_funding_streams": money["item"].nunique(), "funding_streams": _labels(money["item"], FUNDING_STREAMS),
            "annual_funding": float(money["annual_amount"].fillna(0.0).sum()),
            "support_services": _labels(g.loc[g["item_kind"] == "support_service", "item"], SUPPORT_SERVICES),
            "work_based_learning_kinds": _labels(g.loc[g["item_kind"] == "work_based_learning", "item"],
                                                 WORK_BASED_LEARNING),
            "partners": "; ".join(sorted(set(g["partner_name"]))),
            "serves_soc_code": serves.get(pid), "serves_occupation_title": titles.get(serves.get(pid))})
    out = pd.DataFrame(rows, columns=["program_id", "n_funding_streams", "funding_streams", "annual_funding",
                                      "provider_name", "program_name", "pathway", "support_services",
                                      "work_based_learning_kinds", "partners", "serves_soc_code",
                                      "serves_occupation_title"])
    return schemas.validate(out, "program_funding", origin="program_funding")


def occupation_funding(funding: pd.DataFrame, inventory: pd.DataFrame, programs: pd.DataFrame,
                       allocation: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Table ``occupation_funding``: streams and dollars reaching each occupation, per projected opening."""
    f = funding.set_index("program_id")
    names = program_names(programs)
    streams = inventory[inventory["item_kind"] == "funding"].groupby("program_id")["item"].agg(set)
    rows = []
    for g in gaps.itertuples():
        a = allocation[(allocation["soc_code"] == g.soc_code) & (allocation["share"] > 0)]
        listed = a[a["program_id"].isin(f.index)]
        reached: set[str] = set().union(*[streams.get(pid, set()) for pid in a["program_id"]]) if len(a) else set()
        terms, total = [], 0.0
        for r in listed.sort_values("program_id").itertuples():
            dollars = float(f.loc[r.program_id, "annual_funding"])
            if dollars > 0:
                part = dollars * r.share
                total += part
                terms.append(f"{names.get(r.program_id, r.program_id)} {_dollars(dollars)} × share {r.share:.3f} "
                             f"= {_dollars(part)}")
        openings = float(g.annual_openings)
        covered = not len(a) or len(listed)  # dollars are known only for programs in the inventory
        per = total / openings if openings > 0 and covered else None
        if not len(a):
            text = "no regional program supplies it: no funding can reach it"
        elif not reached:
            text = (f"{len(a)} program(s) supply it; " + ("none is in the partner inventory" if not len(listed)
                    else "no funding stream is recorded for them"))
        elif not terms:
            text = f"{len(reached)} stream(s) recorded, with no amounts: dollars unknown"
        else:
            text = " + ".join(terms) + f" = {_dollars(total)} a year ÷ {openings:,.1f} openings a year = " \
                   + (f"{_dollars(per)} per opening" if per is not None else "n/a")
        rows.append({"soc_code": g.soc_code, "occupation_title": g.occupation_title, "annual_openings": openings,
                     "n_funding_streams": len(reached), "funding_allocated": round(total, 2),
                     "funding_per_opening": None if per is None else round(per, 2), "is_funded": bool(reached),
                     "arithmetic": text, "flag": g.flag, "gap": g.gap,
                     "funding_streams": "; ".join(FUNDING_STREAMS[s] for s in sorted(reached))})
    out = pd.DataFrame(rows)
    return schemas.validate(out, "occupation_funding", origin="occupation_funding")


def funding_coordination(funding: pd.DataFrame, occupations: pd.DataFrame, *, stacked: int = 3) -> pd.DataFrame:
    """Table ``funding_coordination``: programs paid for by ``stacked`` or more streams while a
    shortage with a larger gap has no funding stream recorded (paired with the largest such one)."""
    unfunded = occupations[occupations["flag"].isin(SHORTAGE_FLAGS) & ~occupations["is_funded"]].sort_values(
        ["gap", "soc_code"], ascending=[False, True])
    gap_of = occupations.set_index("soc_code")["gap"]
    rows = []
    for r in funding[funding["n_funding_streams"] >= stacked].itertuples():
        serves_gap = gap_of.get(r.serves_soc_code) if r.serves_soc_code else None
        larger = unfunded if serves_gap is None or pd.isna(serves_gap) else unfunded[unfunded["gap"] > serves_gap]
        if not len(larger):
            continue
        u = larger.iloc[0]
        serves = ""
        if serves_gap is not None and pd.notna(serves_gap):
            balance = f"short by {serves_gap:,.0f}" if serves_gap > 0 else f"a surplus of {-serves_gap:,.0f}"
            serves = f", which mostly supplies {r.serves_occupation_title} ({balance} a year)"
        rows.append({"program_id": r.program_id, "n_funding_streams": r.n_funding_streams,
                     "funding_streams": r.funding_streams, "unfunded_soc_code": u["soc_code"],
                     "unfunded_gap": u["gap"],
                     "reason": f"{r.n_funding_streams} funding streams ({r.funding_streams}) pay for "
                               f"{r.program_name or r.program_id}{serves}, while {u['occupation_title']} is short by "
                               f"{u['gap']:,.0f} a year and no funding stream is recorded for it",
                     "provider_name": r.provider_name, "program_name": r.program_name,
                     "serves_soc_code": r.serves_soc_code, "serves_occupation_title": r.serves_occupation_title,
                     "serves_gap": serves_gap, "unfunded_occupation_title": u["occupation_title"]})
    out = pd.DataFrame(rows, columns=["program_id", "n_funding_streams", "funding_streams", "unfunded_soc_code",
                                      "unfunded_gap", "reason", "provider_name", "program_name", "serves_soc_code",
                                      "serves_occupation_title", "serves_gap", "unfunded_occupation_title"])
    return schemas.validate(out, "funding_coordination", origin="funding_coordination")
