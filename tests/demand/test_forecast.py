"""Model arithmetic on hand-checked series, interval coverage, selection, API and CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from align import schemas
from align.cli import main
from align.demand import models as M
from align.demand.backtest import run_menu
from align.demand.forecast import forecast_panel

ALL = ["naive", "drift", "damped", "arima", "theta", "shift_share", "combo"]


def _panel(Y: np.ndarray, start: int = 2000) -> pd.DataFrame:
    n, T = Y.shape
    return pd.DataFrame({"series_id": np.repeat([f"s{i:05d}" for i in range(n)], T),
                         "period": np.tile(np.arange(start, start + T), n), "value": Y.ravel()})


def test_straight_line_forecast_exactly_by_drift_damped_arima() -> None:
    Y = np.array([[100.0 + 5 * t for t in range(12)], [50.0 - 2 * t for t in range(12)]])
    want = np.array([[160.0, 165, 170], [26.0, 24, 22]])
    for name in ("drift", "arima"):
        np.testing.assert_allclose(M.MODELS[name](Y, 3, M.Context()), want, rtol=1e-12)
    # damped trend: the grid includes phi = 1 and the zero-error path keeps the exact slope
    np.testing.assert_allclose(M.damped(Y, 3), want, rtol=1e-9)


def test_constant_series_forecast_exactly_by_every_model() -> None:
    Y = np.full((3, 10), 42.0)
    ref = np.full((3, 10), 1000.0)
    F = run_menu(Y, 4, ALL, ref=ref)
    for name, f in F.items():
        np.testing.assert_allclose(f, 42.0, rtol=1e-12, err_msg=name)
    np.testing.assert_allclose(M.seasonal_naive(Y, 4, 4), 42.0)


def test_hand_worked_small_cases() -> None:
    Y = np.array([[10.0, 12, 11, 15]])
    np.testing.assert_allclose(M.naive(Y, 2), [[15, 15]])
    np.testing.assert_allclose(M.drift(Y, 2), [[15 + 5 / 3, 15 + 10 / 3]])  # (15-10)/3 per step
    # shift-share: 15 is 10% of the reference 150; reference projection 160, 170 → 16, 17
    ctx = M.Context(ref=np.array([[100.0, 120, 110, 150]]), ref_future=np.array([[160.0, 170]]))
    np.testing.assert_allclose(M.shift_share(Y, 2, ctx), [[16, 17]])
    # seasonal naive (m = 4) repeats the last four values
    Z = np.arange(1.0, 9.0)[None, :]
    np.testing.assert_allclose(M.seasonal_naive(Z, 6, 4), [[5, 6, 7, 8, 5, 6]])


def test_selection_picks_the_model_a_series_is_built_for() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(20)
    trend = 1000 + 25 * t + rng.normal(0, 3, (30, 20))           # strong trend, small noise
    walk = 1000 + np.cumsum(rng.normal(0, 20, (30, 20)), axis=1)  # random walk, no drift
    Y = np.vstack([trend, walk])
    res = forecast_panel(_panel(Y), 3, models=["drift"])
    chosen = res.forecasts.drop_duplicates("series_id")["model"].to_numpy()
    assert (chosen[:30] == "drift").mean() >= 0.9
    bt = res.backtest.pivot_table(index="series_id", columns="model", values="mase")
    assert (bt["drift"].iloc[:30] < bt["naive"].iloc[:30]).all()


def test_interval_coverage_near_nominal_on_simulated_series() -> None:
    # random walks with drift and known Gaussian noise: 80% and 95% intervals calibrated on the
    # backtest must cover close to nominal on truly held-back years (not used in calibration)
    rng = np.random.default_rng(20240)
    n, T, H = 1500, 22, 3
    Y = 500 + np.cumsum(2 + rng.normal(0, 10, (n, T + H)), axis=1)
    res = forecast_panel(_panel(Y[:, :T]), H, models=["drift", "damped"])
    held = Y[:, T:].ravel()
    fc = res.forecasts
    cov80 = ((held >= fc["lo80"]) & (held <= fc["hi80"])).mean()
    cov95 = ((held >= fc["lo95"]) & (held <= fc["hi95"])).mean()
    assert 0.74 <= cov80 <= 0.86, cov80
    assert 0.91 <= cov95 <= 0.98, cov95
    acc = res.accuracy.set_index("model")
    assert 0.72 <= acc.loc["selected", "coverage80"] <= 0.88


def test_api_table_contract_determinism_and_notes() -> None:
    rng = np.random.default_rng(3)
    Y = 100 + np.cumsum(rng.normal(1, 3, (4, 15)), axis=1)
    df = _panel(Y)
    df.loc[(df["series_id"] == "s00001") & (df["period"] == 2005), "value"] = np.nan  # interior gap
    df.loc[(df["series_id"] == "s00002") & (df["period"] >= 2013), "value"] = np.nan  # suppressed latest
    short = pd.DataFrame({"series_id": "s9", "period": [2012, 2013, 2014], "value": [5.0, 6, 7]})
    df = pd.concat([df, short])
    res = forecast_panel(df, 4)
    fc = res.forecasts
    scored = fc[fc["series_id"] != "s9"]
    schemas.validate(scored, "industry_forecast")
    assert fc.loc[fc["series_id"] == "s9", "mase"].isna().all()  # no backtest: no made-up score
    assert list(fc.columns[:10]) == ["series_id", "period", "forecast", "lo80", "hi80", "lo95",
                                     "hi95", "model", "mase", "mase_naive"]
    assert set(fc["period"]) == {2015, 2016, 2017, 2018}
    assert (fc["lo95"] <= fc["lo80"]).all() and (fc["lo80"] <= fc["forecast"]).all()
    assert (fc["forecast"] <= fc["hi80"]).all() and (fc["hi80"] <= fc["hi95"]).all()
    notes = fc.drop_duplicates("series_id").set_index("series_id")["forecast_note"]
    assert "interpolated" in notes["s00001"]
    assert "last observed 2012" in notes["s00002"]
    assert fc[fc["series_id"] == "s00002"]["steps_ahead"].tolist() == [3, 4, 5, 6]
    assert "too short to backtest" in notes["s9"] and fc[fc.series_id == "s9"]["model"].iloc[0] == "drift"
    np.testing.assert_allclose(fc[fc.series_id == "s9"]["forecast"], [8, 9, 10, 11])
    again = forecast_panel(df.sample(frac=1, random_state=0), 4)
    pd.testing.assert_frame_equal(res.forecasts, again.forecasts)
    schemas.validate(res.backtest, "forecast_backtest")
    schemas.validate(res.accuracy, "forecast_accuracy")


def test_monthly_panel_seasonal_models() -> None:
    rng = np.random.default_rng(5)
    T = 72
    season = np.tile([0.9, 0.95, 1.0, 1.05, 1.1, 1.0, 0.95, 0.9, 1.0, 1.05, 1.1, 1.0], T // 12)
    Y = (1000 + 2 * np.arange(T)) * season * (1 + rng.normal(0, 0.003, (5, T)))
    dates = pd.date_range("2013-01-01", periods=T, freq="MS").strftime("%Y-%m-%d")
    df = pd.DataFrame({"series_id": np.repeat(list("abcde"), T), "period": np.tile(dates, 5),
                       "value": Y.ravel()})
    res = forecast_panel(df, 12)
    fc = res.forecasts
    assert res.frequency == 12 and fc["date"].iloc[0] == "2019-01-01"
    assert "snaive" in set(res.backtest["model"])
    # seasonally adjusted models beat seasonal naive on a trending seasonal series
    acc = res.accuracy.set_index("model")["mase"]
    assert acc["selected"] < acc["snaive"]
    truth = (1000 + 2 * np.arange(T, T + 12)) * season[:12]
    err = np.abs(fc[fc.series_id == "a"]["forecast"].to_numpy() / truth - 1)
    assert err.max() < 0.02


def test_cli_round_trip(tmp_path) -> None:
    rng = np.random.default_rng(7)
    Y = 200 + np.cumsum(rng.normal(1, 4, (6, 14)), axis=1)
    src = tmp_path / "panel.csv"
    _panel(Y).to_csv(src, index=False)
    out, rep = tmp_path / "fc.parquet", tmp_path / "bt.csv"
    assert main(["forecast", str(src), "-o", str(out), "--horizon", "3",
                 "--backtest-report", str(rep), "--models", "drift", "damped",
                 "--origins", "10"]) == 0
    fc = pd.read_parquet(out)
    assert len(fc) == 18 and set(fc["model"]) <= {"naive", "drift", "damped"}
    assert set(pd.read_csv(rep)["model"]) == {"naive", "drift", "damped"}
    api = forecast_panel(_panel(Y), 3, models=["drift", "damped"], n_origins=10).forecasts
    np.testing.assert_allclose(fc["forecast"], api["forecast"])
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"series": ["a"], "period": [2000], "value": [1]}).to_csv(bad, index=False)
    assert main(["forecast", str(bad), "-o", str(out), "--horizon", "2"]) == 2


def test_unknown_model_is_an_input_error() -> None:
    from align.errors import InputError

    with pytest.raises(InputError, match="unknown model"):
        forecast_panel(_panel(np.ones((1, 8))), 2, models=["prophet"])
    with pytest.raises(InputError, match="reference"):
        forecast_panel(_panel(np.ones((1, 8))), 2, models=["shift_share"])
