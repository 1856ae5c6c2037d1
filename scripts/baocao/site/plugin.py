"""The MkDocs (and ProperDocs) plugin: a thin hook around ``baocao.site.core``.

``on_files`` adds the generated pages (unit pages out of the nav) and the attachments;
``on_serve`` watches ``campaign.yml``, ``submissions/`` and the branch refs;
``on_page_content`` puts the ready HTML in place and indexes the unit pages for search;
``on_post_build`` adds those entries and unaccented words to Material's search index."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from html import unescape
from pathlib import Path

import markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from baocao.campaign.load import load_campaign
from baocao.campaign.model import CampaignError
from baocao.history.read import HistoryError
from baocao.interrupt import install_sigterm
from baocao.site.compiled import COMPILE_PAGE
from baocao.site.core import (
    ASSET_DIR,
    ASSETS,
    UNITS_DIR,
    attachment_uri,
    context_for,
    fold_search_file,
    search_entries,
    splice,
)
from baocao.site.csp import with_policy
from baocao.site.files import DeferredFiles
from baocao.site.pages import build_pages

log = logging.getLogger("mkdocs.plugins.baocao")


class BaocaoConfig(Config):
    campaign = config_options.Type(str, default="campaign.yml")
    # ISO instant the status is computed at (default: now); env BAOCAO_AS_OF overrides it.
    as_of = config_options.Optional(config_options.Type(str))


class BaocaoPlugin(BasePlugin[BaocaoConfig]):
    supports_multiple_instances = False
    fragments: dict[str, str] = {}  # noqa: RUF012  (replaced per build in on_files)
    search_docs: list[dict[str, str]] = []  # noqa: RUF012  (unit pages' search entries, per build)
    downloads: DeferredFiles | None = None  # the compiled pages, the Word and Excel files, made while pages render

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config):
        install_sigterm()  # SIGTERM stops the build like Ctrl-C, within moments: workers and temporary files go
        for name in ASSETS:
            uri = f"{ASSET_DIR}/{name}"
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if uri not in [str(x) for x in target]:
                target.append(uri)
        return config

    def on_files(self, files: Files, config) -> Files:
        root = self._root(config)
        try:
            campaign = load_campaign(root / self.config.campaign)
        except CampaignError as exc:
            raise PluginError(f"campaign.yml không hợp lệ:\n{exc}") from exc
        as_of_text = os.environ.get("BAOCAO_AS_OF") or self.config.as_of
        as_of = datetime.fromisoformat(as_of_text) if as_of_text else None
        docs_dir = Path(config.docs_dir).resolve()
        try:
            ctx = context_for(root, campaign, as_of, config, docs_dir)
        except HistoryError as exc:
            raise PluginError(str(exc)) from exc
        md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        ctx.markdown = lambda text: md.reset().convert(text)
        self.fragments = ctx.fragments
        self.search_docs = []
        self._discard()
        for path, content in build_pages(ctx, defer=True).items():
            if files.get_file_from_path(path) is not None:
                log.debug("baocao: %s exists in docs, generated version skipped", path)
                ctx.deferred.pop(path, None)
                ctx.late_pages.pop(path, None)
                continue
            inclusion = InclusionLevel.NOT_IN_NAV if path.startswith(UNITS_DIR + "/") else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        for unit, names in ctx.attachments.items():
            for name in names:
                src = root / "submissions" / unit / name
                files.append(File.generated(config, attachment_uri(unit, name), abs_src_path=str(src)))
        for path in ctx.deferred:
            if not path.endswith(".md"):  # an empty placeholder keeps links valid; a .md would become a page
                files.append(File.generated(config, path, content=b""))
        # Started last: the forked worker sees the finished compilation.
        self.downloads = DeferredFiles(ctx.deferred, ctx.late_fragments, ctx.late_pages).start()
        self.downloads.site_dir = Path(config.site_dir)
        return files

    def _discard(self) -> None:
        if self.downloads is not None:
            self.downloads.discard()
            self.downloads = None

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        uri, downloads = page.file.src_uri, self.downloads
        if downloads is not None and uri in downloads.page_makers and page.file.generated_by is not None:
            try:  # made by the background worker while MkDocs rendered the pages before this one
                return downloads.pages()[uri]
            except RuntimeError as exc:
                raise PluginError(str(exc)) from exc
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        uri = page.file.src_uri
        if uri == COMPILE_PAGE and page.file.generated_by is not None and self.downloads is not None:
            try:  # its units' texts, rendered by the background worker meanwhile
                self.fragments.update(self.downloads.fragments())
            except RuntimeError as exc:
                raise PluginError(str(exc)) from exc
        html = splice(html, self.fragments)
        if page.file.generated_by is not None and (uri.startswith(UNITS_DIR + "/") or uri == COMPILE_PAGE):
            # Indexed here from our own well-formed HTML (Material's parser is slow on thousands of pages).
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            # A generated page's title is already HTML-escaped (see sitepages_units._unit_page).
            self.search_docs += search_entries(html, page.url, unescape(page.title or ""))
        return html

    def on_post_page(self, output: str, page, config) -> str:
        return with_policy(output, page.content or "")

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return with_policy(output_content) if template_name.endswith(".html") else output_content

    def on_serve(self, server, config, builder):
        root = self._root(config)
        for path in (root / self.config.campaign, root / "submissions", root / ".git" / "refs" / "heads"):
            if path.exists():
                server.watch(str(path))
        return server

    @event_priority(-100)  # after Material's search plugin wrote its index
    def on_post_build(self, config) -> None:
        index = Path(config.site_dir) / "search" / "search_index.json"
        if index.is_file():
            fold_search_file(index, self.search_docs)
        self.search_docs = []
        if self.downloads is not None:
            downloads, self.downloads = self.downloads, None
            try:
                downloads.finish(Path(config.site_dir))
            except RuntimeError as exc:
                raise PluginError(str(exc)) from exc

    def on_build_error(self, error: Exception) -> None:
        self._discard()
