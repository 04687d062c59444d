"""Work done in a second process while this one carries on: the second core of a small machine.

A run's report forms are independent of one another (the PDFs lay out while the HTML and the
workbook are written), so the PDFs go to a forked copy of this process: it has every table and
every imported module already, nothing is pickled on the way in, and only the result (a list of
paths, or the exception) comes back. Where ``fork`` does not exist (Windows, macOS's default),
on a single core, in a daemonic worker process, or with ``ALIGN_WORKERS=1``, the work runs here,
in order, with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from align.errors import AlignError

T = TypeVar("T")
ENV = "ALIGN_WORKERS"


def cores() -> int:
    """The cores this process may use (``ALIGN_WORKERS`` caps it; 1 means never fork)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    cap = os.environ.get(ENV, "").strip()
    return min(n, int(cap)) if cap.isdigit() and int(cap) > 0 else n


def can_fork() -> bool:
    """Fork where it exists, with a second core, and not from a daemonic process (a Dask or pool
    worker may not have children: there the work runs in order)."""
    return (cores() > 1 and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


class Pending(Generic[T]):
    """The result of ``work``, computed in a forked child (or here, on first ``result()``)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work, self._done, self._value = work, False, None
        self._process = self._conn = None
        if can_fork():
            ctx = multiprocessing.get_context("fork")
            receive, send = ctx.Pipe(duplex=False)
            for stream in (sys.stdout, sys.stderr):  # else the child would print the parent's buffer again
                stream.flush()
            self._process = ctx.Process(target=_child, args=(work, send), daemon=True)
            gc.freeze()  # the child's collector then leaves the inherited objects (and their pages) alone
            try:
                self._process.start()
            finally:
                gc.unfreeze()
            send.close()
            self._conn = receive

    def result(self) -> T:
        if self._done:
            return self._value  # type: ignore[return-value]
        if self._process is None:
            self._value, self._done = self._work(), True
            return self._value
        try:
            status, payload = pickle.loads(self._conn.recv_bytes())
        except EOFError:
            self._process.join()
            raise AlignError(f"the background process ended without a result (exit code "
                             f"{self._process.exitcode})") from None
        finally:
            self._conn.close()
        self._process.join()
        self._process = None
        if status == "error":
            raise payload
        self._value, self._done = payload, True
        return self._value

    def cancel(self) -> None:
        """Stop the child if it is still working (the caller failed and will not read its result)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        if self._process is not None:
            self._process.join()
            self._conn.close()
            self._process = None


def _child(work: Callable[[], object], send: multiprocessing.connection.Connection) -> None:
    try:
        message: tuple[str, object] = ("ok", work())
    except BaseException as exc:  # every failure goes back to the parent, which raises it
        message = ("error", exc)
    try:
        data = pickle.dumps(message)
        pickle.loads(data)  # an exception whose class cannot be rebuilt from its args would fail in the parent
    except Exception:  # then its text travels instead
        text = "".join(traceback.format_exception(message[1])) if message[0] == "error" else repr(message[1])
        data = pickle.dumps(("error", AlignError(f"background work failed: {text}")))
    send.send_bytes(data)
    send.close()


@contextmanager
def in_background(work: Callable[[], T]) -> Iterator[Pending[T]]:
    """``with in_background(f) as pending: ...; pending.result()``: ``f`` runs beside the block;
    if the block fails, the child is stopped."""
    pending = Pending(work)
    try:
        yield pending
    except BaseException:
        pending.cancel()
        raise
    pending.cancel()
