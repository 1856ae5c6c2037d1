"""The home page chart, drawn at build time as inline SVG (no script needed to see it):
for each stage, the share of its units with a valid report, cumulated over time, against
that stage's deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baocao.site.core import esc
from baocao.status.judge import StageStatus

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 44
LABEL_ROW = 13  # the deadline labels ("Hạn 1" …) stand in rows above the plot, where no line runs
LABEL_WIDTH = 44
# Colour per stage (CSS classes in baocao.css give the same hues in light and dark palettes).
SERIES = ("bc-s1", "bc-s2", "bc-s3", "bc-s4", "bc-s5")


def _series(stage: StageStatus) -> tuple[int, list[datetime]]:
    units = stage.units
    times = sorted(u.submitted_at for u in units if u.submitted_at is not None)
    return len(units), times


def progress_svg(stages: list[StageStatus], tz: Any) -> str:
    """An SVG step chart; x is time (days), y the percentage of a stage's units submitted."""
    data = [(s, *_series(s)) for s in stages]
    deadlines = [s.due for s in stages]
    moments = [t for _, _, ts in data for t in ts] + [d for d in deadlines if d]
    if not moments:
        return ""
    start = min(moments).astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    end = max(moments).astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    span = (end - start).total_seconds()
    top = TOP + LABEL_ROW * len([d for d in deadlines if d])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - top - BOTTOM

    def x(t: datetime) -> float:
        return LEFT + plot_w * (t - start).total_seconds() / span

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    parts = [
        f'<svg class="bc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="bc-chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="bc-chart-title">Tỉ lệ đơn vị đã nộp báo cáo hợp lệ theo thời gian, so với hạn nộp</title>',
    ]
    for pct in (0, 25, 50, 75, 100):
        yy = y(pct / 100)
        parts.append(f'<line class="bc-grid" x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}"/>')
        parts.append(f'<text class="bc-axis" x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{pct}%</text>')
    days = int(span // 86400)
    step = max(1, days // 8)
    for d in range(0, days + 1, step):
        t = start + timedelta(days=d)
        parts.append(
            f'<text class="bc-axis" x="{x(t):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{t:%d/%m}</text>'
        )
    parts.append(f'<line class="bc-axisline" x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>')
    row = 0
    for i, (stage, total, times) in enumerate(data):
        cls = SERIES[i % len(SERIES)]
        due = deadlines[i]
        if due:
            dx = x(due)
            label_y = TOP - 4 + LABEL_ROW * (row + 1)  # its own row above the plot: no line crosses it
            row += 1
            parts.append(
                f'<line class="bc-deadline {cls}" x1="{dx:.1f}" y1="{label_y - 9}" x2="{dx:.1f}" y2="{y(0):.1f}">'
                f"<title>Hạn {esc(stage.title)}: {due.astimezone(tz):%H:%M %d/%m/%Y}</title></line>"
            )
            # Right of its line, or left of it near the right edge, so the label stays inside the chart.
            right = dx + 3 + LABEL_WIDTH <= WIDTH - RIGHT
            lx, anchor = (dx + 3, "start") if right else (dx - 3, "end")
            parts.append(
                f'<text class="bc-deadline-label {cls}" x="{lx:.1f}" y="{label_y}" '
                f'text-anchor="{anchor}">Hạn {i + 1}</text>'
            )
        if not total:
            continue
        points = [(x(start), y(0))]
        for n, t in enumerate(times, 1):
            points.append((x(t), points[-1][1]))
            points.append((x(t), y(n / total)))
        points.append((x(end), points[-1][1]))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline class="bc-line {cls}" points="{path}"><title>{esc(stage.title)}: '
            f"{len(times)}/{total} đơn vị</title></polyline>"
        )
    legend_y = HEIGHT - 10
    for i, (_, total, times) in enumerate(data):
        cls = SERIES[i % len(SERIES)]
        lx = LEFT + i * 240
        parts.append(f'<rect class="bc-swatch {cls}" x="{lx}" y="{legend_y - 9}" width="12" height="10"/>')
        parts.append(
            f'<text class="bc-legend" x="{lx + 16}" y="{legend_y}">Giai đoạn {i + 1}: {len(times)}/{total}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
