"""Proportional reconciliation, on numbers worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from align.multiregion.reconcile import by_region, reconcile, reconciled_projection, unshared


def projection(rows: list[tuple]) -> pd.DataFrame:
    cols = ["naics_code", "employment_base", "employment_target", "employment_target_lo80", "employment_target_hi80"]
    return pd.DataFrame(rows, columns=cols)


REGIONAL = pd.concat([
    projection([("62", 100.0, 120.0, 110.0, 130.0), ("44-45", 40.0, 40.0, 35.0, 45.0)]).assign(region_id="a"),
    projection([("62", 50.0, 40.0, 36.0, 44.0), ("44-45", 60.0, 80.0, 70.0, 90.0)]).assign(region_id="b"),
], ignore_index=True)
# the state counts 10 more jobs in 62 than its regions in the base year, and projects 180 (regions: 160)
STATE = projection([("62", 160.0, 180.0, 170.0, 190.0), ("44-45", 100.0, 110.0, 100.0, 120.0),
                    ("99", 5.0, 5.0, 5.0, 5.0)])


def test_each_industry_is_scaled_to_the_state():
    t = reconcile(REGIONAL, STATE).set_index(["region_id", "naics_code"])
    # 62: base factor 160 / 150, target factor 180 / 160 = 1.125
    assert t.loc[("a", "62"), "factor_target"] == pytest.approx(1.125)
    assert t.loc[("a", "62"), "employment_target_reconciled"] == pytest.approx(135.0)
    assert t.loc[("b", "62"), "employment_target_reconciled"] == pytest.approx(45.0)
    assert t.loc[("a", "62"), "employment_base_reconciled"] == pytest.approx(100 * 160 / 150)
    assert t.loc[("b", "62"), "employment_target_lo80_reconciled"] == pytest.approx(36 * 1.125)
    # 44-45: targets 40 + 80 = 120 against the state's 110
    assert t.loc[("b", "44-45"), "employment_target_reconciled"] == pytest.approx(80 * 110 / 120)
    sums = t.groupby("naics_code")[["employment_base_reconciled", "employment_target_reconciled"]].sum()
    assert sums.loc["62"].tolist() == pytest.approx([160.0, 180.0])
    assert sums.loc["44-45"].tolist() == pytest.approx([100.0, 110.0])


def test_the_size_of_the_change_per_region():
    s = by_region(reconcile(REGIONAL, STATE), {"a": "Region A", "b": "Region B"}).set_index("region_id")
    # a: target 120 + 40 = 160 → 135 + 40 * 110 / 120 = 171.667
    assert s.loc["a", "employment_target_reconciled"] == pytest.approx(135 + 40 * 110 / 120)
    assert s.loc["a", "adjustment_target"] == pytest.approx(135 + 40 * 110 / 120 - 160)
    assert s.loc["a", "adjustment_target_pct"] == pytest.approx(100 * (135 + 40 * 110 / 120 - 160) / 160)
    # jobs moved counts both directions: a gains 15 in 62 and loses 3.333 in 44-45
    assert s.loc["a", "jobs_moved"] == pytest.approx(15 + 40 - 40 * 110 / 120)
    assert s.loc["b", "region_name"] == "Region B"


def test_industries_no_region_holds_are_named_and_the_rest_feeds_the_downstream_stages():
    assert unshared(REGIONAL, STATE)["naics_code"].tolist() == ["99"]
    p = reconciled_projection(reconcile(REGIONAL, STATE), "b").set_index("naics_code")
    assert p.loc["62", "employment_target"] == pytest.approx(45.0)
    assert list(p.columns) == ["employment_base", "employment_target", "employment_target_lo80",
                               "employment_target_hi80"]
