"""The compiling office's pages: "Tổng hợp" (the compiled outline: the very Markdown of
``baocao compile --out`` at the site's as-of time, with the Word and Excel files built with
the site, in the background: ``SiteContext.deferred``) and "Đôn đốc" (the urging-notice draft, also as Word)."""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable
from datetime import datetime
from functools import cache

from baocao.documents.compile import Compiled, compile_campaign
from baocao.documents.draft_docx import build_docx
from baocao.documents.draft_markdown import render_markdown, title_line
from baocao.documents.remind import Reminder, build_reminder
from baocao.documents.remind import build_docx as build_reminder_docx
from baocao.documents.remind import render_markdown as render_reminder
from baocao.documents.workbook import build_workbook
from baocao.parallel import fork_map, pool_size
from baocao.site.core import Pages, SiteContext, esc
from baocao.site.units import SAFE_ATTRIBUTES, SAFE_TAGS, sanitize
from baocao.status.judge import State

COMPILE_PAGE = "tong-hop.md"
REMIND_PAGE = "don-doc.md"
FILES_DIR = "tai-ve"
# What the site's Markdown makes of a unit's text besides report HTML: admonitions, details.
CHUNK = 64  # units' texts rendered per Markdown call
COMPILED_TAGS = SAFE_TAGS | {"details", "summary"}
COMPILED_ATTRIBUTES = {**SAFE_ATTRIBUTES, "div": {"class"}, "p": {"class"}, "details": {"class", "open"}}


def files_for(stage_id: str) -> dict[str, str]:
    """Site paths of the generated downloads of a stage."""
    return {
        "docx": f"{FILES_DIR}/du-thao-tong-hop-{stage_id}.docx",
        "xlsx": f"{FILES_DIR}/so-lieu-{stage_id}.xlsx",
        "remind": f"{FILES_DIR}/cong-van-don-doc-{stage_id}.docx",
        "source": f"{FILES_DIR}/tong-hop-{stage_id}.md",
    }


def downloads(ctx: SiteContext, page: str, stage_id: str) -> str:
    """The line of links inserted under the page title."""
    f = files_for(stage_id)
    links = [
        f"[Dự thảo báo cáo (Word)]({ctx.url(page, f['docx'])})",
        f"[Bảng số liệu (Excel)]({ctx.url(page, f['xlsx'])})",
        f"[Công văn đôn đốc (Word)]({ctx.url(page, f['remind'])})",
    ]
    if page == COMPILE_PAGE:  # raw HTML, next to the docx: MkDocs (and ctx.url) would take a .md file for a page
        source = posixpath.join(posixpath.dirname(ctx.url(page, f["docx"])), posixpath.basename(f["source"]))
        links.append(f'<a href="{esc(source)}" download>Tổng hợp (Markdown)</a>')
    if page != REMIND_PAGE:
        links.append(f"[Dự thảo công văn đôn đốc]({ctx.md_link(page, REMIND_PAGE)})")
    return "**Tải về:** " + " · ".join(links)


def with_downloads(markdown: str, line: str) -> str:
    """``markdown`` with ``line`` as a paragraph right under its first line (the title)."""
    title, rest = markdown.split("\n", 1)
    return f"{title}\n\n{line}\n{rest}"


def _bytes(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def site_compilation(ctx: SiteContext) -> tuple[Compiled, Reminder]:
    """The compilation and the reminder at the status's as-of time, from the same code as the CLI."""
    as_of: datetime | None = ctx.status.as_of
    compiled = compile_campaign(ctx.campaign, ctx.root, None, as_of, status=ctx.status, changes=ctx.changes)
    assert compiled.status is not None
    # The compilation's absent units less the late ones (which count) are the reminder's, in the same order.
    absent = compiled.with_state(State.MISSING, State.OVERDUE, State.INVALID)
    return compiled, build_reminder(ctx.campaign, compiled.status, compiled.stage, absent)


def _chunk_html(render: Callable[[str], str], text: str) -> str:
    """Some units' texts (Markdown) as sanitised HTML, by the site's Markdown (a forked worker inherits it)."""
    return sanitize(render(text), COMPILED_TAGS, COMPILED_ATTRIBUTES)


def compiled_page(ctx: SiteContext, compiled: Compiled) -> str:
    """The Tổng hợp page: the compiled Markdown with each section's units' texts as ready HTML,
    rendered by the site's own Markdown (so the page shows what MkDocs would make of
    ``compile --out``), sanitised, and spliced in after MkDocs renders the page: MkDocs need
    not parse a page holding every report again. Some dozens of texts go to a Markdown call,
    as they stand in the page (a blank line between): one call each would pay Markdown's fixed
    cost per text, one call for all grows faster than linear. The HTML is made later
    (``SiteContext.late_fragments``): by the plugin's background worker (``baocao.site.files``),
    one call after another, while MkDocs renders the unit pages, before the Word and Excel files;
    by ``build_pages`` inline, with many units in forked workers."""
    jobs: list[tuple[str, int]] = []  # (placeholder token, number of chunks)
    chunks: list[str] = []

    def hold(texts: list[str]) -> str:
        placeholder = ctx.raw("")
        parts = ["\n\n".join(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
        jobs.append((placeholder[len("<!--baocao:") : -len("-->")], len(parts)))
        chunks.extend(parts)
        return placeholder

    page = render_markdown(compiled, hold)
    markdown = ctx.markdown

    def make_fragments() -> dict[str, str]:
        assert markdown is not None  # the site's Markdown, set by load_context
        n = pool_size()
        many = n > 1 and len(chunks) > 2 * n
        html = list(fork_map(_chunk_html, markdown, chunks, n=n if many else 1))
        out, at = {}, 0
        for token, count in jobs:
            out[token] = "\n".join(html[at : at + count])
            at += count
        return out

    ctx.late_fragments.append(make_fragments)
    return page


REMIND_TITLE = "# Đôn đốc nộp báo cáo"


def compiled_pages(ctx: SiteContext) -> Pages:
    """The Tổng hợp and Đôn đốc pages and their downloads, made later (``SiteContext.late_pages``,
    ``SiteContext.deferred``) from one compilation, itself made on first use: by the plugin's
    background worker, or inline by ``build_pages``. What is returned now is each page's title."""
    first = ctx.campaign.stages[0]  # the stage ``compile_campaign`` compiles by default
    stage = first.id
    f = files_for(stage)

    @cache
    def compilation() -> tuple[Compiled, Reminder, str]:
        compiled, reminder = site_compilation(ctx)
        return compiled, reminder, render_markdown(compiled)

    def compile_page() -> str:
        compiled, _, source = compilation()
        # Without the site's Markdown (the page alone, outside MkDocs) the page is that very Markdown.
        page = compiled_page(ctx, compiled) if ctx.markdown else source
        return with_downloads(page, downloads(ctx, COMPILE_PAGE, stage))

    def remind_page() -> str:
        remind_md = render_reminder(compilation()[1]).replace("\n# ", "\n## ", 1)
        return f"{REMIND_TITLE}\n\n" + downloads(ctx, REMIND_PAGE, stage) + "\n\n" + remind_md

    ctx.late_pages[COMPILE_PAGE] = compile_page
    ctx.late_pages[REMIND_PAGE] = remind_page
    ctx.deferred[f["docx"]] = lambda: _bytes(build_docx(compilation()[0]))
    ctx.deferred[f["xlsx"]] = lambda: _bytes(build_workbook(compilation()[0]))
    ctx.deferred[f["remind"]] = lambda: _bytes(build_reminder_docx(compilation()[1]))
    ctx.deferred[f["source"]] = lambda: compilation()[2].encode("utf-8")
    return {COMPILE_PAGE: f"{title_line(first)}\n", REMIND_PAGE: f"{REMIND_TITLE}\n"}
