"""XML 1.0 text and attribute values (the Atom feed)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from baocao.escape.text import clean


def text(value: object) -> str:
    return escape(clean(str(value)))


def attribute(value: object) -> str:
    """A quoted attribute value, quotes included."""
    return quoteattr(clean(str(value)))
