"""Pathway gaps: ladder steps the region cannot currently fill, listed for the board.

A step is a gap when its occupation carries a shortage flag (undersupply, slight undersupply,
no regional program) or when it needs postsecondary training and no regional program trains for
it. On-the-job entry occupations without a program are not gaps: nobody needs a course for them;
nor are occupations with too few openings to judge. An occupation whose usual training is outside
the run's sources (``training not in this run``) is a step whose supply is not counted, not a step
nobody trains for: it is listed as such, and the board's list leaves it to the list of training
outside colleges. The largest steps lead (by openings, then
the ladders they sit on): a job with 11 openings a year is not the region's first broken step
because many ladders pass through it.
"""

from __future__ import annotations

import pandas as pd

from align.match.gaps import BELOW_MINIMUM, NOT_COVERED, SHORTAGE_FLAGS

NOT_COUNTED = "training not counted"  # gap_kind of a step whose usual training the run's sources miss

GAP_COLUMNS = ["soc_code", "occupation_title", "annual_openings", "flag", "typical_entry_education",
               "wage_annual_median", "n_programs", "gap_kind", "n_ladders", "ladders", "reason"]


def pathway_gaps(nodes: pd.DataFrame, ladders: pd.DataFrame) -> pd.DataFrame:
    """One row per occupation on some ladder that is short or has no regional training."""
    if ladders.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    node = nodes.set_index("soc_code")
    rows = []
    for soc, steps in ladders.groupby("soc_code", sort=True):
        r = node.loc[soc]
        short = r["flag"] in SHORTAGE_FLAGS
        needs_course = int(r["n_programs"]) == 0 and int(r["entry_rank"]) >= 1 and r["flag"] != BELOW_MINIMUM
        uncounted = r["flag"] == NOT_COVERED
        untrained = needs_course and not uncounted
        if not (short or untrained or uncounted):
            continue
        kinds = [k for k, on in (("shortage", short), ("no regional training", untrained),
                                 (NOT_COUNTED, uncounted)) if on]
        ids = sorted(set(steps["ladder_id"]))
        why = []
        if short:
            why.append(f"flagged {r['flag']}")
        if untrained:
            why.append(f"needs {r['typical_entry_education'] or 'postsecondary training'} and no "
                       f"regional program trains for it")
        if uncounted:
            why.append("its usual training is outside colleges and not counted in this run")
        rows.append({"soc_code": soc, "occupation_title": r["occupation_title"],
                     "annual_openings": float(r["annual_openings"]), "flag": r["flag"],
                     "typical_entry_education": r["typical_entry_education"],
                     "wage_annual_median": r["wage_annual_median"], "n_programs": int(r["n_programs"]),
                     "gap_kind": " + ".join(kinds), "n_ladders": len(ids), "ladders": "; ".join(ids[:10]),
                     "reason": f"on {len(ids)} ladder(s); " + "; ".join(why)})
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    return out.sort_values(["annual_openings", "n_ladders"], ascending=False, kind="stable").reset_index(drop=True)
