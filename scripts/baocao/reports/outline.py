"""The outline (đề cương): flattening, text normalisation and heading matching.

Matching rule: a heading matches a section when both texts are equal after NFC
normalisation, case folding, whitespace folding and dropping trailing punctuation; when
that fails, the leading numbering ("I.", "1.", "a)") is dropped from both sides and the
rest compared, so "## Ưu điểm" and "## 1. Ưu điểm" both match "1. Ưu điểm".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from baocao.campaign.model import Section
from baocao.reports.report import Heading, ParsedReport

if TYPE_CHECKING:
    from baocao.campaign.model import Campaign

_WS = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*", re.IGNORECASE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> str:
    """NFC, case-folded, whitespace-folded, without trailing ':' or '.'."""
    return _WS.sub(" ", nfc(text).casefold()).strip().rstrip(":.;").strip()


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1).strip()


def fold_diacritics(text: str) -> str:
    """'Bình Sơn' -> 'binh son' (with đ -> d), for search and fuzzy matching."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True, slots=True)
class Entry:
    """One section of the outline, flattened, with its depth (1 = top) and parent."""

    section: Section
    depth: int
    parent: str | None
    index: int

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def heading(self) -> str:
        return self.section.heading


def flatten(outline: list[Section]) -> list[Entry]:
    """Depth-first, in document order."""
    out: list[Entry] = []

    def walk(sections: list[Section], depth: int, parent: str | None) -> None:
        for s in sections:
            out.append(Entry(s, depth, parent, len(out)))
            walk(s.sections, depth + 1, s.id)

    walk(outline, 1, None)
    return out


class Matcher:
    """Finds the outline entry a heading text stands for."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._exact: dict[str, list[Entry]] = {}
        self._loose: dict[str, list[Entry]] = {}
        for e in entries:
            self._exact.setdefault(normalize(e.heading), []).append(e)
            self._loose.setdefault(normalize(strip_numbering(e.heading)), []).append(e)

    def match(self, text: str, after: int = -1) -> Entry | None:
        """The entry for ``text``; among equal candidates, the first after index ``after``."""
        key = normalize(text)
        candidates = self._exact.get(key) or self._loose.get(normalize(strip_numbering(key)), [])
        if not candidates:
            return None
        for e in candidates:
            if e.index > after:
                return e
        return candidates[0]


_last_matcher: tuple[Campaign, Matcher] | None = None


def matcher_for(campaign: Campaign) -> Matcher:
    """The campaign's ``Matcher``, built once and reused while the same (frozen) campaign
    object is asked about again; one entry, so nothing is kept beyond the last campaign."""
    global _last_matcher
    last = _last_matcher
    if last is not None and last[0] is campaign:
        return last[1]
    matcher = Matcher(flatten(campaign.outline))
    _last_matcher = (campaign, matcher)
    return matcher


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a report's body under one heading that the outline recognises
    (``entry``), or under an unknown heading at an outline level (``entry`` is None).
    A unit's own deeper sub-headings stay inside the segment above them."""

    entry: Entry | None
    heading: Heading
    end: int | None  # 1-based line of the next segment's heading, None at the end

    def text(self, report: ParsedReport) -> str:
        return report.between(self.heading.line + 1, self.end)


def segment(report: ParsedReport, matcher: Matcher) -> tuple[Heading | None, list[Segment]]:
    """Split a report into outline segments; returns (title heading, segments)."""
    title: Heading | None = None
    marks: list[tuple[Entry | None, Heading]] = []
    last = -1
    level = 0
    for h in report.headings:
        e = matcher.match(h.text, last)
        if e is None:
            if marks and h.level > level:
                continue  # the unit's own sub-heading, inside the current section
            if not marks and title is None and h.level == 1:
                title = h
                continue
        else:
            last = max(last, e.index)
        marks.append((e, h))
        level = h.level
    segs = [Segment(e, h, marks[i + 1][1].line if i + 1 < len(marks) else None) for i, (e, h) in enumerate(marks)]
    return title, segs
