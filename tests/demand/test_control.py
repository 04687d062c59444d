"""Iterative proportional fitting and the occupational control, on examples worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from align.demand.control import (
    CONTROLLED,
    NO_CONTROL,
    NOT_IN_PATTERN,
    control_to_area,
    dissimilarity,
    ipf,
)
from align.demand.occupations import StaffingMatrix


def test_ipf_uniform_seed_gives_the_independence_table():
    # seed all ones: the fit is r_i c_j / T — [[3·4, 3·6], [7·4, 7·6]] / 10
    fit = ipf(np.ones((2, 2)), np.array([3.0, 7.0]), np.array([4.0, 6.0]))
    assert fit.table == pytest.approx(np.array([[1.2, 1.8], [2.8, 4.2]]))


def test_ipf_keeps_the_seed_odds_ratio_2x2():
    # seed [[1, 2], [3, 4]], rows (4, 6), columns (5, 5). RAS keeps the odds ratio 1·4 / (2·3) = 2/3:
    # with x11 = a the margins give [[a, 4 − a], [5 − a, 1 + a]], so a(1 + a) / ((4 − a)(5 − a)) = 2/3,
    # i.e. a² + 21a − 40 = 0 and a = (−21 + √601) / 2 = 1.757652...
    a = (-21 + np.sqrt(601)) / 2
    fit = ipf(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([4.0, 6.0]), np.array([5.0, 5.0]))
    assert fit.table == pytest.approx(np.array([[a, 4 - a], [5 - a, 1 + a]]), rel=1e-9)
    assert fit.converged


def test_ipf_3x3_rows_exact_columns_fitted_zeros_kept():
    seed = np.array([[10.0, 5.0, 0.0], [2.0, 8.0, 4.0], [1.0, 1.0, 9.0]])
    rows, cols = np.array([20.0, 15.0, 15.0]), np.array([12.0, 18.0, 20.0])
    fit = ipf(seed, rows, cols)
    assert fit.table.sum(axis=1) == pytest.approx(rows, rel=1e-12)
    assert fit.table.sum(axis=0) == pytest.approx(cols, rel=1e-8)
    assert fit.table[0, 2] == 0.0
    # the cross-product ratios of the seed survive (RAS multiplies rows and columns only)
    t = fit.table
    assert t[1, 0] * t[2, 1] / (t[1, 1] * t[2, 0]) == pytest.approx(2.0 * 1.0 / (8.0 * 1.0))


def test_ipf_refuses_inconsistent_totals():
    with pytest.raises(ValueError, match="sum to"):
        ipf(np.ones((2, 2)), np.array([1.0, 1.0]), np.array([1.0, 2.0]))


def test_dissimilarity_is_half_the_absolute_share_difference():
    a = pd.Series({"x": 50.0, "y": 50.0})
    b = pd.Series({"x": 30.0, "y": 60.0, "z": 10.0})  # shares .3 .6 .1 vs .5 .5 0
    assert dissimilarity(a, b) == pytest.approx(0.5 * (0.2 + 0.1 + 0.1))


def _matrix():
    # two industries; the pattern assigns 95% of industry A and 100% of industry B
    shares = np.array([[0.50, 0.45, 0.00, 0.00],
                       [0.20, 0.20, 0.40, 0.20]])
    return StaffingMatrix(["A", "B"], ["11-0001", "11-0002", "11-0003", "11-0004"], sparse.csr_matrix(shares))


def test_control_fits_rows_to_industry_totals_and_columns_to_control_shares():
    e = pd.Series({"A": 100.0, "B": 50.0})
    # control area (another year, ten times larger): 11-0004 not published; 11-0099 in no industry of the pattern
    control = pd.Series({"11-0001": 600.0, "11-0002": 400.0, "11-0003": 300.0, "11-0004": np.nan, "11-0099": 100.0})
    out = control_to_area(_matrix(), e, control, area="T")
    fitted = out.matrix.shares.toarray() * e.to_numpy()[:, None]
    assert fitted.sum(axis=1) == pytest.approx([100.0, 50.0], rel=1e-12)  # industry totals exactly
    t = out.table.set_index("soc_code")
    # 11-0004 keeps its pattern jobs: 50 × 0.20 = 10; the other 140 jobs follow the control's 6:4:3
    assert t.loc["11-0004", "control_status"] == NO_CONTROL
    assert t.loc["11-0004", "employment_controlled"] == pytest.approx(10.0)
    assert t.loc["11-0001", "employment_controlled"] == pytest.approx(140 * 6 / 13, rel=1e-6)
    assert t.loc["11-0003", "employment_controlled"] == pytest.approx(140 * 3 / 13, rel=1e-6)
    assert t.loc["11-0001", "control_status"] == CONTROLLED
    assert t.loc["11-0099", "control_status"] == NOT_IN_PATTERN
    # pattern mix over the controlled occupations: 60, 55, 20 (of 135) vs control 6:4:3 (of 13)
    before = 0.5 * (abs(60 / 135 - 6 / 13) + abs(55 / 135 - 4 / 13) + abs(20 / 135 - 3 / 13))
    assert out.dissimilarity_before == pytest.approx(before)
    assert out.dissimilarity_after == pytest.approx(0.0, abs=1e-6)
    # an industry's controlled shares add to one: every job is placed
    assert out.matrix.shares.toarray().sum(axis=1) == pytest.approx([1.0, 1.0])


def test_a_larger_control_area_is_fitted_on_its_own_industries_and_applied_to_the_region():
    # the state: 1,000 jobs in A, 1,000 in B; the region: 150 in A only (a one-industry town)
    state, region = pd.Series({"A": 1000.0, "B": 1000.0}), pd.Series({"A": 150.0, "B": 0.0})
    control = pd.Series({"11-0001": 600.0, "11-0002": 400.0, "11-0003": 300.0, "11-0004": np.nan})
    out = control_to_area(_matrix(), region, control, area="T", area_employment=state)
    at_state = control_to_area(_matrix(), state, control, area="T")
    # the region takes the state's fitted staffing of industry A, not the state's whole mix
    assert out.matrix.shares.toarray() == pytest.approx(at_state.matrix.shares.toarray())
    t = out.table.set_index("soc_code")
    row_a = at_state.matrix.shares.toarray()[0]
    for j, soc in enumerate(_matrix().soc):
        assert t.loc[soc, "employment_controlled"] == pytest.approx(150.0 * row_a[j])
    # the state's control shares at the region's size, for the reader's comparison
    assert t.loc["11-0001", "employment_control"] / t.loc["11-0003", "employment_control"] == pytest.approx(2.0)
    # forcing the state mix onto a one-industry region would give 0 dissimilarity; it keeps its own
    # (industry A employs no 11-0003, which is 3/13 of the state's controlled mix)
    assert out.dissimilarity_after == pytest.approx(3 / 13, abs=0.01) and at_state.dissimilarity_after < 1e-6


def test_soc_edition_bridge_carries_a_renamed_code_to_its_group():
    # shares of the control's and the pattern's totals. SOC 2010 35-3021 became 35-3023 (same broad
    # group 35-302x); 15-1132 split into 15-1252/15-1253 (minor group 15-1000); 43-5081 moved to
    # 53-7065 (another major group: the BLS crosswalk's move); 53-7111 (0.1%) is far smaller than
    # the open 53-7062 (2%) and is not allowed to set its level
    from align.demand.control import bridge_editions

    control = pd.Series({"35-3021": 0.030, "15-1132": 0.005, "43-5081": 0.020, "53-7111": 0.001})
    pattern = pd.Series({"35-3023": 0.025, "15-1252": 0.003, "15-1253": 0.001, "53-7065": 0.015,
                         "53-7062": 0.020})
    values, used = bridge_editions(control, pattern)
    assert values.to_dict() == pytest.approx({"53-7065": 0.020, "35-3023": 0.030, "15-1252": 0.00375,
                                              "15-1253": 0.00125})
    assert sorted(used) == ["15-1132", "35-3021", "43-5081"]


def test_occupation_stage_controls_then_adds_the_self_employed():
    from pathlib import Path

    from align.config import load
    from align.demand.stages import occupations

    config = load(Path(__file__).resolve().parents[2] / "data" / "demo" / "region.toml")
    staffing = pd.DataFrame({"geography": "US", "naics_code": ["A", "A", "B", "B"],
                             "soc_code": ["11-0001", "11-0002", "11-0001", "11-0002"],
                             "share_of_industry_employment": [0.5, 0.5, 0.2, 0.8]})
    projection = pd.DataFrame({"naics_code": ["A", "B"], "employment_base": [100.0, 100.0],
                               "employment_target": [110.0, 100.0], "employment_target_lo80": [105.0, 95.0],
                               "employment_target_hi80": [115.0, 105.0]})
    control = pd.DataFrame({"geography": "18140", "area_title": "Columbus, OH", "soc_code": ["11-0001", "11-0002"],
                            "o_group": "detailed", "employment": [300.0, 100.0], "period": 2025, "soc_vintage": "2018"})
    rates = pd.DataFrame({"soc_code": ["11-0001", "11-0002"], "labor_force_exit_rate": 0.02,
                          "occupational_transfer_rate": 0.03, "self_employed_share": [0.5, 0.0]})
    result = occupations(config, {"staffing_patterns": staffing, "industry_projection": projection,
                                  "control_estimates": control, "separation_rates": rates})
    out, warnings = result.tables, [str(w) for w in result.warnings]
    occ = out["occupation_projection"].set_index("soc_code")
    # controlled to 3 : 1 of the region's 200 jobs, then 11-0001's half self-employed doubles it
    assert occ.loc["11-0001", "employment_wage_salary"] == pytest.approx(150.0)
    assert occ.loc["11-0001", "employment_base"] == pytest.approx(300.0)
    assert occ.loc["11-0002", "employment_base"] == pytest.approx(50.0)
    # the pattern's mix was 70 : 130 of 200; dissimilarity |0.35 − 0.75| = 0.40 before
    assert any("dissimilarity index of 0.400" in w and "0.000 after" in w for w in warnings)
    assert any("May 2025, the base year" in w for w in warnings)
    assert out["occupation_control"].set_index("soc_code").loc["11-0001", "employment_pattern"] == 70.0
