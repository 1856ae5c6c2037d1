"""HTML text and attribute values."""

from __future__ import annotations

import html as _html
from urllib.parse import quote

from baocao.escape.text import clean


def text(value: object) -> str:
    """Escaped for HTML text and (double- or single-quoted) attribute values."""
    return _html.escape(clean(str(value)))  # quotes too


def url_path(path: str) -> str:
    """A relative URL path from a file path: every segment percent-encoded, so a name with
    '#', '%', '?', quotes or spaces is one path and nothing else (then escape with ``text``)."""
    return quote(path)  # "/" is kept, everything else outside [A-Za-z0-9_.~-] encoded
