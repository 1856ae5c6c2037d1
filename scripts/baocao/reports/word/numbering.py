"""Word's automatic numbering drawn as text: the label ("I.", "1.", "a)", "-") that Word shows
before a numbered paragraph, counted per list as Word counts it, from ``word/numbering.xml``."""

from __future__ import annotations

import re
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    """An element name in the WordprocessingML namespace, as lxml spells it."""
    return f"{{{W}}}{tag}"


_ROMAN: tuple[tuple[int, str], ...] = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
_ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        r = _letter(n)
        return r.upper() if fmt == "upperLetter" else r
    return str(n)


class Numbering:
    """Draws the labels of Word's automatic numbering, counting as Word does per list."""

    def __init__(self, numbering_el: Any | None):
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self._counts: dict[str, dict[int, int]] = {}
        if numbering_el is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for a in numbering_el.iter(q("abstractNum")):
            levels = {}
            for lvl in a.iter(q("lvl")):
                start, fmt, text = lvl.find(q("start")), lvl.find(q("numFmt")), lvl.find(q("lvlText"))
                try:
                    levels[int(lvl.get(q("ilvl"), "0"))] = (
                        int(start.get(q("val"), "1")) if start is not None else 1,
                        fmt.get(q("val"), "decimal") if fmt is not None else "decimal",
                        text.get(q("val"), "") if text is not None else "",
                    )
                except ValueError:
                    continue
            abstract[a.get(q("abstractNumId"), "")] = levels
        for n in numbering_el.iter(q("num")):
            ref = n.find(q("abstractNumId"))
            if ref is not None:
                self._levels[n.get(q("numId"), "")] = abstract.get(ref.get(q("val"), ""), {})

    def label(self, num: tuple[str, int]) -> str:
        num_id, ilvl = num
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counts = self._counts.setdefault(num_id, {})
        start, fmt, text = levels[ilvl]
        counts[ilvl] = counts.get(ilvl, start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def level_text(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            return format_number(counts.get(k, levels[k][0]), levels[k][1])

        return re.sub(r"%(\d)", level_text, text).strip()
