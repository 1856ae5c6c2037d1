"""The site's slow parts (the compilation with its two pages, the Word draft, the Excel workbook,
the urging notice) made in a forked worker process while MkDocs renders the unit pages, instead
of before.

``start`` forks a child that first makes the Markdown of ``SiteContext.late_pages`` (MkDocs waits
for it when it reaches those pages: ``pages``), then the HTML fragments of
``SiteContext.late_fragments`` (the Tổng hợp page waits for them: ``fragments``), then calls every
maker of ``SiteContext.deferred`` (the status and the checked reports are already in memory:
nothing is pickled) and writes the bytes under a temporary folder; ``finish`` waits for it and
copies the files over the empty placeholders MkDocs wrote into the site. Where 'fork' is not
available (or BAOCAO_JOBS=1) everything is made inline, when first asked for."""

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
PAGES_FILE = ".pages.json"
FragmentMaker = Callable[[], dict[str, str]]
PageMaker = Callable[[], str]


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


def _publish(folder: Path, name: str, data: dict[str, str]) -> None:
    """Write ``data`` as ``folder/name`` at once (the parent polls for the name)."""
    (folder / (name + ".tmp")).write_text(json.dumps(data), encoding="utf-8")
    os.replace(folder / (name + ".tmp"), folder / name)


def _child(
    pages: dict[str, PageMaker],
    fragments: list[FragmentMaker],
    makers: dict[str, Callable[[], bytes]],
    folder: Path,
) -> None:
    quiet_worker()  # Ctrl-C is the parent's to handle: it kills this process and removes the folder
    # Libraries' own temporary files (openpyxl writes one) go inside the folder, removed with it.
    (folder / "tmp").mkdir(exist_ok=True)
    tempfile.tempdir = str(folder / "tmp")
    try:
        # In the order MkDocs needs them; making the pages adds to ``fragments`` (the same list).
        _publish(folder, PAGES_FILE, {path: make() for path, make in pages.items()})
        _publish(folder, FRAGMENTS_FILE, _make_fragments(fragments))
        _make_all(makers, folder)
    except BaseException:  # reported to the parent, which fails the build
        (folder / ERROR_FILE).write_text(traceback.format_exc(), encoding="utf-8")
        os._exit(1)
    os._exit(0)


class DeferredFiles:
    """Files being made in the background for one build."""

    def __init__(
        self,
        makers: dict[str, Callable[[], bytes]],
        fragments: list[FragmentMaker] | None = None,
        pages: dict[str, PageMaker] | None = None,
    ) -> None:
        self.makers = dict(makers)
        # The caller's list itself: making the pages may add to it.
        self.fragment_makers = fragments if fragments is not None else []
        self.page_makers = dict(pages or {})
        self.made_fragments: dict[str, str] | None = None
        self.made_pages: dict[str, str] | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="baocao-files-"))
        self.process: multiprocessing.process.BaseProcess | None = None
        atexit.register(self.discard)  # an interrupted build (Ctrl-C, SIGTERM) leaves nothing behind
        self.site_dir: Path | None = None  # where MkDocs writes the placeholders (set by the plugin)
        self.finished = False

    def start(self) -> DeferredFiles:
        work = self.makers or self.fragment_makers or self.page_makers
        if work and can_fork() and workers() > 1:
            args = (self.page_makers, self.fragment_makers, self.makers, self.folder)
            self.process = child_process(_child, args)
        return self

    def pages(self) -> dict[str, str]:
        """The Markdown of the late pages (site path -> Markdown), waiting for the worker, which
        makes them first; raises RuntimeError (with the worker's traceback) when they could not be made."""
        if self.made_pages is None:
            self.made_pages = self._wait(PAGES_FILE, lambda: {p: make() for p, make in self.page_makers.items()})
        return self.made_pages

    def fragments(self) -> dict[str, str]:
        """The HTML fragments of the fragment makers (waiting for the worker, which makes them
        right after the pages); raises RuntimeError (with the worker's traceback) when they could not be made."""
        if self.made_fragments is None:
            self.pages()  # inline, making the pages adds fragment makers
            self.made_fragments = self._wait(FRAGMENTS_FILE, lambda: _make_fragments(self.fragment_makers))
        return self.made_fragments

    def _wait(self, name: str, inline: Callable[[], dict[str, str]]) -> dict[str, str]:
        """What the worker published as ``name``, or (without a worker) ``inline()``."""
        if self.process is None:
            try:
                return inline()
            except Exception as exc:
                raise RuntimeError(f"Không tạo được trang Tổng hợp:\n{traceback.format_exc()}") from exc
        ready = self.folder / name
        while not ready.is_file() and self.process.is_alive():
            time.sleep(0.005)
        if not ready.is_file():
            self.process.join()
            raise RuntimeError(f"Không tạo được trang Tổng hợp:\n{self._worker_error()}")
        data: dict[str, str] = json.loads(ready.read_text(encoding="utf-8"))
        return data

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
