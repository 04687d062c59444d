"""Demand arithmetic on small hand-worked tables."""

from pathlib import Path

import pandas as pd
import pytest

from align.demand.industry import regional_industry_employment
from align.demand.occupations import staffing_matrix, to_occupations, unmatched_industries
from align.demand.openings import annual_openings
from align.demand.separation import separation_rates


def test_openings_formula_hand_worked():
    # 1,000 → 1,200 over 10 years: growth 20/yr; average employment 1,100;
    # exits 3% × 1,100 = 33; transfers 5% × 1,100 = 55; openings 20 + 33 + 55 = 108.
    out = annual_openings(pd.Series([1000.0]), pd.Series([1200.0]), 10, pd.Series([0.03]), pd.Series([0.05]))
    assert out.iloc[0].to_dict() == pytest.approx(
        {"growth_annual": 20.0, "exits_annual": 33.0, "transfers_annual": 55.0, "annual_openings": 108.0})


def test_openings_reproduce_bls_table_1_10_row():
    # EP 2019-29 Table 1.10, Chief executives (thousands): 287.9 → 259.1, exit rate 2.6%,
    # transfer rate 3.5%; published exits 7.2, transfers 9.6, openings 13.9. Rates are printed to
    # 0.1 point, so a reproduction can be off by 0.05% × average employment (0.14 thousand).
    tol = 0.0005 * (287.9 + 259.1) / 2
    out = annual_openings(pd.Series([287.9]), pd.Series([259.1]), 10, pd.Series([0.026]), pd.Series([0.035]))
    assert out["exits_annual"].iloc[0] == pytest.approx(7.2, abs=tol)
    assert out["transfers_annual"].iloc[0] == pytest.approx(9.6, abs=tol)
    assert out["annual_openings"].iloc[0] == pytest.approx(13.9, abs=2 * tol)
    # applying the rates to base-year employment instead would miss the published figures
    assert abs(0.026 * 287.9 - 7.2) > tol and abs(0.035 * 287.9 - 9.6) > tol


def test_declining_occupation_still_has_replacement_openings_but_never_negative():
    out = annual_openings(pd.Series([100.0, 100.0]), pd.Series([50.0, 90.0]), 5, pd.Series([0.0, 0.05]),
                          pd.Series([0.0, 0.05]))
    assert out["annual_openings"].tolist() == pytest.approx([0.0, -2 + 9.5])


def test_staffing_product_hand_worked():
    staffing = pd.DataFrame({
        "geography": "US", "naics_code": ["622", "622", "621", "812"],
        "soc_code": ["29-1141", "31-1131", "29-1141", "39-5012"],
        "share_of_industry_employment": [0.30, 0.06, 0.12, None]})  # 812's share suppressed
    m = staffing_matrix(staffing)
    industry = pd.DataFrame({"base": [1000.0, 500.0, 200.0], "target": [1100.0, 600.0, 200.0]},
                            index=["622", "621", "812"])
    occ = to_occupations(industry, m)
    # RN: 0.30 × 1,000 + 0.12 × 500 = 360 base; 0.30 × 1,100 + 0.12 × 600 = 402 target
    assert occ.loc["29-1141"].tolist() == pytest.approx([360.0, 402.0])
    assert occ.loc["31-1131"].tolist() == pytest.approx([60.0, 66.0])
    assert "39-5012" not in occ.index  # a suppressed share contributes nothing
    assert unmatched_industries(["622", "812", "999"], m) == ["812", "999"]


def _area(rows):
    cols = ["area_fips", "own_code", "naics_code", "period", "qtr", "employment", "is_suppressed"]
    return pd.DataFrame(rows, columns=cols)


def test_regional_employment_sums_counties_and_owners_and_keeps_suppression_missing():
    area = _area([
        ("99001", "5", "622", 2020, "A", 800.0, False), ("99001", "3", "622", 2020, "A", 200.0, False),
        ("99003", "5", "622", 2020, "A", 150.0, False),
        ("99001", "5", "212", 2020, "A", 40.0, False), ("99003", "5", "212", 2020, "A", None, True),
        ("99001", "5", "62", 2020, "A", 950.0, False),  # sector row: wrong length, ignored
        ("99009", "5", "622", 2020, "A", 5000.0, False),  # outside the region
    ])
    out = regional_industry_employment(area, region_id="r", counties=["99001", "99003"],
                                       ownerships=["3", "5"], naics_digits=3).set_index("naics_code")
    assert out.loc["622", "employment"] == 1150.0 and not out.loc["622", "is_suppressed"]
    assert pd.isna(out.loc["212", "employment"]) and out.loc["212", "is_suppressed"]


def test_separation_rates_need_their_columns():
    from align.errors import InputError

    with pytest.raises(InputError, match="separation rates"):
        separation_rates(pd.DataFrame({"soc_code": ["29-1141"]}))


def test_staffing_pattern_falls_back_from_region_to_state_to_nation():
    from align.demand.occupations import choose_patterns
    from align.errors import InputError

    rows = [("REG", "622", "29-1141", 0.35), ("ST", "622", "29-1141", 0.32), ("ST", "621", "29-1141", 0.15),
            ("US", "621", "29-1141", 0.12), ("US", "812", "39-5012", 0.35)]
    staffing = pd.DataFrame(rows, columns=["geography", "naics_code", "soc_code", "share_of_industry_employment"])
    chosen = choose_patterns(staffing, ["REG", "ST", "US"]).set_index("naics_code")["geography"].to_dict()
    assert chosen == {"622": "REG", "621": "ST", "812": "US"}
    occ = to_occupations(pd.DataFrame({"base": [100.0, 100.0, 100.0]}, index=["622", "621", "812"]),
                         staffing_matrix(choose_patterns(staffing, ["REG", "ST", "US"])))
    assert occ.loc["29-1141", "base"] == pytest.approx(35 + 15)
    with pytest.raises(InputError, match="several geographies"):
        choose_patterns(staffing)
    with pytest.raises(InputError, match="'XX'"):
        choose_patterns(staffing, ["XX"])


def test_openings_fall_back_to_the_major_group_rates_and_keep_the_oews_title():
    from align.config import load
    from align.demand.stages import openings

    config = load(Path(__file__).resolve().parents[2] / "data" / "demo" / "region.toml")
    occ = pd.DataFrame({"soc_code": ["29-1141", "29-9099"], "employment_base": [1000.0, 100.0],
                        "employment_target": [1100.0, 100.0], "employment_target_lo80": [1050.0, 90.0],
                        "employment_target_hi80": [1150.0, 110.0]})
    rates = pd.DataFrame({"soc_code": ["29-1141", "29-0000"], "labor_force_exit_rate": [0.028, 0.03],
                          "occupational_transfer_rate": [0.021, 0.02],
                          "occupation_title": ["Registered nurses", "Healthcare practitioners"]})
    staffing = pd.DataFrame({"geography": "US", "naics_code": "622", "soc_code": ["29-9099"],
                             "share_of_industry_employment": [0.01],
                             "occupation_title": ["Healthcare practitioners and technical workers, all other"]})
    result = openings(config, {"occupation_projection": occ, "separation_rates": rates,
                               "staffing_patterns": staffing})
    out, warnings = result.tables["occupation_demand"], [str(w) for w in result.warnings]
    other = out.set_index("soc_code").loc["29-9099"]
    # no growth; exits 3% and transfers 2% of 100 → 5 openings a year, from the major group's rates
    assert other["annual_openings"] == pytest.approx(5.0)
    assert other["occupation_title"] == "Healthcare practitioners and technical workers, all other"
    assert any("29-9099" in w for w in warnings)


def test_qcew_aggregates_are_not_industries():
    area = pd.DataFrame({
        "area_fips": "39049", "own_code": "5", "qtr": "A", "period": 2020, "is_suppressed": False,
        "naics_code": ["10", "101", "1011", "31-33", "44-45", "62", "622"],
        "agglvl_code": ["71", "73", "73", "74", "74", "74", "75"],
        "employment": [1000.0, 400.0, 300.0, 250.0, 150.0, 200.0, 120.0]})
    two = regional_industry_employment(area, region_id="r", counties=["39049"], ownerships=["5"], naics_digits=2)
    assert sorted(two["naics_code"]) == ["31-33", "44-45", "62"]  # not the all-industry total "10"
    three = regional_industry_employment(area, region_id="r", counties=["39049"], ownerships=["5"], naics_digits=3)
    assert three["naics_code"].tolist() == ["622"]  # not the goods-producing supersector "101"


def test_government_is_arranged_as_oews_counts_it():
    area = pd.DataFrame({
        "area_fips": "39049", "qtr": "A", "period": 2020,
        "own_code": ["5", "5", "3", "3", "3", "2", "2"],
        "naics_code": ["61", "62", "10", "61", "92", "10", "61"],
        "agglvl_code": ["74", "74", "71", "74", "74", "71", "74"],
        "employment": [100.0, 500.0, 1000.0, 700.0, 200.0, 400.0, None],
        "is_suppressed": [False, False, False, False, False, False, True]})
    out = regional_industry_employment(area, region_id="r", counties=["39049"], ownerships=["5"], naics_digits=2,
                                       government_code="99").set_index("naics_code")["employment"]
    # public schools stay in 61 (100 private + 700 local + the suppressed state cell, estimated as
    # the state total 400 minus its disclosed sectors, none); the rest of local government (1,000 −
    # 700) goes to 99; nothing is double counted
    assert out.to_dict() == {"61": 1200.0, "62": 500.0, "99": 300.0}
    assert out.sum() == 100 + 500 + 1000 + 400
