"""The site's slow downloads (the Word draft, the Excel workbook, the urging notice) made in a
forked worker process while MkDocs renders the pages, instead of before.

``start`` forks a child that first makes the HTML fragments of ``SiteContext.late_fragments`` (the
Tổng hợp page waits for them: ``fragments``), then calls every maker of ``SiteContext.deferred`` (the compilation is
already in memory: nothing is pickled) and writes the bytes under a temporary folder; ``finish``
waits for it and copies the files over the empty placeholders MkDocs wrote into the site. Where
'fork' is not available (or BAOCAO_JOBS=1) the files are made inline by ``finish``."""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from baocao.interrupt import quiet_worker
from baocao.parallel import can_fork, child_process, workers

ERROR_FILE = ".error"
FRAGMENTS_FILE = ".fragments.json"
FragmentMaker = Callable[[], dict[str, str]]


def _make_fragments(makers: list[FragmentMaker]) -> dict[str, str]:
    out: dict[str, str] = {}
    for make in makers:
        out.update(make())
    return out


def _make_all(makers: dict[str, Callable[[], bytes]], folder: Path) -> None:
    for path, make in makers.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(make())


def _child(makers: dict[str, Callable[[], bytes]], fragments: list[FragmentMaker], folder: Path) -> None:
    quiet_worker()  # Ctrl-C is the parent's to handle: it kills this process and removes the folder
    # Libraries' own temporary files (openpyxl writes one) go inside the folder, removed with it.
    (folder / "tmp").mkdir(exist_ok=True)
    tempfile.tempdir = str(folder / "tmp")
    try:
        if fragments:  # first: a page waits for them
            (folder / (FRAGMENTS_FILE + ".tmp")).write_text(json.dumps(_make_fragments(fragments)), encoding="utf-8")
            os.replace(folder / (FRAGMENTS_FILE + ".tmp"), folder / FRAGMENTS_FILE)
        _make_all(makers, folder)
    except BaseException:  # reported to the parent, which fails the build
        (folder / ERROR_FILE).write_text(traceback.format_exc(), encoding="utf-8")
        os._exit(1)
    os._exit(0)


class DeferredFiles:
    """Files being made in the background for one build."""

    def __init__(self, makers: dict[str, Callable[[], bytes]], fragments: list[FragmentMaker] | None = None) -> None:
        self.makers = dict(makers)
        self.fragment_makers = list(fragments or [])
        self.made_fragments: dict[str, str] | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="baocao-files-"))
        self.process: multiprocessing.process.BaseProcess | None = None
        atexit.register(self.discard)  # an interrupted build (Ctrl-C, SIGTERM) leaves nothing behind
        self.site_dir: Path | None = None  # where MkDocs writes the placeholders (set by the plugin)
        self.finished = False

    def start(self) -> DeferredFiles:
        if (self.makers or self.fragment_makers) and can_fork() and workers() > 1:
            self.process = child_process(_child, (self.makers, self.fragment_makers, self.folder))
        return self

    def fragments(self) -> dict[str, str]:
        """The HTML fragments of the fragment makers (waiting for the worker, which makes them
        first); raises RuntimeError (with the worker's traceback) when they could not be made."""
        if self.made_fragments is None:
            if self.process is None:
                try:
                    self.made_fragments = _make_fragments(self.fragment_makers)
                except Exception as exc:
                    raise RuntimeError(f"Không tạo được trang Tổng hợp:\n{traceback.format_exc()}") from exc
            else:
                ready = self.folder / FRAGMENTS_FILE
                while not ready.is_file() and self.process.is_alive():
                    time.sleep(0.005)
                if not ready.is_file():
                    self.process.join()
                    raise RuntimeError(f"Không tạo được trang Tổng hợp:\n{self._worker_error()}")
                self.made_fragments = json.loads(ready.read_text(encoding="utf-8"))
        return self.made_fragments

    def finish(self, site_dir: Path) -> None:
        """Wait for the files and put them into ``site_dir``; raises RuntimeError (with the
        worker's traceback) when one could not be made."""
        try:
            if self.process is None:
                try:
                    _make_all(self.makers, self.folder)
                except Exception as exc:
                    raise RuntimeError(f"Không tạo được tệp tải về:\n{traceback.format_exc()}") from exc
            else:
                self.process.join()
                if self.process.exitcode != 0:
                    raise RuntimeError(f"Không tạo được tệp tải về:\n{self._worker_error()}")
            for path in self.makers:
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.folder / path, target)
            self.finished = True
        finally:
            self.discard()

    def _worker_error(self) -> str:
        """What the finished worker left of its failure: its traceback, or else its exit code."""
        assert self.process is not None
        error = self.folder / ERROR_FILE
        return error.read_text(encoding="utf-8") if error.is_file() else f"mã {self.process.exitcode}"

    def discard(self) -> None:
        """Stop the worker if it still runs (a failed or interrupted build), remove the temporary
        folder and the empty placeholders the site got instead of files never made."""
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
        atexit.unregister(self.discard)
        if self.site_dir is not None and not self.finished:
            for path in self.makers:
                target = self.site_dir / path
                if target.is_file() and target.stat().st_size == 0:
                    target.unlink()
