"""Shared outcome metrics: one definition for every partner, computed per group.

Definitions follow the WIOA primary indicators where one exists (employment in the 2nd and 4th
quarter after the exit quarter, median 2nd-quarter earnings, credential attainment within one
year of exit, retention with the same employer), plus externship-to-hire conversion and wage
progression. A missing wage record counts as not employed (as in UI wage matching) unless the
quarter ends after ``as_of`` (the date wage data are complete through), in which case the
participant is left out of that metric's denominator rather than counted as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from align import schemas
from align.outcomes.records import prepare_records
from align.outcomes.suppress import check_min_cell, suppress

GROUP_COLUMNS = {"region": None, "provider": "provider_id", "program": "program_id", "pathway": "pathway"}


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    definition: str
    kind: str  # "rate" (numerator/denominator) or "median"


METRICS = [
    Metric("employment_rate_q2", "Employment rate, 2nd quarter after exit",
           "Exiters with earnings > 0 in the 2nd quarter after the exit quarter, over exiters (a missing "
           "wage record counts as not employed).", "rate"),
    Metric("employment_rate_q4", "Employment rate, 4th quarter after exit",
           "Exiters with earnings > 0 in the 4th quarter after the exit quarter, over exiters.", "rate"),
    Metric("median_earnings_q2", "Median earnings, 2nd quarter after exit",
           "Median quarterly earnings in the 2nd quarter after exit, among exiters employed in that quarter.",
           "median"),
    Metric("credential_attainment_rate", "Credential attainment rate",
           "Exiters in training who earned a recognised credential during participation or within one "
           "year (12 calendar months) of exit, over exiters in training.", "rate"),
    Metric("retention_same_employer", "Retention with the same employer, Q2 and Q4",
           "Exiters employed in the 2nd quarter after exit whose 4th-quarter employer is the same, over "
           "exiters employed in the 2nd quarter.", "rate"),
    Metric("externship_hire_rate_same_employer", "Externship-to-hire conversion (externship employer)",
           "Externs who completed and were hired by their externship employer within the hire window of "
           "the externship's end, over externs who completed.", "rate"),
    Metric("externship_hire_rate_any_employer", "Externship-to-hire conversion (any employer)",
           "Externs who completed and were hired by any employer within the hire window of the "
           "externship's end, over externs who completed.", "rate"),
    Metric("wage_change_pre_to_q2", "Wage progression, before enrolment to Q2 after exit",
           "Median change in quarterly earnings from before enrolment to the 2nd quarter after exit, "
           "among exiters with pre-enrolment earnings on record who are employed in Q2.", "median"),
    Metric("wage_change_pre_to_q4", "Wage progression, before enrolment to Q4 after exit",
           "Median change in quarterly earnings from before enrolment to the 4th quarter after exit, "
           "among exiters with pre-enrolment earnings on record who are employed in Q4.", "median"),
    Metric("wage_change_q2_to_q4", "Wage progression, Q2 to Q4 after exit",
           "Median change in quarterly earnings from the 2nd to the 4th quarter after exit, among exiters "
           "employed in both.", "median"),
]
METRIC_BY_ID = {m.id: m for m in METRICS}


def metric_definitions() -> pd.DataFrame:
    """The metric definitions for the report's appendix."""
    df = pd.DataFrame([(m.id, m.label, m.definition) for m in METRICS],
                      columns=["metric", "metric_label", "definition"])
    return schemas.validate(df, "metric_definitions")


def quarter_end(dates: pd.Series, quarters_after: int) -> pd.Series:
    """Last day of the n-th quarter after the quarter containing each date (NaT stays NaT)."""
    d = pd.to_datetime(dates)
    out = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    ok = d.notna()
    if ok.any():
        per = d[ok].dt.to_period("Q") + quarters_after
        out[ok] = per.dt.end_time.dt.normalize().astype("datetime64[ns]")
    return out


def person_outcomes(p: pd.DataFrame, *, as_of: str | None = None, hire_window_days: int = 180) -> pd.DataFrame:
    """Per participant, for each metric: in the denominator? in the numerator? (or the value for medians)."""
    enrol, exit_ = pd.to_datetime(p["enrol_date"]), pd.to_datetime(p["exit_date"])
    cred = pd.to_datetime(p["credential_date"])
    limit = pd.Timestamp(as_of) if as_of else pd.Timestamp.max
    exited = exit_.notna() & (exit_ <= limit)
    q2_seen = exited & (quarter_end(exit_, 2) <= limit)
    q4_seen = exited & (quarter_end(exit_, 4) <= limit)
    w2, w4, pre = p["wage_q2"].fillna(0.0), p["wage_q4"].fillna(0.0), p["wage_pre"]
    emp2, emp4 = q2_seen & (w2 > 0), q4_seen & (w4 > 0)
    o = pd.DataFrame(index=p.index)

    def put(mid: str, den: pd.Series, num: pd.Series | None = None, val: pd.Series | None = None) -> None:
        o[f"{mid}:den"] = den.astype(bool)
        o[f"{mid}:num"] = (num & den).astype(bool) if num is not None else False
        o[f"{mid}:val"] = val.where(den) if val is not None else np.nan

    put("employment_rate_q2", q2_seen, emp2)
    put("employment_rate_q4", q4_seen, emp4)
    put("median_earnings_q2", emp2, val=w2)
    window_end = exit_ + pd.DateOffset(years=1)
    trained = p["in_training"].astype(bool) & exited & (window_end <= limit)
    put("credential_attainment_rate", trained, cred.notna() & (cred >= enrol) & (cred <= window_end))
    same = (p["employer_q2"].fillna("") == p["employer_q4"].fillna("")) & p["employer_q2"].notna()
    put("retention_same_employer", emp2 & q4_seen, emp4 & same)
    ext_end, hire = pd.to_datetime(p["externship_end_date"]), pd.to_datetime(p["hire_date"])
    completed = p["externship"].astype(bool) & p["externship_completed"].astype(bool) & ext_end.notna() & (
        ext_end + pd.Timedelta(days=hire_window_days) <= limit)
    hired = hire.notna() & (hire <= ext_end + pd.Timedelta(days=hire_window_days))
    same_emp = p["hire_employer"].notna() & (p["hire_employer"] == p["externship_employer"])
    put("externship_hire_rate_same_employer", completed, hired & same_emp)
    put("externship_hire_rate_any_employer", completed, hired)
    put("wage_change_pre_to_q2", pre.notna() & emp2, val=w2 - pre)
    put("wage_change_pre_to_q4", pre.notna() & emp4, val=w4 - pre)
    put("wage_change_q2_to_q4", emp2 & emp4, val=w4 - w2)
    return o


def compute_metrics(records: pd.DataFrame, *, min_cell: int = 10, salt: str | None = None,
                    as_of: str | None = None, hire_window_days: int = 180, region_id: str = "region",
                    origin: str = "participant records") -> pd.DataFrame:
    """The ``metrics`` table per region, provider, program and pathway, small cells suppressed.

    ``records`` is either a prepared ``participants`` table (with ``person_key``) or raw records
    with ``person_id``, which are hashed with ``salt`` first. ``min_cell`` may not be set below
    :data:`~align.outcomes.suppress.MIN_CELL_FLOOR`.
    """
    check_min_cell(min_cell)
    table, members = _cells(records, salt=salt, as_of=as_of, hire_window_days=hire_window_days,
                            region_id=region_id, origin=origin)
    people = {cell: ids for ids, cells in members.items() for cell in cells}
    table = suppress(table, min_cell=min_cell, kinds={m.id: m.kind for m in METRICS},
                     same_people=[cells for cells in members.values() if len(cells) > 1], people=people)
    return _finish(table)


def metric_cells(records: pd.DataFrame, *, salt: str | None = None, as_of: str | None = None,
                 hire_window_days: int = 180, region_id: str = "region",
                 origin: str = "participant records") -> pd.DataFrame:
    """Every metric cell before suppression: for checking the arithmetic, never for publication."""
    table, _ = _cells(records, salt=salt, as_of=as_of, hire_window_days=hire_window_days, region_id=region_id,
                      origin=origin)
    return _finish(table.assign(is_suppressed=False, suppression=""))


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table["metric_value"] = table["metric_value"].round(4)
    out = table[["group_type", "group_id", "metric", "numerator", "denominator", "metric_value",
                 "is_suppressed", "suppression", "metric_label"]]
    return schemas.validate(out, "metrics", origin="metrics")


def _cells(records: pd.DataFrame, *, salt: str | None, as_of: str | None, hire_window_days: int,
           region_id: str, origin: str) -> tuple[pd.DataFrame, dict[frozenset, list[tuple[str, str]]]]:
    """The unsuppressed cells and, per set of people, the cells that count exactly them."""
    if "person_key" not in records.columns:
        if not salt:
            from align.errors import InputError

            raise InputError("raw person ids need a salt to be hashed", file=origin,
                             expected="salt (e.g. from ALIGN_HASH_SALT)")
        records = prepare_records(records, salt=salt, origin=origin)
    p = records.reset_index(drop=True)
    outcomes = person_outcomes(p, as_of=as_of, hire_window_days=hire_window_days)
    rows = []
    members: dict[frozenset, list[tuple[str, str]]] = {}
    for gtype, col in GROUP_COLUMNS.items():
        if col is None:
            keys = pd.Series(region_id, index=p.index)
        else:
            keys = p[col]
            if keys.isna().all():
                continue
        for gid, idx in keys.dropna().groupby(keys.dropna()).groups.items():
            members.setdefault(frozenset(idx), []).append((gtype, str(gid)))
            sub = outcomes.loc[idx]
            for m in METRICS:
                den = sub[f"{m.id}:den"]
                n = int(den.sum())
                if m.kind == "rate":
                    num = int(sub[f"{m.id}:num"].sum())
                    val = num / n if n else np.nan
                else:
                    num = np.nan
                    val = float(sub.loc[den, f"{m.id}:val"].median()) if n else np.nan
                rows.append({"group_type": gtype, "group_id": str(gid), "metric": m.id,
                             "metric_label": m.label, "numerator": num, "denominator": n, "metric_value": val})
    table = pd.DataFrame(rows, columns=["group_type", "group_id", "metric", "metric_label", "numerator",
                                        "denominator", "metric_value"])
    return table, members
