"""What a Party-format document says about itself: the header block (số hiệu, place and date),
the signature block (authority, title, signer) and the statistics table.

All functions take pieces of text with the paragraph number they came from ("đoạn") and
return values plus findings; none raises. Numbers in a Word table are written the normal
Vietnamese way (dot for thousands, comma for decimals: ``1.234``, ``12,5``), unlike the YAML
front matter of a Markdown report, where the dot is the decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .findings import Finding, finding
from .model import Indicator
from .outline import fold_diacritics, normalize, strip_numbering
from .report import Scalar
from .word_blocks import Para, Table


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
        if h.ngay is None and (m := _DATE.search(piece.text) or _DATE_SHORT.search(piece.text)):
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
_PLACEHOLDER = re.compile(r"^\(.*\)$|^đã\s+ký$|^\[.*\]$", re.IGNORECASE)


def is_authority(text: str) -> bool:
    return bool(_AUTHORITY.match(text))


def is_recipients(text: str) -> bool:
    return bool(_RECIPIENTS.match(text))


def is_appendix(text: str) -> bool:
    return bool(_APPENDIX.match(text))


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def sentence_case(text: str) -> str:
    """'BÍ THƯ' -> 'Bí thư'; mixed case is kept as typed."""
    return text[:1] + text[1:].lower() if _upper(text) else text


def title_case(text: str) -> str:
    """'NGUYỄN VĂN A' -> 'Nguyễn Văn A'; mixed case is kept as typed."""
    return " ".join(w[:1] + w[1:].lower() for w in text.split()) if _upper(text) else text


@dataclass
class Signature:
    authority: Piece | None = None
    chuc_vu: Piece | None = None
    nguoi_ky: Piece | None = None


def read_signature(lines: list[Piece]) -> Signature:
    """Authority ("T/M BAN THƯỜNG VỤ"), the title under it ("BÍ THƯ") and the signer's name
    (the last line of the block), skipping the distribution list and "(Đã ký)" marks."""
    sig = Signature()
    kept = [p for p in lines if not is_recipients(p.text) and not p.text.startswith(("-", "+", "•", "–"))]
    start = next((i for i, p in enumerate(kept) if is_authority(p.text)), None)
    if start is None:  # no "T/M ...": the first upper-case line is the title
        start = next((i - 1 for i, p in enumerate(kept) if _upper(p.text) and len(p.text.split()) <= 6), None)
        if start is None:
            return sig
    else:
        sig.authority = kept[start]
    rest = [p for p in kept[start + 1 :] if not _PLACEHOLDER.match(p.text)]
    end = next((i for i, p in enumerate(rest) if is_appendix(p.text)), len(rest))
    rest = rest[:end]
    if rest and _upper(rest[0].text) and len(rest[0].text.split()) <= 8:
        sig.chuc_vu = Piece(sentence_case(rest[0].text), rest[0].number)
        rest = rest[1:]
    elif sig.authority is not None:
        title = re.sub(r"^\S+\s+", "", sig.authority.text)
        sig.chuc_vu = Piece(sentence_case(title), sig.authority.number)
    names = [p for p in rest if 2 <= len(p.text.split()) <= 6 and not _NOT_A_NAME.search(p.text)]
    if names:
        sig.nguoi_ky = Piece(title_case(names[-1].text), names[-1].number)
    return sig


# --------------------------------------------------------------------------- statistics

_PAREN = re.compile(r"\([^)]*\)")
_VN_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_VN_PLAIN = re.compile(r"^-?\d+(?:,\d+)?$")
_EMPTY_CELL = frozenset({"", "-", "–", "—", "x", "/"})
_VALUE_HEADERS = ("so lieu", "ket qua", "so luong", "thuc hien", "gia tri", "tong so", "tong cong")
_TOTAL_ROW = re.compile(r"^(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+tỉnh)\b", re.IGNORECASE)
_NOT_INDICATOR = re.compile(r"^(?:stt|tt|tổng|cộng|trong\s+đó|ghi\s+chú|chỉ\s+tiêu|nội\s+dung)", re.IGNORECASE)


def label_key(text: str) -> str:
    """An indicator label as compared: no unit in brackets, no numbering, no diacritics."""
    t = strip_numbering(normalize(_PAREN.sub(" ", text)))
    t = re.sub(r"[^\w\s]", " ", fold_diacritics(t)).replace("_", " ")
    return " ".join(t.split())


def vn_number(raw: str) -> int | float | str | None:
    """'1.234' -> 1234, '12,5' -> 12.5, '' or '-' -> None; anything else stays text."""
    t = raw.replace("\u00a0", "").replace(" ", "").strip()
    if t.casefold() in _EMPTY_CELL:
        return None
    if _VN_GROUPED.match(t) or _VN_PLAIN.match(t):
        t = t.replace(".", "").replace(",", ".")
        return float(t) if "." in t else int(t)
    return raw.strip()


@dataclass
class Statistics:
    numbers: dict[str, Scalar] = field(default_factory=dict)
    values: dict[str, int | float | str | None] = field(default_factory=dict)
    line: int = 0  # paragraph number of the first statistics table
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class IndicatorTable:
    """Matches table rows to indicators by their labels."""

    def __init__(self, indicators: list[Indicator]):
        self.by_key: dict[str, Indicator] = {}
        self.units = {label_key(i.unit) for i in indicators if i.unit}
        for ind in indicators:
            for key in (label_key(ind.label), label_key(ind.id), label_key(f"{ind.label} {ind.unit}")):
                self.by_key.setdefault(key, ind)

    def row_label(self, row: list) -> tuple[int, Indicator] | None:
        for i, cell in enumerate(row):
            ind = self.by_key.get(label_key(cell.text)) if cell.text else None
            if ind is not None:
                return i, ind
        return None

    def is_statistics(self, table: Table) -> bool:
        return bool(self.by_key) and any(self.row_label(row) for row in table.rows)

    def header_labels(self, table: Table) -> tuple[int, dict[int, Indicator]] | None:
        """A table laid out the other way round: indicators across one header row (as in the
        compiled draft), values in the "Tổng cộng" row or the only data row."""
        for r, row in enumerate(table.rows[:3]):
            hits = {
                i: ind for i, cell in enumerate(row) if cell.text and (ind := self.by_key.get(label_key(cell.text)))
            }
            if len(hits) >= 2:
                return r, hits
        return None

    def _columns(self, table: Table, header: int, hits: dict[int, Indicator]) -> list[tuple[int, int, Indicator]]:
        data = [r for r in range(header + 1, len(table.rows)) if any(c.text for c in table.rows[r])]
        totals = [r for r in data if any(_TOTAL_ROW.match(c.text) for c in table.rows[r][: min(hits)])]
        row = totals[-1] if totals else (data[0] if len(data) == 1 else None)
        if row is None:
            return []
        return [(row, col, ind) for col, ind in hits.items()]

    def value_column(self, table: Table, rows: list[tuple[int, int, Indicator]]) -> int | None:
        """The header's "Số liệu"-like column, else the column with the most numbers."""
        first = min(r for r, _, _ in rows)
        for row in table.rows[:first]:
            for i, cell in enumerate(row):
                if any(h in label_key(cell.text) for h in _VALUE_HEADERS) and i > min(c for _, c, _ in rows):
                    return i
        counts: dict[int, int] = {}
        for r, c, _ in rows:
            for i in range(c + 1, len(table.rows[r])):
                text = table.rows[r][i].text
                if label_key(text) in self.units:
                    continue
                counts.setdefault(i, 0)
                if isinstance(vn_number(text), int | float):
                    counts[i] += 1
        if not counts:
            return None
        return max(sorted(counts), key=lambda i: counts[i])

    def read(self, tables: list[Table], path: str) -> Statistics:
        stats = Statistics()
        seen: dict[str, int] = {}
        for table in tables:
            across = self.header_labels(table)
            if across:
                cells = self._columns(table, *across)
                if cells:
                    stats.tables.append(table)
                    stats.line = stats.line or table.number
                    self._values(stats, [(table.rows[r][c], table.rows[r][0], ind) for r, c, ind in cells], seen, path)
                continue
            rows = [(r, *hit) for r, row in enumerate(table.rows) if (hit := self.row_label(row))]
            if not rows:
                continue
            stats.tables.append(table)
            stats.line = stats.line or table.number
            col = self.value_column(table, rows)
            if col is None:
                stats.findings.append(
                    finding(
                        "D806",
                        path,
                        table.number,
                        f"Bảng số liệu ở đoạn {table.number} chỉ có tên chỉ tiêu, không có cột số liệu. "
                        "Thêm một cột ghi con số cho từng chỉ tiêu.",
                    )
                )
                continue
            pairs = [
                (table.rows[r][col] if col < len(table.rows[r]) else None, table.rows[r][c], ind) for r, c, ind in rows
            ]
            self._values(stats, pairs, seen, path)
            stats.findings += self._unknown_rows(table, rows, col, path)
        return stats

    def _values(self, stats: Statistics, pairs: list, seen: dict[str, int], path: str) -> None:
        """Read (value cell, label cell, indicator) triples into ``stats``."""
        for cell, label_cell, ind in pairs:
            raw = cell.text.replace("\n", " ").strip() if cell else ""
            number = cell.number if cell and cell.number else label_cell.number
            if ind.id in seen:
                if vn_number(raw) == stats.values.get(ind.id):
                    continue  # the same figure again (a summary table): consistent
                stats.findings.append(
                    finding(
                        "D806",
                        path,
                        number,
                        f"Chỉ tiêu “{ind.label}” ghi hai số khác nhau (đoạn {seen[ind.id]} và đoạn {number}); "
                        "mỗi chỉ tiêu chỉ ghi một số liệu.",
                    )
                )
                continue
            seen[ind.id] = number
            value = vn_number(raw)
            if isinstance(value, str):
                stats.findings.append(
                    finding(
                        "D806",
                        path,
                        number,
                        f"Ô số liệu của “{ind.label}” (đoạn {number}) ghi “{raw}”, không đọc được thành số. "
                        f"Trong ô chỉ gõ con số, ví dụ 1.234 hoặc 12,5; đơn vị ({ind.unit}) để ở tên chỉ tiêu.",
                    )
                )
            stats.values[ind.id] = value
            stats.numbers[ind.id] = Scalar(value, raw, number, False)

    def _unknown_rows(self, table: Table, rows: list[tuple[int, int, Indicator]], col: int, path: str) -> list[Finding]:
        matched = {r for r, _, _ in rows}
        label_col = min(c for _, c, _ in rows)
        out = []
        for r in range(min(matched) + 1, len(table.rows)):
            row = table.rows[r]
            if r in matched or label_col >= len(row) or col >= len(row):
                continue
            label = row[label_col].text.replace("\n", " ").strip()
            if not label or _NOT_INDICATOR.match(label) or label.startswith(("-", "+", "*", "–")):
                continue
            if isinstance(vn_number(row[col].text), int | float):
                out.append(
                    finding(
                        "N502",
                        path,
                        row[label_col].number,
                        f"Dòng “{label}” của bảng số liệu (đoạn {row[label_col].number}) không khớp chỉ tiêu nào "
                        "của phụ lục; sửa tên chỉ tiêu cho đúng phụ lục, hoặc bỏ dòng này.",
                    )
                )
        return out
