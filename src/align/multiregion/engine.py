"""Where a state run's per-region and per-chunk work runs: Dask (``dask.distributed``), or this process.

By default an embedded :class:`~distributed.LocalCluster` of worker *processes* (one thread each,
so BLAS-heavy forecasts do not fight over the cores); with a scheduler address the same tasks go
to an existing cluster. Dask does the scheduling and the recovery: a task whose worker dies is
re-run elsewhere (the scheduler's ``allowed-failures``), one that raises is retried ``retries``
times. Tasks are pure functions of their arguments that write, if at all, through
:func:`align.runs.write_run` (a hidden folder renamed into place), so a retried task never leaves
a half-written or doubled result. The serial engine runs the same functions in order, for the
tests that check both give identical tables.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from align.multiregion.config import Engine as EngineSettings
from align.progress import Progress


def _same(value: Any) -> Any:
    return value


class Engine:
    """A context manager that maps functions over items on Dask or serially, with progress."""

    def __init__(self, settings: EngineSettings, scheduler: str | None = None,
                 progress: Progress | None = None) -> None:
        self.settings = settings
        self.address = scheduler or settings.scheduler
        self.progress = progress or Progress(total=0, enabled=False)
        self.client: Any = None
        self._cluster: Any = None

    @property
    def serial(self) -> bool:
        return self.settings.kind == "serial" and self.address is None

    def describe(self) -> str:
        if self.serial:
            return "serial (this process)"
        if self.address:
            return f"Dask cluster at {self.address}"
        return f"embedded Dask cluster, {self.settings.workers} worker processes"

    def __enter__(self) -> Engine:
        if self.serial:
            return self
        from distributed import Client, LocalCluster

        if self.address:
            self.client = Client(self.address)
        else:
            self._cluster = LocalCluster(n_workers=self.settings.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=":0", silence_logs=40)
            self.client = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def executor(self) -> Any:
        """A ``concurrent.futures`` executor on the cluster (None: serial), for the forecast panel's pools."""
        return None if self.serial else self.client.get_executor(retries=self.settings.retries, pure=False)

    def share(self, value: Any) -> Any:
        """Send a large argument to the cluster once (every task gets the same copy), as a task's result.

        Not scattered: scattered data has no lineage, and the scheduler's memory manager keeps one
        replica of it, so losing that worker would fail the run. A task's result the cluster
        recomputes from the task, which the scheduler holds.
        """
        if self.serial:
            return value
        with warnings.catch_warnings():  # the value travels inside its task on purpose (see above)
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            return self.client.submit(_same, value, pure=False)

    def map(self, fn: Callable[..., Any], items: Sequence[Any], *args: Any, label: str = "tasks",
            names: Sequence[str] | None = None, keep: bool = False, **kwargs: Any) -> list[Any]:
        """``[fn(item, *args, **kwargs) for item in items]`` on the cluster, with progress as each finishes.

        With ``keep`` the results stay on the workers (Dask futures, to pass to later tasks: a lost
        worker's results are recomputed by Dask from their inputs); otherwise they are fetched.
        """
        n = len(items)
        names = list(names) if names is not None else [str(i) for i in range(n)]
        if self.serial:
            out = []
            for i, item in enumerate(items):
                out.append(fn(item, *args, **kwargs))
                self._done(label, i + 1, n, names[i])
            return out
        from distributed import as_completed

        futures = [self.client.submit(fn, item, *args, retries=self.settings.retries, pure=False,
                                      key=f"{label.replace(' ', '-')}-{i}-{names[i]}", **kwargs)
                   for i, item in enumerate(items)]
        index = {f.key: i for i, f in enumerate(futures)}
        for done, future in enumerate(as_completed(futures), start=1):
            if future.status == "error":
                future.result()  # raises the task's own exception, with its traceback
            self._done(label, done, n, names[index[future.key]])
        return futures if keep else self.client.gather(futures)

    def _done(self, label: str, done: int, total: int, name: str) -> None:
        self.progress._print(f"      {label}: {done} of {total} done ({name})")
