"""An incoming Word report against the Party document format (Hướng dẫn 36-HD/VPTW): paper,
margins, font and size of the body text, the header block and "Nơi nhận". Warnings only, each
with the fix in Word: a report in another layout is still read, counted and compiled.

Ranges are those of the guide: A4; margins top 20–25, bottom 20–25, left 30–35, right
15–20 mm; Times New Roman; body text 13–15 pt; "ĐẢNG CỘNG SẢN VIỆT NAM" in the header block.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from baocao.findings import Finding, finding

A4_MM = (210.0, 297.0)
PAPER_TOLERANCE_MM = 2.0
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
MARGIN_NAMES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
MARGIN_TOLERANCE_MM = 0.5  # Word stores margins in twentieths of a point: 2 cm reads 19.99 mm
FONT = "Times New Roman"
BODY_PT = (13.0, 15.0)
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
DEFAULT_FONT = "phông mặc định của Word (Calibri hoặc Aptos)"
WORD_DEFAULT_PT = 11.0


def _mm(length: Any) -> float | None:
    return None if length is None else length / 36000  # EMU per mm


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


def _style_attr(style: Any, attr: str) -> Any:
    """A font attribute of a paragraph style, following its base styles."""
    seen = 0
    while style is not None and seen < 20:  # a cyclic base chain in a hostile file stops here
        value = getattr(style.font, attr, None)
        if value is not None:
            return value
        style, seen = style.base_style, seen + 1
    return None


def _defaults(document: Any) -> tuple[str | None, float | None]:
    """The document defaults' font (None when it is a theme font) and size."""
    from docx.oxml.ns import qn

    try:
        rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    except AttributeError:
        return None, None
    if rpr is None:
        return None, None
    fonts = rpr.find(qn("w:rFonts"))
    size = rpr.find(qn("w:sz"))
    name = fonts.get(qn("w:ascii")) if fonts is not None else None
    half_points = size.get(qn("w:val")) if size is not None else None
    return name, (int(half_points) / 2 if half_points and half_points.isdigit() else None)


def body_font(document: Any) -> tuple[str, float]:
    """The font and size most of the body text is set in (weighted by characters)."""
    default_name, default_size = _defaults(document)
    names: Counter[str] = Counter()
    sizes: Counter[float] = Counter()
    for para in document.paragraphs:
        for run in para.runs:
            n = len(run.text.strip())
            if not n:
                continue
            name = run.font.name or _style_attr(para.style, "name") or default_name or DEFAULT_FONT
            size = run.font.size.pt if run.font.size else None
            if size is None:
                style_size = _style_attr(para.style, "size")
                size = style_size.pt if style_size is not None else (default_size or WORD_DEFAULT_PT)
            names[name] += n
            sizes[size] += n
    if not names:
        return FONT, BODY_PT[0]
    return names.most_common(1)[0][0], sizes.most_common(1)[0][0]


def party_format(document: Any, path: str) -> list[Finding]:
    """Warnings (D811–D815) where a Word report departs from the Party document format."""
    out: list[Finding] = []
    try:
        section = document.sections[0]
    except IndexError:
        return out
    width, height = _mm(section.page_width), _mm(section.page_height)
    if width is not None and height is not None:
        short, long_ = sorted((width, height))
        if abs(short - A4_MM[0]) > PAPER_TOLERANCE_MM or abs(long_ - A4_MM[1]) > PAPER_TOLERANCE_MM:
            out.append(
                finding(
                    "D811",
                    path,
                    1,
                    f"Khổ giấy {short:.0f} × {long_:.0f} mm, không phải A4 (210 × 297 mm). Trong Word: Bố cục "
                    "(Layout) → Kích thước (Size) → A4.",
                )
            )
    wrong = []
    for side, (low, high) in MARGINS_MM.items():
        value = _mm(getattr(section, f"{side}_margin"))
        if value is not None and not low - MARGIN_TOLERANCE_MM <= value <= high + MARGIN_TOLERANCE_MM:
            wrong.append(f"lề {MARGIN_NAMES[side]} {value:.0f} mm (cần {low}–{high} mm)")
    if wrong:
        out.append(
            finding(
                "D812",
                path,
                1,
                f"Lề trang chưa đúng thể thức: {'; '.join(wrong)}. Trong Word: Bố cục (Layout) → Lề (Margins) "
                "→ Lề tùy chỉnh (Custom Margins): trên 2,5 cm, dưới 2,5 cm, trái 3,5 cm, phải 1,5 cm.",
            )
        )
    name, size = body_font(document)
    if _fold(name) != _fold(FONT):
        out.append(
            finding(
                "D813",
                path,
                1,
                f"Phần lớn nội dung dùng phông “{name}”, không phải {FONT}. Trong Word: chọn toàn bộ (Ctrl+A), "
                f"chọn phông {FONT}.",
            )
        )
    elif not BODY_PT[0] <= size <= BODY_PT[1]:
        out.append(
            finding(
                "D813",
                path,
                1,
                f"Cỡ chữ phần nội dung là {size:g}, thể thức quy định 13–15 (thường 14). Trong Word: chọn đoạn "
                "nội dung, chọn cỡ chữ 14.",
            )
        )
    texts = [_fold(p.text) for p in document.paragraphs]
    cells = [_fold(c.text) for t in document.tables[:3] for row in t.rows[:3] for c in row.cells]
    if not any(PARTY in t for t in texts[:20] + cells):
        out.append(
            finding(
                "D814",
                path,
                1,
                f"Phần đầu văn bản chưa có dòng “{PARTY}” (bên phải, chữ in hoa, đậm, có gạch dưới). Giữ "
                "phần đầu theo mẫu: bên trái tên cơ quan cấp trên, cơ quan ban hành, số và ký hiệu; bên phải "
                "địa danh và ngày tháng.",
            )
        )
    tail = texts[-40:] + [_fold(c.text) for t in document.tables[-2:] for row in t.rows for c in row.cells]
    if not any(t.startswith("NƠI NHẬN") for t in tail):
        out.append(
            finding(
                "D815",
                path,
                1,
                "Cuối văn bản chưa có “Nơi nhận:” (bên trái, ngang hàng khối chữ ký), liệt kê nơi nhận và “Lưu VT”.",
            )
        )
    return out
