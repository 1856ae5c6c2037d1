"""Validating report versions stored in git: each (path, blob) at most once, in parallel
worker processes when there are many (validation is pure, see ``validation.check_file``).

The blobs are read here, in the parent, through the repository's one ``git cat-file
--batch``; workers only parse and check bytes. A report's ``CheckedReport`` comes back
with its findings, so the status, the unit pages and the compilation share one reading
and one check of each version (``BlobChecker.report``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path, PurePosixPath

import git

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import CAMPAIGN_FILE, Campaign
from baocao.checks.checked import CheckedReport
from baocao.checks.validation import MAX_BYTES, check_file_report, rule_date, stage_for
from baocao.findings import Finding, has_errors
from baocao.history.gitlog import MODE_SYMLINK, blob_bytes, read_object
from baocao.parallel import pool_size, worker_pool
from baocao.reports.report import ParsedReport

# A version is checked with the rules in force when it landed: campaign.yml at that commit,
# named by its blob id ("" for the campaign of the working tree), see ``baocao.history.rules``.
Key = tuple[str, str, str]  # (path, blob, rules)
Job = tuple[str, str, str, date, str]  # (path, blob, mode, day the version is judged on, rules)
Item = tuple[str, bytes, int, bool, date, str]
Result = tuple[list[Finding], CheckedReport | None]
PARALLEL_FROM = 64  # fewer versions than this are checked in-process
BATCH = 32  # versions sent to a worker at once while the history is read

_campaigns: dict[str, Campaign] = {}  # rules key -> campaign; a forked worker inherits those known
_repo_dir: str | None = None  # where a worker reads a campaign.yml version it has not inherited
_texts = True  # whether the reports go back whole (False: their front matter only)


def _init(campaigns: dict[str, Campaign], repo_dir: str | None = None, texts: bool = True) -> None:
    global _repo_dir, _texts
    _campaigns.clear()
    _campaigns.update(campaigns)
    _repo_dir = repo_dir
    _texts = texts


def _campaign_for(key: str) -> Campaign:
    if key not in _campaigns:  # a version found after this worker was forked: read it from git
        assert _repo_dir is not None
        text = blob_bytes(Path(_repo_dir), key).decode("utf-8-sig")
        _campaigns[key] = load_campaign_text(text, CAMPAIGN_FILE)
    return _campaigns[key]


def _check(item: Item) -> Result:
    path, data, size, symlink, day, rules = item
    campaign = _campaign_for(rules)
    found, checked = check_file_report(campaign, path, data, day, symlink=symlink, size=size, landed=True)
    if checked is not None:
        checked.stage = None  # the parent puts its own Stage back: no campaign copy per report in the pipe
        if not _texts:
            checked = _slim(checked, whole_meta=True)
    return found, checked


def _check_many(items: list[Item]) -> list[Result]:
    return [_check(item) for item in items]


def _slim(checked: CheckedReport, whole_meta: bool = False) -> CheckedReport:
    """A report without its text, headings and figures (thousands of them would not fit): its
    front matter (``whole_meta``: what the status checks signed PDFs against), else only what
    ``BlobChecker.findings`` needs again of a version no reader is shown, the signing date."""
    r = checked.report
    meta, lines = r.meta, r.meta_lines
    if not whole_meta:
        meta = {"ngay": meta["ngay"]} if "ngay" in meta else {}
        lines = {"ngay": lines["ngay"]} if "ngay" in lines else {}
    return CheckedReport(checked.path, checked.unit, checked.stage, ParsedReport(r.path, meta=meta, meta_lines=lines))


def is_ok(found: list[Finding]) -> bool:
    return not has_errors(found)


class BlobChecker:
    """Findings per (path, blob), computed at most once.

    ``submit`` starts checking a version that will surely be needed in a worker process at
    once (while the history is still being read); ``run`` checks a batch and waits for all.
    Call ``close`` when done. ``texts=False``: no report's text is kept, only its front matter
    (enough for the status; the site and the compilation need the texts)."""

    def __init__(
        self, campaign: Campaign, repo: git.Repo, versions: dict[str, Campaign] | None = None, texts: bool = True
    ):
        self.campaign = campaign
        self.texts = texts
        self.versions = versions if versions is not None else {"": campaign}  # rules key -> campaign
        self.repo = repo
        self.cache: dict[Key, list[Finding]] = {}
        self.reports: dict[Key, CheckedReport] = {}  # the reports read, for the site and compile
        # The versions whose text is kept (the ones a reader is shown); None: every version's.
        # Of the others only what the checks need again stays: thousands of texts would not.
        self.shown: set[Key] | None = None
        self.parallel = pool_size()
        self.pool: Pool | None = None
        self.early: list[tuple[list[Key], AsyncResult[list[Result]]]] = []  # batches in workers
        self.started: set[Key] = set()
        self.waiting: dict[Key, Job] = {}  # submitted, not yet sent (sent in batches)
        self.days: dict[Key, date] = {}  # the day each version was checked on

    @property
    def validated(self) -> int:
        return len(self.cache | dict.fromkeys(self.started))

    def _item(self, job: Job) -> Item:
        path, blob, mode, day, rules = job
        self.days[(path, blob, rules)] = day
        if mode == MODE_SYMLINK:
            return path, b"", 0, True, day, rules
        data = read_object(self.repo, blob)
        return path, (data if len(data) <= MAX_BYTES else b""), len(data), False, day, rules

    def _items(self, jobs: Iterable[Job]) -> Iterator[Item]:
        return (self._item(job) for job in jobs)

    def _store(self, key: Key, result: Result) -> None:
        found, checked = result
        self.cache[key] = found
        if checked is not None:
            if checked.stage is None:
                checked.stage = stage_for(self.campaign, PurePosixPath(checked.path).name)
            self.reports[key] = checked if self.shown is None or key in self.shown else _slim(checked)

    def keep_whole(self, jobs: Iterable[Job]) -> None:
        """Keep whole only these versions (the ones shown), from now on and for those read already;
        of the others only what ``findings`` needs again (the signing date)."""
        self.shown = {(job[0], job[1], job[4]) for job in jobs}
        for key, checked in self.reports.items():
            if key not in self.shown:
                self.reports[key] = _slim(checked)

    def report(self, job: Job) -> CheckedReport | None:
        """The ``CheckedReport`` of a version already checked (None for one that is not a readable report)."""
        return self.reports.get((job[0], job[1], job[4]))

    def _pool(self) -> Pool:
        if self.pool is None:
            self.pool = worker_pool(
                self.parallel, _init, (dict(self.versions), str(self.repo.working_tree_dir), self.texts)
            )
        return self.pool

    def submit(self, job: Job) -> None:
        key = (job[0], job[1], job[4])
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
            for key, one in zip(keys, result.get(), strict=True):
                self._store(key, one)
        self.early.clear()
        self.started.clear()
        todo: dict[Key, Job] = {}
        for job in jobs:
            key = (job[0], job[1], job[4])
            if key not in self.cache and key not in todo:
                todo[key] = job
        if not todo:
            return
        if self.parallel > 1 and (self.pool is not None or len(todo) >= PARALLEL_FROM):
            results = self._pool().imap(_check, self._items(todo.values()), chunksize=8)
            for key, one in zip(todo, results, strict=True):
                self._store(key, one)
            return
        _init(self.versions, str(self.repo.working_tree_dir), self.texts)
        for key, item in zip(todo, self._items(todo.values()), strict=True):
            self._store(key, _check(item))

    def findings(self, job: Job) -> list[Finding]:
        """The findings of a version judged on the job's day (the day it landed).

        A version is checked once, on the day of its first job. Only the signing date rule
        (M309) depends on the day: when the same bytes land again on another day (reverted,
        removed and resubmitted), that rule is judged again from the report already read."""
        self.run([job])
        key = (job[0], job[1], job[4])
        found = self.cache[key]
        checked = self.reports.get(key)
        if checked is None or self.days.get(key) == job[3]:
            return found
        again = [f for f in rule_date(checked, job[3], landed=True) if f.code == "M309"]
        return [f for f in found if f.code != "M309"] + again

    def close(self, *, interrupted: bool = False) -> None:
        """Wait for the workers to finish; ``interrupted`` (Ctrl-C, SIGTERM, an error) stops
        them at once instead (``join`` alone would wait forever for tasks that never end)."""
        if self.pool is not None:
            if interrupted:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None
