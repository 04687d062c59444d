"""The engine sends the same tasks to an existing Dask cluster by address, or runs them here."""

from __future__ import annotations

import io
import os

import pytest

from align.config import Engine as Settings
from align.multiregion.engine import Engine
from align.progress import Progress


def square_and_pid(x: int, offset: int = 0) -> tuple[int, int]:
    return x * x + offset, os.getpid()


def test_an_existing_cluster_by_address_runs_the_tasks_in_its_worker_processes():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        log = io.StringIO()
        with Engine(Settings(), scheduler=cluster.scheduler_address, progress=Progress(0, stream=log)) as engine:
            assert engine.describe() == f"Dask cluster at {cluster.scheduler_address}"
            out = engine.map(square_and_pid, [1, 2, 3], label="regions", names=["a", "b", "c"], offset=1)
    assert [v for v, _ in out] == [2, 5, 10]
    assert {pid for _, pid in out} != {os.getpid()}  # computed in the cluster's worker process
    assert "regions: 3 of 3 done" in log.getvalue()


def test_serial_runs_in_this_process_and_errors_are_the_tasks_own():
    with Engine(Settings(kind="serial")) as engine:
        assert engine.executor() is None
        assert engine.map(square_and_pid, [4]) == [(16, os.getpid())]
        with pytest.raises(ZeroDivisionError):
            engine.map(lambda x: 1 / x, [0])
