"""The urging-notice draft, and the compiling office's pages on the site."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from pathlib import Path

import docx
import markdown
import pytest
from click.testing import CliRunner
from mkdocs.config import load_config

from baocao.campaign.load import load_campaign
from baocao.campaign.model import Campaign
from baocao.cli import main
from baocao.documents.compile import compile_campaign
from baocao.documents.draft_docx import build_docx
from baocao.documents.draft_markdown import render_markdown
from baocao.documents.remind import build_reminder, remind
from baocao.documents.remind import render_markdown as render_reminder
from baocao.history.gitlog import open_repo, read_object
from baocao.site.compiled import COMPILE_PAGE, REMIND_PAGE, compiled_pages, files_for
from baocao.site.core import SiteContext

from .compile_data import INVALID_UNIT, LATE_UNIT, Landing, at, build_history
from .conftest import DemoSite


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> tuple[Path, list[Landing]]:
    root = tmp_path_factory.mktemp("remind") / "repo"
    return root, build_history(root, campaign)


def bullets(markdown: str, title: str) -> list[str]:
    """The '- ' lines of the list under the bold line starting with ``title``."""
    block = markdown.split(f"**{title}", 1)[1].split("\n\n", 2)[1]
    return [line[2:] for line in block.splitlines() if line.startswith("- ")]


def test_names_overdue_and_invalid_units_with_the_exact_deadline(
    campaign: Campaign, history: tuple[Path, list[Landing]]
) -> None:
    text = render_reminder(remind(campaign, history[0], as_of=at(21, 9)))
    assert "trước ngày 20/06/2022 (kết thúc lúc **00:00 ngày 20/06/2022**)" in text
    assert "Đến 09:00 ngày 21/06/2022, còn 25 đơn vị" in text
    overdue = bullets(text, "Chưa gửi báo cáo, đã quá hạn (24 đơn vị)")
    names = [line.split(":")[0] for line in overdue]
    assert campaign.unit_by_id[LATE_UNIT].name in names  # not landed yet at 09:00
    assert all(line.endswith("quá hạn 1 ngày 9 giờ.") for line in overdue)
    invalid = bullets(text, "Đã gửi nhưng báo cáo chưa hợp lệ, cần sửa (1 đơn vị)")
    # an official letter: the plain reason, without line numbers or technical words
    assert invalid == [f"{campaign.unit_by_id[INVALID_UNIT].name}: thiếu mục “3. Nguyên nhân”."]
    kinh_gui = text.split("Kính gửi:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(kinh_gui) == 25 and kinh_gui[0] == "- Thị ủy Đức Phổ,"


def test_a_unit_that_landed_late_is_no_longer_urged(campaign: Campaign, history: tuple[Path, list[Landing]]) -> None:
    text = render_reminder(remind(campaign, history[0], as_of=at(25)))
    assert campaign.unit_by_id[LATE_UNIT].name not in text
    assert "còn 24 đơn vị" in text


def test_before_the_deadline_units_are_reminded_of_the_time_left(
    campaign: Campaign, history: tuple[Path, list[Landing]]
) -> None:
    text = render_reminder(remind(campaign, history[0], as_of=at(19, 12)))
    missing = bullets(text, "Chưa gửi báo cáo, còn 12 giờ đến hạn")
    assert "Thị ủy Đức Phổ." in missing
    assert "đã quá hạn" not in text


def test_cli_remind_docx_has_the_letterhead_and_every_unit(
    campaign: Campaign, history: tuple[Path, list[Landing]], tmp_path: Path
) -> None:
    out = tmp_path / "don-doc.docx"
    args = ["--root", str(history[0]), "remind", "--as-of", "2022-06-25T09:00", "--format", "docx", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    left = [p.text for p in document.tables[0].cell(0, 0).paragraphs]
    assert left[:3] == ["TỈNH ỦY QUẢNG NGÃI", "ĐẢNG ỦY CÔNG AN TỈNH", "*"]
    assert left[3].endswith("-CV/ĐU") and left[4].startswith("V/v đôn đốc gửi báo cáo sơ kết")
    text = "\n".join(p.text for p in document.paragraphs)
    for unit in ("thi-uy-duc-pho", INVALID_UNIT, "dang-doan-hoi-ccb"):
        assert f"- {campaign.unit_by_id[unit].name}," in text
    assert "thiếu mục “3. Nguyên nhân”" in text and "dòng" not in text
    assert "00:00 ngày 20/06/2022" in text


def test_site_compiled_page_is_the_compile_markdown(demo_site: DemoSite, tmp_path: Path) -> None:
    campaign = load_campaign(demo_site.root / "campaign.yml")  # the demo's own (it names its CA)
    compiled = compile_campaign(campaign, demo_site.root, as_of=datetime.fromisoformat(demo_site.as_of))
    assert compiled.status is not None
    repo = open_repo(demo_site.root)
    ctx = SiteContext(
        campaign=campaign,
        root=demo_site.root,
        status=compiled.status,
        read_blob=lambda blob: read_object(repo, blob),
    )
    titles = compiled_pages(ctx)  # the pages' titles now, their Markdown when the compilation is made
    assert titles[COMPILE_PAGE] == render_markdown(compiled).split("\n", 1)[0] + "\n"
    pages = {path: make() for path, make in ctx.late_pages.items()}
    stage = campaign.stages[0].id
    out = tmp_path / "tong-hop.md"
    result = CliRunner().invoke(
        main, ["--root", str(demo_site.root), "compile", "--as-of", demo_site.as_of, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = pages[COMPILE_PAGE]
    assert isinstance(page, str)
    without_links = re.sub(r"\n\*\*Tải về:\*\* [^\n]*\n", "", page, count=1)  # the links line, tokens inside
    assert without_links == out.read_text(encoding="utf-8") == render_markdown(compiled)
    reminder = build_reminder(campaign, compiled.status, compiled.stage)
    assert render_reminder(reminder).split("\n# ", 1)[1] in pages[REMIND_PAGE]
    # the built site carries the pages and the files; its draft is the one the CLI writes
    built = demo_site.site
    html = (built / "tong-hop.html").read_text(encoding="utf-8")
    for path in files_for(stage).values():
        assert (built / path).is_file() and f'href="{path}"' in html
    site_draft = docx.Document(str(built / files_for(stage)["docx"]))
    assert [p.text for p in site_draft.paragraphs] == [p.text for p in build_docx(compiled).paragraphs]
    assert "Dự thảo công văn đôn đốc" in html and (built / "don-doc.html").is_file()
    # the built page (units' texts rendered apart and spliced in) shows what MkDocs makes of that Markdown
    assert (built / files_for(stage)["source"]).read_bytes() == out.read_bytes()
    config = load_config(str(demo_site.root / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    article = html.split("<article", 1)[1].split(">", 1)[1].split("</article>", 1)[0]
    built_text = page_text(re.sub(r"<p><strong>Tải về:</strong>.*?</p>", "", article, count=1, flags=re.DOTALL))
    assert built_text == page_text(md.convert(out.read_text(encoding="utf-8")))
    assert all(f"{s.unit.name} ({s.reference}):" in built_text for s in compiled.sources)


def page_text(html_text: str) -> str:
    """The words a reader sees in an HTML fragment, spacing normalised."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html_text)).split())
