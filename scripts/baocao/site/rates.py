"""Reporting rates in the sense of DHIS2's reporting-rate summary, per stage, per group and
overall: reports expected, reports received, received on time, as numbers and percentages.
The definitions are published on the page under the table (``DEFINITIONS``)."""

from __future__ import annotations

from dataclasses import dataclass

from baocao.site.core import SiteContext, esc
from baocao.status.judge import StageStatus, State, UnitStatus

DEFINITIONS = (
    "**Phải nộp**: số đơn vị phải nộp báo cáo ở giai đoạn này (theo `campaign.yml`). "
    "**Đã nhận**: số báo cáo hợp lệ đã vào nhánh chính (đúng hạn hoặc muộn); báo cáo chưa hợp lệ chưa tính. "
    "**Đúng hạn**: số báo cáo hợp lệ đã vào nhánh chính trước thời điểm hết hạn của đơn vị (kể cả gia hạn). "
    "Tỷ lệ = số đó chia số phải nộp. Mỗi giai đoạn tính riêng, không cộng các giai đoạn với nhau."
)


@dataclass(frozen=True)
class Rate:
    label: str
    expected: int
    received: int
    on_time: int

    @staticmethod
    def percent(n: int, of: int) -> str:
        return f"{100 * n / of:.0f} %" if of else "—"


def stage_rates(ctx: SiteContext, stage: StageStatus) -> list[Rate]:
    """One row per group that has units in the stage (campaign order), then the whole stage."""
    rows: list[Rate] = []
    for g in ctx.campaign.groups:
        units = [u for u in stage.units if u.group == g.id]
        if units:
            rows.append(_rate(g.name, units))
    rows.append(_rate("Toàn bộ", stage.units))
    return rows


def _rate(label: str, units: list[UnitStatus]) -> Rate:
    received = sum(1 for u in units if u.state in (State.ON_TIME, State.LATE))
    on_time = sum(1 for u in units if u.state is State.ON_TIME)
    return Rate(label, len(units), received, on_time)


def rates_table(ctx: SiteContext, stage: StageStatus) -> str:
    """The rates of one stage as an HTML table (the overall row last, in bold)."""
    rows = []
    for r in stage_rates(ctx, stage):
        cells = (
            f"<td>{r.expected}</td>"
            f"<td>{r.received}</td><td>{Rate.percent(r.received, r.expected)}</td>"
            f"<td>{r.on_time}</td><td>{Rate.percent(r.on_time, r.expected)}</td>"
        )
        cls = ' class="bc-total"' if r.label == "Toàn bộ" else ""
        rows.append(f'<tr{cls}><th scope="row">{esc(r.label)}</th>{cells}</tr>')
    return (
        f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="bc-rates" '
        f'data-rates="{esc(stage.id)}"><thead><tr><th scope="col">Nhóm</th><th scope="col">Phải nộp</th>'
        '<th scope="col">Đã nhận</th><th scope="col">Tỷ lệ nhận</th><th scope="col">Đúng hạn</th>'
        '<th scope="col">Tỷ lệ đúng hạn</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div></div>"
    )
