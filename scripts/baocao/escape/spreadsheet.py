"""Cells of CSV files and Excel sheets: text is never taken for a formula.

A cell starting with '=', '+', '-', '@', TAB or CR is a formula (or its start) for Excel and
LibreOffice ("CSV injection"); such text is prefixed with an apostrophe-like quote, the
OWASP-recommended defence, so it shows as typed."""

from __future__ import annotations

from baocao.escape.text import clean

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A cell value: numbers and None unchanged, text cleaned and defused."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = clean(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text
