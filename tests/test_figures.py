"""One statistic as the clerk typed it (``baocao.reports.figures.interpret``), read through the
real front-matter reader: every branch, with the exact message a clerk sees, and the boundary
of the digit limit."""

from __future__ import annotations

import pytest

from baocao.campaign.model import Indicator
from baocao.reports.figures import MAX_DIGITS, interpret
from baocao.reports.report import Scalar, parse_markdown

COUNT = Indicator(id="so_vu", label="Số vụ cháy", unit="vụ")
AREA = Indicator(id="dien_tich", label="Diện tích", unit="ha", type="number")


def typed(text: str) -> Scalar:
    """The Scalar of ``so_lieu: {x: <text>}`` as the report reader makes it."""
    report = parse_markdown(f"---\nso_lieu:\n  x: {text}\n---\n\n# A\n".encode(), "submissions/u/bao-cao.md")
    assert report.numbers is not None, text
    return report.numbers["x"]


@pytest.mark.parametrize(
    ("text", "ind", "value"),
    [
        ("12", COUNT, 12),
        ("0", COUNT, 0),
        ("010", COUNT, 10),  # YAML would say 8 (octal)
        ("12.0", COUNT, 12),
        ("12.5", AREA, 12.5),
        ("0.500", AREA, 0.5),  # a leading 0 is no thousands group
        ("'12'", COUNT, 12),
        ('"12.5"', AREA, 12.5),
        ("'12'", AREA, 12),  # a quoted whole number stays whole
        ("1" * MAX_DIGITS, COUNT, int("1" * MAX_DIGITS)),  # exactly the limit is accepted
    ],
)
def test_a_plain_number_is_read_as_typed(text: str, ind: Indicator, value: int | float) -> None:
    got = interpret(typed(text), ind)
    assert got == (value, None, "") and type(got[0]) is type(value)


@pytest.mark.parametrize(
    ("text", "ind", "code", "message"),
    [
        ("", COUNT, "N503", "Chỉ tiêu 'so_vu' chưa ghi số; nếu không phát sinh, ghi 0."),
        ("''", COUNT, "N503", "Chỉ tiêu 'so_vu' chưa ghi số; nếu không phát sinh, ghi 0."),
        ("~", COUNT, "N503", "Chỉ tiêu 'so_vu' chưa ghi số; nếu không phát sinh, ghi 0."),
        ("[1, 2]", COUNT, "N504", "Chỉ tiêu 'so_vu' phải là một con số, không phải danh sách."),
        ("{a: 1}", COUNT, "N504", "Chỉ tiêu 'so_vu' phải là một con số, không phải danh sách."),
        (
            "1" * (MAX_DIGITS + 1),
            COUNT,
            "N509",
            f"Chỉ tiêu 'so_vu' có {MAX_DIGITS + 1} chữ số, quá {MAX_DIGITS} chữ số cho phép.",
        ),
        ("0x10", COUNT, "N504", "'0x10' không phải số thập phân thông thường; chỉ ghi chữ số, ví dụ 16 hoặc 12.5."),
        ("1.0e+3", COUNT, "N504", "'1.0e+3' không phải số thập phân thông thường; chỉ ghi chữ số, ví dụ 16 hoặc 12.5."),
        ("1_000", COUNT, "N504", "'1_000' không phải số thập phân thông thường; chỉ ghi chữ số, ví dụ 16 hoặc 12.5."),
        (".inf", COUNT, "N504", "'.inf' không phải số thập phân thông thường; chỉ ghi chữ số, ví dụ 16 hoặc 12.5."),
        ("1e3", COUNT, "N504", "'1e3' không phải là số; chỉ ghi con số, không kèm chữ (đơn vị: vụ)."),
        (
            "1.000",
            COUNT,
            "N507",
            "'1.000' được đọc là 1, không phải 1000; ghi 1000 nếu là số nghìn (không dùng dấu chấm hàng nghìn).",
        ),
        (
            "1.000",
            AREA,
            "N507",
            "'1.000' được đọc là 1, không phải 1000; ghi 1000 nếu là số nghìn (không dùng dấu chấm hàng nghìn)"
            ", hoặc bỏ số 0 ở cuối nếu là số thập phân.",
        ),
        ("'1.250'", COUNT, "N507", "'1.250' có dấu phân cách hàng nghìn; ghi 1250."),
        ("\"'1.250'\"", COUNT, "N507", "'1.250' có dấu phân cách hàng nghìn; ghi 1250."),
        ("1,250", COUNT, "N507", "'1,250' có dấu phân cách hàng nghìn; ghi 1250."),
        ("12,5", AREA, "N507", "'12,5' dùng dấu phẩy thập phân; ghi 12.5."),
        ("X1.250", COUNT, "N504", "'X1.250' không phải là số; chỉ ghi con số, không kèm chữ (đơn vị: vụ)."),
        ("12 vụ", COUNT, "N504", "'12 vụ' không phải là số; chỉ ghi con số, không kèm chữ (đơn vị: vụ)."),
        ("true", COUNT, "N504", "'true' không phải là số."),
        ("-3", COUNT, "N505", "Chỉ tiêu 'so_vu' có số âm (-3)."),
        ("12.5", COUNT, "N506", "'12.5' có phần thập phân; 'Số vụ cháy' phải là số nguyên."),
    ],
)
def test_an_unclear_number_is_refused_with_the_reason(text: str, ind: Indicator, code: str, message: str) -> None:
    assert interpret(typed(text), ind) == (None, code, message)
