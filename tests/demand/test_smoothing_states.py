"""One smoothing pass gives every backtest origin's fit: the same numbers as a fit per origin."""

from __future__ import annotations

import numpy as np

from align.demand import backtest as B
from align.demand import models as M


def test_one_pass_state_by_hand() -> None:
    # alpha 0.5, no trend update, phi 1: initial trend (17 − 10) / 4 = 1.75 (first four steps)
    Y = np.array([[10.0, 12.0, 13.0, 15.0, 17.0, 20.0]])
    level, trend, best = M._smooth(Y, np.array([0.5]), np.array([0.0]), np.array([1.0]), at=[5, 6])
    # t=1: 11.75 → err 0.25 → 11.875; t=2: 13.625 → −0.625 → 13.3125; t=3: 15.0625 → −0.0625 →
    # 15.03125; t=4: 16.78125 → 0.21875 → 16.890625 (after 5 columns); t=5: 18.640625 → 1.359375
    # → 19.3203125 (after 6)
    assert level[0, :, 0].tolist() == [16.890625, 19.3203125]
    assert trend[0, :, 0].tolist() == [1.75, 1.75] and best[0, :, 0].tolist() == [0, 0]
    # a run on the first five columns alone starts the same (its first four steps are the same)
    alone = M._smooth(Y[:, :5], np.array([0.5]), np.array([0.0]), np.array([1.0]))
    assert alone[0][0, 0, 0] == 16.890625


def _awkward(n: int = 300, L: int = 14, seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Y = rng.lognormal(4, 1, n)[:, None] * np.exp(np.cumsum(rng.normal(0.01, 0.05, (n, L)), axis=1))
    Y[rng.random(Y.shape) < 0.08] = np.nan  # interior gaps
    Y[:40, :8] = np.nan                       # short: six points
    Y[40:60, :11] = np.nan                    # three points
    Y[60:80, -1] = np.nan                     # latest year missing
    return Y


def test_states_equal_a_fit_per_origin_with_gaps_and_short_series() -> None:
    Y = _awkward()
    L = Y.shape[1]
    at = list(range(2, L + 1))
    states = B.smoothing_states(Y, at, ["naive", "damped", "theta"])
    checked = 0
    for T in at:
        Ytr = B.fill_interior(Y[:, :T])
        s, _ = M.first_valid(Ytr)
        scored = ~np.isnan(Ytr[:, -1])
        for model in ("damped", "theta"):
            got = states[T][model]
            mine = scored & (T - s > M.INIT_STEPS)
            assert np.isnan(got[:, (T - s <= M.INIT_STEPS)]).all()  # a different start: left to the model
            fit = M._fitted(Ytr[mine], model, None)
            for k in range(3):
                assert np.array_equal(got[k, mine], fit[k])
            checked += int(mine.sum())
    assert checked > 3000


def test_backtest_with_one_pass_equals_refitting_at_every_origin() -> None:
    Y = _awkward()
    names = ["naive", "drift", "damped", "arima", "theta", "combo"]
    for min_train in (3, 5):  # 3: some origins' rows start differently and refit
        one = B.backtest(Y, 4, names, n_origins=6, min_train=min_train)
        per = B.backtest(Y, 4, names, n_origins=6, min_train=min_train, states={})
        assert np.array_equal(one.errors, per.errors, equal_nan=True)
        assert np.array_equal(one.smape, per.smape, equal_nan=True)
        assert np.isfinite(one.errors).sum() > 10_000
