"""Reading one statistic (so_lieu entry) as the clerk typed it.

YAML reads ``1.000`` as the float 1.0 and ``010`` as octal 8; a clerk used to Vietnamese
notation means one thousand and ten. The raw text decides, so the ambiguous forms are
refused with an explanation instead of being silently misread.
"""

from __future__ import annotations

import math
import re

from baocao.campaign.model import Indicator
from baocao.reports.report import Scalar

# A thousands separator needs a non-zero leading group: "0.500" is a decimal, "1.000" is not.
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_LEADING_ZERO = re.compile(r"^0\d+$")
# Grouped by thousands with spaces or with both marks: "1 250", "1.250,5", "1,250.5".
_GROUPED = re.compile(r"^\d{1,3}(?:[ \u00a0.,]\d{3})+(?:[.,]\d+)?$")
# What a number may look like unquoted (thousands separators are judged below, with a hint).
_DECIMAL = re.compile(r"^-?\d+(?:[.,]\d+)*$")
MAX_DIGITS = 15  # beyond this a float loses digits and an integer is surely a typing mistake

Reading = tuple[int | float | None, str | None, str]


def _plain(grouped: str) -> str:
    """'1.250,5' -> '1250.5', '1,250.5' -> '1250.5', '1 250' -> '1250': the last mark before
    a group of other than three digits is the decimal one."""
    text = grouped.replace(" ", "").replace("\u00a0", "")
    marks = [i for i, ch in enumerate(text) if ch in ".,"]
    if marks and len(text) - marks[-1] - 1 != 3:
        head, tail = text[: marks[-1]], text[marks[-1] + 1 :]
        return f"{re.sub('[.,]', '', head)}.{tail}"
    return re.sub("[.,]", "", text)


def interpret(s: Scalar, ind: Indicator) -> Reading:
    """A typed number from what the clerk wrote, or (None, code, message)."""
    v, raw = s.value, s.raw.strip()
    if isinstance(v, list | dict):
        return None, "N504", f"Chỉ tiêu '{ind.id}' phải là một con số, không phải danh sách."
    if v is None or raw == "":
        return None, "N503", f"Chỉ tiêu '{ind.id}' chưa ghi số; nếu không phát sinh, ghi 0."
    digits = sum(ch.isdigit() for ch in raw)
    if digits > MAX_DIGITS:
        return None, "N509", f"Chỉ tiêu '{ind.id}' có {digits} chữ số, quá {MAX_DIGITS} chữ số cho phép."
    if not s.quoted and isinstance(v, int | float) and not isinstance(v, bool) and not _DECIMAL.match(raw):
        # YAML reads 0x10 as 16, 0b11 as 3, 1:30 as 90, 1e3 as 1000, 1_000 as 1000, .inf as infinity.
        return None, "N504", f"'{raw}' không phải số thập phân thông thường; chỉ ghi chữ số, ví dụ 16 hoặc 12.5."
    if not s.quoted and _LEADING_ZERO.match(raw):
        v = int(raw)  # YAML would read 010 as octal 8
    if not s.quoted and isinstance(v, float) and _THOUSANDS.match(raw):
        plain = raw.replace(".", "")
        decimal = ", hoặc bỏ số 0 ở cuối nếu là số thập phân" if ind.type == "number" else ""
        return (
            None,
            "N507",
            f"'{raw}' được đọc là {v:g}, không phải {plain}; ghi {plain} nếu là số nghìn "
            f"(không dùng dấu chấm hàng nghìn){decimal}.",
        )
    if isinstance(v, str):
        bare = raw.strip("'\"")  # quotes typed inside the quotes: "'1.250'"
        if _THOUSANDS.match(bare):
            return None, "N507", f"'{bare}' có dấu phân cách hàng nghìn; ghi {re.sub('[.,]', '', bare)}."
        if _DECIMAL_COMMA.match(v.strip()):
            return None, "N507", f"'{raw}' dùng dấu phẩy thập phân; ghi {v.strip().replace(',', '.')}."
        if _PLAIN_NUMBER.match(v.strip()):
            v = float(v) if "." in v else int(v)
        elif _GROUPED.match(bare):
            return (
                None,
                "N507",
                f"'{bare}' viết kiểu có phân cách hàng nghìn; ghi {_plain(bare)} (chỉ chữ số, dấu chấm thập phân).",
            )
        else:
            return None, "N504", f"'{raw}' không phải là số; chỉ ghi con số, không kèm chữ (đơn vị: {ind.unit})."
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        return None, "N504", f"'{raw}' không phải là số."
    if v < 0:
        return None, "N505", f"Chỉ tiêu '{ind.id}' có số âm ({raw})."
    if ind.type == "integer":
        if isinstance(v, float) and not v.is_integer():
            return None, "N506", f"'{raw}' có phần thập phân; '{ind.label}' phải là số nguyên."
        v = int(v)
    return v, None, ""
