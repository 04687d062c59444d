"""Employer-reported demand: cells worked out by hand, suppression by both rules, the three signals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from align.errors import InputError
from align.partners.employers import (
    code_plans,
    demand_signals,
    employer_cells,
    externship_need,
    externships,
)


def _plans(rows: list[tuple]) -> pd.DataFrame:
    """(employer, soc, hires y1, y2, y3, wage, externship slots) → a coded plans table."""
    df = pd.DataFrame(rows, columns=["employer_id", "soc_code", "hires_year1", "hires_year2", "hires_year3",
                                     "starting_wage_annual", "externship_slots"])
    df["job_title"] = None
    df["apprenticeship_slots"] = np.nan
    df["source"] = "test"
    return code_plans(df, None)


PLANS = _plans([
    # 51-4121: four employers, 10 + 20 + 30 + 40 = 100 a year, nobody at 80%
    ("A", "51-4121", 10, 10, 10, 40000, 2), ("B", "51-4121", 20, np.nan, np.nan, 42000, 3),
    ("C", "51-4121", 25, 35, np.nan, 44000, np.nan), ("D", "51-4121", 40, 40, 40, 46000, 5),
    # 51-4041: two employers → fewer than 3
    ("A", "51-4041", 5, 5, 5, 50000, np.nan), ("B", "51-4041", 6, 6, 6, 52000, np.nan),
    # 49-9041: three employers, one with 90 of 100 → dominance
    ("A", "49-9041", 90, 90, 90, 60000, np.nan), ("B", "49-9041", 5, 5, 5, 58000, np.nan),
    ("C", "49-9041", 5, 5, 5, 57000, np.nan),
    # 29-1141: employer A on two lines (summed: one employer), B and C
    ("A", "29-1141", 30, 30, 30, 80000, 10), ("A", "29-1141", 10, 10, 10, 82000, 0),
    ("B", "29-1141", 30, 30, 30, 79000, 10), ("C", "29-1141", 20, 20, 20, 81000, 10),
])


def _cell(cells: pd.DataFrame, gid: str, metric: str = "employer_hires_annual") -> pd.Series:
    return cells.set_index(["group_id", "metric"]).loc[(gid, metric)]


def test_hires_annual_is_the_mean_of_the_years_answered() -> None:
    assert PLANS["hires_annual"].tolist()[:3] == [10.0, 20.0, 30.0]   # C: (25 + 35) / 2
    assert set(PLANS["soc_source"]) == {"given"}


def test_cells_by_hand() -> None:
    cells = employer_cells(PLANS, region_id="r", min_employers=3, dominance=0.8)
    welders = _cell(cells, "51-4121")
    assert welders["metric_value"] == 100.0 and welders["n_employers"] == 4 and not welders["is_suppressed"]
    assert _cell(cells, "51-4121", "hires_year2")["metric_value"] == 85.0      # 10 + 35 + 40, three answered
    assert _cell(cells, "51-4121", "hires_year2")["n_employers"] == 3
    assert _cell(cells, "51-4121", "starting_wage_annual")["metric_value"] == 43000.0  # median of four
    assert _cell(cells, "51-4121", "externship_slots")["metric_value"] == 10.0
    nurses = _cell(cells, "29-1141")
    assert nurses["n_employers"] == 3 and nurses["metric_value"] == 90.0      # A's two lines: one employer
    few = _cell(cells, "51-4041")
    assert few["is_suppressed"] and few["suppression"] == "primary: fewer than 3 employers"
    assert pd.isna(few["metric_value"]) and pd.isna(few["n_employers"])       # withheld, never zero
    dominant = _cell(cells, "49-9041")
    assert dominant["is_suppressed"] and "80% or more" in dominant["suppression"] and "90" not in dominant["suppression"]
    region = _cell(cells, "r")
    assert region["metric_value"] == 100 + 11 + 100 + 90 and region["n_employers"] == 4


def test_one_hidden_occupation_is_protected_by_a_second() -> None:
    """Region − shown occupations would give the hidden one away: the smallest shown one goes too."""
    plans = PLANS[PLANS["soc_code"] != "49-9041"]
    cells = employer_cells(plans, region_id="r", min_employers=3, dominance=0.8)
    hidden = cells[(cells["metric"] == "employer_hires_annual") & cells["is_suppressed"]]
    assert sorted(hidden["group_id"]) == ["29-1141", "51-4041"]
    assert _cell(cells, "29-1141")["suppression"] == "complementary: protects occupation 51-4041"
    assert not _cell(cells, "r")["is_suppressed"]


def test_titles_without_codes_need_the_autocoder() -> None:
    df = PLANS.drop(columns=["soc_source", "soc_title", "confidence", "hires_annual"]).copy()
    df.loc[3, "soc_code"], df.loc[3, "job_title"] = None, "Welder"
    with pytest.raises(InputError, match=r"row 4, column 'soc_code'.*O\*NET"):
        code_plans(df, None)


def _gaps() -> pd.DataFrame:
    return pd.DataFrame({"soc_code": ["51-4121", "29-1141", "51-4041", "49-9041", "43-3031"],
                         "occupation_title": ["Welders", "Registered nurses", "Machinists", "Mechanics", "Clerks"],
                         "annual_openings": [40.0, 100.0, 80.0, 60.0, 200.0], "flag": "undersupply",
                         "gap": [20.0, 50.0, 40.0, 30.0, 150.0]})


def test_three_signals_side_by_side() -> None:
    cells = employer_cells(PLANS, region_id="r")
    postings = pd.DataFrame({"soc_code": ["51-4121", "29-1141", "51-4041", "49-9041", "43-3031"],
                             "n_postings": [90.0, 20.0, 30, 10, 150],
                             "openings_rank_pct": [0.2, 0.6, 0.8, 0.4, 1.0],
                             "postings_rank_pct": [0.8, 0.6, 0.4, 0.2, 1.0]})
    s = demand_signals(cells, _gaps(), postings, far_more_ratio=2.0).set_index("soc_code")
    assert s.loc["51-4121", "employer_hires_ratio"] == 2.5                     # 100 ÷ 40
    assert s.loc["51-4121", "employer_signal"] == "far more" and s.loc["51-4121", "postings_signal"] == "more"
    assert s.loc["51-4121", "signal_agreement"] == "employers and postings both point above the projection"
    assert s.loc["29-1141", "employer_hires_ratio"] == 0.9 and s.loc["29-1141", "employer_signal"] == "in line"
    assert s.loc["29-1141", "signal_agreement"] == "all three agree"
    assert s.loc["51-4041", "employer_signal"] == "suppressed" and pd.isna(s.loc["51-4041", "employer_hires_annual"])
    assert s.loc["51-4041", "postings_signal"] == "fewer"                       # 0.4 − 0.8 < −0.25
    assert s.loc["43-3031", "employer_signal"] == "no answer"
    assert s.loc["43-3031", "signal_agreement"] == "postings agree with the projection"
    assert s.loc["51-4121", "annual_openings"] == 40.0                         # the projection is never replaced


def test_externships_need_versus_offer() -> None:
    programs = pd.DataFrame({"program_id": ["P1", "P2", "P3"], "provider_name": ["College", "Clinic school", "JATC"],
                             "cip_title": ["Welding", "Nursing", "Wiring"], "award_level": ["2", "3", "N2"],
                             "work_based_learning": [None, None, True]})
    allocation = pd.DataFrame({"program_id": ["P1", "P1", "P2", "P3"],
                               "soc_code": ["51-4121", "51-4041", "29-1141", "47-2111"],
                               "completers_allocated": [30.0, 10.0, 45.0, 12.0]})
    inventory = pd.DataFrame({"program_id": ["P1", "P2"], "item_kind": "work_based_learning",
                              "item": ["externship", "clinical_placement"]})
    need = externship_need(programs, allocation, inventory)
    assert set(need["program_id"]) == {"P1", "P2"}                 # the apprenticeship is its own placement
    e = externships(employer_cells(PLANS, region_id="r"), need, _gaps(), programs).set_index("soc_code")
    assert e.loc["29-1141", "externship_need"] == 45.0 and e.loc["29-1141", "externship_slots"] == 30.0
    assert e.loc["29-1141", "externship_balance"] == -15.0
    assert e.loc["51-4121", "externship_need"] == 30.0 and e.loc["51-4121", "externship_balance"] == -20.0
    assert e.loc["51-4041", "externship_slots"] == 0.0             # nobody offers any: a count
    assert "College Welding: 30.0" in e.loc["51-4121", "need_programs"]
