"""Rolling-origin backtests over a matrix of series, and the per-series model choice.

Origins are training lengths ``T``: the models see columns ``[0, T)`` only — the slice is taken
*before* gaps are interpolated, so even the interpolation cannot borrow a later point — and
are scored on columns ``T … T+h−1``. Each horizon ``h`` is scored on the ``n_origins`` most
recent windows that end inside the data (origins ``L−h, L−h−1, …``), so every horizon gets
the same number of errors and the most recent origin (``k = 0``) is the one nearest today.

Errors are scaled by the in-sample MAE of the (seasonal) naive forecast *of that origin's
training data* (MASE, Hyndman & Koehler 2006) and are also reported as sMAPE.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from align.demand import models as M
from align.demand.models import naive_scale


def fill_interior(Y: np.ndarray) -> np.ndarray:
    """Linearly interpolate interior gaps in each row; leading and trailing gaps stay NaN.

    A trailing gap is never filled: nothing is extrapolated into the future from a missing value.
    """
    ok = ~np.isnan(Y)
    if ok.all() or not ok.any():
        return Y.copy()
    n, T = Y.shape
    cols = np.broadcast_to(np.arange(T), (n, T))
    prev = np.maximum.accumulate(np.where(ok, cols, -1), axis=1)
    nxt = np.minimum.accumulate(np.where(ok, cols, T)[:, ::-1], axis=1)[:, ::-1]
    interior = ~ok & (prev >= 0) & (nxt < T)
    if not interior.any():
        return Y.copy()
    rows = np.broadcast_to(np.arange(n)[:, None], (n, T))
    p, q = np.clip(prev, 0, T - 1), np.clip(nxt, 0, T - 1)
    yp, yq = Y[rows, p], Y[rows, q]
    w = (cols - p) / np.maximum(q - p, 1)
    out = Y.copy()
    out[interior] = (yp + w * (yq - yp))[interior]
    return out


@dataclass
class Seasons:
    """Season number of every column (``(n, L + H)``) for sub-annual series; ``m`` per year."""

    m: int
    ids: np.ndarray | None = None


def run_menu(Ytr: np.ndarray, h: int, names: list[str], *, seasons: Seasons | None = None,
             T: int | None = None, ref: np.ndarray | None = None,
             ref_future: np.ndarray | None = None, category: np.ndarray | None = None,
             states: dict[str, np.ndarray] | None = None,
             stack_weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Forecast ``h`` steps with every named model from the (already gap-filled) history ``Ytr``.

    For sub-annual data the models run on seasonally adjusted values (classical
    multiplicative decomposition of the training data only) and are reseasonalised; naive and
    seasonal naive run on the raw values. ``combo`` is the median of the members present.
    ``states`` (annual data only): the smoothing models' fitted states per row of ``Ytr``
    (:func:`align.demand.models.smoothed_states` at this training length), so they need not refit.
    ``stack`` is ``Σ wₖ·F̂ₖ`` with ``stack_weights`` (one per name, :mod:`align.demand.stacking`);
    without them (inside a backtest, before the weights are fitted) it is missing.
    """
    T = Ytr.shape[1] if T is None else T
    m = seasons.m if seasons is not None else 1
    rows = np.arange(len(Ytr))
    Ya, Ra, S_fut, Rf = Ytr, ref, None, ref_future
    if m > 1 and seasons is not None and seasons.ids is not None:
        s_tr, s_fu = seasons.ids[:, :T], seasons.ids[:, T : T + h]
        S = M.seasonal_factors(Ytr, s_tr, m)
        Ya = Ytr / S[rows[:, None], s_tr]
        S_fut = S[rows[:, None], s_fu]
        if ref is not None:
            SR = M.seasonal_factors(ref, s_tr, m)
            Ra = ref / SR[rows[:, None], s_tr]
            if ref_future is not None:
                Rf = ref_future / SR[rows[:, None], s_fu]
    ctx = M.Context(ref=Ra, ref_future=Rf, category=category, cache=dict(states) if m == 1 and states else {})
    out: dict[str, np.ndarray] = {}
    for name in names:
        if name == "naive":
            out[name] = M.naive(Ytr, h)
        elif name == "snaive":
            out[name] = M.seasonal_naive(Ytr, h, m)
        elif name in M.MODELS:
            f = M.MODELS[name](Ya, h, ctx)
            out[name] = f * S_fut if S_fut is not None else f
    if "combo" in names:
        members = [out[k] for k in M.COMBO_MEMBERS if k in out]
        out["combo"] = np.median(np.stack(members), axis=0) if members else out["naive"]
    if "stack" in names:
        out["stack"] = np.full((len(Ytr), h), np.nan)
        if stack_weights is not None:
            out["stack"] = sum((w * out[k] for k, w in zip(names, stack_weights, strict=True) if w > 0),
                               start=np.zeros((len(Ytr), h)))
    return {k: out[k] for k in names}


def origin_forecasts(Y: np.ndarray, T: int, h: int, names: list[str], *, min_train: int,
                     seasons: Seasons | None = None, ref: np.ndarray | None = None,
                     category: np.ndarray | None = None, states: dict[str, np.ndarray] | None = None
                     ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Forecasts made at origin ``T`` from columns ``[0, T)`` only.

    Returns (rows that can be scored, forecasts per model for those rows, their naive scale).
    A row qualifies when it has at least ``min_train`` points and its value at ``T−1`` is
    observed (a backtest never starts from a suppressed year). ``states``: the smoothing
    models' states of every row of ``Y`` at ``T`` (:func:`smoothing_states`).
    """
    Ytr = fill_interior(Y[:, :T])
    _, cnt = M.first_valid(Ytr)
    ok = ~np.isnan(Ytr[:, -1]) & (cnt >= min_train)
    rows = np.flatnonzero(ok)
    sub_seasons = None
    if seasons is not None and seasons.ids is not None:
        sub_seasons = Seasons(seasons.m, seasons.ids[rows])
    sub_ref = ref[rows, :T] if ref is not None else None
    F = run_menu(Ytr[rows], h, names, seasons=sub_seasons, T=T, ref=sub_ref,
                 category=category[rows] if category is not None else None,
                 states={k: v[:, rows] for k, v in states.items()} if states else None)
    return rows, F, naive_scale(Ytr[rows], seasons.m if seasons else 1)


def smoothing_states(Y: np.ndarray, at: list[int], names: list[str],
                     seasons: Seasons | None = None) -> dict[int, dict[str, np.ndarray]]:
    """The smoothing models' fits at every training length in ``at`` from one pass over ``Y``.

    ``{T: {model: (3, n) state}}`` (:func:`align.demand.models.smoothed_states`), to hand to
    :func:`origin_forecasts` and :func:`run_menu`. Exact: an origin's training data are the
    first ``T`` columns of the gap-filled history wherever that origin is scored (its value at
    ``T−1`` is observed, so every gap before it is interior there too and is filled from the same
    two points). Empty for sub-annual data: each origin seasonally adjusts its own training data.
    """
    if (seasons is not None and seasons.m > 1) or not at:
        return {}
    at = sorted(at)
    st = M.smoothed_states(fill_interior(Y), at, names)
    return {T: {k: v[:, :, j] for k, v in st.items()} for j, T in enumerate(at)} if st else {}


@dataclass
class Backtest:
    """Backtest errors: ``errors[i, model, h−1, k]`` is the signed scaled error (actual −
    forecast) / scale of series ``i`` at horizon ``h`` from the ``k``-th most recent origin;
    ``smape`` the same windows' symmetric APE in percent. NaN where not scored."""

    names: list[str]
    errors: np.ndarray
    smape: np.ndarray

    def mase(self) -> np.ndarray:
        """Mean absolute scaled error per series, model and horizon ``(n, M, H)``."""
        with _quiet():
            return np.nanmean(np.abs(self.errors), axis=3)

    def smape_mean(self) -> np.ndarray:
        with _quiet():
            return np.nanmean(self.smape, axis=3)

    def recent(self, k: int) -> Backtest:
        """The same backtest restricted to the ``k`` most recent windows per horizon."""
        return Backtest(self.names, self.errors[..., :k], self.smape[..., :k])

    def n_origins(self) -> np.ndarray:
        """Scored origins per series and horizon ``(n, H)`` (same for every model)."""
        return (~np.isnan(self.errors[:, 0])).sum(axis=2)


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def backtest(Y: np.ndarray, H: int, names: list[str], *, n_origins: int = 5, min_train: int = 5,
             seasons: Seasons | None = None, ref: np.ndarray | None = None,
             category: np.ndarray | None = None,
             states: dict[int, dict[str, np.ndarray]] | None = None) -> Backtest:
    """Rolling-origin backtest of every model on every series at once (see module docstring).

    ``states`` (:func:`smoothing_states` of ``Y`` at the origins ``L−H−n_origins+1 … L−1``, or
    more) saves the smoothing models one fit per origin; computed here when not given."""
    n, L = Y.shape
    errors = np.full((n, len(names), H, n_origins), np.nan, dtype=np.float32)
    smape = np.full_like(errors, np.nan)
    lo = max(1, L - H - n_origins + 1)
    if states is None:
        states = smoothing_states(Y, list(range(lo, L)), names, seasons)
    for T in range(L - 1, lo - 1, -1):
        hh = min(H, L - T)
        rows, F, scale = origin_forecasts(Y, T, hh, names, min_train=min_train, seasons=seasons,
                                          ref=ref, category=category, states=states.get(T))
        if rows.size == 0:
            continue
        js = np.flatnonzero(L - (np.arange(hh) + 1) - T < n_origins)  # steps inside the windows
        if js.size == 0:
            continue
        a = Y[rows[:, None], T + js][None]                    # (1, r, J) actuals
        f = np.stack([F[name][:, js] for name in names])      # (M, r, J) forecasts
        e = (a - f) / scale[None, :, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            den = np.abs(a) + np.abs(f)
            sm = np.where(den > 0, 200 * np.abs(a - f) / np.where(den > 0, den, 1), 0.0)
        for i, j in enumerate(js):  # step j + 1 of this origin is window L − (j + 1) − T of its horizon
            k = L - (j + 1) - T
            errors[rows, :, j, k] = e[:, :, i].T
            smape[rows, :, j, k] = sm[:, :, i].T
    return Backtest(names, errors, smape)


SWITCH_MARGIN = 0.5
"""A single model replaces the combination only if its backtest MASE is this much lower
(0.5: at most half the combination's). See :func:`choose` for why the bar is high."""


def choose(bt: Backtest, candidates: list[str], *, default: str | None = "combo",
           margin: float = SWITCH_MARGIN, pooled: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Per series: the ``default`` (the combination) unless a candidate clearly beats it.

    Rule: score every candidate by its backtest MASE averaged over horizons (all scored
    windows). A series keeps ``default`` unless its best candidate's score is below
    ``(1 − margin)`` × the default's *and* every horizon was scored on at least two windows;
    then it takes that candidate (ties to the earlier, simpler one).

    ``pooled`` models (fitted across the series of ``bt``: one pool; the engine adds the naive
    baseline) compete with the default first, on the pool's mean backtest MASE over the series
    where all are scored: the best of them becomes the pool's default. A pooled model is thus
    chosen only where it wins in that pool's backtest, and the per-series rule above then runs
    against it — except against ``stack`` (:mod:`align.demand.stacking`): its weights already
    say which models the pool's windows favour, and overriding them from a series' own few
    windows lost on the in-training regional exercises (New York counties and regions, origin
    2005: mean MASE 0.988 of naive with the override, 0.971 without; 2004 the same).

    Why a combination by default and a high bar: a single annual series has a handful of
    overlapping windows, so its per-model ranking is mostly noise (one recession in the
    windows makes naive "best" for most series, then the recovery punishes it). Selecting on
    that noise loses to the equal-weight combination — the forecast-combination result of the
    M competitions. We checked this inside the training data only: pseudo-exercises on CES
    history up to 2008 (origins 1988, 1993, 1998, 2003) scored per-series argmin, pooled
    selection and margins 0–0.3 worse than the combination in most of them, margin 0.5 about
    equal; nested selection of the margin on older windows was no better than the fixed bar.
    A pool-level choice between the combination and a model built to pool is a different
    question: hundreds of series' windows judge it, not one series' few.
    Without ``default`` in ``candidates`` (a caller's reduced menu) this is the plain argmin.

    Returns (model index into ``bt.names``, that model's MASE); index −1 and NaN where the
    series has no scored origin.
    """
    with _quiet():
        score = np.nanmean(bt.mase(), axis=2)  # (n, M)
    idx = np.array([bt.names.index(c) for c in candidates])
    cand = score[:, idx]
    has = ~np.isnan(cand).all(axis=1)
    rows = np.arange(len(cand))
    best = np.where(has, np.argmin(np.where(np.isnan(cand), np.inf, cand), axis=1), 0)
    if default is not None and default in candidates:
        contenders = [candidates.index(c) for c in (default, *pooled) if c in candidates]
        both = np.isfinite(cand[:, contenders]).all(axis=1)
        d = candidates.index(default)
        if len(contenders) > 1 and both.any():
            d = min(contenders, key=lambda c: float(cand[both, c].mean()))
        enough = (bt.n_origins() >= 2).all(axis=1)
        if candidates[d] == "stack":  # its weights are the pool's verdict: no per-series override
            enough = np.zeros(len(cand), dtype=bool)
        clear = enough & (cand[rows, best] < (1.0 - margin) * cand[:, d])
        best = np.where(clear | np.isnan(cand[:, d]), best, d)
    chosen = np.where(has, idx[best], -1)
    return chosen, np.where(has, cand[rows, best], np.nan)
