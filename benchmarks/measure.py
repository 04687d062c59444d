"""Wall time, CPU and peak memory of a benchmark step, worker processes included.

``ru_maxrss`` of the children is the largest child's peak, not the sum of the tree's, and
tracemalloc is far too slow at these sizes; so a thread samples the resident memory of this
process and all its descendants (Dask workers, pool processes, a forkserver's workers) every
0.1 s with psutil and keeps the largest sum. CPU is user + system time of the same tree: each
descendant's last sampled CPU time, so a worker that ended counts too (``RUSAGE_CHILDREN`` would
miss the grandchildren a forkserver started and reaped; at most 0.1 s of each is lost).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import psutil


def _tree() -> list[psutil.Process]:
    me = psutil.Process()
    return [me, *me.children(recursive=True)]


class TreeSampler:
    """Peak resident memory (GB) and CPU seconds of this process and its descendants, sampled in
    a thread while a step runs."""

    def __init__(self, every: float = 0.1) -> None:
        self.peak, self.start_cpu = 0.0, 0.0
        self._cpu: dict[tuple[int, float], float] = {}  # (pid, start time) → CPU seconds
        self._every, self._stop = every, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = 0
        for p in _tree():
            with suppress(psutil.Error):  # a worker that just exited
                total += p.memory_info().rss
                t = p.cpu_times()
                self._cpu[(p.pid, p.create_time())] = t.user + t.system
        self.peak = max(self.peak, total / 1024**3)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self._every)

    def cpu(self) -> float:
        """CPU seconds of every process of the tree seen so far."""
        return sum(self._cpu.values())

    def __enter__(self) -> TreeSampler:
        self._sample()
        self.start_cpu = self.cpu()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


@dataclass
class Steps:
    """A per-step table: wall seconds, CPU seconds and the tree's peak memory during the step."""

    rows: list[tuple[str, float, float, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        with TreeSampler() as tree:
            yield
        self.rows.append((name, time.perf_counter() - t, tree.cpu() - tree.start_cpu, tree.peak))

    def table(self) -> str:
        wall = sum(r[1] for r in self.rows) or 1.0
        lines = [f"{'step':<38} {'wall s':>8} {'share':>6} {'CPU s':>8} {'CPU/wall':>8} {'peak GB':>8}"]
        for name, w, c, m in self.rows:
            lines.append(f"{name:<38} {w:8.1f} {w / wall:6.1%} {c:8.1f} {c / max(w, 1e-9):8.2f} {m:8.2f}")
        lines.append(f"{'total':<38} {wall:8.1f} {'':>6} {sum(r[2] for r in self.rows):8.1f} "
                     f"{sum(r[2] for r in self.rows) / wall:8.2f} {max(r[3] for r in self.rows):8.2f}")
        return "\n".join(lines)
