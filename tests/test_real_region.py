"""A planning run on real published files: Franklin and Delaware counties, Ohio (data/examples)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def columbus(real_example):
    return real_example("columbus-oh")


def test_every_job_is_counted_once(columbus):
    emp = columbus.tables["industry_employment"]
    # QCEW 2020 annual, all ownerships, all industries: Franklin 727,016 + Delaware 84,743
    # (morpc-qcew-2020-a-39049.csv / -39041.csv, own_code 0, industry 10). Private sectors plus
    # government arranged as OEWS counts it must add back to that within QCEW's rounding.
    assert emp["employment"].sum() == pytest.approx(727_016 + 84_743, abs=10)
    assert "99" in set(emp["naics_code"]) and "31-33" in set(emp["naics_code"])


def test_real_run_produces_every_occupation_and_flags(columbus):
    t = columbus.tables
    demand = t["occupation_demand"]
    assert len(demand) > 700  # detailed occupations through the natsector staffing patterns
    rn = demand.set_index("soc_code").loc["29-1141"]
    assert 600 < rn["annual_openings"] < 1500
    assert set(t["gaps"]["flag"]) >= {"undersupply", "oversupply", "on-the-job entry", "filled from experience"}
    programs = t["programs"]
    assert programs["provider_id"].isin(["204796"]).any()  # Ohio State University-Main Campus, Franklin County
    # one year of QCEW history: no interval, said so, never a made-up range
    assert t["industry_forecast"]["lo80"].isna().all()
    assert any("too little history" in w for w in columbus.warnings)


def test_suppressed_public_education_and_hospitals_are_estimated_in_their_industries(columbus):
    emp = columbus.tables["industry_employment"].set_index("naics_code")
    # Franklin's state government (Ohio State, its medical centre) is suppressed in 61 and 62: the
    # state total 56,356 minus its disclosed public administration (92: 18,251) is shared among the
    # suppressed sectors by establishments (61: 7, 62: 19 of 33), and stays flagged
    assert emp.loc["61", "is_estimated"] and emp.loc["62", "is_estimated"]
    assert emp.loc["61", "employment"] > 29_665 + 38_105 * 7 / 33  # Franklin's local schools plus that share
    assert any("shared out by establishment counts" in w for w in columbus.warnings)


def test_occupations_are_controlled_to_the_columbus_metro(columbus):
    control = columbus.tables["occupation_control"].set_index("soc_code")
    summary = columbus.manifest["occupation_control"]
    # the sector patterns' mix against OEWS May 2025 Columbus MSA, over the 599 detailed
    # occupations both publish: 0.124 with government staffed as public administration (the
    # issue's figure), 0.114 once the estimated schools and hospitals are in their industries
    assert summary["dissimilarity_before"] == pytest.approx(0.114, abs=0.002)
    assert summary["dissimilarity_after"] < 0.001
    demand = columbus.tables["occupation_demand"].set_index("soc_code")
    wage_salary = demand["employment_wage_salary"]
    # registered nurses: 30,510 of 1,105,580 jobs in the metro (2.76%); the region now matches
    rn_share = wage_salary["29-1141"] / wage_salary.sum()
    assert rn_share == pytest.approx(30_510 / 1_105_580, rel=0.05)
    assert control.loc["29-1141", "control_status"] == "controlled"
    assert control.loc["11-9041", "control_status"] == "no published value: pattern kept"  # f01 = 8 in the MSA
    assert wage_salary.sum() == pytest.approx(727_016 + 84_743, abs=10)  # every job once, after the fit


def test_self_employed_are_added_and_the_base_year_is_named(columbus):
    demand = columbus.tables["occupation_demand"].set_index("soc_code")
    total = demand["employment_wage_salary"] + demand["employment_self_employed"]
    assert demand["employment_base"].to_numpy() == pytest.approx(total.to_numpy(), abs=0.01)
    # EP 2024-34: 62.6% of farmers, ranchers and agricultural managers are self-employed
    farm = demand.loc["11-9013"]
    assert farm["employment_self_employed"] / farm["employment_base"] == pytest.approx(0.626, abs=0.001)
    assert any("base year 2020" in w and "COVID-19" in w for w in columbus.warnings)
