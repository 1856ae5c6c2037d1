"""Why a report is not valid, in words an official document can carry: no line numbers, no
technical terms ("Markdown", "HTML", "YAML"), one phrase per kind of defect. The clerk's own
messages, with lines and fixes, stay on the site and in ``baocao check``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from baocao.findings import CODES, Finding, Severity

# Each phrase reads after "báo cáo": "báo cáo thiếu mục “3. Nguyên nhân”".
_NAMED = {"S401": "thiếu mục “{}”", "S403": "để trống mục “{}”"}  # the section the message quotes
_PLAIN = {
    "S402": "chưa theo đúng thứ tự các mục của đề cương",
    "S405": "có mục bị lặp lại",
    "S406": "chưa đúng cấp mục của đề cương",
    "N501": "thiếu phần số liệu",
    "F204": "chưa lưu đúng bảng mã chữ Việt",
    "F208": "có đoạn trình bày không đúng quy định",
}
_BY_FAMILY = {
    "F": "không đọc được hoặc chưa đúng quy định về tệp",
    "M": "ghi chưa đúng phần thông tin đầu (đơn vị, số hiệu, ngày ký)",
    "S": "chưa đúng đề cương",
    "N": "ghi số liệu chưa đúng quy định",
}
_INDICATOR = re.compile(r"\((?P<label>[^()]+)\)")
_QUOTED = re.compile(r"“(?P<heading>[^”]+)”")


def _phrase(f: Finding) -> str:
    if f.code in _NAMED:
        m = _QUOTED.search(f.message)
        return _NAMED[f.code].format(m.group("heading")) if m else _BY_FAMILY["S"]
    if f.code == "N503":
        m = _INDICATOR.search(f.message)
        return f"thiếu chỉ tiêu “{m.group('label')}”" if m else "thiếu chỉ tiêu bắt buộc"
    if f.code in _PLAIN:
        return _PLAIN[f.code]
    if f.code[:1] in _BY_FAMILY:
        return _BY_FAMILY[f.code[:1]]
    title = CODES[f.code].title if f.code in CODES else "chưa đúng quy định"
    return title[:1].lower() + title[1:]


def plain_reasons(findings: Iterable[Finding]) -> tuple[str, ...]:
    """One phrase per kind of error, in order, without repeats: ('thiếu mục “3. Nguyên nhân”', …)."""
    return tuple(dict.fromkeys(_phrase(f) for f in findings if f.severity is Severity.ERROR))
