"""Findings about a unit's signed PDF originals (K9), matched to its reports.

A PDF attached in a unit's folder belongs to the stage whose report file name its own name
starts with (``bao-cao-ky.pdf`` → ``bao-cao.md``), else to the first stage the unit submits.
A PDF is never a stage's report itself: the report stays the Markdown or Word file that the
outline is checked on; the PDF is its signed original. Each rule yields findings; a stage
with ``require_signed_pdf`` turns a missing or unverified signature into an error (K920).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import PurePosixPath

from baocao.campaign.model import Campaign, Stage
from baocao.checks.checked import CheckedReport
from baocao.checks.pdfsign import PdfCheck, PdfSignature
from baocao.findings import Finding, finding
from baocao.reports.outline import fold_diacritics, nfc


def pdf_stage(campaign: Campaign, unit_id: str, name: str) -> Stage | None:
    """The stage a PDF in ``unit_id``'s folder is the signed original of."""
    expected = [s for s in campaign.stages if campaign.expects(s, unit_id)]
    stem = PurePosixPath(name).stem.casefold()
    for stage in sorted(expected, key=lambda s: -len(s.stem)):
        if stem.startswith(stage.stem):
            return stage
    return expected[0] if expected else None


def same_person(a: str, b: str) -> bool:
    """Names equal after NFC, case and diacritic folding and whitespace folding."""

    def key(text: str) -> str:
        return " ".join(fold_diacritics(nfc(text)).split())

    return bool(a.strip()) and key(a) == key(b)


def _day(iso: str | None, campaign: Campaign) -> date | None:
    return datetime.fromisoformat(iso).astimezone(campaign.tz).date() if iso else None


def rule_signature(
    campaign: Campaign, pdf: PdfCheck, sig: PdfSignature, report: CheckedReport | None, landed: datetime | None
) -> Iterator[Finding]:
    """One signature: intact, valid, trusted, not changed after, and matching its report."""
    where = f"chữ ký {sig.field} của {sig.signer or 'người ký không rõ'}"
    if not sig.intact:
        yield finding("K902", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name}: {where} không còn toàn vẹn.")
        return
    if not sig.valid:
        yield finding("K903", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name}: {where} không hợp lệ.")
        return
    if not sig.trusted:
        yield finding("K904", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name}: {where}: {sig.trust_problem}.")
    if sig.modification in ("form", "annotations", "other") and not sig.whole_file:
        yield finding("K905", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name} được thêm nội dung sau {where}.")
    if report is None:
        return
    meta = report.report.meta
    signer = meta.get("nguoi_ky")
    if isinstance(signer, str) and signer.strip() and not same_person(sig.signer, signer):
        yield finding(
            "K906", pdf.path, 1, f"Người ký số là “{sig.signer}”, báo cáo ghi người ký “{' '.join(signer.split())}”."
        )
    signed = _day(sig.timestamp or sig.claimed_at, campaign)
    day = meta.get("ngay")
    if signed is not None and isinstance(day, date) and signed != (day.date() if isinstance(day, datetime) else day):
        yield finding("K907", pdf.path, 1, f"Ngày ký số {signed:%d/%m/%Y}, báo cáo ghi ngày ký {day:%d/%m/%Y}.")
    if sig.timestamp and landed is not None and datetime.fromisoformat(sig.timestamp) > landed:
        yield finding(
            "K908",
            pdf.path,
            1,
            f"Dấu thời gian {datetime.fromisoformat(sig.timestamp).astimezone(campaign.tz):%H:%M %d/%m/%Y} "
            f"sau lúc báo cáo vào nhánh chính ({landed.astimezone(campaign.tz):%H:%M %d/%m/%Y}).",
        )


def rule_pdf(
    campaign: Campaign, pdf: PdfCheck, report: CheckedReport | None, landed: datetime | None = None
) -> Iterator[Finding]:
    """One PDF: readable and signed, each signature as above."""
    if pdf.problem:
        yield finding("K909", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name}: {pdf.problem}.")
        return
    if not pdf.signatures:
        yield finding("K901", pdf.path, 1, f"Tệp {PurePosixPath(pdf.path).name} không có chữ ký số.")
        return
    for sig in pdf.signatures:
        yield from rule_signature(campaign, pdf, sig, report, landed)


def rule_required(
    campaign: Campaign, unit_id: str, stage: Stage, pdfs: list[PdfCheck], report_path: str
) -> Iterator[Finding]:
    """A stage with ``require_signed_pdf``: one of its PDFs carries a verified signature."""
    if stage.require_signed_pdf and not any(s.verified for p in pdfs for s in p.signatures):
        yield finding(
            "K920",
            report_path,
            1,
            f"Giai đoạn “{stage.title}” yêu cầu kèm bản PDF có chữ ký số hợp lệ; "
            + ("chưa có tệp PDF nào." if not pdfs else "chưa có chữ ký nào được xác minh."),
        )


def unit_findings(
    campaign: Campaign,
    unit_id: str,
    pdfs: list[PdfCheck],
    reports: dict[str, CheckedReport],
    landed: dict[str, datetime | None] | None = None,
) -> list[Finding]:
    """Every K finding of one unit: its PDFs (by stage) against its reports (stage id -> report)."""
    out: list[Finding] = []
    by_stage: dict[str, list[PdfCheck]] = {}
    for pdf in pdfs:
        stage = pdf_stage(campaign, unit_id, PurePosixPath(pdf.path).name)
        if stage is None:
            continue
        by_stage.setdefault(stage.id, []).append(pdf)
        out += rule_pdf(campaign, pdf, reports.get(stage.id), (landed or {}).get(stage.id))
    for stage_id, report in reports.items():
        stage = campaign.stage_by_id.get(stage_id)
        if stage is not None:
            out += rule_required(campaign, unit_id, stage, by_stage.get(stage_id, []), report.path)
    return out
