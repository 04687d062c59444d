"""Employer-reported demand: the hiring-plan survey coded, aggregated, suppressed and set beside
the projections and the postings.

A survey answer belongs to one firm, so no published cell may identify one: a cell is hidden when
fewer than ``min_employers`` employers answer in it, or when one employer holds ``dominance`` or
more of its total (the (n, k) dominance rule statistical agencies use for business data), and
complementary cells are hidden with the outcome metrics' own routine
(:func:`align.outcomes.suppress.suppress`) so a hidden occupation cannot be recovered from the
region total.

The survey covers only the employers who answered, so its hires are a floor on an occupation's
openings, not an estimate of them: "employers report more than projected" is a strong signal,
"fewer" may only mean few employers answered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from align import schemas
from align.errors import InputError
from align.outcomes.suppress import suppress
from align.partners.vocabulary import EXTERNSHIP_KINDS

HIRE_YEARS = ("hires_year1", "hires_year2", "hires_year3")
#: employer_hires_ratio bands: at or above FAR is "far more", at or above MORE "more", at or above
#: IN_LINE "in line", below it "fewer"
MORE, IN_LINE = 1.25, 0.8
#: a postings percentile rank this far above or below the openings rank points the other way
RANK_MARGIN = 0.25
CELL_METRICS = {  # metric → (label, how cells combine employers' answers)
    "employer_hires_annual": ("Hires a year the employers plan (mean of the plan years)", "sum"),
    "hires_year1": ("Hires planned in year 1", "sum"),
    "hires_year2": ("Hires planned in year 2", "sum"),
    "hires_year3": ("Hires planned in year 3", "sum"),
    "starting_wage_annual": ("Median starting wage offered ($/year)", "median"),
    "externship_slots": ("Externship and clinical placements offered a year", "sum"),
    "apprenticeship_slots": ("Apprenticeship places offered a year", "sum"),
}


def code_plans(plans: pd.DataFrame, model: object | None, *, threshold: float = 0.5,
               origin: str = "employer_hiring_plans") -> pd.DataFrame:
    """SOC codes for the answers: given codes kept, titles coded with the run's autocoder.

    Adds ``soc_source`` (given, autocoded, unknown), ``soc_title``, ``confidence`` and
    ``hires_annual`` (the mean of the plan years answered).
    """
    out = plans.copy()
    given = out["soc_code"].notna()
    out["soc_source"] = np.where(given, "given", "unknown")
    out["soc_title"] = None
    out["confidence"] = np.nan
    todo = ~given
    if todo.any():
        if model is None:
            row = int(np.flatnonzero(todo.to_numpy())[0]) + 1
            raise InputError("job titles without a SOC code, and no O*NET folder to code them", file=origin,
                             row=row, column="soc_code",
                             expected="a soc_code in every row, or [partners] onet (or [postings] onet) "
                                      "pointing at an O*NET text release")
        from align.postings.autocoder import code_titles

        coded = code_titles(out.loc[todo, "job_title"].tolist(), model, threshold=threshold)
        coded.index = out.index[todo]
        out.loc[todo, "soc_code"] = coded["soc_code"]
        out.loc[todo, "soc_title"] = coded["soc_title"]
        out.loc[todo, "confidence"] = coded["confidence"]
        out.loc[todo & out["soc_code"].notna(), "soc_source"] = "autocoded"
    out["hires_annual"] = out[list(HIRE_YEARS)].mean(axis=1, skipna=True)
    return schemas.validate(out, "employer_hiring_plans", origin=origin)


def employer_cells(plans: pd.DataFrame, *, region_id: str, min_employers: int = 3,
                   dominance: float = 0.8) -> pd.DataFrame:
    """Table ``employer_demand``: each metric per occupation and for the region, suppressed.

    An employer's lines coded to one occupation are summed first, so "employers" counts firms,
    not job titles. ``n_employers`` counts the employers who answered that metric.
    """
    coded = plans[plans["soc_code"].notna()].rename(columns={"hires_annual": "employer_hires_annual"})
    how = {m: h for m, (_, h) in CELL_METRICS.items()}

    def per(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        """Each employer's answer per group; missing where the employer did not answer (not 0)."""
        grouped = frame.groupby(by)[list(CELL_METRICS)]
        return grouped.agg(how).where(grouped.count() > 0)

    per_employer = per(coded, ["soc_code", "employer_id"])
    groups = [("occupation", soc, g) for soc, g in per_employer.groupby(level="soc_code")]
    groups.append(("region", region_id, per(per_employer.reset_index(), ["employer_id"])))
    rows, why = [], {}
    for gtype, gid, g in groups:
        for metric, (label, kind) in CELL_METRICS.items():
            values = g[metric].dropna()
            n = len(values)
            if n == 0:  # nobody answered: no cell (a zero-employer cell would protect nothing)
                continue
            total = float(values.sum()) if kind == "sum" else float(values.median())
            rows.append({"group_type": gtype, "group_id": str(gid), "metric": metric, "metric_label": label,
                         "numerator": np.nan, "denominator": float(n), "metric_value": total})
            if n < min_employers:
                why[(gtype, str(gid), metric)] = f"fewer than {min_employers} employers"
            elif kind == "sum" and total > 0 and values.max() >= dominance * total:
                why[(gtype, str(gid), metric)] = f"one employer has {dominance:.0%} or more of the cell"
    table = pd.DataFrame(rows, columns=["group_type", "group_id", "metric", "metric_label", "numerator",
                                        "denominator", "metric_value"])
    occupations = [("occupation", str(s)) for s in per_employer.index.get_level_values("soc_code").unique()]
    table = suppress(table, min_cell=0, kinds=dict.fromkeys(CELL_METRICS, "count"),
                     partitions=[(("region", region_id), occupations)], primary=why)
    table = table.rename(columns={"denominator": "n_employers"})
    table["metric_value"] = table["metric_value"].round(2)
    out = table[["group_type", "group_id", "metric", "n_employers", "metric_value", "is_suppressed",
                 "suppression", "metric_label"]]
    return schemas.validate(out, "employer_demand", origin="employer_demand")


def _direction(ratio: float, far: float) -> str:
    if ratio >= far:
        return "far more"
    if ratio >= MORE:
        return "more"
    return "in line" if ratio >= IN_LINE else "fewer"


def _agreement(employer: str, postings: str | None) -> str:
    """Projections, postings and employers in one phrase (the projection is the reference)."""
    emp = {"far more": "more", "more": "more", "in line": "in line", "fewer": "fewer"}.get(employer)
    if emp is None:
        if postings is None:
            return "projections only"
        return ("postings agree with the projection" if postings == "in line"
                else f"postings point {'higher' if postings == 'more' else 'lower'}; no employer answer to publish")
    if postings is None:
        return ("employers agree with the projection" if emp == "in line"
                else f"employers report {employer} hires than projected; no postings")
    if emp == postings == "in line":
        return "all three agree"
    if emp == postings:
        return f"employers and postings both point {'above' if emp == 'more' else 'below'} the projection"
    if emp == "in line":
        return f"employers agree with the projection; postings point {'higher' if postings == 'more' else 'lower'}"
    if postings == "in line":
        return f"postings agree with the projection; employers report {employer} hires than projected"
    return f"signals disagree: employers report {employer} hires than projected, postings point " \
           f"{'higher' if postings == 'more' else 'lower'}"


def demand_signals(cells: pd.DataFrame, gaps: pd.DataFrame, postings: pd.DataFrame | None = None, *,
                   far_more_ratio: float = 2.0) -> pd.DataFrame:
    """Table ``demand_signals``: projected openings, postings and employer-reported hires per occupation.

    Occupations the survey answered but the run did not project are left out and counted in
    ``attrs["answers_outside_demand"]``.
    """
    occ = cells[cells["group_type"] == "occupation"]
    hires = occ[occ["metric"] == "employer_hires_annual"].set_index("group_id")
    wage = occ[occ["metric"] == "starting_wage_annual"].set_index("group_id")["metric_value"]
    keep = [c for c in ("soc_code", "occupation_title", "annual_openings", "flag", "gap", "wage_annual_median")
            if c in gaps.columns]
    out = gaps[keep].copy()
    if postings is not None and len(postings):
        p = postings.set_index("soc_code")
        for col in ("n_postings", "openings_rank_pct", "postings_rank_pct"):
            out[col] = out["soc_code"].map(p[col])
        diff = out["postings_rank_pct"] - out["openings_rank_pct"]
        out["postings_signal"] = np.select([diff > RANK_MARGIN, diff < -RANK_MARGIN], ["more", "fewer"], "in line")
        out.loc[diff.isna(), "postings_signal"] = None
    else:
        out["postings_signal"] = None
    s = out["soc_code"]
    out["employer_hires_annual"] = s.map(hires["metric_value"])
    out["n_employers"] = s.map(hires["n_employers"])
    out["is_suppressed"] = s.map(hires["is_suppressed"]).fillna(False).astype(bool)
    out["suppression"] = s.map(hires["suppression"]).fillna("")
    out["starting_wage_annual"] = s.map(wage)
    openings = out["annual_openings"].where(out["annual_openings"] > 0)
    out["employer_hires_ratio"] = (out["employer_hires_annual"] / openings).round(3)
    out["employer_signal"] = [
        "suppressed" if sup else ("no answer" if pd.isna(r) and soc not in hires.index else
                                  ("no projected openings" if pd.isna(r) else _direction(r, far_more_ratio)))
        for soc, sup, r in zip(s, out["is_suppressed"], out["employer_hires_ratio"], strict=True)]
    out["signal_agreement"] = [_agreement(e, p) for e, p in zip(out["employer_signal"], out["postings_signal"],
                                                                strict=True)]
    out = out.sort_values(["employer_hires_annual", "annual_openings"], ascending=False, na_position="last")
    out = schemas.validate(out, "demand_signals", origin="demand_signals")
    out.attrs["answers_outside_demand"] = sorted(set(hires.index) - set(gaps["soc_code"]))
    return out


def externship_need(programs: pd.DataFrame, allocation: pd.DataFrame,
                    inventory: pd.DataFrame | None) -> pd.DataFrame:
    """Placements a year the region's programs need, per occupation and program.

    A program needs one placement per completer a year when its work-based learning is an
    externship, clinical placement or internship — from the partner inventory, or (for the
    training inventory's programs, apprenticeships aside) its ``work_based_learning`` flag. The
    need is shared among occupations the way the allocation shares the program's completers.
    """
    needing: set[str] = set()
    if inventory is not None:
        wbl = inventory[(inventory["item_kind"] == "work_based_learning") & inventory["item"].isin(EXTERNSHIP_KINDS)]
        needing |= set(wbl["program_id"])
    if "work_based_learning" in programs.columns:
        flagged = programs[programs["work_based_learning"].fillna(False).astype(bool)
                           & ~programs["award_level"].isin(["N2", "N3"])]  # an apprentice's job is the placement
        needing |= set(flagged["program_id"])
    a = allocation[allocation["program_id"].isin(needing)]
    return a[["program_id", "soc_code", "completers_allocated"]].rename(
        columns={"completers_allocated": "externship_need"})


def externships(cells: pd.DataFrame, need: pd.DataFrame, demand: pd.DataFrame,
                programs: pd.DataFrame) -> pd.DataFrame:
    """Table ``externships``: placements employers offer beside the placements programs need."""
    occ = cells[cells["group_type"] == "occupation"]
    slots = occ[occ["metric"] == "externship_slots"].set_index("group_id")
    appr = occ[occ["metric"] == "apprenticeship_slots"].set_index("group_id")["metric_value"]
    names = programs.set_index("program_id")
    label = (names["provider_name"] + " " + names.get("cip_title", names.get("program_name", "")).fillna("")) \
        if "provider_name" in names.columns else pd.Series(names.index, index=names.index)
    need = need.assign(text=need["program_id"].map(label).fillna(need["program_id"]) + ": "
                       + need["externship_need"].round(1).astype(str))
    per_soc = need.groupby("soc_code").agg(externship_need=("externship_need", "sum"),
                                           need_programs=("text", "; ".join))
    socs = sorted(set(per_soc.index) | set(slots.index))
    titles = demand.drop_duplicates("soc_code").set_index("soc_code")["occupation_title"]
    out = pd.DataFrame({"soc_code": socs})
    out["occupation_title"] = out["soc_code"].map(titles).fillna("(not in the run's demand)")
    out["externship_need"] = out["soc_code"].map(per_soc["externship_need"]).fillna(0.0).round(1)
    out["externship_slots"] = out["soc_code"].map(slots["metric_value"])
    suppressed = out["soc_code"].map(slots["is_suppressed"]).fillna(False).astype(bool)
    no_answer = ~out["soc_code"].isin(slots.index)
    out.loc[no_answer, "externship_slots"] = 0.0  # no surveyed employer offers any: a count, not a hidden cell
    out["externship_balance"] = (out["externship_slots"] - out["externship_need"]).round(1)
    out["apprenticeship_slots"] = out["soc_code"].map(appr)
    out["need_programs"] = out["soc_code"].map(per_soc["need_programs"]).fillna("")
    out["is_suppressed"] = suppressed
    out["suppression"] = out["soc_code"].map(slots["suppression"]).fillna("")
    out = out.sort_values(["externship_need", "soc_code"], ascending=[False, True])
    return schemas.validate(out, "externships", origin="externships")
