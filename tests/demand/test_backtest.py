"""Backtest windows: no model at any origin may see a held-back point."""

from __future__ import annotations

import numpy as np

from align.demand.backtest import Seasons, backtest, choose, fill_interior, origin_forecasts

MENU = ["naive", "drift", "damped", "arima", "theta", "shift_share", "shrink", "combo"]


def _data(n: int = 40, L: int = 16, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    Y = 300 + np.cumsum(rng.normal(2, 6, (n, L)), axis=1)
    Y[::7, :3] = np.nan           # some series start later
    Y[3, 6] = np.nan              # an interior suppressed year
    R = 1e4 + np.cumsum(rng.normal(50, 80, (n, L)), axis=1)
    return Y, R


def test_forecasts_at_each_origin_ignore_everything_after_it() -> None:
    Y, R = _data()
    L = Y.shape[1]
    for T in range(6, L):
        rows, F, scale = origin_forecasts(Y, T, 3, MENU, min_train=5, ref=R)
        for poison in (np.nan, 1e12, -1e12):
            Yp, Rp = Y.copy(), R.copy()
            Yp[:, T:], Rp[:, T:] = poison, poison
            rows2, F2, scale2 = origin_forecasts(Yp, T, 3, MENU, min_train=5, ref=Rp)
            np.testing.assert_array_equal(rows, rows2)
            np.testing.assert_array_equal(scale, scale2)
            for k in MENU:
                np.testing.assert_array_equal(F[k], F2[k], err_msg=f"{k} at origin {T} saw a held-back point")


def test_the_global_model_at_an_origin_ignores_everything_after_it() -> None:
    # one origin and one poison: the pooled trees are fitted inside each call, so this is the
    # place a leak would show (every window they learn from must end before the origin)
    Y, R = _data()
    rows, F, _ = origin_forecasts(Y, 10, 3, ["naive", "global"], min_train=5, ref=R)
    Yp, Rp = Y.copy(), R.copy()
    Yp[:, 10:], Rp[:, 10:] = 1e12, 1e12
    rows2, F2, _ = origin_forecasts(Yp, 10, 3, ["naive", "global"], min_train=5, ref=Rp)
    np.testing.assert_array_equal(rows, rows2)
    np.testing.assert_array_equal(F["global"], F2["global"])


def test_full_backtest_errors_before_a_poisoned_year_are_unchanged() -> None:
    # errors at origin rank k score the point L-1-k+... : poisoning the last p columns may only
    # change errors whose target lies in those columns (k < p), never the older windows
    Y, R = _data()
    bt = backtest(Y, 4, MENU, n_origins=4, min_train=5, ref=R)
    for p in (1, 2):
        Yp, Rp = Y.copy(), R.copy()
        Yp[:, -p:], Rp[:, -p:] = 1e9, 1e9
        bp = backtest(Yp, 4, MENU, n_origins=4, min_train=5, ref=Rp)
        np.testing.assert_array_equal(bt.errors[..., p:], bp.errors[..., p:])
        assert not np.allclose(np.nan_to_num(bt.errors[..., :p]), np.nan_to_num(bp.errors[..., :p]))


def test_seasonal_origins_have_no_look_ahead() -> None:
    rng = np.random.default_rng(2)
    L, m = 48, 4
    Y = (100 + np.arange(L)) * np.tile([0.9, 1.1, 1.05, 0.95], L // m) + rng.normal(0, 1, (6, L))
    seas = Seasons(m, np.broadcast_to(np.arange(L + 8) % m, (6, L + 8)).copy())
    names = ["naive", "snaive", "drift", "damped", "arima", "theta", "combo"]
    for T in (20, 33, 47):
        _, F, _ = origin_forecasts(Y, T, 4, names, min_train=6, seasons=seas)
        Yp = Y.copy()
        Yp[:, T:] = 1e9
        _, F2, _ = origin_forecasts(Yp, T, 4, names, min_train=6, seasons=seas)
        for k in names:
            np.testing.assert_array_equal(F[k], F2[k])


def test_windows_counts_and_fallback_for_short_series() -> None:
    Y = np.vstack([np.arange(20.0), np.r_[np.full(16, np.nan), [1.0, 2, 3, 4]]])
    bt = backtest(Y, 3, ["naive", "drift"], n_origins=5, min_train=5)
    assert bt.n_origins()[0].tolist() == [5, 5, 5]      # every horizon scored on 5 windows
    assert bt.n_origins()[1].tolist() == [0, 0, 0]      # 4 points: too short to backtest
    chosen, mase = choose(bt, ["naive", "drift"])
    assert chosen.tolist() == [1, -1] and mase[0] == 0.0 and np.isnan(mase[1])


def test_interpolation_fills_only_interior_gaps() -> None:
    Y = np.array([[np.nan, 1.0, np.nan, 3.0, np.nan]])
    np.testing.assert_array_equal(fill_interior(Y), [[np.nan, 1.0, 2.0, 3.0, np.nan]])


def test_combination_by_default_single_model_only_by_a_clear_margin() -> None:
    from align.demand.backtest import Backtest

    names = ["naive", "drift", "combo"]
    E = np.full((3, 3, 2, 4), np.nan, dtype=np.float32)
    E[:, 2] = 1.0                      # combination: MASE 1 on every window
    E[0, 0], E[0, 1] = 0.8, 0.9        # series 0: naive 20% better — noise, keep the combination
    E[1, 0], E[1, 1] = 1.5, 0.4        # series 1: drift 60% better — a clear margin, switch
    E[2, :, :, 1:] = np.nan            # series 2: drift far better but one window only
    E[2, 0, :, 0], E[2, 1, :, 0] = 2.0, 0.1
    bt = Backtest(names, E, np.zeros_like(E))
    chosen, mase = choose(bt, names)
    assert chosen.tolist() == [2, 1, 2]
    np.testing.assert_allclose(mase, [1.0, 0.4, 1.0])
    # without the combination in the menu the rule is the plain argmin
    assert choose(bt, ["naive", "drift"])[0].tolist() == [0, 1, 1]


def test_effective_windows_between_windows_and_errors() -> None:
    from align.demand.intervals import effective_windows, inflation

    rng = np.random.default_rng(0)
    shared = np.repeat(rng.normal(0, 1, (1, 10)), 500, axis=0)
    assert effective_windows(shared) == 10.0                   # one shock per window: 10 draws
    assert effective_windows(rng.normal(0, 1, (500, 10))) > 2000  # independent: most of 5000
    # t_9 / z: 1.383 / 1.2816 at 80%, 2.262 / 1.960 at 95% (printed t tables)
    np.testing.assert_allclose(inflation(np.array([10.0]), (80, 95)), [[1.0791, 1.1541]], atol=1e-3)
