"""The site as plain files (``baocao site build``): one docs tree that MkDocs, ProperDocs and
Zensical each build in strict mode without the baocao plugin, with the same pages as the
plugin's build; a folder that is not baocao's is never overwritten."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.cli import main
from baocao.demo.build import INVALID
from baocao.site.export import MARKER, ExportError, export_site, with_assets, without_plugin
from tests.conftest import DemoSite

ENGINES = {
    "mkdocs": ["-m", "mkdocs", "build", "--strict", "--quiet"],
    "properdocs": ["-m", "properdocs", "build", "--strict", "--quiet"],
    "zensical": ["-m", "zensical", "build", "--strict"],
}
PAGES = ("index.html", "tinh-hinh.html", "tong-hop.html", "de-cuong.html", "don-vi/thanh-uy-quang-ngai.html")


@pytest.fixture(scope="module")
def tree(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "tree"
    result = CliRunner().invoke(
        main, ["--root", str(demo_site.root), "site", "build", "--out", str(out), "--as-of", demo_site.as_of]
    )
    assert result.exit_code == 0, result.output
    return out


def article_text(text: str) -> str:
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert m
    return m.group(1)


def article(html_file: Path) -> str:
    """The page's own content (what the theme puts around it differs between engines)."""
    return re.sub(r"\s+", " ", article_text(html_file.read_text(encoding="utf-8")))


def build(tree: Path, engine: str, dest: Path) -> Path:
    work = dest / "src"
    shutil.copytree(tree, work)
    pytest.importorskip(engine)
    done = subprocess.run([sys.executable, *ENGINES[engine]], cwd=work, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return work / "site"


def test_the_tree_holds_plain_files_and_no_plugin(tree: Path, demo_site: DemoSite) -> None:
    config = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    assert "baocao" not in re.findall(r"^\s*-\s*(\w+)", config.split("plugins:", 1)[1].split("\n\n", 1)[0], re.M)
    assert "assets/baocao/baocao.css" in config and "assets/baocao/baocao.js" in config
    docs = tree / "docs"
    assert (docs / "tinh-hinh.md").is_file() and (docs / "status.json").is_file()
    assert (docs / "assets" / "baocao" / "baocao.css").is_file()
    units = sorted(p.stem for p in (docs / "don-vi").glob("*.md"))
    assert len(units) == len(list((demo_site.site / "don-vi").glob("*.html")))
    # The ready HTML is in the page itself: no placeholder is left for a plugin to fill.
    assert not [p for p in docs.rglob("*.md") if "<!--baocao:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_mkdocs_and_properdocs_build_the_same_pages_as_the_plugin(
    tree: Path, demo_site: DemoSite, engine: str, tmp_path: Path
) -> None:
    site = build(tree, engine, tmp_path)
    for page in PAGES:
        assert article(site / page) == article(demo_site.site / page), page
    built = {p.relative_to(site).as_posix() for p in (site / "don-vi").rglob("*") if p.is_file()}
    plugin = {p.relative_to(demo_site.site).as_posix() for p in (demo_site.site / "don-vi").rglob("*") if p.is_file()}
    assert {f"don-vi/{p}" for p in built} == {f"don-vi/{p}" for p in plugin}


def test_zensical_builds_the_tree(tree: Path, demo_site: DemoSite, tmp_path: Path) -> None:
    site = build(tree, "zensical", tmp_path)
    for page in PAGES:
        assert (site / page).is_file(), page
    unit = (site / "don-vi" / "thanh-uy-quang-ngai.html").read_text(encoding="utf-8")
    plugin = article(demo_site.site / "don-vi" / "thanh-uy-quang-ngai.html")
    # The sanitised report (spliced by the plugin after rendering) is in Zensical's page as well.
    report = re.search(r'<div class="bc-report">.*?</div>', plugin, re.S)
    assert report and report.group(0)[:400] in re.sub(r"\s+", " ", unit)
    # The hostile report's markup is text there too: shown escaped, never live elements.
    hostile = (site / "don-vi" / f"{INVALID}.html").read_text(encoding="utf-8")
    assert "&lt;img src=&quot;x&quot; onerror=" in hostile or '&lt;img src="x" onerror=' in hostile
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", article_text(hostile))
    assert not re.search(r"<script>[^<]*alert", hostile)


def test_a_folder_that_is_not_baocaos_is_never_overwritten(demo_site: DemoSite, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("của tôi", encoding="utf-8")
    with pytest.raises(ExportError):
        export_site(demo_site.root, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "của tôi" and not (out / MARKER).exists()
    result = CliRunner().invoke(main, ["--root", str(demo_site.root), "site", "build", "--out", str(out)])
    assert result.exit_code == 2 and "không xóa gì" in result.output


def test_the_plugin_entry_and_its_options_are_removed_and_nothing_else() -> None:
    text = "plugins:\n  - search\n  - baocao:\n      as_of: 2022-07-15\n  - tags\nnav:\n  - index.md\n"
    assert without_plugin(text) == "plugins:\n  - search\n  - tags\nnav:\n  - index.md\n"
    assert without_plugin("plugins:\n  - baocao\n  - search\n") == "plugins:\n  - search\n"
    assert without_plugin("plugins:\n  - baocao-extra\n") == "plugins:\n  - baocao-extra\n"


def test_assets_are_added_once_to_the_lists_already_there() -> None:
    once = with_assets("site_name: x\nextra_css:\n  - mine.css\n")
    assert once.count("assets/baocao/baocao.css") == 1 and "  - mine.css" in once
    assert once.count("extra_javascript:") == 1 and with_assets(once) == once
