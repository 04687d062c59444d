"""Speed: the whole model menu with rolling-origin backtests over many annual series.

20,000 synthetic employment-like series (log-normal sizes, industry-specific growth, business
cycle shocks shared within groups, idiosyncratic noise), 20 years each, horizon 5, 10 origins per
horizon. Baseline: the same backtest with a per-series statsmodels loop (ETSModel, additive
damped trend) on a sample of series, BLAS limited to one thread, cost extrapolated per series.
Prints series/second, the throughput ratio and both mean MASEs on the sample.

``--scale`` adds a 1,000,000-series run at 1 and at 2 worker processes (``--workers``) reporting
wall time, CPU and peak memory of the whole process tree, and checks both give the same numbers.

Run: ``python benchmarks/forecast_speed.py [--series 20000] [--sample 200] [--scale [--workers 1 2]]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

H, K, YEARS = 5, 10, 20


def synthetic(n: int, years: int = YEARS, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    size = rng.lognormal(6, 1.6, n)
    growth = rng.normal(0.01, 0.02, n)
    groups = rng.integers(0, 20, n)
    cycle = rng.normal(0, 0.02, (20, years))
    shocks = cycle[groups] + rng.normal(0, 0.03, (n, years))
    return size[:, None] * np.exp(np.cumsum(growth[:, None] + shocks, axis=1))


def to_panel(Y: np.ndarray) -> pd.DataFrame:
    """The long panel; ids categorical (as a caller with a million series holds them: 20 M rows of
    text would be 1.3 GB of strings, and building them peaks near 3 GB)."""
    n, T = Y.shape
    ids = pd.Categorical.from_codes(np.repeat(np.arange(n, dtype=np.int32), T),
                                    categories=[f"s{i:07d}" for i in range(n)])
    return pd.DataFrame({"series_id": ids, "period": np.tile(np.arange(2000, 2000 + T), n), "value": Y.ravel()})


def ours(Y: np.ndarray, **kw: object) -> tuple[float, pd.DataFrame]:
    from align.demand.forecast import forecast_panel

    panel = to_panel(Y)
    t = time.perf_counter()
    res = forecast_panel(panel, H, n_origins=K, **kw)
    return time.perf_counter() - t, res.accuracy


def statsmodels_loop(Y: np.ndarray) -> tuple[float, float]:
    """Per-series ETSModel(damped) backtest on the same windows; (seconds per series, mean MASE)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from threadpoolctl import threadpool_limits

    from align.demand.backtest import naive_scale

    L = Y.shape[1]
    mases = []
    t = time.perf_counter()
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in Y:
            errs = []
            for T in range(L - H - K + 1, L):
                tr = pd.Series(y[:T])
                fit = ETSModel(tr, error="add", trend="add", damped_trend=True).fit(disp=False)
                f = np.asarray(fit.forecast(min(H, L - T)))
                sc = naive_scale(y[None, :T])[0]
                for j in range(len(f)):
                    if L - (j + 1) - T < K:
                        errs.append(abs(y[T + j] - f[j]) / sc)
            mases.append(np.mean(errs))
    return (time.perf_counter() - t) / len(Y), float(np.mean(mases))


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=20_000)
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--scale", action="store_true", help="also run 1,000,000 series")
    ap.add_argument("--scale-series", type=int, default=1_000_000, help="series of the --scale run")
    ap.add_argument("--only-scale", action="store_true", help="skip the 20,000-series and statsmodels runs")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                    help="worker processes for the million-series run, one run per count (default 1 2)")
    args = ap.parse_args(argv)
    if args.only_scale:
        scale_run(args.workers, args.scale_series)
        return 0

    Y = synthetic(args.series)
    secs, acc = ours(Y)
    rate = args.series / secs
    print(f"align menu + backtests: {args.series:,} series × {YEARS} yrs, horizon {H}, {K} origins: "
          f"{secs:.2f} s → {rate:,.0f} series/s")
    print(acc.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    sample = Y[: args.sample]
    per, sm_mase = statsmodels_loop(sample)
    _, acc_s = ours(sample, models=["damped"])
    ours_damped = acc.set_index("model")
    sub = ours(sample)[1].set_index("model")
    print(f"\nstatsmodels ETSModel(damped) loop, 1 BLAS thread: {per * 1e3:.1f} ms per series "
          f"(same {H + K - 1} origins) → {1 / per:,.0f} series/s; extrapolated to {args.series:,}: "
          f"{per * args.series:,.0f} s")
    print(f"throughput ratio (ours, whole menu / statsmodels, one model): {rate * per:,.0f}× (target ≥ 100×)")
    print(f"mean MASE on the {args.sample}-series sample: statsmodels damped {sm_mase:.3f}, "
          f"ours damped {acc_s.set_index('model').loc['damped', 'mase']:.3f}, "
          f"ours selected {sub.loc['selected', 'mase']:.3f} (target: ours no worse)")
    print(f"(all {args.series:,} series: ours damped {ours_damped.loc['damped', 'mase']:.3f}, "
          f"selected {ours_damped.loc['selected', 'mase']:.3f})")
    print(f"peak memory so far: {peak_gb():.2f} GB")

    if args.scale:
        scale_run(args.workers, args.scale_series)
    return 0


def scale_run(workers: list[int], n: int = 1_000_000) -> None:
    """A million series, once per worker count (processes; chunks of 20,000), same numbers each."""
    from concurrent.futures import ProcessPoolExecutor

    from measure import Steps

    from align.demand.forecast import forecast_panel

    steps, results = Steps(), []
    for w in workers:
        with steps.step(f"{n:,} series, {w} worker(s)"):
            panel = to_panel(synthetic(n, seed=1))  # the same seeded panel each run, nothing else kept
            # forkserver: a worker starts from a clean interpreter, not a fork of this process (a
            # fork's pages are shared copy-on-write, then copied as either side writes)
            pool = ProcessPoolExecutor(w, mp_context=multiprocessing.get_context("forkserver")) if w > 1 else None
            try:
                res = forecast_panel(panel, H, n_origins=K, backtest_detail=False,
                                     progress=lambda d, t: print(f"  {d:,}/{t:,}", file=sys.stderr, flush=True),
                                     **({"executor": pool} if pool else {}))
            finally:
                if pool is not None:
                    pool.shutdown()
        results.append(_digest(res))
        del res, panel  # the next run's peak is its own
    print(f"\n{n:,} series × {YEARS} years, whole menu, {H + K - 1} backtest origins, chunks of 20,000 "
          f"(target at 1,000,000: ≤ 180 s and < 4 GB peak on 2 cores)")
    print(steps.table())
    for (_, wall, _cpu, peak), w in zip(steps.rows, workers, strict=True):
        scaled = n / 1_000_000
        print(f"{w} worker(s): {wall:.1f} s ({n / wall:,.0f} series/s), peak {peak:.2f} GB; vs the last "
              f"measurement before chunks ran in parallel ({BASELINE_1M[0] * scaled:.0f} s, "
              f"{BASELINE_1M[1]:.2f} GB at 1,000,000{', time scaled to this size' if n != 1_000_000 else ''}): "
              f"×{BASELINE_1M[0] * scaled / wall:.2f} faster")
    for r in results[1:]:
        print("results identical across worker counts" if r == results[0] else "RESULTS DIFFER ACROSS WORKER COUNTS")
    print(f"selected MASE {results[0][2]:.3f}")


def _digest(res: object) -> tuple[int, int, float]:
    """Hashes of the forecast and accuracy tables (every value, bit for bit) and the selected MASE:
    what the worker counts are compared on, without keeping a million series' tables."""
    h = [int(pd.util.hash_pandas_object(t, index=True).sum()) for t in (res.forecasts, res.accuracy)]
    return h[0], h[1], float(res.accuracy.set_index("model").loc["selected", "mase"])


BASELINE_1M = (350.0, 6.35)
"""The million-series run before the panel was chunked across processes (issue 15: 350 s, 6.35 GB
peak, one core at 99%), on this 2-core machine."""


if __name__ == "__main__":
    sys.exit(main())
