"""Downloads made in a forked worker while MkDocs renders the pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.sitefiles import DeferredFiles


def _fails() -> bytes:
    raise ValueError("bảng hỏng")


def test_background_files_land_in_the_site_with_the_bytes_of_their_maker(tmp_path: Path) -> None:
    makers = {"tai-ve/a.docx": lambda: b"A" * 1000, "tai-ve/b.xlsx": lambda: "bảng".encode()}
    job = DeferredFiles(makers).start()
    folder = job.folder
    job.finish(tmp_path)
    assert {p: (tmp_path / p).read_bytes() for p in makers} == {p: make() for p, make in makers.items()}
    assert not folder.exists()


def test_a_failing_file_fails_the_build_with_its_traceback(tmp_path: Path) -> None:
    job = DeferredFiles({"tai-ve/a.docx": lambda: b"A", "tai-ve/b.xlsx": _fails}).start()
    with pytest.raises(RuntimeError, match="bảng hỏng"):
        job.finish(tmp_path)
    assert not (tmp_path / "tai-ve" / "b.xlsx").exists()
