"""Chunked and parallel forecasting give the numbers of the serial, single-chunk run, exactly."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from align.demand.forecast import ForecastResult, forecast_panel
from align.errors import InputError


def _panel(n: int = 240, years: int = 16, seed: int = 4) -> pd.DataFrame:
    """Employment-like series with the awkward cases: gaps, missing latest years, short series."""
    rng = np.random.default_rng(seed)
    Y = rng.lognormal(5, 1, n)[:, None] * np.exp(np.cumsum(rng.normal(0.01, 0.04, (n, years)), axis=1))
    Y[rng.random(Y.shape) < 0.03] = np.nan
    Y[:10, -2:] = np.nan      # latest two years suppressed
    Y[10:20, :11] = np.nan    # five years of history
    Y[20:25, :14] = np.nan    # too short to backtest: fallback
    Y[25:27] = np.nan         # nothing observed: skipped
    return pd.DataFrame({"series_id": np.repeat([f"s{i:04d}" for i in range(n)], years),
                         "period": np.tile(np.arange(2000, 2000 + years), n), "value": Y.ravel(),
                         "state": np.repeat(np.arange(n) % 3, years)})


def _same(a: ForecastResult, b: ForecastResult) -> None:
    for part in ("forecasts", "backtest", "accuracy"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part), check_exact=True)
    assert a.skipped == b.skipped


def test_chunks_in_worker_processes_equal_one_serial_chunk() -> None:
    panel = _panel().drop(columns="state")
    whole = forecast_panel(panel, 4)
    assert whole.skipped == ["s0025", "s0026"]
    short = whole.forecasts.iloc[20 * 4 : 25 * 4]  # two points each: the naive fallback
    assert (short["model"] == "naive").all() and short["forecast_note"].str.contains("too short").all()
    seen: list[tuple[int, int]] = []
    chunked = forecast_panel(panel, 4, chunk_size=37, progress=lambda d, n: seen.append((d, n)))
    _same(whole, chunked)
    assert seen == [(min(d, 238), 238) for d in range(37, 238 + 37, 37)]
    with ProcessPoolExecutor(2) as pool:
        _same(whole, forecast_panel(panel, 4, chunk_size=37, executor=pool))


def test_pools_in_worker_processes_equal_serial_pools() -> None:
    panel = _panel(n=150)
    ref = panel.groupby("period", as_index=False)["value"].sum()
    reference = panel[["series_id", "period"]].merge(ref, on="period")
    kw = dict(reference=reference, pool_by="state", models=["drift", "shrink", "combo"])
    serial = forecast_panel(panel, 3, **kw)
    with ProcessPoolExecutor(2) as pool:
        _same(serial, forecast_panel(panel, 3, executor=pool, **kw))


def test_a_dask_cluster_of_processes_gives_the_serial_result() -> None:
    distributed = pytest.importorskip("distributed")
    panel = _panel(n=120).drop(columns="state")
    serial = forecast_panel(panel, 4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        _same(serial, forecast_panel(panel, 4, chunk_size=25, executor=client.get_executor()))


def test_a_period_given_twice_names_its_first_row_dense_or_sparse() -> None:
    from align.demand.forecast import _repeated

    code = np.array([0, 0, 1, 1, 1, 2])
    period = np.array([2000, 2001, 2000, 2001, 2000, 2000])
    assert _repeated(code, period) == 2  # series 1, 2000: rows 2 and 4, the first named
    assert _repeated(code, np.array([2000, 2001, 2000, 2001, 2002, 2000])) is None
    sparse = np.array([1, 1, 500, 500])  # months over decades: more cells than rows, hashed
    assert _repeated(np.array([0, 1, 0, 0]), sparse * 12) == 2
    assert _repeated(np.array([0, 1, 2, 0]), sparse * 12) is None
    panel = _panel(n=30).drop(columns="state")
    twice = pd.concat([panel, panel.iloc[[40]]], ignore_index=True)
    with pytest.raises(InputError, match=r"s0002.*has period 2008 twice"):
        forecast_panel(twice, 3)
