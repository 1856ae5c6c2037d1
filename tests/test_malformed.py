"""The malformed corpus: every broken report gives exactly its documented code(s) from the
CLI, with the right exit code, and one broken file never hides another's findings."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from baocao.cli import main
from baocao.findings import CODES, Severity
from tests.conftest import ROOT

CORPUS = Path(__file__).parent / "malformed"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))
BIG = 5 * 1024 * 1024 + 1


def _case_files() -> dict[str, tuple[str, bytes]]:
    """name -> (path under submissions/, bytes) for the corpus files."""
    return {name: (str(spec["path"]), (CORPUS / name).read_bytes()) for name, spec in EXPECTED.items()}


def _tree(tmp: Path, files: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    root = tmp / "root"
    root.mkdir()
    shutil.copy(ROOT / "campaign.yml", root / "campaign.yml")
    for rel, data in files.items():
        target = root / "submissions" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for rel, dest in (symlinks or {}).items():
        link = root / "submissions" / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(dest)
    return root


def _check(root: Path) -> tuple[int, dict[str, list[str]]]:
    result = CliRunner().invoke(main, ["--root", str(root), "check", "--format", "json"])
    doc = json.loads(result.output)
    by_path: dict[str, list[str]] = defaultdict(list)
    for f in doc["findings"]:
        by_path[f["path"]].append(f["code"])
    return result.exit_code, dict(by_path)


def _exit_for(codes: list[str]) -> int:
    return 1 if any(CODES[c].severity is Severity.ERROR for c in codes) else 0


def test_corpus_is_large_and_every_code_is_documented() -> None:
    assert len(EXPECTED) >= 30
    assert all(set(spec["codes"]) <= set(CODES) for spec in EXPECTED.values())
    assert {p.name for p in CORPUS.iterdir()} - {"expected.yml", ".gitattributes"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_report_gives_its_code(name: str, tmp_path: Path) -> None:
    rel, data = _case_files()[name]
    expected = sorted(EXPECTED[name]["codes"])  # type: ignore[arg-type]
    code, found = _check(_tree(tmp_path, {rel: data}))
    assert found == {f"submissions/{rel}": expected}
    assert code == _exit_for(expected)


def test_symlink_is_rejected(tmp_path: Path) -> None:
    good = (ROOT / "tests/fixtures/example/submissions/huyen-uy-binh-son/bao-cao.md").resolve()
    code, found = _check(_tree(tmp_path, {}, {"huyen-uy-binh-son/bao-cao.md": str(good)}))
    assert (code, found) == (1, {"submissions/huyen-uy-binh-son/bao-cao.md": ["F202"]})


def test_file_over_5_mb_is_rejected(tmp_path: Path) -> None:
    code, found = _check(_tree(tmp_path, {"huyen-uy-ba-to/ban-ky.pdf": b"%PDF-1.4\n" + b"0" * BIG}))
    assert (code, found) == (1, {"submissions/huyen-uy-ba-to/ban-ky.pdf": ["F203"]})


def test_one_broken_file_never_hides_another(tmp_path: Path) -> None:
    """All cases at once (packed into as few trees as distinct paths allow), plus a symlink,
    an oversized file and a valid report: each file keeps exactly its own findings."""
    cases = _case_files()
    trees: list[dict[str, bytes]] = []
    expected: list[dict[str, list[str]]] = []
    for name, (rel, data) in cases.items():
        i = next((i for i, t in enumerate(trees) if rel not in t), len(trees))
        if i == len(trees):
            trees.append({})
            expected.append({})
        trees[i][rel] = data
        expected[i][f"submissions/{rel}"] = sorted(EXPECTED[name]["codes"])  # type: ignore[arg-type]
    assert len(trees) <= 3
    # A valid report, an oversized file and a symlink join a tree where their folders are free.
    good = "bao-quang-ngai/bao-cao.md"
    j = next(i for i, t in enumerate(trees) if good not in t and "huyen-uy-ba-to/ban-ky.pdf" not in t)
    trees[j][good] = (ROOT / "tests/fixtures/example/submissions" / good).read_bytes()
    trees[j]["huyen-uy-ba-to/ban-ky.pdf"] = b"%PDF-1.4\n" + b"0" * BIG
    expected[j]["submissions/huyen-uy-ba-to/ban-ky.pdf"] = ["F203"]
    expected[j]["submissions/ban-thuong-vu-tinh-doan/anh.png"] = ["F202"]
    for i, files in enumerate(trees):
        base = tmp_path / str(i)
        base.mkdir()
        links = {"ban-thuong-vu-tinh-doan/anh.png": "/etc/hostname"} if i == j else {}
        code, found = _check(_tree(base, files, links))
        assert {p: sorted(c) for p, c in found.items()} == expected[i]
        assert code == 1
