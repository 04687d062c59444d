"""Stage-by-stage progress on the terminal, so a long run never looks stuck."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled

    @contextmanager
    def stage(self, title: str) -> Iterator[list[str]]:
        """Announce a stage; lines appended to the yielded list are printed as its result."""
        self.done += 1
        notes: list[str] = []
        start = time.perf_counter()
        self._print(f"[{self.done}/{self.total}] {title} …")
        yield notes
        took = time.perf_counter() - start
        detail = f" — {'; '.join(notes)}" if notes else ""
        self._print(f"      done in {took:.1f} s{detail}")

    def _print(self, text: str) -> None:
        if self.enabled:
            print(text, file=self.stream, flush=True)
