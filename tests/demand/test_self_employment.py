"""The self-employed added from EP's share: total = wage and salary / (1 − share)."""

from __future__ import annotations

import pandas as pd
import pytest

from align.demand.self_employment import add_self_employed, self_employed_shares


def test_total_employment_from_the_self_employed_share():
    # 20% self-employed: 800 wage-and-salary jobs are 80% of 1,000 workers; 200 are self-employed
    ws = pd.DataFrame({"employment_base": [800.0], "employment_target": [880.0],
                       "employment_target_lo80": [840.0], "employment_target_hi80": [920.0]},
                      index=pd.Index(["47-2031"], name="soc_code"))
    out = add_self_employed(ws, pd.Series({"47-2031": 0.2})).iloc[0]
    assert out["employment_base"] == pytest.approx(1000.0)
    assert out["employment_self_employed"] == pytest.approx(200.0)
    assert out["employment_wage_salary"] == 800.0
    assert out["employment_target"] == pytest.approx(1100.0)  # the share is held over the period
    assert out["employment_target_hi80"] == pytest.approx(1150.0)


def test_share_falls_back_to_the_broad_minor_or_major_group():
    published = pd.Series({"29-1140": 0.01, "29-1000": 0.05, "47-0000": 0.2, "00-0000": 0.058})
    codes = pd.Index(["29-1141", "29-1171", "47-2031", "99-9999"])
    share, unknown = self_employed_shares(codes, published)
    assert share.to_dict() == {"29-1141": 0.01, "29-1171": 0.05, "47-2031": 0.2, "99-9999": 0.0}
    assert unknown == ["99-9999"]


def test_a_share_of_one_is_refused():
    ws = pd.DataFrame({"employment_base": [10.0]}, index=["11-9013"])
    with pytest.raises(ValueError, match="11-9013"):
        add_self_employed(ws, pd.Series({"11-9013": 1.0}))
