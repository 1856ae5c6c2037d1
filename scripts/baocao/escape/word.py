"""Text runs of a .docx: XML 1.0 cannot hold control characters (ESC, form feed) or U+FFFE,
and python-docx raises on them; a report that passes the checks must still export."""

from __future__ import annotations

from baocao.escape.text import clean


def text(value: object) -> str:
    return clean(str(value))
