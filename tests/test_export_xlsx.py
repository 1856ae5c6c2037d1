"""The Excel workbook: opened with openpyxl, and recomputed by LibreOffice."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook import Workbook

from baocao.campaign.model import Campaign
from baocao.documents.compile import Compiled
from baocao.documents.workbook import DATETIME_FORMAT, FIGURES_SHEET, FIRST_ROW, GROUPS_SHEET, STATUS_SHEET, export_xlsx

from .compile_data import INVALID_UNIT, LATE_UNIT, Landing, expected_totals
from .conftest import require_program


@pytest.fixture(scope="module")
def workbook_path(compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_xlsx(compiled, tmp_path_factory.mktemp("out") / "so-lieu.xlsx")


@pytest.fixture(scope="module")
def workbook(workbook_path: Path) -> Workbook:
    return openpyxl.load_workbook(workbook_path)


def rows_by_unit(ws: object, name_col: int = 2) -> dict[str, list[object]]:
    return {
        row[name_col - 1]: list(row)
        for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True)  # type: ignore[attr-defined]
        if row[name_col - 1]
    }


def test_sheets_are_named_for_the_office(workbook: Workbook) -> None:
    assert workbook.sheetnames == [STATUS_SHEET, FIGURES_SHEET, GROUPS_SHEET]


def test_status_sheet_has_real_datetimes_in_the_campaign_zone(campaign: Campaign, workbook: Workbook) -> None:
    ws = workbook[STATUS_SHEET]
    stages = {s.title for s in campaign.stages}
    rows = [r for r in ws.iter_rows(min_row=FIRST_ROW) if r[1].value]
    assert {r[3].value for r in rows} == stages
    assert len(rows) == sum(len(campaign.stage_units(s)) for s in campaign.stages)
    late = next(r for r in rows if r[1].value == campaign.unit_by_id[LATE_UNIT].name and r[3].value in stages)
    assert late[6].value == datetime(2022, 6, 21, 10, 0)  # naive, Asia/Ho_Chi_Minh wall time
    assert late[6].number_format == DATETIME_FORMAT and late[4].number_format == DATETIME_FORMAT
    assert late[4].value == datetime(2022, 6, 20, 0, 0)
    assert late[5].value == "Muộn" and late[7].value == "1 ngày 10 giờ"
    invalid = next(r for r in rows if r[1].value == campaign.unit_by_id[INVALID_UNIT].name)
    assert "Thiếu mục “3. Nguyên nhân”" in invalid[9].value


def test_figures_total_row_holds_sum_formulas(campaign: Campaign, workbook: Workbook) -> None:
    ws = workbook[FIGURES_SHEET]
    units = rows_by_unit(ws)
    total = units.pop("Tổng cộng")
    expected_rows = len(campaign.stage_units(campaign.stages[0]))
    last = FIRST_ROW + expected_rows - 1
    assert len(units) == expected_rows
    for j, formula in enumerate(total[4:]):
        col = openpyxl.utils.get_column_letter(5 + j)
        assert formula == f"=SUM({col}{FIRST_ROW}:{col}{last})"
    assert all(v is None for v in units[campaign.unit_by_id[INVALID_UNIT].name][4:])
    group = workbook[GROUPS_SHEET]
    assert str(group.cell(FIRST_ROW, 3).value).startswith("=SUMIF(")


@pytest.mark.slow
def test_libreoffice_recomputes_the_totals_of_the_front_matter(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], workbook_path: Path, tmp_path: Path
) -> None:
    require_program("soffice", "libreoffice-calc")
    out = tmp_path / "tinh"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(workbook_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    values = openpyxl.load_workbook(out / workbook_path.name, data_only=True)
    counted = {x.unit for x in compile_history[1]} - {INVALID_UNIT}
    expected = [expected_totals(compile_history[1], counted)[i.id] for i in campaign.indicators]
    total = rows_by_unit(values[FIGURES_SHEET])["Tổng cộng"]
    assert total[4:] == pytest.approx(expected)
    by_group = [row[-1] for row in values[GROUPS_SHEET].iter_rows(min_row=FIRST_ROW, values_only=True) if row[0]]
    assert by_group == pytest.approx(expected)
    group_sums = [
        sum(v for v in row[2:-1] if v)
        for row in values[GROUPS_SHEET].iter_rows(min_row=FIRST_ROW, values_only=True)
        if row[0]
    ]
    assert group_sums == pytest.approx(expected)
