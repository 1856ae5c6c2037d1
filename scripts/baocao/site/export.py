"""The site as plain files: every generated page, data file, attachment and asset written into
a docs tree with its own ``mkdocs.yml`` (the project's, without the baocao plugin), so any engine
that reads a MkDocs configuration builds it: MkDocs, ProperDocs, Zensical.

The same ``build_pages`` feeds the plugin; here the ready HTML of ``SiteContext.raw`` goes into
the Markdown as raw HTML blocks (which Markdown passes through untouched), where the plugin
splices it in after rendering. What the plugin adds on top, and a plain tree cannot: the
Content-Security-Policy ``<meta>`` of every page, and the search index folded for Vietnamese
without diacritics (docs/kien-truc.md lists it per engine)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import markdown
from mkdocs.config import load_config

from baocao.campaign.load import load_campaign
from baocao.campaign.model import CAMPAIGN_FILE
from baocao.site.core import ASSET_DIR, ASSETS, PLACEHOLDER, attachment_uri, context_for
from baocao.site.pages import build_pages

MARKER = ".baocao-site"  # in every tree this module wrote: only such a tree is ever replaced
_PLUGIN = re.compile(r"^(?P<indent>[ \t]*)-[ \t]*baocao[ \t]*:?[ \t]*(?:#.*)?$")


class ExportError(Exception):
    """The tree cannot be written (a folder that is not ours, an unreadable configuration)."""


@dataclass(frozen=True)
class Exported:
    out: Path  # the tree: out/mkdocs.yml and out/docs/
    pages: int  # Markdown pages written (the project's own and the generated ones)
    files: int  # every file under out/docs


def without_plugin(config_text: str) -> str:
    """``mkdocs.yml`` with the ``baocao`` entry (and its options) removed from ``plugins``."""
    lines = config_text.splitlines(keepends=True)
    out: list[str] = []
    skipping: int | None = None
    for line in lines:
        if skipping is not None:
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" \t"))
            if stripped and indent > skipping:
                continue  # an option of the baocao entry
            skipping = None
        m = _PLUGIN.match(line.rstrip("\r\n"))
        if m:
            skipping = len(m.group("indent"))
            continue
        out.append(line)
    return "".join(out)


def with_assets(config_text: str) -> str:
    """``mkdocs.yml`` that loads baocao's stylesheet and script (as the plugin's ``on_config`` does)."""
    text = config_text if config_text.endswith("\n") else config_text + "\n"
    for key, name in (("extra_css", ASSETS[0]), ("extra_javascript", ASSETS[1])):
        uri = f"{ASSET_DIR}/{name}"
        if uri in text:
            continue
        m = re.search(rf"^{key}:[ \t]*\n", text, re.M)
        if m:
            text = text[: m.end()] + f"  - {uri}\n" + text[m.end() :]
        else:
            text += f"{key}:\n  - {uri}\n"
    return text


def with_docs_dir(config_text: str) -> str:
    text, n = re.subn(r"^docs_dir:.*$", "docs_dir: docs", config_text, count=1, flags=re.M)
    return text if n else "docs_dir: docs\n" + text


def inline_fragments(page: str, fragments: dict[str, str]) -> str:
    """A generated page with each placeholder line replaced by its HTML, as a raw HTML block
    (blank lines around it, so Markdown leaves it as it is)."""
    if "<!--baocao:" not in page:
        return page
    return PLACEHOLDER.sub(lambda m: f"\n\n{fragments.get(m.group(1), '')}\n\n", page)


def _refuse_foreign(out: Path) -> None:
    """Raise unless ``out`` is absent, empty or a tree this module wrote (checked before any work)."""
    if out.exists():
        if not out.is_dir():
            raise ExportError(f"{out} không phải thư mục.")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise ExportError(f"{out} đã có tệp không do baocao tạo; chọn thư mục trống (không xóa gì).")


def _prepare(out: Path) -> None:
    _refuse_foreign(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


def export_site(root: Path, out: Path, *, as_of: datetime | None = None, config_file: str = "mkdocs.yml") -> Exported:
    """Write the whole site of the campaign repository ``root`` into ``out`` as plain files."""
    root = root.resolve()
    _refuse_foreign(out)
    config_path = root / config_file
    try:
        config_text = config_path.read_text(encoding="utf-8-sig")
        config = load_config(str(config_path))
    except Exception as exc:
        raise ExportError(f"không đọc được {config_file}: {exc}") from exc
    campaign = load_campaign(root / CAMPAIGN_FILE)
    docs = Path(config.docs_dir).resolve()
    ctx = context_for(root, campaign, as_of, config, docs)
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    ctx.markdown = lambda text: md.reset().convert(text)
    pages = build_pages(ctx)
    _prepare(out)
    target = out / "docs"
    if docs.is_dir():
        shutil.copytree(docs, target, ignore=shutil.ignore_patterns(".*"))
    target.mkdir(exist_ok=True)
    for path, content in pages.items():
        dest = target / path
        if dest.exists():  # a page of the project's own docs wins, as with the plugin
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            dest.write_bytes(content)
        else:
            dest.write_text(inline_fragments(content, ctx.fragments), encoding="utf-8")
    for unit, names in ctx.attachments.items():
        for name in names:
            dest = target / attachment_uri(unit, name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "submissions" / unit / name, dest)
    (out / "mkdocs.yml").write_text(with_assets(with_docs_dir(without_plugin(config_text))), encoding="utf-8")
    (out / MARKER).write_text("baocao site build\n", encoding="utf-8")
    files = [p for p in target.rglob("*") if p.is_file()]
    return Exported(out, sum(1 for p in files if p.suffix == ".md"), len(files))
