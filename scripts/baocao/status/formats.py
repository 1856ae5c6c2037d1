"""Showing a campaign status: a Vietnamese table for people, JSON and CSV for tools."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator

from baocao.escape.spreadsheet import cell
from baocao.status.judge import STATE_LABELS, STATES, CampaignStatus, StageStatus, UnitStatus
from baocao.vn import when

FORMATS = ("table", "json", "csv")
# Headers an office reads in Excel (the JSON keys they stand for: docs/status-json.md).
CSV_COLUMNS = (
    "Giai đoạn",
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm",
    "Trạng thái (mã)",
    "Trạng thái",
    "Thời điểm nộp",
    "Commit",
    "Muộn (giây)",
    "Số lần nộp",
    "Sửa sau hạn",
    "Số lỗi",
    "Số cảnh báo",
    "Mã bất thường",
    "Tệp",
    "Blob",
)
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with the byte-order mark


def as_json(status: CampaignStatus, indent: int | None = None) -> str:
    # Compact by default: json's C encoder only runs without indentation (10x faster on big histories).
    return json.dumps(status.to_dict(), ensure_ascii=False, indent=indent)


def iter_json(status: CampaignStatus) -> Iterator[str]:
    """The same document as ``as_json``, unit by unit: a big campaign is never held whole."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    yield dump(status.to_dict(shallow=True)).removesuffix('[], "anomalies": []}') + "["
    for i, st in enumerate(status.stages):
        yield (", " if i else "") + dump(st.to_dict(shallow=True)).removesuffix("[]}") + "["
        for j, u in enumerate(st.units):
            yield (", " if j else "") + dump(u.to_dict())
        yield "]}"
    yield '], "anomalies": ' + dump([a.to_dict() for a in status.anomalies]) + "}"


def as_csv(status: CampaignStatus) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for st in status.stages:
        for u in st.units:
            d = u.to_dict()
            writer.writerow(
                map(
                    cell,
                    [
                        st.id,
                        *(d[k] for k in ("unit", "name", "group", "state", "label", "submitted_at", "commit")),
                        "" if u.late_seconds is None else u.late_seconds,
                        u.revisions,
                        "1" if u.revised_after_due else "0",
                        len(u.errors),
                        len(u.warnings),
                        " ".join(a.code for a in u.anomalies),
                        u.path or "",
                        u.blob or "",
                    ],
                )
            )
    return out.getvalue()


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _note(u: UnitStatus) -> str:
    notes = []
    if u.errors:
        notes.append(f"{len(u.errors)} lỗi ({', '.join(sorted({f.code for f in u.errors}))})")
    if u.revised_after_due:
        notes.append("sửa sau hạn")
    if u.present is False and u.revisions:
        notes.append("đã bị xóa")
    if u.anomalies:
        notes.append("bất thường: " + ", ".join(sorted({a.code for a in u.anomalies})))
    return "; ".join(notes)


def _stage_table(st: StageStatus, tz: object) -> list[str]:
    lines = [f"{st.title} ({st.id}, tệp {st.file})", f"Hạn nộp: {st.due_text} — hết hạn lúc {when(st.due, tz)}"]
    counts = st.counts
    lines.append(", ".join(f"{STATE_LABELS[s]}: {counts[str(s)]}" for s in STATES))
    header = ("STT", "Đơn vị", "Trạng thái", "Nộp lúc", "Lần nộp", "Ghi chú")
    rows = [
        (
            str(i),
            u.name,
            u.label,
            when(u.submitted_at, tz) if u.submitted_at else "",
            str(u.revisions) if u.revisions else "",
            _note(u),
        )
        for i, u in enumerate(st.units, 1)
    ]
    widths = [max(_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    fmt = lambda r: "  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    lines += ["", fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]
    return lines


def as_table(status: CampaignStatus) -> str:
    tz = status.as_of.tzinfo
    lines = [
        status.title,
        f"Tình hình lúc {when(status.as_of, tz)} — nhánh {status.branch}"
        + (f", commit {status.head[:10]}" if status.head else ""),
    ]
    for st in status.stages:
        lines += ["", *_stage_table(st, tz)]
    if status.anomalies:
        lines += ["", "Bất thường trong lịch sử (cần xem xét):"]
        lines += [f"- {a.code}: {a.message}" for a in status.anomalies]
    return "\n".join(lines)


def render(status: CampaignStatus, fmt: str) -> str:
    if fmt == "json":
        return as_json(status)
    if fmt == "csv":
        return BOM + as_csv(status).rstrip("\n")
    return as_table(status)


def chunks(status: CampaignStatus, fmt: str) -> Iterator[str]:
    """The output in pieces, ending with a newline (JSON is streamed unit by unit)."""
    if fmt == "json":
        yield from iter_json(status)
    else:
        yield render(status, fmt)
    yield "\n"
