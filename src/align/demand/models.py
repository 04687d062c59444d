"""Vectorised forecasting models: every model fits all series at once.

Each model is a function ``fit_forecast(Y, h, ctx) -> F`` where ``Y`` is an ``(n, T)`` float
array of histories (one row per series, oldest first, missing values only *before* each
series' first observation) and ``F`` is ``(n, h)``. Fitting is numpy arithmetic over the whole
matrix (a loop over time steps, never over series), which is what makes backtesting tens of
thousands of series cheap: a per-series library fit costs milliseconds of fixed overhead, a
vectorised step costs microseconds per series.

Models never see anything but ``Y`` (and the reference series up to the same column), so the
backtest can hand them a truncated matrix and be sure nothing after the origin leaks in.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Smoothing grids. The damped grid nests SES (beta = 0) and Holt's linear trend (phi = 1), so
# ETS(A,N,N), ETS(A,A,N) and ETS(A,Ad,N) — the additive-error variants that suit employment
# levels — are all candidates and the in-sample one-step SSE picks among them per series.
ALPHAS = np.array([0.1, 0.3, 0.5, 0.7, 0.85, 0.99])
BETAS = np.array([0.0, 0.05, 0.15, 0.35])  # fraction of alpha (beta* = alpha * beta)
PHIS = np.array([0.8, 0.9, 0.98, 1.0])
SES_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])


@dataclass
class Context:
    """What a model may know besides the history: a reference series aligned to ``Y``'s columns.

    ``ref`` covers the training columns only; ``ref_future`` holds reference values for the
    forecast columns when the caller supplied a projection (NaN where unknown).
    """

    ref: np.ndarray | None = None
    ref_future: np.ndarray | None = None
    category: np.ndarray | None = None  # integer code per row (e.g. its sector), for pooled models
    cache: dict[str, np.ndarray] = field(default_factory=dict)


Model = Callable[[np.ndarray, int, Context], np.ndarray]


def first_valid(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each row's first observation and the number of observations from there on."""
    ok = ~np.isnan(Y)
    s = np.where(ok.any(axis=1), ok.argmax(axis=1), Y.shape[1])
    return s, Y.shape[1] - s


def _first_value(Y: np.ndarray, s: np.ndarray) -> np.ndarray:
    idx = np.minimum(s, Y.shape[1] - 1)
    return Y[np.arange(len(Y)), idx]


def naive(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """No change: the last observation carried forward (the baseline every MASE is scaled by)."""
    return np.repeat(Y[:, -1:], h, axis=1)


def drift(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """Random walk with drift: the average historical change, extrapolated linearly."""
    s, n = first_valid(Y)
    slope = np.where(n >= 2, (Y[:, -1] - _first_value(Y, s)) / np.maximum(n - 1, 1), 0.0)
    return Y[:, -1:] + slope[:, None] * np.arange(1, h + 1)[None, :]


SMOOTH_ROWS = 1024
"""Series smoothed together in one block by :func:`_smooth` (its grid state: 1,024 × 107 × 8 bytes)."""
INIT_STEPS = 4
"""The smoothing's initial trend is the average slope of the first (up to) this many steps."""


def _smooth(Y: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray,
            at: Sequence[int] | None = None, cuts: Sequence[int] | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run additive damped-trend smoothing for every series × grid point at once.

    Returns, after each training length in ``at`` (ascending; default the whole history), the
    level and trend of the grid point with the lowest in-sample one-step SSE within each
    section of the grid (``cuts``: the sections' ends; default one section) and that point's
    index in its section: each ``(n, len(at), len(cuts))``. The state starts at the first
    observation with the average slope of the first (up to) :data:`INIT_STEPS` steps, and is
    updated only after that, so series of different lengths share one pass over the columns —
    and the state after column ``T−1`` is the one a run on columns ``[0, T)`` ends in, wherever
    that run's first ``INIT_STEPS`` steps are the same (``T − start > INIT_STEPS``): one pass
    gives every backtest origin's fit (:func:`smoothed_states`).
    Rows go through in blocks of :data:`SMOOTH_ROWS` (the same arithmetic per element: the
    state of a block stays in the CPU cache across the time steps, ~2.5× faster).
    """
    at = [Y.shape[1]] if at is None else list(at)
    cuts = [alpha.size] if cuts is None else list(cuts)
    if len(Y) > SMOOTH_ROWS:
        parts = [_smooth(Y[i : i + SMOOTH_ROWS], alpha, beta, phi, at, cuts)
                 for i in range(0, len(Y), SMOOTH_ROWS)]
        return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]
    n_rows, T = Y.shape
    s, cnt = first_valid(Y)
    y0 = _first_value(Y, s)
    k = np.clip(cnt - 1, 1, INIT_STEPS)
    rows = np.arange(n_rows)
    yk = Y[rows, np.minimum(s + k, T - 1)]
    b0 = np.where(cnt >= 2, (yk - y0) / k, 0.0)
    G = alpha.size
    level = np.repeat(y0[:, None], G, axis=1)
    trend = np.repeat(b0[:, None], G, axis=1)
    sse = np.zeros((n_rows, G))
    ab = alpha * beta
    shape = (n_rows, len(at), len(cuts))
    out_level, out_trend, out_best = np.empty(shape), np.empty(shape), np.empty(shape, dtype=np.int64)
    sections = list(zip([0, *cuts[:-1]], cuts, strict=True))
    j = 0
    for t in range(T + 1):
        while j < len(at) and at[j] == t:  # the state after columns [0, t)
            for c, (lo, hi) in enumerate(sections):
                best = np.argmin(sse[:, lo:hi], axis=1)
                out_level[:, j, c], out_trend[:, j, c] = level[rows, lo + best], trend[rows, lo + best]
                out_best[:, j, c] = best
            j += 1
        if t == T or j == len(at):
            break
        active = (t > s)[:, None]
        if not active.any():
            continue
        yt = Y[:, t : t + 1]
        pred = level + phi * trend
        err = np.where(active, yt - pred, 0.0)
        sse += err * err
        level = np.where(active, pred + alpha * err, level)
        trend = np.where(active, phi * trend + ab * err, trend)
    return out_level, out_trend, out_best


DAMPED_GRID = tuple(g.ravel() for g in np.meshgrid(ALPHAS, BETAS, PHIS, indexing="ij"))
SES_GRID = (SES_ALPHAS, np.zeros_like(SES_ALPHAS), np.ones_like(SES_ALPHAS))
SMOOTHED = {"damped": DAMPED_GRID, "theta": SES_GRID}
"""The models that run :func:`_smooth`, and their grids (alpha, beta, phi)."""


def smoothed_states(Y: np.ndarray, at: Sequence[int], names: Sequence[str]) -> dict[str, np.ndarray]:
    """The fitted smoothing state of every row at every training length in ``at``, in one pass.

    ``{model: (3, n, len(at))}``: level, trend and grid index (as float) that the model fitted on
    columns ``[0, T)`` of ``Y`` would use (``Y`` gap-filled: prefixes of it must be what the model
    would see); NaN where that fit starts differently (fewer than ``INIT_STEPS + 1`` points
    before ``T``), which the model then fits itself. Handed to the models in ``Context.cache``:
    a backtest's origins then cost one pass over the columns instead of one pass per origin.
    """
    keys = [k for k in SMOOTHED if k in names]
    if not keys:
        return {}
    grids = [SMOOTHED[k] for k in keys]
    cuts = np.cumsum([g[0].size for g in grids]).tolist()
    level, trend, best = _smooth(Y, *(np.concatenate(p) for p in zip(*grids, strict=True)), at, cuts)
    s, _ = first_valid(Y)
    same = (np.asarray(at)[None, :] - s[:, None]) > INIT_STEPS
    return {k: np.where(same[None], np.stack([level[..., c], trend[..., c], best[..., c]]), np.nan)
            for c, k in enumerate(keys)}


def _fitted(Y: np.ndarray, model: str, ctx: Context | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Level, trend and grid index of ``model``'s smoothing fit per row: from ``ctx.cache[model]``
    (:func:`smoothed_states`, for one training length) where given, else fitted here."""
    state = ctx.cache.get(model) if ctx is not None else None
    if state is None:
        level, trend, best = _smooth(Y, *SMOOTHED[model])
        return level[:, 0, 0], trend[:, 0, 0], best[:, 0, 0]
    level, trend, best = state[0].copy(), state[1].copy(), state[2].copy()
    todo = np.isnan(best)
    if todo.any():
        level[todo], trend[todo], best[todo] = _fitted(Y[todo], model, None)
    return level, trend, best.astype(np.int64)


def damped(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """ETS(A,Ad,N) by grid search over (alpha, beta, phi), nesting SES and Holt.

    Parameters are chosen per series by in-sample one-step squared error; the forecast is
    ``level + (phi + … + phi^h) · trend``, so the trend flattens out with the horizon — the
    behaviour that has made damped trend the standard benchmark for annual data.
    """
    lv, tr, best = _fitted(Y, "damped", ctx)
    ph = DAMPED_GRID[2][best]
    steps = np.cumsum(ph[:, None] ** np.arange(1, h + 1)[None, :], axis=1)
    out = lv[:, None] + steps * tr[:, None]
    _, cnt = first_valid(Y)
    return np.where((cnt >= 3)[:, None], out, drift(Y, h))


def arima(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """ARIMA(1,1,0) with drift: ``Δy_t = c + φ Δy_{t-1} + e_t``, by least squares on differences.

    Why this ARIMA: employment levels are integrated (shocks persist) and yearly changes carry
    momentum through the business cycle, which one AR term on the differences captures; with
    ``c`` it nests the random walk with drift. Conditional least squares equals the conditional
    Gaussian likelihood and has a closed form, so it is exact and vectorised (five sums per
    series). ``φ`` is kept inside (−0.95, 0.95) so forecasts converge to the drift.
    """
    d = np.diff(Y, axis=1)
    x, z = d[:, :-1], d[:, 1:]
    ok = ~(np.isnan(x) | np.isnan(z))
    x0, z0 = np.where(ok, x, 0.0), np.where(ok, z, 0.0)
    m = ok.sum(axis=1).astype(float)
    sx, sz = x0.sum(axis=1), z0.sum(axis=1)
    sxx, sxz = (x0 * x0).sum(axis=1), (x0 * z0).sum(axis=1)
    den = m * sxx - sx * sx
    scale = np.maximum(sxx, 1e-300) * np.maximum(m, 1)
    phi = np.where(np.abs(den) > 1e-10 * scale, (m * sxz - sx * sz) / np.where(den == 0, 1, den), 0.0)
    phi = np.clip(phi, -0.95, 0.95)
    c = np.where(m > 0, (sz - phi * sx) / np.maximum(m, 1), 0.0)
    last_d = d[:, -1] if d.shape[1] else np.zeros(len(Y))
    out = np.empty((len(Y), h))
    y, dd = Y[:, -1].copy(), np.nan_to_num(last_d)
    for j in range(h):
        dd = c + phi * dd
        y = y + dd
        out[:, j] = y
    return np.where((m >= 3)[:, None], out, drift(Y, h))


def _ses(Y: np.ndarray, ctx: Context | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Simple exponential smoothing with alpha from a grid; returns (level, alpha) per series."""
    level, _, best = _fitted(Y, "theta", ctx)
    return level, SES_ALPHAS[best]


def theta(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """The Theta method (Assimakopoulos & Nikolopoulos 2000, as SES with drift):

    ``ŷ(h) = ℓ_T + (b/2)·(h − 1 + 1/α − (1−α)^n/α)`` with ``ℓ`` from SES and ``b`` the OLS
    slope of the series on time (Hyndman & Billah 2003): half the linear trend as drift.
    """
    _s, n = first_valid(Y)
    T = Y.shape[1]
    t = np.arange(T, dtype=float)[None, :]
    ok = ~np.isnan(Y)
    y0 = np.where(ok, Y, 0.0)
    tt = np.where(ok, t, 0.0)
    nn = np.maximum(n, 1).astype(float)
    tm, ym = tt.sum(1) / nn, y0.sum(1) / nn
    stt = (np.where(ok, (t - tm[:, None]) ** 2, 0.0)).sum(1)
    sty = (np.where(ok, (t - tm[:, None]) * (Y - ym[:, None]), 0.0)).sum(1)
    b = np.where(stt > 0, sty / np.where(stt > 0, stt, 1), 0.0)
    level, a = _ses(Y, ctx)
    hs = np.arange(1, h + 1)[None, :]
    out = level[:, None] + (b / 2)[:, None] * (hs - 1 + 1 / a[:, None] - (1 - a[:, None]) ** n[:, None] / a[:, None])
    return np.where((n >= 3)[:, None], out, drift(Y, h))


def shift_share(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """Shift-share: the series keeps its latest share of the reference (national) series.

    ``ŷ_{T+j} = (y_T / R_T) · R_{T+j}``. Future reference values come from a supplied
    projection where known, else from the reference's own drift forecast (inside a backtest
    the projection is never used: it would be hindsight). Without a reference: drift.
    """
    if ctx is None or ctx.ref is None:
        return drift(Y, h)
    R = ctx.ref
    Rf = drift(R, h)
    if ctx.ref_future is not None:
        known = ctx.ref_future[:, :h]
        Rf = np.where(np.isnan(known), Rf, known)
    share = Y[:, -1] / np.where(R[:, -1] == 0, np.nan, R[:, -1])
    out = share[:, None] * Rf
    return np.where(np.isnan(out), drift(Y, h), out)


def _log(Y: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(Y > 0, np.log(np.where(Y > 0, Y, 1.0)), np.nan)


def shrink(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """The series' growth shrunk toward its reference's (its state sector's): empirical Bayes.

    Each series grows at the reference's mean log growth ``ḡ_R`` plus its own mean differential
    ``d̄ᵢ`` (log growth minus the reference's, same years) shrunk by ``wᵢ = τ² / (τ² + sᵢ²)``:
    ``sᵢ²`` is the sampling variance of ``d̄ᵢ`` (variance of the yearly differentials over their
    count) and ``τ²`` the spread of true differentials across the series fitted together
    (variance of the ``d̄ᵢ`` minus the mean ``sᵢ²``, floored at 0: James–Stein / Efron–Morris).
    A noisy or short series keeps little of its own trend; a region whose lead over its sector is
    steady keeps most of it. ``ŷ_{T+j} = y_T · exp(j · (ḡ_R + wᵢ d̄ᵢ))``; a supplied reference
    projection replaces ``j · ḡ_R``. This model pools over the rows it is given (``τ²``): the
    engine fits it one pool at a time. Without a reference, or for a non-positive series: drift.
    """
    if ctx is None or ctx.ref is None:
        return drift(Y, h)
    ly, lr = _log(Y), _log(ctx.ref)
    dy, dr = np.diff(ly, axis=1), np.diff(lr, axis=1)
    d = dy - dr
    ok = np.isfinite(d)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        dbar = np.where(ok, d, 0.0).sum(axis=1) / np.where(n > 0, n, np.nan)
        var = np.where(ok, (d - dbar[:, None]) ** 2, 0.0).sum(axis=1) / np.where(n > 1, n - 1, np.nan)
        s2 = var / n
        g_ref = np.where(ok, dr, 0.0).sum(axis=1) / np.where(n > 0, n, np.nan)
    fit = np.isfinite(dbar) & np.isfinite(s2)
    tau2 = max(float(np.var(dbar[fit]) - np.mean(s2[fit])), 0.0) if fit.sum() >= 2 else 0.0
    w = np.where(fit, tau2 / np.where(tau2 + s2 > 0, tau2 + s2, 1.0), 0.0)
    steps = np.arange(1, h + 1)[None, :]
    ref_path = steps * g_ref[:, None]
    if ctx.ref_future is not None:
        ahead = _log(ctx.ref_future[:, :h]) - lr[:, -1:]
        ref_path = np.where(np.isfinite(ahead), ahead, ref_path)
    out = Y[:, -1:] * np.exp(ref_path + steps * (w * np.nan_to_num(dbar))[:, None])
    good = np.isfinite(out).all(axis=1) & (n >= 2)
    return np.where(good[:, None], out, drift(Y, h))


TREND_WEIGHTS = np.array([0.0, 0.25, 0.5, 0.75, 1.0])  # on the reference's (state sector's) mean growth
LEAD_WEIGHTS = np.array([0.0, 0.25, 0.5, 1.0])  # on the series' own mean lead over it
TREND_PHIS = np.array([1.0, 0.7])  # 1: the growth holds; 0.7: it fades (damped), as on annual data
TREND_MAX_ROWS = 20_000
"""Series :func:`fit_trend_weights` fits on at most (a deterministic stride beyond)."""
TREND_ORIGINS = 5
"""Rolling origins inside the history on which :func:`pooled_trend` fits its weights."""


def _growths(Y: np.ndarray, R: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per series: the reference's mean log growth, the series' mean lead over it (its log growth
    minus the reference's, same years) and the number of years both grew."""
    dy, dr = np.diff(_log(Y), axis=1), np.diff(_log(R), axis=1)
    d = dy - dr
    ok = np.isfinite(d)
    n = ok.sum(axis=1)
    g_ref = np.where(ok, dr, 0.0).sum(axis=1) / np.maximum(n, 1)
    lead = np.where(ok, d, 0.0).sum(axis=1) / np.maximum(n, 1)
    return g_ref, lead, n


def _trend_path(Y: np.ndarray, R: np.ndarray, h: int, a: float | np.ndarray, b: float | np.ndarray,
                phi: float | np.ndarray) -> np.ndarray:
    """``y_T · exp((a·ḡ_R + b·d̄ᵢ) · (1 + φ + … + φ^{j−1}))``; no growth (naive) where fewer than two
    years grew. ``(n, h)``; with arrays of grid points for ``a``, ``b``, ``φ``, ``(points, n, h)``:
    every point in one pass, the same arithmetic element by element."""
    g_ref, lead, n = _growths(Y, R)
    a, b, phi = (np.asarray(v, dtype=float)[..., None] for v in (a, b, phi))
    g = np.where(n >= 2, a * g_ref + b * lead, 0.0)
    steps = np.cumsum(phi ** np.arange(h), axis=-1)
    with np.errstate(over="ignore"):
        return Y[:, -1:] * np.exp(g[..., :, None] * steps[..., None, :])


TREND_GRID = [(a, b, p) for a in TREND_WEIGHTS for b in LEAD_WEIGHTS for p in TREND_PHIS]
_GRID_A, _GRID_B, _GRID_PHI = (np.array(v) for v in zip(*TREND_GRID, strict=True))


def fit_trend_weights(Y: np.ndarray, R: np.ndarray, h: int, origins: int = TREND_ORIGINS
                      ) -> tuple[float, float, float]:
    """The (a, b, φ) of :func:`pooled_trend` with the lowest summed scaled error over the rows given.

    A rolling-origin backtest inside ``Y`` (origins ``T−1, T−2, …``, at most ``origins`` of them,
    each scored up to ``h`` steps on the columns after it): the same judge as the engine's, one
    level down, so the weights never see a column past the history the model is handed. Errors
    are absolute, in units of each series' in-sample naive MAE (MASE): a large series does not
    outvote a small one. ``(0, 0, 1)`` is naive: where no trend helps, none is kept. Three
    numbers need no more than :data:`TREND_MAX_ROWS` series to fit: a larger pool is thinned by a
    fixed stride (the same input gives the same weights).
    """
    if len(Y) > TREND_MAX_ROWS:
        pick = np.linspace(0, len(Y) - 1, TREND_MAX_ROWS).astype(int)
        Y, R = Y[pick], R[pick]
    T = Y.shape[1]
    score = np.zeros(len(TREND_GRID))
    for t in range(T - 1, max(T - 1 - origins, 2), -1):
        hh = min(h, T - t)
        Ytr, Rtr = Y[:, :t], R[:, :t]
        scale = naive_scale(Ytr)
        _, cnt = first_valid(Ytr)
        live = np.isfinite(Ytr[:, -1]) & (cnt >= 3) & (scale > 1e-6 * np.abs(Ytr[:, -1]))
        if not live.any():
            continue
        A, sc = Y[live, t : t + hh], scale[live, None]
        Yl, Rl = Ytr[live], Rtr[live]
        # every grid point at once: a pool's sectors are fitted one by one, and on their few dozen
        # series one call per point was overhead
        err = np.abs(A - _trend_path(Yl, Rl, hh, _GRID_A, _GRID_B, _GRID_PHI)) / sc
        score += np.where(np.isnan(err), 0.0, err).reshape(len(err), -1).sum(axis=1)  # = nansum per point
    return TREND_GRID[int(np.argmin(score))] if score.any() else (0.0, 0.0, 1.0)


def pooled_trend(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """The series grows at a share of its state sector's trend plus a share of its own lead over it.

    ``ŷ_{T+j} = y_T · exp((a·ḡ_R + b·d̄ᵢ) · (1 + φ + … + φ^{j−1}))``: ``ḡ_R`` the reference's
    (state sector's) mean log growth, ``d̄ᵢ`` the series' mean lead over it. The shrinkage weights
    ``a`` (toward the sector trend, from no growth) and ``b`` (toward the series' own trend, from
    its sector's) and the damping ``φ`` are one triple for the whole pool, fitted by a rolling-origin
    backtest across its series (:func:`fit_trend_weights`), not per series: a regional series has
    too few windows to fit its own, a pool of hundreds has enough. On New York's counties and
    regions the fit keeps about half the sector trend, no lead and some damping: naive with a
    lean, which is what years of regional forecasting have found hard to beat. A supplied
    reference projection is not used (the weights were fitted on the trend, not on a projection).

    With a category per row (``ctx.category``, e.g. the sector, when the pool spans many areas) a
    category of at least :data:`TREND_MIN_CATEGORY` series gets weights of its own, fitted on its
    series alone: a sector's trend can persist through a recession (health care, manufacturing)
    where another's reverses (construction); smaller categories take the pool's. Without a
    reference: naive.
    """
    if ctx is None or ctx.ref is None:
        return naive(Y, h)
    out = _trend_path(Y, ctx.ref, h, *fit_trend_weights(Y, ctx.ref, h))
    if ctx.category is not None:
        for c in np.unique(ctx.category[np.isfinite(ctx.category)]):
            rows = ctx.category == c
            if rows.sum() >= TREND_MIN_CATEGORY:
                out[rows] = _trend_path(Y[rows], ctx.ref[rows], h, *fit_trend_weights(Y[rows], ctx.ref[rows], h))
    return np.where(np.isfinite(out), out, naive(Y, h))


TREND_MIN_CATEGORY = 30
"""Series a category needs for :func:`pooled_trend` to fit its own weights (below: the pool's)."""


GLOBAL_MAX_ROWS = 20_000
"""Training rows for the global model at most (a deterministic stride beyond): a state's pool of
4,000 county series has 140,000 windows; 20,000 of them leave hundreds of rows in every leaf."""


GLOBAL_PARAMS: dict[str, object] = {
    "loss": "absolute_error", "max_iter": 50, "learning_rate": 0.2, "max_leaf_nodes": 7,
    "min_samples_leaf": 40, "early_stopping": False, "random_state": 0}
"""The global model's trees (see :func:`global_trees`). Least absolute error refits every leaf of
every tree by a weighted median, most of a fit's time, so trees × leaves set the cost: 50 trees
of 7 leaves at a learning rate of 0.2 (was 100 of 15 at 0.1, on up to 60,000 windows) fit a state
pool ~4× faster, and backtest better on New York (regional_accuracy.py, the global model's
backtest MASE for the 2007, 2008, 2009 origins: 2.781, 2.209, 1.884, was 2.915, 2.303, 1.890;
the chosen forecasts 0.994 of the better of naive and drift, was 0.995)."""


def _window_features(ly: np.ndarray, lr: np.ndarray | None, t: int,
                     category: np.ndarray | None) -> list[np.ndarray]:
    """What a series looks like at column ``t`` (using columns ≤ t only), as feature columns."""
    def change(x: np.ndarray, k: int) -> np.ndarray:
        return x[:, t] - x[:, t - k] if t >= k else np.full(len(x), np.nan)

    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing rows give NaN features
        past = ly[:, : t + 1]
        s, _ = first_valid(past)
        start = past[np.arange(len(ly)), np.minimum(s, t)]
        cols = [change(ly, 1), change(ly, 2), ly[:, t] - np.nanmean(past, axis=1),
                np.nanstd(np.diff(past, axis=1), axis=1) if t >= 1 else np.full(len(ly), np.nan),
                (ly[:, t] - start) / np.maximum(t - s, 1)]
        if lr is not None:
            cols += [change(lr, 1), change(lr, 2), (lr[:, t] - lr[:, 0]) / max(t, 1), ly[:, t] - lr[:, t]]
    if category is not None:
        cols.append(category.astype(float))
    return cols


GLOBAL_BINS = 255
"""Bins per feature for the global model's trees (the most a histogram tree takes)."""


def bin_edges(X: np.ndarray, weight: np.ndarray, *, skip: Sequence[int] = (),
              bins: int = GLOBAL_BINS) -> list[np.ndarray | None]:
    """Per column, the weighted quantiles that cut it into ``bins`` bins (None: leave it as is).

    Why here and not in the tree library: given sample weights, scikit-learn's binner finds
    each of a feature's 254 cut points by a separate weighted-percentile pass, two thirds of a
    state pool's forecast time. One sort and one cumulative sum per column give them all at
    once. The training rows fall in the same bins as the library's own (it may put a cut midway
    between two neighbouring values where this puts it on the lower one). A column with at most
    ``bins`` distinct values (the horizon) or named in ``skip`` (a categorical) is left alone;
    missing values stay missing.
    """
    edges: list[np.ndarray | None] = []
    levels = np.arange(1, bins) / bins
    for k in range(X.shape[1]):
        x = X[:, k]
        ok = np.isfinite(x) & (weight > 0)
        if k in skip or np.unique(x[ok]).size <= bins:
            edges.append(None)
            continue
        order = np.argsort(x[ok], kind="stable")
        xs, cdf = x[ok][order], np.cumsum(weight[ok][order])
        at = np.minimum(np.searchsorted(cdf, levels * cdf[-1], side="left"), len(xs) - 1)
        edges.append(np.unique(xs[at]))
    return edges


def to_bins(X: np.ndarray, edges: list[np.ndarray | None]) -> np.ndarray:
    """Each binned column replaced by its bin number (value ≤ the k-th edge: bin ≤ k)."""
    out = X.copy()
    for k, e in enumerate(edges):
        if e is not None:
            out[:, k] = np.where(np.isnan(X[:, k]), np.nan, np.searchsorted(e, X[:, k], side="left"))
    return out


def global_trees(Y: np.ndarray, h: int, ctx: Context | None = None) -> np.ndarray:
    """One gradient-boosted tree model fitted across all series at once (a "global" model).

    Target: a series' mean log growth per year over the next ``j`` years (``j`` = 1…h a
    feature), from what it looks like now: its last one- and two-year log changes, its mean
    growth, its distance from its own mean level, its volatility, the reference's (state
    sector's) recent and mean growth and the series' log share of it, and its category (e.g.
    sector) where given. Rows are every window inside ``Y`` (so inside a backtest only data
    before the origin), weighted by the series' size over its naive MAE so the loss is the
    scaled absolute error MASE scores. Least absolute error, shallow trees, a fixed seed, no
    early stopping: the same input gives the same forecast. It pools over the rows it is given
    (the engine fits it one pool at a time). Too few windows (< 200): naive.
    """
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    n, T = Y.shape
    ly = _log(Y)
    lr = _log(ctx.ref) if ctx is not None and ctx.ref is not None else None
    cat = ctx.category if ctx is not None else None
    weight_row = np.maximum(np.nan_to_num(Y[:, -1], nan=0.0), 1.0) / naive_scale(Y)
    X, y, wt = [], [], []
    for t in range(1, T - 1):
        feats = _window_features(ly, lr, t, cat)
        for j in range(1, min(h, T - 1 - t) + 1):
            target = (ly[:, t + j] - ly[:, t]) / j
            keep = np.isfinite(target) & np.isfinite(weight_row)
            if keep.any():
                X.append(np.column_stack([*(f[keep] for f in feats), np.full(keep.sum(), j)]))
                y.append(target[keep])
                wt.append(j * weight_row[keep])
    if not X or sum(len(v) for v in y) < 200:
        return naive(Y, h)
    Xa, ya, wa = np.vstack(X), np.concatenate(y), np.concatenate(wt)
    if len(ya) > GLOBAL_MAX_ROWS:
        pick = np.linspace(0, len(ya) - 1, GLOBAL_MAX_ROWS).astype(int)
        Xa, ya, wa = Xa[pick], ya[pick], wa[pick]
    wa = np.minimum(wa, np.quantile(wa, 0.99))
    unseen = np.isnan(Xa).all(axis=0)  # e.g. two-year changes in a two-year history
    Xa[:, unseen] = 0.0
    cat_col = [Xa.shape[1] - 2] if cat is not None else None
    model = HistGradientBoostingRegressor(**GLOBAL_PARAMS, categorical_features=cat_col)
    now = np.column_stack(_window_features(ly, lr, T - 1, cat))
    ahead = np.vstack([np.column_stack([now, np.full(n, j)]) for j in range(1, h + 1)])  # every j at once
    edges = bin_edges(Xa, wa, skip=cat_col or [])
    with threadpool_limits(1):  # one thread: same speed on a shared machine, and the same sums
        model.fit(to_bins(Xa, edges), ya, sample_weight=wa)
        growth = model.predict(to_bins(np.where(unseen, 0.0, ahead), edges)).reshape(h, n).T * np.arange(1, h + 1)
    out = Y[:, -1:] * np.exp(growth)
    return np.where(np.isfinite(out) & (Y[:, -1:] > 0), out, naive(Y, h))


def seasonal_naive(Y: np.ndarray, h: int, m: int) -> np.ndarray:
    """Same season last year: ``ŷ_{T+j} = y_{T+j−m·⌈j/m⌉}``. Falls back to naive under one cycle."""
    _, n = first_valid(Y)
    T = Y.shape[1]
    if m > T:
        return naive(Y, h)
    idx = T - m + (np.arange(h) % m)
    out = Y[:, idx]
    return np.where((n >= m)[:, None] & ~np.isnan(out), out, naive(Y, h))


MODELS: dict[str, Model] = {
    "naive": naive,
    "drift": drift,
    "damped": damped,
    "arima": arima,
    "theta": theta,
    "shift_share": shift_share,
    "shrink": shrink,
    "global": global_trees,
    "pooled_trend": pooled_trend,
}
"""The model menu (``combo`` and, for sub-annual data, ``snaive`` are added by the engine)."""

POOLED = ("shrink", "global", "pooled_trend", "stack")
"""Models that learn across the series fitted together; they run one pool at a time and are
chosen only where they beat the combination in that pool's backtest."""

COMBO_MEMBERS = ("drift", "damped", "arima", "theta", "shift_share")
"""The combination is the median of these members' forecasts (those in the run)."""


def seasonal_factors(Y: np.ndarray, seasons: np.ndarray, m: int) -> np.ndarray:
    """Classical multiplicative decomposition: seasonal indices ``(n, m)`` with mean 1.

    Trend is the centred moving average (2×m for even m); each season's index is the mean of
    ``y / trend`` over the years where both exist, normalised to average 1. Series with fewer
    than two full cycles, a missing season or a non-positive value get indices of 1 (left
    unadjusted) rather than a guess.
    """
    from scipy.ndimage import correlate1d

    n, T = Y.shape
    if m <= 1 or 2 * m > T:
        return np.ones((n, max(m, 1)))
    w = np.ones(m + 1) if m % 2 == 0 else np.ones(m)
    if m % 2 == 0:
        w[0] = w[-1] = 0.5
    w /= m
    trend = correlate1d(Y, w, axis=1, mode="constant", cval=np.nan)
    ratio = Y / trend
    ok = np.isfinite(ratio)
    flat = (np.arange(n)[:, None] * m + seasons).ravel()
    tot = np.bincount(flat, weights=np.where(ok, ratio, 0.0).ravel(), minlength=n * m)
    cnt = np.bincount(flat, weights=ok.ravel().astype(float), minlength=n * m)
    with np.errstate(invalid="ignore", divide="ignore"):
        S = (tot / cnt).reshape(n, m)
        S = S / S.mean(axis=1, keepdims=True)
    positive = np.nanmin(np.where(np.isnan(Y), np.inf, Y), axis=1) > 0
    good = np.isfinite(S).all(axis=1) & (S > 0).all(axis=1) & positive
    return np.where(good[:, None], S, 1.0)


def naive_scale(Y: np.ndarray, m: int = 1) -> np.ndarray:
    """In-sample MAE of the (seasonal, lag ``m``) naive forecast: the MASE denominator.

    A flat history has scale 0; it is floored at a billionth of the series' level so a perfect
    forecast scores 0 rather than 0/0.
    """
    if Y.shape[1] <= m:
        return np.full(len(Y), np.nan)
    d = np.abs(Y[:, m:] - Y[:, :-m])
    ok = ~np.isnan(d)
    cnt = ok.sum(axis=1)
    mae = np.where(ok, d, 0.0).sum(axis=1) / np.maximum(cnt, 1)
    with warnings.catch_warnings():  # an all-missing row has no level (and no scale: NaN below)
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.abs(np.nanmean(Y, axis=1)) if Y.size else 0
    mae = np.maximum(mae, 1e-9 * (np.nan_to_num(level) + 1.0))
    return np.where(cnt > 0, mae, np.nan)
