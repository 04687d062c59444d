"""Forecast many series at once, choose a model per series by backtest, and say how accurate it is.

The public entry point is :func:`forecast_panel`: a long panel (series_id, period, value) in,
a :class:`ForecastResult` out, holding the ``industry_forecast`` table (point forecast, 80/95%
intervals, chosen model, its backtest MASE and the naive baseline's), the per-series backtest
errors and an accuracy summary with out-of-sample interval coverage.

How the forecast is chosen (every choice uses the training data only):

* **Point forecast.** The equal-weight combination (median of drift, damped trend, ARIMA,
  theta and shift-share when given) is the default for every series; a single model replaces it
  only when the series' own rolling-origin backtest shows it at least 50% better
  (:func:`align.demand.backtest.choose`). Per-series selection from a few annual windows is
  mostly noise; in-training pseudo-exercises (CES history up to 2008, see
  ``benchmarks/forecast_accuracy.py --dev``) found it worse than the combination.
* **Pooled models.** With a reference series (for a region: its state's series of the same
  industry, :mod:`align.demand.reference`) the menu adds ``shrink`` (the series' growth shrunk
  toward the reference's by empirical Bayes), ``global`` (one gradient-boosted tree model
  fitted across every series of the pool) and ``pooled_trend`` (a share of the state sector's
  trend plus a share of the series' own lead over it, damped, the shares fitted by a backtest
  across the pool). They learn across series, so they run one pool at a time (``pool_by``), and
  every backtest and accuracy row names its pool (``pool_over``: in a planning run, all
  industries of the one region, so a region's numbers never depend on which other regions run
  beside it); the pool's default is then whichever of the combination, the pooled
  models and naive has the lowest backtest MASE over the pool (:func:`align.demand.backtest.choose`):
  on short, noisy regional series naive often wins, and the judge must be able to say so.
* **Stacking.** In a pool of at least 50 series (:data:`align.demand.stacking.STACK_MIN_SERIES`)
  with a reference, ``stack`` joins the judge: one set of non-negative weights summing to one
  over the menu's models, fitted on the pool's backtest errors (:mod:`align.demand.stacking`);
  where it is the pool's default no series leaves it. On New York's 1,400 county and region ×
  sector series it beats every single model in the in-training exercises.
* **Windows.** 10 rolling origins per horizon (``n_origins``) choose the model; the intervals
  use up to 30 (``calibration_origins``), as many as the history holds.
* **Intervals.** Symmetric, from absolute backtest errors pooled across the pool's series per
  model and horizon, widened for the effective number of independent windows; a horizon with
  fewer than 8 effective windows takes its width from a power law fitted across all horizons
  (:mod:`align.demand.intervals`), so every horizon is calibrated, not only their average.

How a series is handled:

* Series are laid out *end-aligned* in one matrix: each row ends at the series' own last
  observed period, so a series whose latest years are suppressed is forecast from its last
  real value (never from a NaN), further ahead, and the note says so.
* Interior gaps (suppressed or missing years) are linearly interpolated for fitting, at every
  backtest origin separately (only from points before that origin); the note counts them.
* Fallback for series too short to backtest (fewer than ``min_train + 1`` points): random walk
  with drift when there are at least 3 points, naive otherwise; intervals then come from the
  pooled errors of all backtested series.
* Sub-annual periods (dates, monthly or quarterly) add the seasonal naive baseline, scale MASE
  by the seasonal naive error, and run the other models on seasonally adjusted data
  (classical multiplicative decomposition, see :func:`align.demand.models.seasonal_factors`).

Same input, same output: nothing here is random.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from align.demand import backtest as B
from align.demand import intervals as I
from align.demand import models as M
from align.demand.stacking import STACK_MIN_SERIES, fit_stack
from align.errors import InputError

DEFAULT_MODELS = ("naive", "drift", "damped", "arima", "theta", "shift_share", "shrink", "global",
                  "pooled_trend", "combo", "stack")
REFERENCE_MODELS = ("shift_share", "shrink", "global", "pooled_trend", "stack")
"""In the default menu only when a reference series is given (they are built to use it)."""
Progress = Callable[[int, int], None]
CALIBRATION_ORIGINS = 30
"""Windows per horizon the intervals are calibrated on (at most; the model choice uses the
``n_origins`` most recent). A tail quantile needs many episodes: ten recent windows of
national CES held one mild recession, and the 2009 collapse fell outside 70% of the
horizon-1 intervals calibrated on them."""


@dataclass
class ForecastResult:
    """What a forecast run returns (see the module docstring)."""

    forecasts: pd.DataFrame
    backtest: pd.DataFrame
    accuracy: pd.DataFrame
    frequency: int = 1
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Panel:
    ids: np.ndarray          # series ids (sorted)
    Y: np.ndarray            # (n, L) end-aligned values
    last: np.ndarray         # period index of each series' last observation
    end: int                 # period index of the panel's last period
    m: int                   # periods per year (1 annual, 4 quarterly, 12 monthly)
    gaps: np.ndarray         # interior missing values per series
    skipped: list[str]


def _period_index(period: pd.Series, file: str) -> tuple[np.ndarray, int]:
    """Integer period index and periods per year: a year stays a year; dates become months or quarters."""
    textual = period.dtype == object or pd.api.types.is_string_dtype(period.dtype)
    if pd.api.types.is_integer_dtype(period.dtype) or (
        textual and period.astype(str).str.strip().str.fullmatch(r"\d{4}").all()
    ):
        return period.astype("int64").to_numpy(), 1
    if pd.api.types.is_float_dtype(period.dtype) and (period.dropna() % 1 == 0).all():
        return period.astype("int64").to_numpy(), 1
    try:
        dates = pd.to_datetime(period.astype(str), format="ISO8601")
    except (ValueError, TypeError):
        raise InputError("period is neither a year nor a date", file=file, column="period",
                         expected="a year (2019) or a date (2019-07-01)") from None
    if dates.isna().any():
        raise InputError("missing period", file=file, column="period", expected="a year or a date")
    months = (dates.dt.year * 12 + dates.dt.month - 1).to_numpy()
    steps = np.unique(np.diff(np.unique(months)))
    if steps.size and steps.min() % 3 == 0 and (months % 3 == months.min() % 3).all():
        return months // 3, 4
    return months, 12


def _index_to_period(idx: np.ndarray, m: int) -> np.ndarray:
    if m == 1:
        return idx.astype("int64")
    months = idx * (12 // m)
    y, mo = months // 12, months % 12 + 1
    return np.array([f"{a:04d}-{b:02d}-01" for a, b in zip(y, mo, strict=True)], dtype=object)


def _build(panel: pd.DataFrame, file: str) -> _Panel:
    """The end-aligned matrix of a long panel. Work is per distinct series id and on integer
    codes, never on a copy of the long frame: a million series × 20 years is 20 M rows."""
    need = ["series_id", "period", "value"]
    missing = [c for c in need if c not in panel.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=file, expected=f"columns {need}")
    raw_codes, raw_ids = pd.factorize(panel["series_id"], use_na_sentinel=False)
    text = pd.Series(raw_ids).astype(str)  # an id is its text: 7 and "7" are one series
    text_codes, texts = pd.factorize(text, use_na_sentinel=False)
    distinct = len(texts) == len(raw_ids)  # the usual case: every raw id has its own text
    code = raw_codes if distinct else text_codes[raw_codes]
    del raw_codes
    raw = panel["value"]
    val = pd.to_numeric(raw, errors="coerce")
    odd = np.flatnonzero(val.isna().to_numpy() & raw.notna().to_numpy())
    if odd.size:
        bad = raw.iloc[odd].astype(str).str.strip().to_numpy() != ""
        if bad.any():
            row = int(odd[np.argmax(bad)])
            raise InputError(f"not a number: {raw.iloc[row]!r}", file=file, row=row + 1,
                             column="value", expected="a number, or empty for a missing value")
    value = val.astype("float64").to_numpy()
    p_all, m = _period_index(panel["period"], file)
    dup = _repeated(code, p_all)
    if dup is not None:
        row = int(dup)
        period = panel["period"].iloc[row]
        period = period.item() if isinstance(period, np.generic) else period  # 2008, not np.int64(2008)
        raise InputError(f"series {texts[code[row]]!r} has period {period!r} twice",
                         file=file, column="period", expected="one value per series and period")
    end = int(p_all.max())
    seen = ~np.isnan(value)
    code = code[seen]
    present = np.flatnonzero(np.bincount(code, minlength=len(texts)))
    sorted_codes, ids = pd.factorize(pd.Series(texts).iloc[present], sort=True)
    lookup = np.full(len(texts), -1, dtype=np.int64)
    lookup[present] = sorted_codes
    sid_codes = lookup[code]
    del code
    skipped = sorted(set(texts) - set(ids))
    p = p_all[seen]
    n = len(ids)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, sid_codes, p)
    np.maximum.at(last, sid_codes, p)
    L = int((last - first).max() + 1) if n else 1
    Y = np.full((n, L), np.nan)
    col = last[sid_codes]  # the column of each value, in place: these are 20 M-row arrays
    col -= p
    np.subtract(L - 1, col, out=col)
    Y[sid_codes, col] = value[seen]
    span = last - first + 1
    gaps = span - np.bincount(sid_codes, minlength=n)
    return _Panel(np.asarray(ids, dtype=object), Y, last, end, m, gaps, skipped)


def _repeated(code: np.ndarray, period: np.ndarray) -> int | None:
    """The first row whose (series, period) pair occurs more than once, or None.

    Counted on a dense grid of codes × periods where it is at most a few times the rows (a
    panel's usual shape; a hash table of 20 M keys would take more memory), else hashed."""
    lo, span = int(period.min()), int(period.max() - period.min()) + 1
    key = code.astype(np.int64)
    key *= span
    key += period
    key -= lo
    cells = (int(code.max()) + 1) * span if len(code) else 0
    if cells <= 4 * len(key):
        dup = np.bincount(key, minlength=cells)[key] > 1
    else:
        dup = pd.Series(key).duplicated(keep=False).to_numpy()
    return int(np.argmax(dup)) if dup.any() else None


def _align_reference(reference: pd.DataFrame, pan: _Panel, Hmax: int, file: str
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Reference values on the panel's end-aligned grid: training columns and future steps."""
    if "period" not in reference.columns or "value" not in reference.columns:
        raise InputError("reference needs columns period, value (and optionally series_id)",
                         file=file, expected="columns period, value")
    ref = reference.copy()
    ref["p"], _ = _period_index(ref["period"], file)
    ref["value"] = pd.to_numeric(ref["value"], errors="coerce")
    n, L = pan.Y.shape
    cols = np.arange(L + Hmax)
    periods = pan.last[:, None] - (L - 1) + cols[None, :]
    out = np.full((n, L + Hmax), np.nan)
    if "series_id" in ref.columns:
        ref["series_id"] = ref["series_id"].astype(str)
        key = pd.MultiIndex.from_arrays([ref["series_id"], ref["p"]])
        s = pd.Series(ref["value"].to_numpy(), index=key)
        look = pd.MultiIndex.from_arrays([np.repeat(pan.ids, L + Hmax), periods.ravel()])
        out = s.reindex(look).to_numpy().reshape(n, L + Hmax)
    else:
        s = pd.Series(ref["value"].to_numpy(), index=ref["p"].to_numpy())
        out = s.reindex(periods.ravel()).to_numpy().reshape(n, L + Hmax)
    return out[:, :L], out[:, L:]


def forecast_panel(panel: pd.DataFrame, horizon: int, *, models: Sequence[str] | None = None,
                   n_origins: int = 10, min_train: int = 5, reference: pd.DataFrame | None = None,
                   levels: tuple[int, ...] = (80, 95), progress: Progress | None = None,
                   chunk_size: int = 20_000, backtest_detail: bool = True,
                   pool_by: str | None = None, pool_over: str | None = None,
                   category: str | None = None, calibration_origins: int = CALIBRATION_ORIGINS,
                   origin: str = "panel", executor: Executor | None = None) -> ForecastResult:
    """Backtest the model menu on every series, choose per series, forecast ``horizon`` periods.

    ``models`` picks from naive, drift, damped, arima, theta, shift_share, shrink, global
    (the last three need ``reference``: a national series ``period, value`` or one per series
    ``series_id, period, value`` — for regional series, the state's series of the same sector —
    possibly reaching into the future as a projection), combo and, for sub-annual data, snaive.
    Naive is always run as the baseline. ``n_origins`` windows per horizon are backtested and
    choose the model, each training on at least ``min_train`` points; intervals are calibrated
    on up to ``calibration_origins`` windows per horizon (the tails need many episodes).

    Pooling is explicit. ``pool_by`` names a panel column (e.g. ``state``): each of its values is
    forecast as a panel of its own — backtests, the pooled models (shrink, global), the pooled
    model choice and the interval calibration see only that pool's series — so a run split by
    pool gives the same numbers. Without it the whole panel is one pool. ``pool_over`` says in
    words what one pool is (the pipeline: ``all industries of region finger-lakes-ny``; with
    ``pool_by``: ``all series with state = 36``); it is recorded in the ``pool_over`` column of
    the backtest and accuracy tables, so a reader (and a multi-region run split across workers)
    can see which series each number learnt from. ``category`` names a panel column (e.g.
    ``sector``) the global model may use as a feature.

    Series are processed in chunks of ``chunk_size`` (memory stays flat for a million series)
    unless a pooled model is in the menu (then a pool is one chunk); ``progress(done, total)``
    is called after each chunk. With ``executor`` (a ``concurrent.futures`` executor:
    ``ProcessPoolExecutor``, or a Dask client's ``get_executor()``) the chunks run on its
    workers; each chunk is computed by the same function from the same rows, so the result is
    identical to the serial one.
    """
    if pool_by is not None:
        return _by_pool(panel, horizon, pool_by, reference, origin, executor=executor,
                        progress=progress, models=models, n_origins=n_origins, min_train=min_train,
                        levels=levels, chunk_size=chunk_size, backtest_detail=backtest_detail,
                        category=category, calibration_origins=calibration_origins, pool_over=pool_over)
    if horizon < 1:
        raise InputError("horizon must be at least 1", file=origin, expected="a positive integer")
    if set(levels) != {80, 95}:
        raise InputError(f"levels {levels} not supported", file=origin,
                         expected="(80, 95): the forecast table's lo80/hi80/lo95/hi95 columns")
    pan = _build(panel, origin)
    names = _menu(models, reference is not None, pan.m, origin)
    if models is None and "stack" in names and len(pan.ids) < STACK_MIN_SERIES:
        names.remove("stack")  # too few series to weigh the menu's models (align.demand.stacking)
    cat = _categories(panel, category, pan, origin)
    pooled = tuple(k for k in M.POOLED if k in names)
    if pooled:
        chunk_size = max(len(pan.ids), 1)  # a pooled model fits the whole pool at once
    min_train = max(min_train, 2 if pan.m == 1 else pan.m + 2)
    n, L = pan.Y.shape
    trail = pan.end - pan.last
    Hmax = int(horizon + (trail.max() if n else 0))
    ref_tr = ref_fu = None
    if reference is not None:
        ref_tr, ref_fu = _align_reference(reference, pan, Hmax, origin)
    seasons_all = None
    if pan.m > 1:
        cols = np.arange(L + Hmax)
        seasons_all = ((pan.last[:, None] - (L - 1) + cols[None, :]) % pan.m).astype(np.int64)

    K = max(n_origins, min(calibration_origins, L - min_train))  # never more than the data holds
    F_all = np.full((n, Hmax), np.nan)
    F_naive = np.full((n, Hmax), np.nan)
    chosen = np.full(n, -1)
    mase_chosen = np.full(n, np.nan)
    scale = np.full(n, np.nan)
    mase_all = np.full((n, len(names), horizon), np.nan, dtype=np.float32)
    smape_all = np.full_like(mase_all, np.nan)
    n_orig = np.zeros((n, horizon), dtype=np.int16)
    err_model = np.full((n, len(names), horizon, K), np.nan, dtype=np.float32)
    spec = _ChunkSpec(horizon, Hmax, names, K, n_origins, min_train, pan.m,
                      (*pooled, "naive") if pooled else ())
    slices = [slice(a, min(a + chunk_size, n)) for a in range(0, n, chunk_size)]

    def part(sl: slice) -> tuple:
        return (spec, pan.Y[sl], seasons_all[sl] if seasons_all is not None else None,
                ref_tr[sl] if ref_tr is not None else None,
                ref_fu[sl] if ref_fu is not None else None, cat[sl] if cat is not None else None)

    for sl, out in zip(slices, _map_chunks(executor, [part(sl) for sl in slices]), strict=True):
        (chosen[sl], mase_chosen[sl], mase_all[sl], smape_all[sl], n_orig[sl], err_model[sl],
         F_all[sl], F_naive[sl], scale[sl]) = out
        if progress is not None:
            progress(sl.stop, n)

    # intervals: backtest quantiles per (model, horizon) pooled over all series, times each
    # series' own scale; fallback series use their fallback model's table
    _, cnt_all = M.first_valid(pan.Y)
    fb_idx = np.where((cnt_all >= 3) & ("drift" in names), names.index("drift") if "drift" in names else 0, 0)
    table = I.calibrate_models(err_model, levels, fallback=0)
    pool = pool_over or f"all series of {origin}"
    accuracy = _accuracy_table(names, mase_all, smape_all, err_model, chosen, mase_chosen, levels)
    accuracy["pool_over"] = pool
    del err_model  # the panel's largest array, before the interval arrays and the tables are built
    chosen_or_fb = np.where(chosen >= 0, chosen, fb_idx)
    steps = trail[:, None] + np.arange(1, horizon + 1)[None, :]
    Q = np.empty((n, horizon, 2 * len(levels)))
    for t in np.unique(trail):
        r = trail == t
        Q[r] = I.quantiles_for(table, chosen_or_fb[r], np.arange(t + 1, t + horizon + 1))
    take = steps - 1
    point = np.take_along_axis(F_all, take, axis=1)
    naive_pt = np.take_along_axis(F_naive, take, axis=1)
    bounds = point[:, :, None] + Q * scale[:, None, None]
    nonneg = np.nanmin(np.where(np.isnan(pan.Y), np.inf, pan.Y), axis=1) >= 0
    bounds = np.where(nonneg[:, None, None], np.maximum(bounds, 0.0), bounds)
    # keep the point inside its own interval even where a skewed error pool says otherwise
    lo80, hi80 = np.minimum(bounds[..., 0], point), np.maximum(bounds[..., 1], point)
    lo95, hi95 = np.minimum(bounds[..., 2], lo80), np.maximum(bounds[..., 3], hi80)

    label = np.array(names, dtype=object)
    fb_name = np.where(cnt_all >= 3, "drift", "naive")
    model = np.where(chosen >= 0, label[np.maximum(chosen, 0)], fb_name)
    naive_i = names.index("naive")
    with B._quiet():
        mase_naive = np.nanmean(mase_all[:, naive_i], axis=1)
    notes = _notes(pan, chosen, cnt_all, trail)
    del Q, bounds

    forecasts = _forecast_table(pan, horizon, point, lo80, hi80, lo95, hi95, model, mase_chosen,
                                mase_naive, naive_pt, steps, notes)
    backtest = _backtest_table(pan, names, mase_all, smape_all, n_orig) if backtest_detail else pd.DataFrame()
    if backtest_detail:
        backtest["pool_over"] = pool
    return ForecastResult(forecasts, backtest, accuracy, pan.m, pan.skipped)


@dataclass(frozen=True)
class _ChunkSpec:
    """What every chunk of a panel shares (sent once per chunk to a worker process)."""

    horizon: int
    Hmax: int
    names: list[str]
    K: int
    n_origins: int
    min_train: int
    m: int
    judge: tuple[str, ...]


def _forecast_chunk(spec: _ChunkSpec, Yc: np.ndarray, seasons: np.ndarray | None,
                    ref: np.ndarray | None, ref_future: np.ndarray | None,
                    cat: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """Backtest, choice and forecast of one chunk of series: everything per series, nothing pooled
    across chunks, so a chunk gives the same numbers wherever and in whatever order it runs."""
    names = spec.names
    sea = B.Seasons(spec.m, seasons) if seasons is not None else None
    L = Yc.shape[1]
    # one smoothing pass fits the smoothing models at every backtest origin and at the end
    states = B.smoothing_states(Yc, list(range(max(1, L - spec.horizon - spec.K + 1), L + 1)), names, sea)
    bt_all = B.backtest(Yc, spec.horizon, names, n_origins=spec.K, min_train=spec.min_train,
                        seasons=sea, ref=ref, category=cat, states=states)
    weights = fit_stack(bt_all.errors, names) if "stack" in names else None  # fills its errors
    bt = bt_all.recent(spec.n_origins)  # the choice and the reported errors: the recent windows
    # the pool's judge: the combination, the pooled models and the naive baseline
    ch, mc = B.choose(bt, names, pooled=spec.judge)
    Yf = B.fill_interior(Yc)
    F = B.run_menu(Yf, spec.Hmax, names, seasons=sea, T=L, ref=ref, ref_future=ref_future,
                   category=cat, states=states.get(L), stack_weights=weights)
    _, cnt = M.first_valid(Yf)
    fallback = np.where(cnt >= 3, names.index("drift") if "drift" in names else 0, 0)
    pick = np.where(ch >= 0, ch, fallback)
    stack = np.stack([F[k] for k in names])  # (M, n_c, Hmax)
    return (ch, mc, bt.mase(), bt.smape_mean(), bt.n_origins(), bt_all.errors,
            stack[pick, np.arange(len(Yc))], F["naive"], B.naive_scale(Yf, spec.m))


def _map_chunks(executor: Executor | None, parts: list[tuple]) -> Iterator[tuple[np.ndarray, ...]]:
    """Chunk results in chunk order: here, one after the other, or from ``executor``'s workers."""
    if executor is None:
        yield from (_forecast_chunk(*p) for p in parts)
        return
    futures = deque(executor.submit(_forecast_chunk, *p) for p in parts)
    while futures:  # drop each result once taken: the caller copies it into the panel's arrays
        yield futures.popleft().result()


def _by_pool(panel: pd.DataFrame, horizon: int, pool_by: str, reference: pd.DataFrame | None,
             origin: str, *, executor: Executor | None, progress: Progress | None,
             pool_over: str | None = None, **kw: object) -> ForecastResult:
    """Forecast each pool as its own panel and stack the results (``pool_by`` in the docstring).

    With ``executor`` the pools run on its workers (a pool is the unit a pooled model fits)."""
    if pool_by not in panel.columns:
        raise InputError(f"pool_by column {pool_by!r} is not in the panel", file=origin,
                         expected=f"one of {list(panel.columns)}")
    if panel[pool_by].isna().any():
        raise InputError(f"pool_by column {pool_by!r} has missing values", file=origin,
                         column=pool_by, expected="a pool for every series")
    pools = panel.groupby("series_id")[pool_by].nunique()
    if (pools > 1).any():
        raise InputError(f"series {pools[pools > 1].index[0]!r} is in more than one pool", file=origin,
                         column=pool_by, expected="one pool per series")
    ref_by_pool: dict[object, pd.DataFrame] = {}
    if reference is not None and "series_id" in reference.columns:
        first = panel.drop_duplicates("series_id")
        pool_of = pd.Series(first[pool_by].to_numpy(), index=first["series_id"].astype(str).to_numpy())
        pool_of = pool_of[~pool_of.index.duplicated()]
        ref_pool = reference["series_id"].astype(str).map(pool_of)
        ref_by_pool = {k: g for k, g in reference.groupby(ref_pool.to_numpy(), sort=False)}
    jobs = []
    for key, sub in panel.groupby(pool_by, sort=True):
        ref = reference
        if reference is not None and "series_id" in reference.columns:
            ref = ref_by_pool.get(key, reference.iloc[:0])
        label = f"{pool_over}, {pool_by} = {key}" if pool_over else f"all series with {pool_by} = {key}"
        jobs.append((key, sub.drop(columns=pool_by),
                     dict(reference=ref, origin=f"{origin} ({pool_by}={key})", pool_over=label)))
    total, done = panel["series_id"].nunique(), 0
    parts: list[tuple[object, ForecastResult]] = []
    if executor is None:
        for key, sub, args in jobs:
            base = done
            step = (lambda d, _n, base=base: progress(base + d, total)) if progress else None
            parts.append((key, forecast_panel(sub, horizon, progress=step, **args, **kw)))  # type: ignore[arg-type]
            done += sub["series_id"].nunique()
    else:
        futures = [(key, sub["series_id"].nunique(), executor.submit(forecast_panel, sub, horizon, **args, **kw))
                   for key, sub, args in jobs]
        for key, count, fut in futures:
            parts.append((key, fut.result()))
            done += count
            if progress is not None:
                progress(done, total)
    first = parts[0][1]
    return ForecastResult(
        forecasts=pd.concat([r.forecasts for _, r in parts], ignore_index=True),
        backtest=pd.concat([r.backtest for _, r in parts], ignore_index=True),
        accuracy=pd.concat([r.accuracy.assign(**{pool_by: k}) for k, r in parts], ignore_index=True),
        frequency=first.frequency, skipped=sorted(s for _, r in parts for s in r.skipped))


def _categories(panel: pd.DataFrame, category: str | None, pan: _Panel, origin: str) -> np.ndarray | None:
    """Integer codes of each series' category (sorted labels), aligned with ``pan.ids``."""
    if category is None:
        return None
    if category not in panel.columns:
        raise InputError(f"category column {category!r} is not in the panel", file=origin,
                         expected=f"one of {list(panel.columns)}")
    labels = panel.assign(series_id=panel["series_id"].astype(str)).drop_duplicates("series_id")
    labels = labels.set_index("series_id")[category].astype(str)
    codes = {v: i for i, v in enumerate(sorted(labels.unique()))}
    return labels.reindex(pan.ids).map(codes).to_numpy(dtype=float)


def _menu(models: Sequence[str] | None, has_ref: bool, m: int, origin: str) -> list[str]:
    known = [*M.MODELS, "combo", "stack", "snaive"]
    if models is None:
        wanted = [k for k in DEFAULT_MODELS if k not in REFERENCE_MODELS or has_ref]
    else:
        wanted = list(models)
        bad = [k for k in wanted if k not in known]
        if bad:
            raise InputError(f"unknown model(s) {bad}", file=origin, expected=f"some of {known}")
        needs = [k for k in ("shift_share", "shrink", "pooled_trend") if k in wanted]
        if needs and not has_ref:
            raise InputError(f"{', '.join(needs)} needs a reference series", file=origin,
                             expected="reference= (python) or --reference FILE (CLI)")
    if m > 1 and "snaive" not in wanted:
        wanted.insert(1, "snaive")
    if m == 1 and "snaive" in wanted:
        wanted.remove("snaive")
    if "naive" in wanted:
        wanted.remove("naive")
    return ["naive", *wanted]


def _notes(pan: _Panel, chosen: np.ndarray, cnt: np.ndarray, trail: np.ndarray) -> np.ndarray:
    notes = np.full(len(chosen), "", dtype=object)
    last_p = _index_to_period(pan.last, pan.m)
    for i in np.flatnonzero((pan.gaps > 0) | (trail > 0) | (chosen < 0)):
        parts = []
        if pan.gaps[i] > 0:
            parts.append(f"{pan.gaps[i]} missing period(s) inside the history interpolated for fitting")
        if trail[i] > 0:
            parts.append(f"last observed {last_p[i]}: the {trail[i]} latest period(s) are missing, "
                         "forecast from the last observed value")
        if chosen[i] < 0:
            fb = "drift" if cnt[i] >= 3 else "naive"
            parts.append(f"only {cnt[i]} point(s): too short to backtest, fallback {fb}, "
                         "intervals from the pooled errors of other series")
        notes[i] = "; ".join(parts)
    return notes


def _forecast_table(pan: _Panel, H: int, point: np.ndarray, lo80: np.ndarray, hi80: np.ndarray,
                    lo95: np.ndarray, hi95: np.ndarray, model: np.ndarray, mase: np.ndarray,
                    mase_naive: np.ndarray, naive_pt: np.ndarray, steps: np.ndarray,
                    notes: np.ndarray) -> pd.DataFrame:
    from align import schemas

    n = len(pan.ids)
    periods = _index_to_period(pan.end + np.arange(1, H + 1), pan.m)
    df = pd.DataFrame({
        "series_id": np.repeat(pan.ids, H),
        "period": np.tile(periods, n),
        "forecast": point.ravel(), "lo80": lo80.ravel(), "hi80": hi80.ravel(),
        "lo95": lo95.ravel(), "hi95": hi95.ravel(),
        "model": np.repeat(model, H), "mase": np.repeat(mase, H),
        "mase_naive": np.repeat(mase_naive, H), "forecast_naive": naive_pt.ravel(),
        "steps_ahead": steps.ravel(), "forecast_note": np.repeat(notes, H),
    })
    table = "industry_forecast" if pan.m == 1 else "series_forecast"
    if pan.m > 1:
        df = df.rename(columns={"period": "date"})
    return schemas.validate(df, table)


def _backtest_table(pan: _Panel, names: list[str], mase: np.ndarray, smape: np.ndarray,
                    n_orig: np.ndarray) -> pd.DataFrame:
    n, Mn, H = mase.shape
    df = pd.DataFrame({
        "series_id": np.repeat(pan.ids, Mn * H),
        "model": np.tile(np.repeat(np.array(names, dtype=object), H), n),
        "horizon": np.tile(np.arange(1, H + 1), n * Mn),
        "mase": mase.ravel().astype(np.float64),
        "smape": smape.ravel().astype(np.float64),
        "n_origins": np.repeat(n_orig[:, None, :], Mn, axis=1).ravel().astype(np.int64),
    })
    return df[df["n_origins"] > 0].reset_index(drop=True)


def _accuracy_table(names: list[str], mase: np.ndarray, smape: np.ndarray,
                    err_model: np.ndarray, chosen: np.ndarray,
                    mase_chosen: np.ndarray, levels: tuple[int, ...]) -> pd.DataFrame:
    rows = []
    has = chosen >= 0
    err_model = err_model if has.all() else err_model[has]  # one copy at most (the panel's largest array)
    old = I.calibrate_models(err_model[..., 1:], levels) if err_model.shape[3] > 1 else None
    with B._quiet():
        per_series = np.nanmean(mase, axis=2)  # (n, M)
        sm = np.nanmean(smape, axis=2)
        for mi, name in enumerate(names):
            cov = I.coverage(err_model, np.full(int(has.sum()), mi), levels, table=old)
            rows.append({"model": name, "n_series": int(has.sum()),
                         "mase": float(np.nanmean(per_series[has, mi])) if has.any() else np.nan,
                         "smape": float(np.nanmean(sm[has, mi])) if has.any() else np.nan,
                         "coverage80": cov.get(80, np.nan), "coverage95": cov.get(95, np.nan)})
        cov = I.coverage(err_model, chosen[has], levels, table=old)
        ch_sm = sm[np.flatnonzero(has), chosen[has]] if has.any() else np.array([np.nan])
        rows.append({"model": "selected", "n_series": int(has.sum()),
                     "mase": float(np.nanmean(mase_chosen[has])) if has.any() else np.nan,
                     "smape": float(np.nanmean(ch_sm)),
                     "coverage80": cov.get(80, np.nan), "coverage95": cov.get(95, np.nan)})
    return pd.DataFrame(rows)
