"""The one place baocao forks: worker pools, a map over forked workers, and single child
processes, each with a clean shutdown (workers ignore Ctrl-C, which is the parent's; the
parent terminates them on any error or interruption and waits for them).

Work runs in forked processes only on Linux (where ``fork`` is safe and cheap) and never
from a daemon process (one may not have children); elsewhere everything runs in-process,
with the same results. ``BAOCAO_JOBS`` sets the number of workers (1: none)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.pool import Pool
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from baocao.interrupt import quiet_worker

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8  # more processes than this only add memory on the machines campaigns run on

_FORK = multiprocessing.get_context("fork") if sys.platform == "linux" else None
# What a forked worker of ``fork_map`` inherits: (function, context). Set only around a map.
_task: tuple[Callable[[Any, Any], Any], Any] | None = None


def workers() -> int:
    """Worker processes to use: BAOCAO_JOBS, else the CPUs this process may run on."""
    env = os.environ.get("BAOCAO_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work may go to forked processes here (Linux, and not inside a daemon process)."""
    return _FORK is not None and not multiprocessing.current_process().daemon


def pool_size(limit: int = MAX_WORKERS) -> int:
    """The number of workers to start (1: run in-process)."""
    return min(workers(), limit) if can_fork() else 1


def _start_worker(init: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    quiet_worker()  # Ctrl-C is for the parent, which terminates the pool
    if init is not None:
        init(*args)


def worker_pool(n: int, init: Callable[..., None] | None = None, args: tuple[Any, ...] = ()) -> Pool:
    """A pool of ``n`` forked workers, each running ``init(*args)`` first. The caller owns it:
    ``close`` + ``join`` when done, ``terminate`` on error (or use it in a ``with`` block)."""
    assert _FORK is not None, "worker_pool needs fork (check can_fork())"
    return _FORK.Pool(n, initializer=_start_worker, initargs=(init, args))


def _apply(item: Any) -> Any:
    assert _task is not None
    fn, context = _task
    return fn(context, item)


def fork_map(fn: Callable[[C, T], R], context: C, items: Iterable[T], *, n: int, chunksize: int = 1) -> Iterator[R]:
    """``fn(context, item)`` for every item, in order, in ``n`` forked workers that inherit
    ``context`` (nothing of it is pickled); in-process when ``n`` < 2 or forking is not possible."""
    if n < 2 or not can_fork():
        for item in items:
            yield fn(context, item)
        return
    global _task
    _task = (fn, context)
    try:
        with worker_pool(n) as pool:  # the with block terminates the workers, even on Ctrl-C
            yield from pool.imap(_apply, items, chunksize=chunksize)
    finally:
        _task = None


def child_process(target: Callable[..., None], args: tuple[Any, ...]) -> BaseProcess:
    """A started forked daemon child running ``target(*args)`` (it dies with the parent)."""
    assert _FORK is not None, "child_process needs fork (check can_fork())"
    proc = _FORK.Process(target=target, args=args, daemon=True)
    proc.start()
    return proc


def one_way_pipe() -> tuple[Connection, Connection]:
    """(reading end, writing end) of a pipe to a child made by ``child_process``."""
    assert _FORK is not None, "one_way_pipe needs fork (check can_fork())"
    return _FORK.Pipe(duplex=False)


@contextmanager
def stopped_on_exit(proc: BaseProcess) -> Iterator[BaseProcess]:
    """Kill ``proc`` if it is still running when the block ends, and reap it."""
    try:
        yield proc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
