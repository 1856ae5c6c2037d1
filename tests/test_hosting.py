"""The submit button: a unit page and the status table link straight to the hosting site's
upload page for the unit's folder and to the edit page of its report, the host chosen from the
repository URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from baocao.campaign.model import Campaign
from baocao.site.core import STATUS_PAGE, load_context, splice
from baocao.site.home import status_page
from baocao.site.hosting import host_for
from baocao.site.units import unit_pages

from .compile_data import Landing, at


@pytest.mark.parametrize(
    ("url", "upload", "edit"),
    [
        (
            "https://github.com/tinh-uy-qn/bao-cao-1055",
            "https://github.com/tinh-uy-qn/bao-cao-1055/upload/main/submissions/huyen-uy-ba-to",
            "https://github.com/tinh-uy-qn/bao-cao-1055/edit/main/submissions/huyen-uy-ba-to/bao-cao.md",
        ),
        (
            "https://gitlab.com/tinh-uy-qn/bao-cao-1055.git",
            "https://gitlab.com/tinh-uy-qn/bao-cao-1055/-/tree/main/submissions/huyen-uy-ba-to",
            "https://gitlab.com/tinh-uy-qn/bao-cao-1055/-/edit/main/submissions/huyen-uy-ba-to/bao-cao.md",
        ),
        (
            "https://gitlab.quangngai.dcs.vn/van-phong/bao-cao/",
            "https://gitlab.quangngai.dcs.vn/van-phong/bao-cao/-/tree/main/submissions/huyen-uy-ba-to",
            "https://gitlab.quangngai.dcs.vn/van-phong/bao-cao/-/edit/main/submissions/huyen-uy-ba-to/bao-cao.md",
        ),
        (
            "https://git.quangngai.dcs.vn/van-phong/bao-cao",
            "https://git.quangngai.dcs.vn/van-phong/bao-cao/_upload/main/submissions/huyen-uy-ba-to",
            "https://git.quangngai.dcs.vn/van-phong/bao-cao/_edit/main/submissions/huyen-uy-ba-to/bao-cao.md",
        ),
    ],
)
def test_the_host_is_chosen_from_the_url_and_gives_its_upload_and_edit_pages(url: str, upload: str, edit: str) -> None:
    host = host_for(url)
    assert host is not None
    assert host.upload("main", "submissions/huyen-uy-ba-to") == upload
    assert host.edit("main", "submissions/huyen-uy-ba-to/bao-cao.md") == edit


@pytest.mark.parametrize(
    "url",
    [None, "", "javascript:alert(1)", "git@github.com:a/b.git", "https://github.com/", "https://u:p@github.com/a/b"],
)
def test_no_link_for_an_address_that_is_not_a_repository_page(url: str | None) -> None:
    assert host_for(url) is None


def test_a_hostile_address_is_quoted_not_injected() -> None:
    host = host_for('https://github.com/a/b"><script>alert(1)</script>')
    assert host is not None
    link = host.upload("main", "submissions/x")
    assert "<" not in link and '"' not in link


def test_unit_pages_carry_the_buttons_when_the_campaign_names_its_repository(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]]
) -> None:
    root = compile_history[0]
    ctx = load_context(root, campaign, at(25), repo_url="https://github.com/tinh-uy-qn/bao-cao-1055")
    pages = unit_pages(ctx)
    submitted = compile_history[1][0].unit
    html = splice(pages[ctx.unit_page(submitted)], ctx.fragments)
    base = "https://github.com/tinh-uy-qn/bao-cao-1055"
    assert f'href="{base}/upload/main/submissions/{submitted}"' in html
    assert f'href="{base}/edit/main/submissions/{submitted}/bao-cao.md"' in html
    never = "huyen-uy-tra-bong"  # never submitted: upload, but nothing to edit
    other = splice(pages[ctx.unit_page(never)], ctx.fragments)
    assert f"{base}/upload/main/submissions/{never}" in other and "/edit/" not in other
    plain = load_context(root, campaign, at(25))
    assert "bc-submit" not in "".join(unit_pages(plain).values())


@pytest.mark.parametrize(
    ("url", "upload", "edit"),
    [
        ("https://github.com/tinh-uy-qn/bao-cao-1055", "/upload/main/submissions/", "/edit/main/submissions/"),
        ("https://gitlab.com/tinh-uy-qn/bao-cao-1055", "/-/tree/main/submissions/", "/-/edit/main/submissions/"),
    ],
    ids=["github", "gitlab"],
)
def test_the_status_table_links_each_unit_to_its_upload_or_edit_page(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], url: str, upload: str, edit: str
) -> None:
    root = compile_history[0]
    ctx = load_context(root, campaign, at(25), repo_url=url)
    html = splice(status_page(ctx)[STATUS_PAGE], ctx.fragments)
    base = url.removesuffix(".git")
    stage = ctx.stages()[0]
    for u in stage.units:
        row = re.search(
            rf'<tr data-group="[^"]*" data-state="[^"]*"><td data-sort="[^"]*"><a href="[^"]*{u.unit}\.html".*?</tr>',
            html,
        )
        assert row is not None, u.unit
        if u.present and u.path and u.path.endswith(".md"):
            assert f'href="{base}{edit}{u.unit}/{u.path.rsplit("/", 1)[1]}">Sửa</a>' in row.group(0)
        else:
            assert f'href="{base}{upload}{u.unit}">Nộp</a>' in row.group(0)
    assert "Nộp, sửa" in html
    plain = load_context(root, campaign, at(25))
    assert "Nộp, sửa" not in splice(status_page(plain)[STATUS_PAGE], plain.fragments)
