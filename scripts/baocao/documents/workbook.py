"""The compilation as an Excel workbook: "Tình hình nộp" (each unit's state in each stage,
times as real Excel datetimes) and "Số liệu" (indicators by unit with SUM formulas in the
total row, so figures the office corrects recompute), plus "Theo nhóm" (SUMIF by group).

Excel has no time zones: times are written naive, in the campaign's zone, which the sheet
says in its header.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from baocao import vn
from baocao.campaign.model import Stage, Unit
from baocao.documents.compile import Compiled, describe
from baocao.documents.draft_markdown import indicator_header
from baocao.escape.spreadsheet import cell as safe
from baocao.status.judge import STATE_LABELS, State

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.##"
STATUS_SHEET = "Tình hình nộp"
FIGURES_SHEET = "Số liệu"
GROUPS_SHEET = "Theo nhóm"
BOLD = Font(bold=True)
FIRST_ROW = 5  # data starts below a title, a subtitle, a blank row and the header


@dataclass(frozen=True)
class StatusRow:
    """One unit in one stage, as the status sheet shows it."""

    stage: Stage
    deadline: datetime
    unit: Unit
    state: State
    submitted_at: datetime | None = None
    late_seconds: int = 0
    path: str = ""
    errors: tuple[str, ...] = ()


def status_rows(c: Compiled) -> list[StatusRow]:
    """Every stage and unit from the status the compilation was made from (or, without one,
    the compiled stage alone)."""
    if c.status is None:
        rows = [
            StatusRow(
                c.stage,
                c.deadline,
                s.unit,
                State.LATE if s.late_seconds else State.ON_TIME,
                s.submitted_at,
                s.late_seconds,
                s.report.path,
            )
            for s in c.sources
        ]
        rows += [
            StatusRow(c.stage, c.deadline, a.unit, a.state, a.submitted_at, a.late_seconds, "", a.errors)
            for a in c.absent
            if a.state is not State.LATE
        ]
        return rows
    out = []
    for st in c.status.stages:
        stage = c.campaign.stage_by_id[st.id]
        for u in st.units:
            out.append(
                StatusRow(
                    stage,
                    st.due,
                    c.campaign.unit_by_id[u.unit],
                    u.state,
                    u.submitted_at,
                    u.late_seconds or 0,
                    u.path or "",
                    describe(u.errors),
                )
            )
    return out


def _naive(moment: datetime | None, c: Compiled) -> datetime | None:
    return moment.astimezone(c.campaign.tz).replace(tzinfo=None) if moment else None


def print_setup(ws: Worksheet, frozen: str) -> None:
    """Print as an office hands a table round: landscape A4, all columns on one page width
    (as many pages down as needed), the header row repeated on every page, panes frozen at
    ``frozen`` on screen, centred, with the sheet's name and page numbers in the footer."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&A – trang &P/&N"
    ws.freeze_panes = frozen


def fit_columns(ws: Worksheet, least: float = 6, most: float = 48) -> None:
    """Column widths from the longest line of each column's text (header lines wrap), in Excel's
    character units, between ``least`` and ``most``; formulas count as the width of a number."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=FIRST_ROW - 1):
        for cell in row:
            if cell.value is None:
                continue
            value = cell.value
            if isinstance(value, str) and value.startswith("="):
                n = 12.0
            elif isinstance(value, datetime):
                n = 16.0
            elif cell.row == FIRST_ROW - 1:
                n = max(len(w) for w in str(value).split()) + 4.0  # the header wraps between words
            else:
                n = max(len(line) for line in str(value).split("\n")) + 2.0
            widths[cell.column] = max(widths.get(cell.column, 0), n)
    lines = 1
    for col, n in widths.items():
        width = min(max(n, least), most)
        ws.column_dimensions[get_column_letter(col)].width = width
        header = ws.cell(FIRST_ROW - 1, col).value
        if isinstance(header, str):  # the header wraps: its row grows to hold every line
            lines = max(lines, math.ceil(len(header) / max(width - 2, 1)))
    ws.row_dimensions[FIRST_ROW - 1].height = 15 * lines + 3


def _heading(ws: Worksheet, title: str, subtitle: str, header: list[str]) -> None:
    """Title, subtitle, a blank row, the header; data rows follow from FIRST_ROW."""
    ws.cell(1, 1, safe(title)).font = Font(bold=True, size=13)
    ws.cell(2, 1, safe(subtitle))
    for j, text in enumerate(header, 1):
        ws.cell(FIRST_ROW - 1, j, safe(text))
    for cell in ws[FIRST_ROW - 1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    print_setup(ws, f"C{FIRST_ROW}")


def _literal(text: str) -> str:
    """Text inside a formula's string literal: quotes doubled; the cell compared against it is
    written with ``cell`` too, so both carry the same defusing prefix."""
    return str(safe(text)).replace('"', '""')


def _put(ws: Worksheet, row: int, values: list[object]) -> None:
    for j, value in enumerate(values, 1):
        ws.cell(row, j, value)


def status_sheet(ws: Worksheet, c: Compiled) -> None:
    tz = c.campaign.tz
    header = ["STT", "Đơn vị", "Nhóm", "Giai đoạn", "Hạn nộp", "Tình trạng", "Thời điểm nộp", "Muộn", "Tệp", "Cần sửa"]
    _heading(
        ws,
        f"Tình hình nộp báo cáo: {c.campaign.campaign.title}",
        f"Tính đến {vn.when(c.as_of, tz)} (giờ {vn.zone_name(tz)})",
        header,
    )
    for i, r in enumerate(status_rows(c), 1):
        row = FIRST_ROW + i - 1
        _put(
            ws,
            row,
            [
                i,
                safe(r.unit.name),
                safe(c.campaign.group_by_id[r.unit.group].name),
                safe(r.stage.title),
                _naive(r.deadline, c),
                STATE_LABELS[r.state],
                _naive(r.submitted_at, c),
                vn.duration(r.late_seconds) if r.state is State.LATE else "",
                safe(r.path),
                safe("\n".join(r.errors)),
            ],
        )
        for col in (5, 7):
            ws.cell(row, col).number_format = DATETIME_FORMAT
    fit_columns(ws)
    ws.auto_filter.ref = f"A{FIRST_ROW - 1}:J{ws.max_row}"


def figures_sheet(ws: Worksheet, c: Compiled) -> tuple[int, int]:
    """Every expected unit (counted ones with figures), then the SUM row; returns (first, last) data rows."""
    tz = c.campaign.tz
    header = ["STT", "Đơn vị", "Nhóm", "Tình trạng", *(indicator_header(t.indicator) for t in c.indicators)]
    _heading(ws, f"Số liệu tổng hợp: {c.stage.title}", f"Tính đến {vn.when(c.as_of, tz)}; {c.summary}", header)
    counted = {s.unit.id for s in c.sources}
    states = {a.unit.id: a.state for a in c.absent}
    for i, unit in enumerate(c.expected, 1):
        state = states.get(unit.id, State.ON_TIME if unit.id in counted else State.MISSING)
        values = [t.values.get(unit.id) for t in c.indicators]
        _put(
            ws,
            FIRST_ROW + i - 1,
            [i, safe(unit.name), safe(c.campaign.group_by_id[unit.group].name), STATE_LABELS[state], *values],
        )
    first, last = FIRST_ROW, FIRST_ROW + len(c.expected) - 1
    total = last + 1
    ws.cell(total, 2, "Tổng cộng").font = BOLD
    for j, t in enumerate(c.indicators, 5):
        col = get_column_letter(j)
        cell = ws.cell(total, j, f"=SUM({col}{first}:{col}{last})")
        cell.font = BOLD
        fmt = INTEGER_FORMAT if t.indicator.type == "integer" else NUMBER_FORMAT
        for r in range(first, total + 1):
            ws.cell(r, j).number_format = fmt
    fit_columns(ws)
    return first, last


def groups_sheet(ws: Worksheet, c: Compiled, first: int, last: int) -> None:
    """Indicators by group, as SUMIF formulas over the figures sheet."""
    groups = c.groups
    header = ["Chỉ tiêu", "Đơn vị tính", *(g.name for g in groups), "Tổng cộng"]
    _heading(ws, f"Tổng hợp theo nhóm đơn vị: {c.stage.title}", f"Tính đến {vn.when(c.as_of, c.campaign.tz)}", header)
    ref = f"'{FIGURES_SHEET}'!"
    for i, t in enumerate(c.indicators):
        col = get_column_letter(5 + i)
        row = FIRST_ROW + i
        # A group's name is a string literal of the formula: its quotes doubled, as Excel escapes them.
        cells = [
            f'=SUMIF({ref}$C${first}:$C${last},"{_literal(g.name)}",{ref}{col}${first}:{col}${last})' for g in groups
        ]
        label, unit = safe(t.indicator.label), safe(t.indicator.unit)
        _put(ws, row, [label, unit, *cells, f"=SUM({ref}{col}{first}:{col}{last})"])
        fmt = INTEGER_FORMAT if t.indicator.type == "integer" else NUMBER_FORMAT
        for cell in ws[row][2:]:
            cell.number_format = fmt
    fit_columns(ws)


def build_workbook(c: Compiled) -> Workbook:
    wb = Workbook()
    status_sheet(wb.active, c)
    wb.active.title = STATUS_SHEET
    if c.indicators:
        first, last = figures_sheet(wb.create_sheet(FIGURES_SHEET), c)
        groups_sheet(wb.create_sheet(GROUPS_SHEET), c, first, last)
    wb.properties.title = f"Tổng hợp: {c.stage.title}"
    wb.properties.creator = "baocao"
    return wb


def export_xlsx(c: Compiled, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(c).save(path)
    return path
