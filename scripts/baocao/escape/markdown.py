"""Plain text inside the Markdown that baocao generates for the site (whose Markdown has raw
HTML, attribute lists and admonitions on): the value shows as typed and is never markup."""

from __future__ import annotations

import html
import re

from baocao.escape.text import one_line

# Anywhere in a line: emphasis, code, links and images (no '[' means no link, so '(' and '!'
# are harmless), attribute lists '{: …}', table cells. Python-Markdown unescapes exactly these.
_ANYWHERE = re.compile(r"([\\`*_{}\[\]|])")
# At the start of a line only: a heading, a quote, a list item, a setext underline.
_LEADING = re.compile(r"^([#>+=-]|\d+[.)])")


def text(value: object, *, at_start: bool = True) -> str:
    """One line of inert Markdown: HTML-escaped (no tag, no entity), emphasis, links, images,
    attribute lists and table bars backslash-escaped, so '{: onfocus=…}', '[x](javascript:…)',
    '<b>' stay text. ``at_start`` (the default) also escapes what only the start of a line can
    mean ('# ', '> ', '- ', '1. '); pass False for text after a heading's '## '."""
    escaped = _ANYWHERE.sub(r"\\\1", html.escape(one_line(value), quote=False))
    if at_start:
        m = _LEADING.match(escaped)
        if m:
            mark = m.group(1)
            if mark == "=":  # not backslash-escapable in Python-Markdown: a backslash would show
                mark = "&#61;"
            elif mark[0].isdigit():
                mark = mark[:-1] + "\\" + mark[-1]
            else:
                mark = "\\" + mark
            escaped = mark + escaped[m.end() :]
    return escaped
