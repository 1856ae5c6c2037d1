"""The status site as plain data: page path -> Markdown (or bytes), built from the campaign,
its typed ``CampaignStatus`` and the report files.

No MkDocs here: ``baocao.site.plugin`` is a thin hook that feeds these pages to MkDocs (or
ProperDocs). A page is added by writing one builder (``SiteContext -> Pages``) and naming it
in the explicit list ``baocao.site.pages.PAGES``."""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from baocao.campaign.model import Campaign
from baocao.checks.checked import CheckedReport
from baocao.checks.validation import ATTACHMENTS
from baocao.documents.changes import ReportDiff
from baocao.escape import html as escape_html
from baocao.escape import markdown as escape_markdown
from baocao.reports.outline import fold_diacritics
from baocao.site.hosting import Host, host_for
from baocao.status.judge import STATE_LABELS, CampaignStatus, StageStatus, State, UnitStatus
from baocao.vn import when

Pages = dict[str, str | bytes]
PageBuilder = Callable[["SiteContext"], Pages]
UNITS_DIR = "don-vi"
ASSET_DIR = "assets/baocao"
ASSETS = ("baocao.css", "baocao.js")
# Top pages, in nav order (mkdocs.yml lists the same); unit pages stay out of the nav.
STATUS_PAGE = "tinh-hinh.md"
OUTLINE_PAGE = "de-cuong.md"
STATE_ORDER = (State.ON_TIME, State.LATE, State.INVALID, State.MISSING, State.OVERDUE)  # as the site lists them
STATE_NAMES = STATE_LABELS


@dataclass
class SiteContext:
    """What every page builder reads."""

    campaign: Campaign
    root: Path
    status: CampaignStatus  # what every page shows (JSON only in status.json)
    read_blob: Callable[[str], bytes]
    docs_dir: str = "docs"
    directory_urls: bool = False
    attachments: dict[str, list[str]] = field(default_factory=dict)  # unit -> file names
    # (path, blob) -> CheckedReport of the versions the status already read and checked.
    reports: dict[tuple[str, str], CheckedReport] = field(default_factory=dict)
    # HTML spliced into pages after Markdown rendering (see ``raw``): token -> HTML.
    fragments: dict[str, str] = field(default_factory=dict)
    # Files whose bytes are made later (site path -> maker): the plugin builds them in a worker
    # process while MkDocs renders the pages (``baocao.site.files``); ``build_pages`` makes them inline.
    deferred: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    # Makers of more ``fragments`` (token -> HTML), likewise made later: the plugin's worker makes
    # them first and the page that needs them waits for them; ``build_pages`` makes them inline.
    late_fragments: list[Callable[[], dict[str, str]]] = field(default_factory=list)
    # Pages whose Markdown is made later (site path -> maker), likewise: the compiled outline and
    # the urging notice need the whole compilation, which the plugin's worker makes while MkDocs
    # renders the unit pages; MkDocs gets each page's title meanwhile (what the builder returns).
    late_pages: dict[str, Callable[[], str]] = field(default_factory=dict)
    # The site's Markdown (MkDocs' extensions) as a function, set by the plugin: builders render
    # large trusted parts with it and splice the HTML (``raw``) instead of making MkDocs parse them.
    markdown: Callable[[str], str] | None = None
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    # (unit, stage) -> what changed in the report since the version that counted at the deadline.
    # None: not computed (``load_context`` computes it; the compilation then reads it itself).
    changes: dict[tuple[str, str], ReportDiff] | None = None
    host: Host | None = None  # where the campaign repository is hosted, for the upload and edit links

    @property
    def tz(self) -> ZoneInfo:
        return self.campaign.tz

    def stages(self) -> list[StageStatus]:
        return list(self.status.stages)

    def md_link(self, from_page: str, to_page: str) -> str:
        """A Markdown link target: ``to_page``'s source path relative to ``from_page`` (MkDocs
        turns it into the page's URL and checks it exists)."""
        return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")

    def url(self, from_page: str, to_page: str) -> str:
        """The relative URL of ``to_page`` (a .md path or a file) as seen from page ``from_page``,
        for raw HTML (MkDocs does not rewrite links there); in Markdown use ``md_link``."""
        target = _page_url(to_page, self.directory_urls)
        base = posixpath.dirname(_page_url(from_page, self.directory_urls)) or "."
        rel = posixpath.relpath(target, base)
        if self.directory_urls and to_page.endswith(".md") and rel.endswith("index.html"):
            rel = rel[: -len("index.html")] or "./"
        return rel

    def raw(self, html_text: str) -> str:
        """A placeholder line for trusted, ready HTML (a sanitised report, a large table).

        Markdown would parse such HTML again only to pass it through; the plugin puts the
        HTML in place of the placeholder once the page is rendered (``splice``)."""
        token = f"{self.nonce}-{secrets.token_hex(8)}"  # unique across worker processes too
        self.fragments[token] = html_text
        return f"<!--baocao:{token}-->"

    def unit_page(self, unit_id: str) -> str:
        return f"{UNITS_DIR}/{unit_id}.md"

    def group_name(self, group_id: str) -> str:
        g = self.campaign.group_by_id.get(group_id)
        return g.name if g else group_id


def _page_url(page: str, directory_urls: bool) -> str:
    """'don-vi/x.md' -> 'don-vi/x.html' or 'don-vi/x/index.html' (a file path, for relpath)."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if not page.endswith(".md"):
        return page
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


# --------------------------------------------------------------------------- text helpers

# The escapers of the formats pages are written in (baocao.escape): every value from a report,
# a file name, an author or campaign.yml goes through one of them.
md_text = escape_markdown.text
esc = escape_html.text


def show_time(ctx: SiteContext, value: datetime | str | None) -> str:
    """A moment in the campaign's zone, in Vietnamese; "" for none (ISO text: a PDF's own times)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) and value else value
    return when(moment, ctx.tz) if isinstance(moment, datetime) else ""


def badge(state: str, label: str) -> str:
    return f'<span class="bc-badge bc-{esc(state)}">{esc(label)}</span>'


def findings_count(u: UnitStatus) -> int:
    return len(u.errors) + len(u.warnings)


def attachments_in(root: Path, unit_ids: list[str]) -> dict[str, list[str]]:
    """Attachment files (signed PDF, images, the original of a Word report) in each unit's folder."""
    out: dict[str, list[str]] = {}
    base = root / "submissions"
    for unit in unit_ids:
        folder = base / unit
        if folder.is_dir():
            names = sorted(
                p.name
                for p in folder.iterdir()
                if p.is_file() and not p.is_symlink() and p.suffix.lower() in (*ATTACHMENTS, ".docx")
            )
            if names:
                out[unit] = names
    return out


# --------------------------------------------------------------------------- building


def load_context(
    root: Path,
    campaign: Campaign,
    as_of: datetime | None = None,
    *,
    docs_dir: str = "docs",
    directory_urls: bool = False,
    repo_url: str | None = None,
) -> SiteContext:
    """The context of a campaign repository at ``as_of`` (default: now), status computed
    from its history. Raises ``baocao.history.read.HistoryError`` when history cannot be read."""
    from baocao.documents.changes import since_deadline
    from baocao.history.gitlog import open_repo, read_object
    from baocao.status.judge import compute_status

    status = compute_status(campaign, root, as_of)
    repo = open_repo(root)

    def read(blob: str) -> bytes:
        return read_object(repo, blob)

    return SiteContext(
        campaign=campaign,
        root=root,
        status=status,
        reports={
            (u.path, u.blob): u.checked
            for st in status.stages
            for u in st.units
            if u.checked is not None and u.path and u.blob
        },
        read_blob=read,
        docs_dir=docs_dir,
        directory_urls=directory_urls,
        attachments=attachments_in(root, [u.id for u in campaign.units]),
        changes=since_deadline(campaign, status, read),
        host=host_for(campaign.campaign.repo_url or repo_url),
    )


def context_for(root: Path, campaign: Campaign, as_of: datetime | None, config: Any, docs: Path) -> SiteContext:
    """``load_context`` with what a MkDocs/ProperDocs config says: the docs folder (relative to
    the repository), its URL style and ``repo_url`` (campaign.yml's own repo_url wins)."""
    try:
        docs_rel = docs.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        docs_rel = docs.name
    return load_context(
        root,
        campaign,
        as_of,
        docs_dir=docs_rel,
        directory_urls=bool(config.use_directory_urls),
        repo_url=config.repo_url,
    )


PLACEHOLDER = re.compile(r"<!--baocao:([0-9a-f]+-[0-9a-f]+)-->")


def splice(html_text: str, fragments: dict[str, str]) -> str:
    """Put the HTML of ``SiteContext.raw`` placeholders into a rendered page."""
    if "<!--baocao:" not in html_text:
        return html_text
    return PLACEHOLDER.sub(lambda m: fragments.get(m.group(1), ""), html_text)


_PLAIN_NAME = re.compile(r"^\w[\w.()-]*$")


def site_name(name: str) -> str:
    """The name an attachment is published under: its own when plain (letters, digits, '-',
    '_', '.', parentheses), else one made from its hash, so that a name with '#', '%', '{',
    quotes or spaces can neither break the build nor become markup. Pages show the real name."""
    if _PLAIN_NAME.match(name):
        return name
    suffix = PurePosixPath(name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
    return f"tep-{hashlib.sha1(name.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}{suffix}"


def attachment_uri(unit: str, name: str) -> str:
    return str(PurePosixPath(UNITS_DIR) / unit / site_name(name))


# --------------------------------------------------------------------------- search

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str | None:
    """The unaccented form of a word, or None when folding changes nothing."""
    folded = fold_diacritics(word)
    return folded if folded != word.casefold() else None


def folded_words(text: str) -> str:
    """The words of ``text`` whose unaccented form differs, unaccented, once each (in order of
    first appearance). Cheaper than a regex over all the text: folding leaves pure-ASCII text
    unchanged, so such a text and such a token are skipped; a text is split at whitespace (never
    inside a word) and each distinct token looked at once; a token of letters and digits only is
    a word as it stands, any other is split into words by the regex."""
    if text.isascii():
        return ""
    seen: dict[str, None] = {}
    for token in dict.fromkeys((_TAG.sub(" ", text) if "<" in text else text).split()):
        if token.isascii():
            continue
        for word in (token,) if token.isalnum() else _WORD.findall(token):
            if not word.isascii():
                folded = _fold_word(word)
                if folded is not None:
                    seen[folded] = None
    return " ".join(seen)


def fold_search_index(index: dict[str, Any]) -> dict[str, Any]:
    """Let Material's lunr search match unaccented queries ('binh son' finds 'Bình Sơn').

    lunr does no diacritic folding, so every entry gains two fields holding its unaccented
    words, declared in the index config with the boosts of title and text. They are
    indexed but never displayed."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    fields["fold_title"] = {"boost": fields.get("title", {}).get("boost", 1000)}
    fields["fold_text"] = {"boost": fields.get("text", {}).get("boost", 1)}
    for doc in index.get("docs", []):
        doc["fold_title"] = folded_words(doc.get("title", ""))
        doc["fold_text"] = folded_words(doc.get("text", ""))
    return index


def fold_search_file(path: Path, extra: list[dict[str, Any]] | None = None) -> None:
    """Fold the search index at ``path``, adding the ``extra`` entries (``search_entries``) first."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("docs", []).extend(extra or [])
    path.write_text(json.dumps(fold_search_index(data), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# Material keeps these tags in an entry's text and drops the others (keeping their text).
_SEARCH_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
_ANCHORED = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_SPACE = re.compile(r"\s+")
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def _search_text(fragment: str, tags: set[str]) -> str:
    """Text of our own rendered HTML (well-formed, sanitised) with only ``tags`` kept, bare."""
    text = _ANY_TAG.sub(lambda m: f"<{m[1]}{m[2]}>" if m[2] in tags else "", fragment)
    return _SPACE.sub(" ", text).strip()


def search_entries(html_text: str, url: str, title: str) -> list[dict[str, str]]:
    """The search entries of a rendered generated page, as Material's search makes them (one per
    section under a heading with an anchor; the heading's text as title, the text with only the
    tags Material keeps) but without its pure-Python HTML parser, the slowest part of indexing
    thousands of unit pages. A report's own headings have no anchor: they stay in the text of
    their section instead of being glued into its title."""
    parts = _ANCHORED.split(html_text)  # [before, level, id, heading, body, level, id, heading, body, ...]
    sections = [("1", "", html.escape(title, quote=False), parts[0])] if parts[0].strip() else []
    sections += [(parts[i], parts[i + 1], parts[i + 2], parts[i + 3]) for i in range(1, len(parts), 4)]
    out = []
    for n, (level, anchor, heading, body) in enumerate(sections):
        first = n == 0 and level == "1"
        out.append(
            {
                "location": url if first else f"{url}#{html.unescape(anchor)}",
                "title": _search_text(_HEADERLINK.sub("", heading), set()) or html.escape(title, quote=False),
                "text": _search_text(body, _SEARCH_TAGS),
            }
        )
    return out
