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

import git

from .findings import Finding, Severity
from .gitlog import MODE_SYMLINK, read_object
from .model import Campaign
from .validation import MAX_BYTES, check_file

Key = tuple[str, str]  # (path, blob)
Job = tuple[str, str, str, date]  # (path, blob, mode, day the version is judged on)
PARALLEL_FROM = 64  # fewer versions than this are checked in-process

_campaign: Campaign | None = None  # set in each worker by _init


def _init(campaign: Campaign) -> None:
    global _campaign
    _campaign = campaign


def _check(item: tuple[str, bytes, int, bool, date]) -> list[Finding]:
    path, data, size, symlink, day = item
    assert _campaign is not None
    return check_file(_campaign, path, data, day, symlink=symlink, size=size)


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
    """Findings per (path, blob), computed at most once."""

    def __init__(self, campaign: Campaign, repo: git.Repo):
        self.campaign = campaign
        self.repo = repo
        self.cache: dict[Key, list[Finding]] = {}

    @property
    def validated(self) -> int:
        return len(self.cache)

    def _items(self, jobs: Iterable[Job]) -> Iterator[tuple[str, bytes, int, bool, date]]:
        for path, blob, mode, day in jobs:
            if mode == MODE_SYMLINK:
                yield path, b"", 0, True, day
                continue
            data = read_object(self.repo, blob)
            yield path, (data if len(data) <= MAX_BYTES else b""), len(data), False, day

    def run(self, jobs: Iterable[Job]) -> None:
        """Check every job not checked yet (the first job of a key decides its day)."""
        todo: dict[Key, Job] = {}
        for job in jobs:
            key = (job[0], job[1])
            if key not in self.cache and key not in todo:
                todo[key] = job
        if not todo:
            return
        n = min(workers(), 8)
        if n > 1 and len(todo) >= PARALLEL_FROM and sys.platform == "linux":
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(n, initializer=_init, initargs=(self.campaign,)) as pool:
                results = pool.imap(_check, self._items(todo.values()), chunksize=8)
                for key, found in zip(todo, results, strict=True):
                    self.cache[key] = found
            return
        _init(self.campaign)
        for key, item in zip(todo, self._items(todo.values()), strict=True):
            self.cache[key] = _check(item)

    def findings(self, job: Job) -> list[Finding]:
        self.run([job])
        return self.cache[(job[0], job[1])]
