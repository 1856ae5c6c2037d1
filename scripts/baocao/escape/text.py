"""Characters no output format should carry: control characters (but tab and newline) and
the Unicode non-characters, which XML 1.0 forbids and Word, Atom and iCalendar reject."""

from __future__ import annotations

import re

# C0 controls except TAB, LF (and CR, folded by callers), DEL, C1 controls, surrogates, U+FFFE/FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden(text: str) -> list[str]:
    """The forbidden characters of ``text``, once each, in order."""
    return list(dict.fromkeys(_FORBIDDEN.findall(text)))


def clean(text: str, replacement: str = "") -> str:
    """``text`` without forbidden characters (CR LF and lone CR become LF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub(replacement, text)


def one_line(value: object) -> str:
    """A value as one line of clean text (whitespace runs folded to one space)."""
    return " ".join(clean(str(value)).split())
