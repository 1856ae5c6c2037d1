"""The statistics table of a Word report: rows matched to the campaign's indicators by their
labels, values read in Vietnamese number format.

Numbers in a Word table are written the normal Vietnamese way (dot for thousands, comma for
decimals: ``1.234``, ``12,5``), unlike the YAML front matter of a Markdown report, where the
dot is the decimal point. None of these functions raises: problems are findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baocao.campaign.model import Indicator
from baocao.findings import Finding, finding
from baocao.reports.outline import fold_diacritics, normalize, strip_numbering
from baocao.reports.report import Scalar
from baocao.reports.word.blocks import Table

# --------------------------------------------------------------------------- statistics

_PAREN = re.compile(r"\([^)]*\)")
_VN_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_VN_PLAIN = re.compile(r"^-?\d+(?:,\d+)?$")
_EMPTY_CELL = frozenset({"", "-", "–", "—", "x", "/"})
_VALUE_HEADERS = ("so lieu", "ket qua", "so luong", "thuc hien", "gia tri", "tong so", "tong cong")
_TOTAL_ROW = re.compile(r"^(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+tỉnh)\b", re.IGNORECASE)
_NOTE = re.compile(r"^(?:ghi\s+chú|stt|tt)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NOT_INDICATOR = re.compile(r"^(?:stt|tt|tổng|cộng|trong\s+đó|ghi\s+chú|chỉ\s+tiêu|nội\s+dung)", re.IGNORECASE)


def _says_value(header: str) -> bool:
    key = label_key(header)
    return any(h in key for h in _VALUE_HEADERS)


def _years(header: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(header)}


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
    reported: set[str] = field(default_factory=set)  # see ParsedReport.reported


@dataclass(frozen=True, slots=True)
class Column:
    """The column the values are read from; ``others``: the headers of the other number
    columns when the choice was a guess (D810)."""

    index: int
    header: str
    others: list[str] = field(default_factory=list)


class IndicatorTable:
    """Matches table rows to indicators by their labels."""

    def __init__(self, indicators: list[Indicator], periods: set[int] | None = None):
        self.periods = periods or set()  # the campaign's years: a column headed "Năm 2022" is read
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

    def _headers(self, table: Table, first: int) -> dict[int, str]:
        """Column -> the header text above the first indicator row, rows joined; a merged header
        cell counts for every column under it (columns as in the indicator rows, unmerged)."""
        out: dict[int, str] = {}
        for row in table.rows[:first]:
            column = 0
            for cell in row:
                text = " ".join(cell.text.split())
                for i in range(column, column + cell.span):
                    if text and text not in out.get(i, ""):
                        out[i] = f"{out[i]} {text}" if i in out else text
                column += cell.span
        return out

    def value_column(self, table: Table, rows: list[tuple[int, int, Indicator]]) -> Column | None:
        """The column the values are read from.

        The number columns right of the labels (and any column headed like "Số liệu"); with one,
        it. With several, the one whose header names the campaign's period ("Năm 2022"), else
        the one headed "Số liệu", "Kết quả", "Tổng cộng"...; else the rightmost, among the
        columns headed by a year when there are such, and ``Column.others`` says it was a guess."""
        first = min(r for r, _, _ in rows)
        label_col = min(c for _, c, _ in rows)
        headers = self._headers(table, first)
        counts: dict[int, int] = {}
        for r, c, _ in rows:
            for i in range(c + 1, len(table.rows[r])):
                text = table.rows[r][i].text
                if label_key(text) not in self.units and isinstance(vn_number(text), int | float):
                    counts[i] = counts.get(i, 0) + 1
        most = max(counts.values(), default=0)
        named = {i for i, h in headers.items() if i > label_col and _says_value(h)}
        numeric = {i for i, n in counts.items() if 2 * n >= most and not _NOTE.match(headers.get(i, ""))}
        candidates = sorted(named | numeric)
        if len(candidates) <= 1:
            return Column(candidates[0], headers.get(candidates[0], "")) if candidates else None
        for prefer in (lambda h: bool(_years(h) & self.periods), _says_value):
            chosen = [i for i in candidates if prefer(headers.get(i, ""))]
            if len(chosen) == 1:
                return Column(chosen[0], headers.get(chosen[0], ""))
        pool = [i for i in candidates if _years(headers.get(i, ""))] or candidates
        return Column(pool[-1], headers.get(pool[-1], ""), [headers.get(i, "") for i in candidates if i != pool[-1]])

    def _ambiguous(self, table: Table, col: Column, path: str) -> Finding:
        read = f"“{col.header}”" if col.header else "bên phải nhất"
        others = ", ".join(f"“{h}”" for h in col.others if h) or "khác"
        period = f"“Năm {max(self.periods)}”" if self.periods else "“Năm 2022”"
        return finding(
            "D810",
            path,
            table.number,
            f"Bảng số liệu ở đoạn {table.number} có nhiều cột số; baocao đã đọc cột {read} (cột số bên phải "
            f"nhất{', ghi năm' if _years(col.header) else ''}), không đọc cột {others}. Nếu đó không phải số liệu "
            f"của kỳ báo cáo, trong Word sửa tiêu đề cột cần đọc thành “Số liệu” hoặc ghi đúng kỳ báo cáo "
            f"(ví dụ {period}); các cột so sánh có thể giữ lại.",
        )

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
            column = self.value_column(table, rows)
            if column is None:
                stats.reported |= {f"so_lieu.{ind.id}" for _, _, ind in rows}
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
            if column.others:
                stats.findings.append(self._ambiguous(table, column, path))
            col = column.index
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
                stats.reported.add(f"so_lieu.{ind.id}")
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
