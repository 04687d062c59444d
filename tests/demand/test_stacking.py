"""Stacking: one set of combination weights per pool, fitted on its backtest errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from align.demand import backtest as B
from align.demand.forecast import forecast_panel
from align.demand.stacking import STACK_MIN_SERIES, fit_stack, stack_weights


def test_weights_cancel_opposite_errors() -> None:
    # one member always 2 under, the other 2 over: mean |2(w − (1 − w))| is 0 only at w = ½
    E = np.array([[2.0, -2.0]] * 4)
    assert stack_weights(E) == pytest.approx([0.5, 0.5], abs=1e-9)


def test_weights_take_the_corner_where_one_member_wins() -> None:
    # rows (1, −1) and (0, 4): mean(|2w − 1|, 4(1 − w)) over w ∈ [0, 1] is 0.5 at w = 1, 1 at w = ½,
    # 2.5 at w = 0: linear pieces, least at the corner — all the weight on the first member
    E = np.array([[1.0, -1.0], [0.0, 4.0]])
    assert stack_weights(E) == pytest.approx([1.0, 0.0], abs=1e-9)


def test_rows_with_a_missing_member_are_left_out() -> None:
    E = np.array([[2.0, -2.0], [np.nan, 50.0], [2.0, -2.0]])
    assert stack_weights(E) == pytest.approx([0.5, 0.5], abs=1e-9)


def test_fit_stack_writes_the_stacks_own_errors() -> None:
    names = ["naive", "drift", "combo", "stack"]
    errors = np.full((1, 4, 1, 2), np.nan, dtype=np.float32)
    errors[0, 0, 0] = [2.0, 2.0]     # naive: 2 under in both windows
    errors[0, 1, 0] = [-2.0, -2.0]   # drift: 2 over
    errors[0, 2, 0] = [9.0, 9.0]     # the combination is no member
    w = fit_stack(errors, names)
    assert w == pytest.approx([0.5, 0.5, 0.0, 0.0], abs=1e-9)
    assert errors[0, 3, 0] == pytest.approx([0.0, 0.0], abs=1e-6)
    # the forecast is the same mix: ½ · naive's 10 + ½ · drift's 14 = 12
    F = B.run_menu(np.array([[6.0, 8.0, 10.0]]), 1, names, stack_weights=w)
    assert F["naive"][0, 0] == 10 and F["drift"][0, 0] == 12
    assert F["stack"][0, 0] == pytest.approx(11.0)
    assert np.isnan(B.run_menu(np.array([[6.0, 8.0, 10.0]]), 1, names)["stack"]).all()


def test_the_pool_shares_one_mix_and_the_stack_beats_its_members() -> None:
    # growth that slows (y = 50 + i + 100·(1 − e^(−t/5))): naive falls short, drift (the mean
    # past slope) overshoots; a mix of the two is nearer than either
    rows = [{"series_id": f"s{i}", "period": 2000 + t, "value": 50 + i + 100 * (1 - np.exp(-t / 5))}
            for i in range(10) for t in range(12)]
    panel = pd.DataFrame(rows)
    res = forecast_panel(panel, 2, models=["naive", "drift", "combo", "stack"], min_train=3)
    f = res.forecasts
    assert set(f["model"]) == {"stack"}
    acc = res.accuracy.set_index("model")["mase"]
    assert acc["stack"] < min(acc["naive"], acc["drift"])
    # one weight w for every series: stack = w · naive + (1 − w) · drift
    last = panel.sort_values("period").groupby("series_id")["value"].last()
    first = panel.sort_values("period").groupby("series_id")["value"].first()
    step1 = f[f["steps_ahead"] == 1].set_index("series_id")["forecast"]
    drift1 = last + (last - first) / 11
    moved = (drift1 - last).abs() > 1e-9
    w = 1 - (step1 - last)[moved] / (drift1 - last)[moved]
    assert 0.0 < w.iloc[0] < 1.0
    assert np.allclose(w, w.iloc[0])


def _pool(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"series_id": f"s{i}", "period": 2000 + t, "value": 50 + i + 100 * (1 - np.exp(-t / 5))}
            for i in range(n) for t in range(10)]
    panel = pd.DataFrame(rows)
    return panel, panel.assign(value=panel["value"] * 20)


def test_the_default_menu_stacks_only_a_pool_of_enough_series() -> None:
    # a few series' windows cannot weigh nine models (STACK_MIN_SERIES); asked for, it still runs
    small, ref = _pool(STACK_MIN_SERIES - 1)
    assert "stack" not in set(forecast_panel(small, 2, reference=ref, min_train=3).accuracy["model"])
    assert "stack" in set(forecast_panel(small, 2, models=["naive", "drift", "stack"], min_train=3).accuracy["model"])
    big, ref = _pool(STACK_MIN_SERIES)
    assert "stack" in set(forecast_panel(big, 2, reference=ref, min_train=3).accuracy["model"])
