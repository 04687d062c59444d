"""Models that learn across series (shrinkage, the global model), explicit pools, horizon law."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from align.demand import models as M
from align.demand.backtest import Backtest, choose
from align.demand.forecast import forecast_panel
from align.demand.intervals import calibrate, horizon_law, inflation
from align.errors import InputError

G = math.log(1.1)  # the reference grows 10% a year


def _from_differentials(d: np.ndarray, start: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """Series whose yearly log growth is the reference's plus ``d`` (one row per series)."""
    n, steps = d.shape
    R = np.tile(1000.0 * np.exp(G * np.arange(steps + 1)), (n, 1))
    Y = start * np.exp(np.concatenate([np.zeros((n, 1)), np.cumsum(G + d, axis=1)], axis=1))
    return Y, R


def test_shrinkage_weights_worked_by_hand() -> None:
    d = np.array([[0.10, 0.10, 0.10],     # steady lead: no sampling noise, keeps it all
                  [-0.10, -0.10, -0.10],  # steady lag
                  [0.03, 0.09, -0.03]])   # noisy lead of 0.03 a year
    Y, R = _from_differentials(d)
    # d̄ = 0.1, -0.1, 0.03; s² = 0, 0, 0.0036/3 = 0.0012 (variance of the yearly differentials
    # 0, 0.06, -0.06 over their count); τ² = var(d̄) - mean(s²) = 0.0206/3 - 0.0012/3
    tau2 = 0.0206 / 3 - 0.0012 / 3
    w = tau2 / (tau2 + 0.0012)
    assert w == pytest.approx(0.843478, abs=1e-6)
    F = M.shrink(Y, 2, M.Context(ref=R))
    last = Y[:, -1]
    np.testing.assert_allclose(F[0], last[0] * np.exp(np.array([1, 2]) * (G + 0.10)), rtol=1e-12)
    np.testing.assert_allclose(F[1], last[1] * np.exp(np.array([1, 2]) * (G - 0.10)), rtol=1e-12)
    np.testing.assert_allclose(F[2], last[2] * np.exp(np.array([1, 2]) * (G + w * 0.03)), rtol=1e-12)


def test_shrinkage_to_the_reference_when_leads_are_noise() -> None:
    # two series whose differentials are pure noise around 0: τ² = 0, both grow as the reference
    d = np.array([[0.05, -0.05, 0.05], [-0.05, 0.05, -0.05]])
    Y, R = _from_differentials(d)
    F = M.shrink(Y, 1, M.Context(ref=R))
    np.testing.assert_allclose(F[:, 0], Y[:, -1] * 1.1, rtol=1e-12)
    # a projection of the reference replaces its past growth: +5% next year
    F = M.shrink(Y, 1, M.Context(ref=R, ref_future=R[:, -1:] * 1.05))
    np.testing.assert_allclose(F[:, 0], Y[:, -1] * 1.05, rtol=1e-12)
    # no reference: drift
    np.testing.assert_allclose(M.shrink(Y, 2, None), M.drift(Y, 2))


def test_pooled_trend_path_worked_by_hand() -> None:
    # every series leads the reference by 0.02 a year: half the sector trend, all of the lead,
    # damped by 0.5: growth (0.5·G + 0.02) in year 1, 1.5 × that by year 2
    Y, R = _from_differentials(np.full((3, 4), 0.02))
    F = M._trend_path(Y, R, 2, 0.5, 1.0, 0.5)
    g = 0.5 * G + 0.02
    np.testing.assert_allclose(F, Y[:, -1:] * np.exp(g * np.array([[1.0, 1.5]])), rtol=1e-12)


def test_pooled_trend_fits_one_weight_for_the_pool_by_backtest() -> None:
    # 40 series that grow at half their sector's rate, with a one-off ±3% level blip each: the
    # backtest across the pool finds a = 0.5 (b = 0 ties with a = b = 1 and comes first); the
    # same series with a flat reference keep no trend at all (naive: a = b = 0, φ = 1)
    rng = np.random.default_rng(0)
    years = np.arange(10)
    R = np.tile(1000.0 * np.exp(G * years), (40, 1))
    blip = np.where(years[None, :] == rng.integers(1, 9, 40)[:, None], 1.03, 1.0)
    Y = 100.0 * np.exp(0.5 * G * years)[None, :] * np.where(rng.random(40)[:, None] < 0.5, blip, 1 / blip)
    a, b, phi = M.fit_trend_weights(Y, R, 3)
    assert (a, b, phi) == (0.5, 0.0, 1.0)
    F = M.pooled_trend(Y, 2, M.Context(ref=R))
    np.testing.assert_allclose(F, Y[:, -1:] * np.exp(0.5 * G * np.array([[1.0, 2.0]])), rtol=1e-12)
    flat = 100.0 * np.where(rng.random(40)[:, None] < 0.5, blip, 1 / blip)
    assert M.fit_trend_weights(flat, np.full_like(flat, 1000.0), 3) == (0.0, 0.0, 1.0)
    np.testing.assert_allclose(M.pooled_trend(Y, 2, None), M.naive(Y, 2))


def test_pooled_trend_fits_each_large_category_its_own_weights() -> None:
    # 30 series that grow with their sector (10% a year) and 30 that stay level despite it, each
    # with a one-off ±3% blip: with the category each keeps its own rule (a = 1 and a = 0)
    rng = np.random.default_rng(1)
    years = np.arange(10)
    R = np.tile(1000.0 * np.exp(G * years), (60, 1))
    blip = np.where(years[None, :] == rng.integers(1, 9, 60)[:, None], 1.03, 1.0)
    blip = np.where(rng.random(60)[:, None] < 0.5, blip, 1 / blip)
    grows = np.arange(60) < 30
    Y = 100.0 * np.exp(np.where(grows[:, None], G * years[None, :], 0.0)) * blip
    own = M.pooled_trend(Y, 1, M.Context(ref=R, category=grows.astype(float)))
    np.testing.assert_allclose(own[grows, 0], Y[grows, -1] * 1.1, rtol=1e-12)
    np.testing.assert_allclose(own[~grows, 0], Y[~grows, -1], rtol=1e-12)
    assert M.fit_trend_weights(Y[grows], R[grows], 1) == (1.0, 0.0, 1.0)
    assert M.fit_trend_weights(Y[~grows], R[~grows], 1) == (0.0, 0.0, 1.0)
    # pooled together, the one triple that serves both keeps each series' own lead (a = b = 1)
    assert M.fit_trend_weights(Y, R, 1) == (1.0, 1.0, 1.0)


def test_global_model_learns_a_pattern_shared_across_series() -> None:
    # 300 series that swing +8%, -8%, ... (a seasonal-like reversal no single short series shows
    # reliably): the pooled trees learn that a rise is followed by a fall
    rng = np.random.default_rng(5)
    n, T = 300, 10
    sign = np.where(np.arange(T - 1) % 2 == 0, 1.0, -1.0)
    phase = np.where(rng.random(n) < 0.5, 1.0, -1.0)[:, None]
    growth = 0.08 * sign[None, :] * phase + rng.normal(0, 0.01, (n, T - 1))
    Y = 1000 * np.exp(np.concatenate([np.zeros((n, 1)), np.cumsum(growth, axis=1)], axis=1))
    train, held = Y[:, :-1], Y[:, -1]
    F = M.global_trees(train, 1, M.Context())
    err_global = np.abs(held - F[:, 0]).mean()
    err_naive = np.abs(held - train[:, -1]).mean()
    assert err_global < 0.3 * err_naive
    # same input, same forecast (fixed seed, one thread, no early stopping)
    np.testing.assert_array_equal(F, M.global_trees(train, 1, M.Context()))
    # too few windows to learn from: naive
    np.testing.assert_array_equal(M.global_trees(train[:5, :4], 2, M.Context()), M.naive(train[:5, :4], 2))


def test_bin_edges_cut_at_weighted_quantiles_worked_by_hand() -> None:
    x = np.arange(1000.0)
    X = np.column_stack([x, x % 10, np.where(x < 500, np.nan, x)])  # 1,000 values; 10 values; half missing
    edges = M.bin_edges(X, np.ones(1000))
    # 255 bins of 1000/255 = 3.92 points each: the first cut is the 4th point (cumulative weight 4 ≥ 3.92)
    assert edges[0][0] == 3.0 and len(edges[0]) == 254
    assert edges[1] is None  # ten distinct values: each its own bin already
    assert edges[2][0] == 501.0  # the 500 present values: 500/255 = 1.96, the 2nd of them
    B = M.to_bins(X, edges)
    assert B[:4, 0].tolist() == [0, 0, 0, 0] and B[4, 0] == 1 and B[999, 0] == 254
    assert np.isnan(B[:500, 2]).all() and (B[:, 1] == X[:, 1]).all()
    # a heavy weight on one value takes the first 196 cuts: 1 + the 58 cuts above it (k = 197…254)
    w = np.ones(300)
    w[0] = 1000.0
    heavy = M.bin_edges(np.arange(300.0)[:, None], w)[0]
    assert heavy[0] == 0.0 and len(heavy) == 59


def test_prebinned_trees_are_the_tree_library_own_binning() -> None:
    # the library's weighted binning (one percentile pass per cut) and ours give the same trees
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(3)
    X = rng.normal(size=(3000, 3))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = np.nan_to_num(X[:, 0]) - 0.5 * np.nan_to_num(X[:, 1]) ** 2 + rng.normal(0, 0.1, 3000)
    w = rng.lognormal(0, 1, 3000)
    new = rng.normal(size=(500, 3))
    kw = dict(M.GLOBAL_PARAMS)
    raw = HistGradientBoostingRegressor(**kw).fit(X, y, sample_weight=w).predict(new)
    edges = M.bin_edges(X, w)
    ours = HistGradientBoostingRegressor(**kw).fit(M.to_bins(X, edges), y, sample_weight=w).predict(
        M.to_bins(new, edges))
    np.testing.assert_allclose(ours, raw, rtol=0, atol=1e-12)


def test_a_pooled_model_replaces_the_combination_only_where_it_wins() -> None:
    names = ["naive", "global", "combo"]
    E = np.full((3, 3, 2, 3), np.nan, dtype=np.float32)
    E[:, 2] = 1.0
    E[:, 0] = 1.2
    E[:, 1] = np.array([0.7, 0.9, 1.1])[:, None, None]  # global: pool mean 0.9 beats the combination's 1.0
    bt = Backtest(names, E, np.zeros_like(E))
    assert choose(bt, names)[0].tolist() == [2, 2, 2]                    # not pooled: combination
    assert choose(bt, names, pooled=("global",))[0].tolist() == [1, 1, 1]  # pooled judge: global
    E[:, 1] = 1.05                                                         # global loses the pool
    assert choose(Backtest(names, E, np.zeros_like(E)), names, pooled=("global",))[0].tolist() == [2, 2, 2]
    E[:, 0] = 0.95  # naive best over the pool: with the baseline among the contenders, naive
    assert choose(Backtest(names, E, np.zeros_like(E)), names,
                  pooled=("global", "naive"))[0].tolist() == [0, 0, 0]


def _two_state_panel() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(9)
    rows, refs = [], []
    for state, trend in (("36", 0.02), ("39", -0.01)):
        ref = 1e5 * np.exp(np.cumsum(np.full(12, trend) + rng.normal(0, 0.01, 12)))
        for k in range(30):
            sid = f"{state}-{k:02d}"
            y = 500 * np.exp(np.cumsum(np.full(12, trend) + rng.normal(0, 0.03, 12)))
            rows.append(pd.DataFrame({"series_id": sid, "period": np.arange(2001, 2013), "value": y,
                                      "state": state}))
            refs.append(pd.DataFrame({"series_id": sid, "period": np.arange(2001, 2013), "value": ref}))
    return pd.concat(rows, ignore_index=True), pd.concat(refs, ignore_index=True)


def test_pools_partition_the_work_without_changing_numbers() -> None:
    panel, ref = _two_state_panel()
    menu = ["drift", "shrink", "pooled_trend", "combo"]  # shrink pools τ², pooled_trend its weights,
    together = forecast_panel(panel, 3, reference=ref, pool_by="state", models=menu)  # intervals errors
    for _state, sub in panel.groupby("state"):
        alone = forecast_panel(sub.drop(columns="state"), 3, models=menu,
                               reference=ref[ref["series_id"].isin(sub["series_id"])])
        mine = together.forecasts[together.forecasts["series_id"].isin(sub["series_id"])]
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.forecasts.reset_index(drop=True))
    assert set(together.accuracy["state"]) == {"36", "39"}
    # every number says what it pooled over
    assert set(together.accuracy["pool_over"]) == {"all series with state = 36", "all series with state = 39"}
    assert set(together.backtest["pool_over"]) == set(together.accuracy["pool_over"])
    named = forecast_panel(panel[panel["state"] == "36"].drop(columns="state"), 3, models=menu, reference=ref,
                           pool_over="all industries of region r")
    assert set(named.accuracy["pool_over"]) == {"all industries of region r"}
    with pytest.raises(InputError, match="pool_by"):
        forecast_panel(panel, 3, reference=ref, pool_by="county", models=menu)


def test_horizon_law_from_a_hand_made_error_table() -> None:
    # |errors| 1 at horizon 1 and 2 at horizon 2: the widths grow as h^1, quantile 1 after scaling
    E = np.zeros((50, 2, 1))
    E[:, 0, 0] = np.where(np.arange(50) % 2 == 0, 1.0, -1.0)
    E[:, 1, 0] = 2 * E[:, 0, 0]
    law = horizon_law(E, (80,))
    assert law[1, 0] / law[0, 0] == pytest.approx(2.0)
    assert 1.0 <= law[0, 0] <= inflation(np.array([2.0]), (80,))[0, 0]


def test_a_horizon_scored_on_one_window_borrows_the_law() -> None:
    rng = np.random.default_rng(3)
    E = rng.normal(0, 1, (300, 3, 10)) * np.sqrt(np.arange(1, 4))[None, :, None]
    E[:, 2, 1:] = np.nan  # horizon 3: one window (one shared shock draw) only
    tab = calibrate(E, np.full(300, -1), (80,))[-1]
    w = tab[:, 1]
    # alone, one window would be widened by t_1/z = 2.4; from the law it continues the curve
    assert w[1] < w[2] < 1.6 * w[1]


def test_state_reference_is_arranged_like_the_region(fixtures: Path) -> None:
    from align.demand.reference import state_reference
    from align_connectors.state_qcew import NewYorkQCEWConnector

    area = NewYorkQCEWConnector().parse(fixtures / "qcew_ny" / "qcew_annual_2011.txt")
    ref = state_reference(area, state_area="36000", ownerships=["1", "2", "3", "5"], naics_digits=2,
                          government_code="99").set_index("series_id")["value"]
    # hand-made export: the state's sectors and government (federal 50 + state 50 + local 100)
    assert ref.to_dict() == {"11": 100, "31-33": 300, "62": 400, "99": 200}
