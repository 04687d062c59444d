"""A planning run with real history: the Finger Lakes region of New York, base 2012, target 2022."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def finger_lakes(real_example):
    return real_example("finger-lakes-ny")


def test_nine_counties_add_up_to_the_published_region(finger_lakes):
    emp = finger_lakes.tables["industry_employment"]
    totals = emp.groupby("period")["employment"].sum()
    assert list(totals.index) == list(range(2000, 2013))
    # qcew_annual_YEAR.txt, "Labor Market Area","Finger Lakes Region", NAICS 00: 561,926 (2000),
    # 533,223 (2009), 540,080 (2012): the counties' rows, confidential cells estimated, match
    for year, published in ((2000, 561_926), (2009, 533_223), (2012, 540_080)):
        assert totals[year] == pytest.approx(published, abs=10)
    e2012 = emp[emp["period"] == 2012].set_index("naics_code")
    # published 78,753, plus its share of the region's private unclassified (NAICS 99) jobs, which
    # are shared out over the sectors rather than counted as government (OEWS's 99)
    assert 78_753 < e2012.loc["62", "employment"] < 78_753 * 1.005 and not e2012.loc["62", "is_estimated"]
    assert e2012.loc["99", "employment"] == pytest.approx(86_876, abs=1)  # the nine counties' "Total, All Government" (95)
    assert e2012.loc["61", "is_estimated"]  # a county's private schools are confidential


def test_real_history_gives_ranges_and_chances_of_shortage(finger_lakes):
    t = finger_lakes.tables
    projection = t["industry_projection"]
    assert len(projection) == 20 and projection["employment_target_lo80"].notna().all()
    demand = t["occupation_demand"].set_index("soc_code")
    assert demand["annual_openings_low"].notna().all() and demand["annual_openings_high"].notna().all()
    assert (demand["annual_openings_low"] <= demand["annual_openings"]).all()
    assert (demand["annual_openings"] <= demand["annual_openings_high"]).all()
    # the state's own series (area 36000 in the same export) is the reference the backtest may borrow from
    assert {"shift_share", "shrink", "global", "pooled_trend"} <= set(t["forecast_accuracy"]["model"])
    assert set(t["forecast_accuracy"]["pool_over"]) == {"all industries of region finger-lakes-ny"}
    gaps = t["gaps"]
    assert gaps["probability_shortage"].notna().sum() > 500
    assert gaps["probability_shortage"].between(0, 1).all()


def test_occupations_are_controlled_to_new_york_state_2012(finger_lakes):
    summary = finger_lakes.manifest["occupation_control"]
    # fitted on the state's own industries (area 36000), applied to the region's: the region keeps its
    # industry mix, so it stays apart from the state's (New York City's) mix, but much closer than the pattern
    assert summary["dissimilarity_before"] > 0.15 and 0.02 < summary["dissimilarity_after"] < 0.10
    ws = finger_lakes.tables["occupation_demand"].set_index("soc_code")["employment_wage_salary"]
    # oesm12st.zip, New York (area 36): registered nurses 166,950 of 8,542,280 jobs (1.95%)
    assert ws["29-1141"] / ws.sum() == pytest.approx(166_950 / 8_542_280, rel=0.15)
    # a manufacturing region has more machinists and mechanical engineers than the state's mix gives it
    control = finger_lakes.tables["occupation_control"].set_index("soc_code")
    for soc in ("51-4041", "17-2141"):
        assert control.loc[soc, "employment_controlled"] > 1.3 * control.loc[soc, "employment_control"]
    # SOC 2010 43-5081 stock clerks became SOC 2018 53-7065 stockers: carried over, not lost
    control = finger_lakes.tables["occupation_control"].set_index("soc_code")
    assert control.loc["53-7065", "control_status"] == "controlled"
    assert any("SOC 2010" in w for w in finger_lakes.warnings)


def test_the_run_says_supply_is_from_other_years(finger_lakes):
    assert any("completions of 2020, 2021, 2022, not of the base year 2012" in w for w in finger_lakes.warnings)
    assert any("government by level only" in w for w in finger_lakes.warnings)
    programs = finger_lakes.tables["programs"]
    # University of Rochester, RIT, Monroe Community College (Monroe County, 36055)
    assert {"195030", "195003", "193326"} <= set(programs["provider_id"])
