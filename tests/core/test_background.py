"""Work in a forked second process: the result, or the very exception, comes back."""

from __future__ import annotations

import os

import pytest

from align.background import Pending, can_fork, in_background
from align.errors import AlignError, InputError

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")


@needs_fork
def test_the_work_runs_in_another_process_and_its_result_comes_back():
    with in_background(lambda: (os.getpid(), [1, 2, 3])) as pending:
        pid, value = pending.result()
    assert pid != os.getpid()
    assert value == [1, 2, 3]


@needs_fork
def test_an_error_in_the_child_is_raised_here_with_its_fields():
    def broken():
        raise InputError("bad row", file="a.csv", row=7, column="soc_code")

    with pytest.raises(InputError, match=r"a.csv, row 7, column 'soc_code': bad row") as info, \
            in_background(broken) as pending:
        pending.result()
    assert (info.value.file, info.value.row) == ("a.csv", 7)


class _Unrebuildable(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a}+{b}")

    def __reduce__(self) -> tuple:
        # rebuilt from its one message alone, as plain pickling does; said here, because importing
        # dask.distributed (tblib) makes exceptions travel with their attributes in this process
        return type(self), self.args


@needs_fork
def test_an_exception_that_cannot_travel_comes_back_as_its_text():
    def broken():
        raise _Unrebuildable(1, 2)

    with pytest.raises(AlignError, match=r"(?s)background work failed.*_Unrebuildable: 1\+2"):
        Pending(broken).result()


@needs_fork
def test_a_child_that_dies_is_an_error_not_a_hang():
    with pytest.raises(AlignError, match="ended without a result"):
        Pending(lambda: os._exit(3)).result()


@needs_fork
def test_a_failing_block_stops_the_child():
    with pytest.raises(RuntimeError, match="parent failed"), \
            in_background(lambda: __import__("time").sleep(60)) as pending:
        raise RuntimeError("parent failed")
    assert pending._process is None


def test_with_one_worker_the_work_runs_here_in_order(monkeypatch):
    monkeypatch.setenv("ALIGN_WORKERS", "1")
    assert not can_fork()
    pending = Pending(lambda: os.getpid())
    assert pending.result() == os.getpid()
    assert pending.result() == os.getpid()  # computed once


def test_a_daemonic_process_does_the_work_itself():
    """A Dask worker is a daemonic process, which may not have children: the work runs in it."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    if ctx is None:
        pytest.skip("needs fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        with in_background(os.getpid) as pending:
            send.send((can_fork(), pending.result() == os.getpid()))

    worker = ctx.Process(target=child, daemon=True)
    worker.start()
    worker.join(60)
    assert receive.recv() == (False, True)
