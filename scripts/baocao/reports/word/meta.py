"""What a Party-format document says about itself: the header block (số hiệu, place and date)
and the signature block (authority, title, signer). The statistics table is ``word_stats``.

All functions take pieces of text with the paragraph number they came from ("đoạn") and
return values; none raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from baocao.reports.outline import fold_diacritics
from baocao.reports.word.blocks import Para


@dataclass(frozen=True, slots=True)
class Piece:
    """One line of text (a paragraph, a line of it, or a tab-separated column of it)."""

    text: str
    number: int


def pieces(paras: list[Para], *, space_columns: bool = True) -> list[Piece]:
    """Lines of these paragraphs, tab-separated columns split apart (signature blocks are
    often laid out with tabs: "Nơi nhận:<tab>T/M BAN THƯỜNG VỤ")."""
    out: list[Piece] = []
    for p in paras:
        raw = "".join(s.text for s in p.spans)
        for line in raw.split("\n"):
            for col in re.split(r"\t+|\s{4,}" if space_columns else r"\t+", line):
                text = " ".join(col.split())
                if text:
                    out.append(Piece(text, p.number))
    return out


# --------------------------------------------------------------------------- header block

_SO_HIEU = re.compile(r"^Số\s*[:.]?\s*(\d[\w.]*(?:\s*[-/]\s*[\w.]+)+)\s*$", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_SHORT = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE)


# "Quảng Ngãi, ngày 15 tháng 6 năm 2022" is a short line; a sentence citing "Công văn ... ngày
# 06/6/2022" is not the document's date.
_DATE_LINE_WORDS = 12


def _date(text: str) -> re.Match[str] | None:
    return _DATE.search(text) or _DATE_SHORT.search(text)


_BLANK_SO_HIEU = re.compile(r"^Số\s*[:.]?\s*-", re.IGNORECASE)
_BLANK_DATE = re.compile(r"ngày\s+(?:\.*\s*)tháng\s+(?:\.*\s*)năm", re.IGNORECASE)


@dataclass
class Header:
    so_hieu: Piece | None = None
    ngay: tuple[date | str, int] | None = None  # a date, or "30/2/2022" when no such day
    blank: list[Piece] = field(default_factory=list)  # "Số    -BC/ĐU", "ngày   tháng   năm": left to fill in

    @property
    def found(self) -> bool:
        return self.so_hieu is not None or self.ngay is not None or bool(self.blank)


def read_header(lines: list[Piece]) -> Header:
    """ "Số 45-BC/HU" and "Quảng Ngãi, ngày 15 tháng 6 năm 2022", wherever they sit in the header."""
    h = Header()
    for piece in lines:
        if h.so_hieu is None and (m := _SO_HIEU.match(piece.text)):
            h.so_hieu = Piece(re.sub(r"\s+", "", m.group(1)), piece.number)
        if h.ngay is None and len(piece.text.split()) <= _DATE_LINE_WORDS and (m := _date(piece.text)):
            d, mo, y = (int(g) for g in m.groups())
            try:
                h.ngay = (date(y, mo, d), piece.number)
            except ValueError:
                h.ngay = (f"{d}/{mo}/{y}", piece.number)
        if _BLANK_SO_HIEU.match(piece.text) or _BLANK_DATE.search(piece.text):
            h.blank.append(piece)
    return h


# --------------------------------------------------------------------------- signature block

_AUTHORITY = re.compile(r"^(?:T/M|TM\.?|K/T|KT\.?|T/L|TL\.?|TUQ\.?|Q\.|THỪA LỆNH|THAY MẶT)\s+\S", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^nơi\s+nhận", re.IGNORECASE)
_APPENDIX = re.compile(r"^(?:phụ\s+lục|biểu\s+(?:mẫu|số)|bảng\s+số\s+liệu|\(?kèm\s+theo)", re.IGNORECASE)
# Lines of a distribution list written without dashes ("Như trên;", "Lưu VP.") are not names.
_NOT_A_NAME = re.compile(r"[.:;,]$|^(?:lưu|như\s+trên|gửi|kính\s+gửi)\b|\d", re.IGNORECASE)
PLACEHOLDER = re.compile(r"^\(.*\)$|^đã\s+ký$|^\[.*\]$", re.IGNORECASE)


def is_authority(text: str) -> bool:
    return bool(_AUTHORITY.match(text))


def is_recipients(text: str) -> bool:
    return bool(_RECIPIENTS.match(text))


def is_appendix(text: str) -> bool:
    return bool(_APPENDIX.match(text))


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# Offices as Party documents write them in running text (Hướng dẫn 36-HD/VPTW): which words keep a
# capital. A title printed in upper case ("PHÓ BÍ THƯ THƯỜNG TRỰC") is lowered, its first word
# capitalised, and the words of these offices take the capitals shown ("Phó Bí thư Thường trực").
# Keys compare without diacritics; the longest office wins. Abbreviations stay in upper case.
OFFICES = (
    "Phó Bí thư",
    "Bí thư",
    "Thường trực",
    "Trưởng ban",
    "Phó Trưởng ban",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Tổng Biên tập",
    "Phó Tổng Biên tập",
    "Chánh Văn phòng",
    "Ban Thường vụ",
    "Ban Chấp hành",
)
ABBREVIATIONS = frozenset({"UBND", "HĐND", "MTTQ", "TW", "VN", "BCH", "BTV"})
_OFFICE_WORDS = sorted(
    (([fold_diacritics(w) for w in o.split()], [w[:1].isupper() for w in o.split()]) for o in OFFICES),
    key=lambda o: -len(o[0]),
)


def office_case(text: str) -> str:
    """A title of office as written in running text: 'PHÓ BÍ THƯ THƯỜNG TRỰC' -> 'Phó Bí thư
    Thường trực' (see ``OFFICES``); a title not all in upper case is kept as typed."""
    if not is_upper(text):
        return text
    words = text.split()
    out = [w if w in ABBREVIATIONS else w.lower() for w in words]
    folded = [fold_diacritics(w) for w in words]
    i = 0
    while i < len(words):
        hit = next((o for o in _OFFICE_WORDS if folded[i : i + len(o[0])] == o[0]), None)
        if hit is None:
            i += 1
            continue
        for j, capital in enumerate(hit[1]):
            if capital and out[i + j] not in ABBREVIATIONS:
                out[i + j] = out[i + j][:1].upper() + out[i + j][1:]
        i += len(hit[0])
    out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def title_case(text: str) -> str:
    """'NGUYỄN VĂN A' -> 'Nguyễn Văn A'; mixed case is kept as typed."""
    return " ".join(w[:1] + w[1:].lower() for w in text.split()) if is_upper(text) else text


@dataclass
class Signature:
    authority: Piece | None = None
    chuc_vu: Piece | None = None
    nguoi_ky: Piece | None = None


def _name_like(p: Piece) -> bool:
    return 2 <= len(p.text.split()) <= 6 and not _NOT_A_NAME.search(p.text)


def read_signature(lines: list[Piece]) -> Signature:
    """Authority ("T/M BAN THƯỜNG VỤ"), the title under it ("BÍ THƯ") and the signer's name
    (the last line of the block), skipping the distribution list and "(Đã ký)" marks."""
    sig = Signature()
    kept = [p for p in lines if not is_recipients(p.text) and not p.text.startswith(("-", "+", "•", "–"))]
    start = next((i for i, p in enumerate(kept) if is_authority(p.text)), None)
    if start is None:  # no "T/M ...": the first upper-case line is the title
        start = next((i - 1 for i, p in enumerate(kept) if is_upper(p.text) and len(p.text.split()) <= 6), None)
        if start is None:
            return sig
    else:
        sig.authority = kept[start]
    rest = [p for p in kept[start + 1 :] if not PLACEHOLDER.match(p.text)]
    end = next((i for i, p in enumerate(rest) if is_appendix(p.text)), len(rest))
    rest = rest[:end]
    # The title of office: the line under the authority, in capitals or followed by the signer's name.
    if rest and len(rest[0].text.split()) <= 8 and (is_upper(rest[0].text) or any(map(_name_like, rest[1:]))):
        sig.chuc_vu = Piece(office_case(rest[0].text), rest[0].number)
        rest = rest[1:]
    elif sig.authority is not None:
        title = re.sub(r"^\S+\s+", "", sig.authority.text)
        sig.chuc_vu = Piece(office_case(title), sig.authority.number)
    names = [p for p in rest if _name_like(p)]
    if names:
        sig.nguoi_ky = Piece(title_case(names[-1].text), names[-1].number)
    return sig
