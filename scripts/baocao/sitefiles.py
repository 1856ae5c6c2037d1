"""The site's slow downloads (the Word draft, the Excel workbook, the urging notice) made in a
forked worker process while MkDocs renders the pages, instead of before.

``start`` forks a child that calls every maker of ``SiteContext.deferred`` (the compilation is
already in memory: nothing is pickled) and writes the bytes under a temporary folder; ``finish``
waits for it and copies the files over the empty placeholders MkDocs wrote into the site. Where
'fork' is not available (or BAOCAO_JOBS=1) the files are made inline by ``finish``."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from .blobcheck import workers

ERROR_FILE = ".error"


def _make_all(makers: dict[str, Callable[[], bytes]], folder: Path) -> None:
    for path, make in makers.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(make())


def _child(makers: dict[str, Callable[[], bytes]], folder: Path) -> None:
    try:
        _make_all(makers, folder)
    except BaseException:  # reported to the parent, which fails the build
        (folder / ERROR_FILE).write_text(traceback.format_exc(), encoding="utf-8")
        os._exit(1)
    os._exit(0)


class DeferredFiles:
    """Files being made in the background for one build."""

    def __init__(self, makers: dict[str, Callable[[], bytes]]) -> None:
        self.makers = dict(makers)
        self.folder = Path(tempfile.mkdtemp(prefix="baocao-files-"))
        self.process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> DeferredFiles:
        if self.makers and sys.platform == "linux" and workers() > 1:
            self.process = multiprocessing.get_context("fork").Process(
                target=_child, args=(self.makers, self.folder), daemon=True
            )
            self.process.start()
        return self

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
                    error = self.folder / ERROR_FILE
                    detail = error.read_text(encoding="utf-8") if error.is_file() else f"mã {self.process.exitcode}"
                    raise RuntimeError(f"Không tạo được tệp tải về:\n{detail}")
            for path in self.makers:
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.folder / path, target)
        finally:
            self.discard()

    def discard(self) -> None:
        """Stop the worker if it still runs (a failed build) and remove the temporary folder."""
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
