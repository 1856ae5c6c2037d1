"""Warnings that help a clerk before anyone else reads the report: never blocking, each with
the fix. Every figure left at 0 (the skeleton's zeros never filled in, N510), a table pasted
with Tab characters (F215), text typed in a legacy Vietnamese encoding and shown as mojibake
(TCVN3/ABC or VNI, F216)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from baocao.checks.checked import CheckedReport
from baocao.findings import Finding, finding

# Characters legacy Vietnamese fonts put where Unicode letters belong, read as Windows-1252:
# TCVN3 (ABC, fonts .VnTime) writes ơ/ư/đ/á… as these symbols; VNI writes letters plus marks
# that no Vietnamese word has (ø, û, ï, ö, ñ, ä, ë, å …).
TCVN3 = frozenset("¸µ¶·¹¨©ª«¬®§¡¢£¤¥¦¯°±²³´½¾¿ÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖ×ØÙÚÛÜÝÞß÷þ")
VNI = frozenset("øûïöñäëåæçÿ")
LEGACY_SHARE = 0.05  # of a line's letters: a "Ñ" or "ö" in a foreign name is not an encoding
LEGACY_MIN = 4  # odd characters in the line
_TAB_ROW = re.compile(r"\S\t+\S.*\t")  # at least two cells separated by tabs
_TCVN3_CHAR = re.compile("[" + re.escape("".join(sorted(TCVN3))) + "]")
_VNI_CHAR = re.compile("[" + re.escape("".join(sorted(VNI))) + "]")


def rule_all_zero(c: CheckedReport) -> Iterator[Finding]:
    """Every figure 0 while there are several: most likely the skeleton's zeros, never filled in."""
    if len(c.numbers) >= 3 and all(v == 0 for v in c.numbers.values()):
        line = c.report.meta_lines.get("so_lieu", 2)
        yield finding(
            "N510",
            c.path,
            line,
            f"Tất cả {len(c.numbers)} chỉ tiêu đều bằng 0. Nếu đơn vị có phát sinh, hãy ghi số liệu thật; "
            "nếu đúng là không phát sinh, giữ nguyên (đây chỉ là cảnh báo).",
        )


def rule_tabbed_table(c: CheckedReport) -> Iterator[Finding]:
    """A table pasted from Excel or Word arrives as lines of Tab-separated cells."""
    text = c.report.text
    if text is None or "\t" not in text:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if _TAB_ROW.search(line):
            cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
            row = "| " + " | ".join(cells) + " |"
            yield finding(
                "F215",
                c.path,
                number,
                "Có bảng được dán kèm ký tự Tab; trên trang và trong bản tổng hợp bảng sẽ bị dồn thành một dòng. "
                f"Viết mỗi dòng của bảng dạng: {row} (dòng thứ hai của bảng: |---|---|).",
            )
            return  # one warning per file: the fix is the same for every row


def _legacy(line: str) -> str | None:
    """'TCVN3' or 'VNI' when the line reads like that encoding shown as Unicode."""
    tcvn3, vni = len(_TCVN3_CHAR.findall(line)), len(_VNI_CHAR.findall(line))
    odd = max(tcvn3, vni)
    if odd < LEGACY_MIN or odd < LEGACY_SHARE * sum(ch.isalpha() for ch in line):
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def rule_legacy_encoding(c: CheckedReport) -> Iterator[Finding]:
    """Text typed with a TCVN3 (ABC) or VNI font reads as mojibake once it is Unicode: the
    first such line is pointed at (one warning per file, the fix is the same)."""
    text = c.report.text
    if text is None or max(len(_TCVN3_CHAR.findall(text)), len(_VNI_CHAR.findall(text))) < LEGACY_MIN:
        return  # no line can have enough (the common case: checked in C, not line by line)
    for number, line in enumerate(text.split("\n"), 1):
        kind = _legacy(line)
        if kind is None:
            continue
        name = "TCVN3 (ABC, phông .VnTime)" if kind == "TCVN3" else "VNI (phông VNI-Times)"
        source = "TCVN3 (ABC)" if kind == "TCVN3" else "VNI Windows"
        yield finding(
            "F216",
            c.path,
            number,
            f"Chữ Việt ở dòng này có vẻ được gõ bằng bảng mã cũ {name} nên hiển thị sai dấu. Chuyển sang "
            f"Unicode: chép nội dung, mở Unikey → Công cụ (Ctrl+Shift+F6), chọn bảng mã nguồn {source}, "
            "bảng mã đích Unicode, bấm Chuyển mã, rồi dán lại.",
        )
        return


HINTS = (rule_all_zero, rule_tabbed_table, rule_legacy_encoding)  # run in this order, after the rules
