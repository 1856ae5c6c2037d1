"""Pages and downloads made in a forked worker while MkDocs renders the pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.site.files import DeferredFiles


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


def _no_page() -> dict[str, str]:
    raise ValueError("trang hỏng")


def test_background_fragments_come_back_before_the_files_with_the_html_of_their_makers(tmp_path: Path) -> None:
    makers = [lambda: {"a-1": "<p>Bình Sơn</p>"}, lambda: {"a-2": "<p>" + "x" * 100_000 + "</p>"}]
    job = DeferredFiles({"tai-ve/a.docx": lambda: b"A"}, makers).start()
    assert job.fragments() == {"a-1": "<p>Bình Sơn</p>", "a-2": "<p>" + "x" * 100_000 + "</p>"}
    job.finish(tmp_path)
    assert (tmp_path / "tai-ve" / "a.docx").read_bytes() == b"A"


def test_a_failing_fragment_maker_fails_the_build_with_its_traceback(tmp_path: Path) -> None:
    job = DeferredFiles({"tai-ve/a.docx": lambda: b"A"}, [_no_page]).start()
    with pytest.raises(RuntimeError, match="trang hỏng"):
        job.fragments()
    with pytest.raises(RuntimeError, match="trang hỏng"):
        job.finish(tmp_path)


def _page_adding_fragments(makers: list) -> str:
    makers.append(lambda: {"p-1": "<p>Tư Nghĩa</p>"})
    return "# Tổng hợp\n\n<!--baocao:p-1-->\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_late_pages_come_first_and_the_fragments_they_add_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """In the worker (2 jobs) or inline (1): the page's Markdown, then the fragments its making added."""
    monkeypatch.setenv("BAOCAO_JOBS", jobs)
    fragments: list = []
    pages = {"tong-hop.md": lambda: _page_adding_fragments(fragments), "don-doc.md": lambda: "# Đôn đốc\n"}
    job = DeferredFiles({"tai-ve/a.docx": lambda: b"A"}, fragments, pages).start()
    assert (job.process is not None) == (jobs == "2")
    assert job.pages() == {"tong-hop.md": "# Tổng hợp\n\n<!--baocao:p-1-->\n", "don-doc.md": "# Đôn đốc\n"}
    assert job.fragments() == {"p-1": "<p>Tư Nghĩa</p>"}
    job.finish(tmp_path)
    assert (tmp_path / "tai-ve" / "a.docx").read_bytes() == b"A"


def test_a_failing_late_page_fails_the_build_with_its_traceback(tmp_path: Path) -> None:
    job = DeferredFiles({"tai-ve/a.docx": lambda: b"A"}, [], {"tong-hop.md": _no_page}).start()
    with pytest.raises(RuntimeError, match="trang hỏng"):
        job.pages()
    with pytest.raises(RuntimeError, match="trang hỏng"):
        job.finish(tmp_path)
