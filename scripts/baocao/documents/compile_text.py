"""Unit text as it goes into a compilation: comments and closing matter removed, the unit's
own headings demoted, "Không có" recognised, and submitter Markdown made inert so that it
renders safely on the site (whose Markdown has raw HTML and attribute lists on) and in Word."""

from __future__ import annotations

import re

from baocao.checks.checked import CheckedReport
from baocao.reports.outline import normalize
from baocao.reports.report import MD

# A section whose whole text is one short line starting with these words says "nothing to
# report" ("Không có", "Không có đề xuất, kiến nghị.") and is listed in one line.
NOTHING = ("không có", "không phát sinh")
NOTHING_MAX_CHARS = 80
# Closing matter a clerk may leave after the last section; it is not part of any section.
CLOSING = ("nơi nhận",)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"[*_`]")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:.*$", re.MULTILINE)
_MAYBE_SETEXT = re.compile(r"[=-][ \t]*$", re.MULTILINE)
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _link(m: re.Match[str]) -> str:
    image, label, url = m.groups()
    if image or not url.lower().startswith(SAFE_SCHEMES):
        return label
    return m.group(0)


def inert(text: str) -> str:
    """Submitter Markdown made safe to render anywhere (the site's Markdown has raw HTML and
    attribute lists on): '<' as an entity, '{' escaped, images and links other than
    http(s)/mailto reduced to their text, reference definitions dropped."""
    text = _LINK_DEFINITION.sub("", text)
    text = _LINK.sub(_link, text)
    return text.replace("<", "&lt;").replace("{", "\\{")


def unit_text(text: str) -> str:
    """A unit's section text as it goes into the compilation: template comments and closing
    matter ("Nơi nhận: …") removed, the unit's own headings turned into bold lines so they
    cannot break the outline's numbering, and made inert."""
    text = _COMMENT.sub("", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if normalize(_EMPHASIS.sub("", line)).startswith(CLOSING):
            lines = lines[:i]
            break
    text = "\n".join(lines)
    # Parsing is most of a compilation's time; a text without '#' and without a line ending in
    # '=' or '-' (a setext underline) has no heading, so it is not parsed.
    tokens = MD.parse(text) if "#" in text or _MAYBE_SETEXT.search(text) else []
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open" or not tok.map:
            continue
        start, end = tok.map
        lines[start] = f"**{tokens[i + 1].content.strip()}**\n"
        for j in range(start + 1, end):
            lines[j] = ""  # a setext underline
    return inert(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


def unit_sections(report: CheckedReport) -> dict[str, str]:
    """A unit's text per outline section id. A heading the outline does not know (a warning,
    not an error) keeps its text with the section before it, as a bold line."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for seg in report.segments:
        text = seg.text(report.report)
        if seg.entry is not None:
            current = seg.entry.id
            out.setdefault(current, []).append(text)
        elif current is not None:
            out[current].append(f"### {seg.heading.text}\n\n{text}")
    return {k: unit_text("\n\n".join(v)) for k, v in out.items()}


def says_nothing(text: str) -> bool:
    flat = normalize(_EMPHASIS.sub("", text))
    return "\n" not in text.strip() and len(flat) <= NOTHING_MAX_CHARS and flat.startswith(NOTHING)


def whole_text(report: CheckedReport) -> str:
    """A report's body without its title heading, for stages that have no outline."""
    parsed = report.report
    heads = parsed.headings
    start = heads[0].line + 1 if heads and heads[0].level == 1 else parsed.body_line
    return unit_text(parsed.between(start, None))
