"""The escapers on their own: a hostile value goes through the real renderer (Python-Markdown with
the site's extensions, the HTML parser) and comes out as the same text, never as markup."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

import markdown
import pytest

from baocao.escape import html as esc_html
from baocao.escape import markdown as esc_md

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "def_list"]

HOSTILE = [
    "# Tiêu đề giả",
    "> trích dẫn",
    "- mục giả",
    "+ mục giả",
    "1. mục giả",
    "12) mục giả",
    "=== gạch",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[bấm](javascript:alert(1))",
    "![ảnh](http://example.org/a.png)",
    "**đậm** _nghiêng_ `mã`",
    "Ô | bảng | giả",
    "chữ {: onclick=alert(1) }",
    "&amp; &lt;b&gt; thực thể",
    "dấu \\ gạch chéo",
    "Nói \"không\" và 'có'",
]


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def rendered(source: str) -> tuple[list[tuple[str, dict[str, str | None]]], str]:
    html = markdown.markdown(source, extensions=EXTENSIONS)
    parser = Elements()
    parser.feed(html)
    return parser.tags, html


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_renders_as_exactly_the_typed_text_in_one_paragraph(value: str) -> None:
    tags, html = rendered(esc_md.text(value))
    assert tags == [("p", {})], html  # one paragraph, no heading, list, link, image, code, table
    assert unescape(html.removeprefix("<p>").removesuffix("</p>")) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_after_a_heading_mark_stays_the_heading_text(value: str) -> None:
    tags, html = rendered("## " + esc_md.text(value, at_start=False))
    assert [t for t, _ in tags] == ["h2"], html
    assert unescape(html.removeprefix("<h2>").removesuffix("</h2>")) == value


def test_markdown_text_leaves_quotes_as_typed_for_readers_of_the_markdown() -> None:
    # The compiled draft is also read as Markdown (and turned into Word): no '&quot;' there.
    assert esc_md.text('Nói "không"') == 'Nói "không"'


def test_markdown_text_is_one_line_without_control_characters() -> None:
    assert esc_md.text("dòng một\r\n# dòng hai\x1f") == "dòng một # dòng hai"


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_is_inert_in_text_and_in_either_kind_of_quoted_attribute(value: str) -> None:
    escaped = esc_html.text(value)
    assert "<" not in escaped and '"' not in escaped and "'" not in escaped
    for quote in ('"', "'"):
        parser = Elements()
        parser.feed(f"<p title={quote}{escaped}{quote}>{escaped}</p>")
        assert parser.tags == [("p", {"title": value})]


def test_html_text_drops_control_characters() -> None:
    assert esc_html.text("a\x00b\x1fc") == "abc"


def test_url_path_keeps_each_segment_one_segment() -> None:
    assert esc_html.url_path("don-vi/a b#c?d%/\"x'.pdf") == "don-vi/a%20b%23c%3Fd%25/%22x%27.pdf"
