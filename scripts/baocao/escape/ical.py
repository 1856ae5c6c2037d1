"""iCalendar (RFC 5545) TEXT values and content lines."""

from __future__ import annotations

from baocao.escape.text import clean


def text(value: object) -> str:
    """Escape a TEXT value (§3.3.11); a bare CR or any control character never passes."""
    flat = clean(str(value))
    return flat.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (§3.1)."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)
