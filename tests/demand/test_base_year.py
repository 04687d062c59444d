"""A shock base year is named; an averaged base keeps the forecast's growth."""

from __future__ import annotations

import pandas as pd
import pytest

from align.demand.base_year import average_base, base_year_caveat
from align.errors import InputError


def test_listed_shock_year_is_named():
    text = base_year_caveat(2020, pd.Series({2020: 800.0}))
    assert "COVID-19" in text and "February to April 2020" in text and "base_average" in text


def test_a_sharp_fall_in_the_regions_own_series_is_named():
    totals = pd.Series({2010: 100.0, 2011: 101.0, 2012: 98.0})  # −2.97% into 2012
    text = base_year_caveat(2012, totals)
    assert "fall 3.0% from 2011" in text and "[2010, 2011]" in text
    assert base_year_caveat(2011, totals) is None  # +1%, not a listed year


def test_average_base_scales_target_and_bounds_by_the_same_factor():
    projection = pd.DataFrame({"employment_base": [90.0], "employment_target": [99.0],
                               "employment_target_lo80": [95.0], "employment_target_hi80": [103.0]},
                              index=pd.Index(["62"], name="series_id"))
    history = pd.DataFrame({"series_id": "62", "period": [2018, 2019, 2020], "forecast": [100.0, 110.0, 90.0]})
    out = average_base(projection, history, [2018, 2019]).iloc[0]
    assert out["employment_base"] == 105.0  # (100 + 110) / 2
    assert out["employment_target"] == pytest.approx(99 * 105 / 90)  # the 10% growth from 2020 is kept
    assert out["employment_target_lo80"] == pytest.approx(95 * 105 / 90)
    with pytest.raises(InputError, match="2017"):
        average_base(projection, history, [2017, 2018])
