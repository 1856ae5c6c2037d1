"""Validating report versions stored in git: each (path, blob) at most once, in parallel
worker processes when there are many (validation is pure, see ``validation.check_file``).

The blobs are read here, in the parent, through the repository's one ``git cat-file
--batch``; workers only parse and check bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from multiprocessing.pool import AsyncResult, Pool

import git

from .findings import Finding, Severity
from .gitlog import MODE_SYMLINK, read_object
from .model import Campaign
from .validation import MAX_BYTES, check_file

Key = tuple[str, str]  # (path, blob)
Job = tuple[str, str, str, date]  # (path, blob, mode, day the version is judged on)
PARALLEL_FROM = 64  # fewer versions than this are checked in-process
BATCH = 32  # versions sent to a worker at once while the history is read

_campaign: Campaign | None = None  # set in each worker by _init


def _init(campaign: Campaign) -> None:
    global _campaign
    _campaign = campaign


def _check(item: tuple[str, bytes, int, bool, date]) -> list[Finding]:
    path, data, size, symlink, day = item
    assert _campaign is not None
    return check_file(_campaign, path, data, day, symlink=symlink, size=size)


def _check_many(items: list[tuple[str, bytes, int, bool, date]]) -> list[list[Finding]]:
    return [_check(item) for item in items]


def workers() -> int:
    """Worker processes to use: BAOCAO_JOBS, else the CPUs available (1 disables)."""
    env = os.environ.get("BAOCAO_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def is_ok(found: list[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR for f in found)


class BlobChecker:
    """Findings per (path, blob), computed at most once.

    ``submit`` starts checking a version that will surely be needed in a worker process at
    once (while the history is still being read); ``run`` checks a batch and waits for all.
    Call ``close`` when done."""

    def __init__(self, campaign: Campaign, repo: git.Repo):
        self.campaign = campaign
        self.repo = repo
        self.cache: dict[Key, list[Finding]] = {}
        self.parallel = min(workers(), 8) if sys.platform == "linux" else 1
        self.pool: Pool | None = None
        self.early: list[tuple[list[Key], AsyncResult[list[list[Finding]]]]] = []  # batches in workers
        self.started: set[Key] = set()
        self.waiting: dict[Key, Job] = {}  # submitted, not yet sent (sent in batches)

    @property
    def validated(self) -> int:
        return len(self.cache | dict.fromkeys(self.started))

    def _item(self, job: Job) -> tuple[str, bytes, int, bool, date]:
        path, blob, mode, day = job
        if mode == MODE_SYMLINK:
            return path, b"", 0, True, day
        data = read_object(self.repo, blob)
        return path, (data if len(data) <= MAX_BYTES else b""), len(data), False, day

    def _items(self, jobs: Iterable[Job]) -> Iterator[tuple[str, bytes, int, bool, date]]:
        return (self._item(job) for job in jobs)

    def _pool(self) -> Pool:
        if self.pool is None:
            self.pool = multiprocessing.get_context("fork").Pool(
                self.parallel, initializer=_init, initargs=(self.campaign,)
            )
        return self.pool

    def submit(self, job: Job) -> None:
        key = (job[0], job[1])
        if self.parallel < 2 or key in self.cache or key in self.started:
            return
        self.waiting[key] = job
        if len(self.waiting) < (PARALLEL_FROM if self.pool is None else BATCH):
            return
        keys = list(self.waiting)
        items = [self._item(j) for j in self.waiting.values()]
        self.early.append((keys, self._pool().apply_async(_check_many, (items,))))
        self.started.update(keys)
        self.waiting.clear()

    def run(self, jobs: Iterable[Job]) -> None:
        """Check every job not checked yet (the first job of a key decides its day)."""
        for keys, result in self.early:
            self.cache.update(zip(keys, result.get(), strict=True))
        self.early.clear()
        self.started.clear()
        todo: dict[Key, Job] = {}
        for job in jobs:
            key = (job[0], job[1])
            if key not in self.cache and key not in todo:
                todo[key] = job
        if not todo:
            return
        if self.parallel > 1 and (self.pool is not None or len(todo) >= PARALLEL_FROM):
            results = self._pool().imap(_check, self._items(todo.values()), chunksize=8)
            for key, found in zip(todo, results, strict=True):
                self.cache[key] = found
            return
        _init(self.campaign)
        for key, item in zip(todo, self._items(todo.values()), strict=True):
            self.cache[key] = _check(item)

    def findings(self, job: Job) -> list[Finding]:
        self.run([job])
        return self.cache[(job[0], job[1])]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
