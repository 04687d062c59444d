"""Stacking: one set of combination weights for a pool, fitted on its backtest errors.

Per-series model choice on annual regional series rests on 3–8 windows and is mostly noise;
the equal-weight combination ignores what the pool's backtests know (on New York's counties
naive, the tree model and the pooled sector trend win, the single-series trend models lose).
``stack`` is the forecast ``Σₖ wₖ·F̂ₖ`` over the menu's models, with weights ``w ≥ 0``,
``Σ w = 1``, chosen to minimise the pool's mean absolute scaled backtest error: thousands of
(series, horizon, window) errors judge a handful of weights.

Because the weights sum to one, the stack's scaled error is the same combination of its
members' errors (``(y − Σ wₖ F̂ₖ)/s = Σ wₖ (y − F̂ₖ)/s``): its backtest needs no extra model
fits, and its intervals are calibrated on those errors like any model's. The weights are fitted
on the very windows the judge then scores the stack on; with a few weights over thousands of
errors the optimism is small, but it is there (the in-training exercises, not the backtest,
showed the stack beating naive: ``benchmarks/regional_accuracy.py --dev``).
"""

from __future__ import annotations

import numpy as np

STACK_MAX_ROWS = 20_000
"""Error rows (series × horizon × window) the weights are fitted on at most: a deterministic
stride beyond, so the linear program stays under a second."""

STACK_MIN_SERIES = 50
"""Series a pool needs for the stack to join the default menu. On New York's counties and regions
(in-training origins 2004 and 2005, mean MASE over naive's): one pool of 1,400 series 0.971 and
0.971 with the stack; pools of one sector's ~90 areas 1.015 and 0.968 (1.025 and 1.004 without);
pools of one area's ~20 industries, as a planning run's, 1.012 and 1.013 (1.014 and 1.009
without): a score of series' windows fit the weights to their own noise."""

EXCLUDED = ("combo", "stack")
"""Not members: the combination is already a mix of the members, the stack cannot hold itself."""


def stack_weights(E: np.ndarray) -> np.ndarray:
    """Non-negative weights summing to one that minimise ``mean |E @ w|`` over the rows of ``E``.

    ``E`` is ``(N, K)``: one row per scored backtest error, one column per member, the signed
    scaled errors (actual − forecast)/scale. Solved exactly as a linear program, in its dual
    form: ``max t`` subject to ``Eᵀy ≥ t`` (one constraint per member) and ``|yᵢ| ≤ 1/N``, whose
    constraint multipliers are the weights. The dual has K constraints where the primal has 2N,
    which makes it a hundred times faster on a pool's errors (20,000 rows × 9 members: under a
    second instead of a minute with HiGHS). Rows with a missing member error are dropped. No rows:
    all weight on the first member.
    """
    from scipy.optimize import linprog

    E = np.asarray(E, dtype=float)
    K = E.shape[1]
    E = E[np.isfinite(E).all(axis=1)]
    w = np.zeros(K)
    if len(E) == 0 or K == 0:
        w[:1] = 1.0
        return w
    if K == 1:
        return np.ones(1)
    if len(E) > STACK_MAX_ROWS:
        E = E[np.linspace(0, len(E) - 1, STACK_MAX_ROWS).astype(int)]
    n = len(E)
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=np.hstack([-E.T, np.ones((K, 1))]), b_ub=np.zeros(K),
                  bounds=[(-1.0 / n, 1.0 / n)] * n + [(None, None)], method="highs")
    if not res.success:  # never seen; the first member (naive) is the safe answer
        w[:1] = 1.0
        return w
    w = np.clip(-res.ineqlin.marginals, 0.0, None)
    w[w < 1e-9] = 0.0
    return w / w.sum()


def members(names: list[str]) -> list[str]:
    """The models of ``names`` the stack may weight (every model but the combinations)."""
    return [k for k in names if k not in EXCLUDED]


def fit_stack(errors: np.ndarray, names: list[str]) -> np.ndarray:
    """Weights over ``names`` (0 for non-members) from backtest errors ``(n, M, H, K)``, and the
    stack's own errors written into ``errors[:, names.index("stack")]`` (in place)."""
    idx = [names.index(k) for k in members(names)]
    E = errors[:, idx].transpose(0, 2, 3, 1).reshape(-1, len(idx))
    w_m = stack_weights(E)
    w = np.zeros(len(names))
    w[idx] = w_m
    used = np.flatnonzero(w > 0)
    errors[:, names.index("stack")] = np.einsum("nmhk,m->nhk", errors[:, used].astype(float), w[used])
    return w
