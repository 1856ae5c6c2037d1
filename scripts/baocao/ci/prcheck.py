"""The pull-request check CI runs before a submission is merged (``baocao pr-check``).

A pull request from a unit changes that unit's folder only, comes from one of its
submitters, carries only allowed files, and every changed report passes the checks. It
also says whether the report would be on time if merged now: the submission time is the
merge (see ``baocao.history.read``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import git

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import CAMPAIGN_FILE, Campaign, CampaignError, Stage
from baocao.checks.checked import CheckedReport
from baocao.checks.formats import as_github, as_text
from baocao.checks.validation import MAX_BYTES, READERS, check_file, check_report, rule_one_report_per_stage, stage_for
from baocao.escape import github
from baocao.escape.markdown import text as md
from baocao.findings import Finding, count, finding, has_errors
from baocao.history.gitlog import (
    MODE_EXEC,
    MODE_GITLINK,
    MODE_SYMLINK,
    Change,
    diff_changes,
    ensure_full_history,
    list_tree,
    merge_base,
    object_size,
    open_repo,
    read_object,
    resolve,
)
from baocao.history.read import FOLDER, HistoryError, read_history
from baocao.vn import duration, when


@dataclass
class ReportVerdict:
    """One report changed by the pull request, and what merging it now would mean."""

    path: str
    unit: str
    stage: str
    valid: bool
    outcome: str  # on_time | late | revision | revision_after_due | invalid | deleted
    deadline: datetime
    late_seconds: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "unit": self.unit,
            "stage": self.stage,
            "valid": self.valid,
            "outcome": self.outcome,
            "deadline": self.deadline.isoformat(),
            "late_seconds": self.late_seconds,
        }


@dataclass
class PrCheck:
    base: str
    head: str
    merge_base: str
    actor: str | None
    maintainer: bool
    now: datetime
    units: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    reports: list[ReportVerdict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def to_dict(self) -> dict[str, object]:
        errors, warnings = count(self.findings)
        return {
            "base": self.base,
            "head": self.head,
            "merge_base": self.merge_base,
            "actor": self.actor,
            "maintainer": self.maintainer,
            "now": self.now.isoformat(),
            "units": self.units,
            "files": self.files,
            "reports": [r.to_dict() for r in self.reports],
            "findings": [f.to_dict() for f in self.findings],
            "errors": errors,
            "warnings": warnings,
            "ok": self.ok,
        }


def campaign_at(root: Path, ref: str) -> Campaign:
    """The campaign as ``campaign.yml`` reads in commit ``ref`` (through git, not the working tree).

    CI judges a pull request with the base branch's campaign, so a pull request that edits
    campaign.yml (adding its author as a submitter or maintainer) cannot approve itself, even
    when the job has checked out the pull request's head. Raises ``CampaignError`` when the
    file is invalid and ``HistoryError`` when the commit or the file is missing."""
    repo = open_repo(Path(root).resolve())
    sha = resolve(repo, ref)
    try:
        blob = repo.git.rev_parse("--verify", "-q", f"{sha}:{CAMPAIGN_FILE}").strip()
    except git.GitCommandError as exc:
        raise HistoryError(f"Commit {sha[:10]} ({ref}) không có tệp {CAMPAIGN_FILE}.") from exc
    try:
        text = read_object(repo, blob).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CampaignError([finding("C101", CAMPAIGN_FILE, 1, f"không đọc được tệp: {exc}")]) from exc
    return load_campaign_text(text, CAMPAIGN_FILE)


def _folder_unit(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) >= 3 and parts[0] == FOLDER else None


def check_pull_request(
    campaign: Campaign,
    root: Path,
    base: str,
    head: str,
    actor: str | None = None,
    now: datetime | None = None,
) -> PrCheck:
    """Check the change from the merge base of ``base`` and ``head`` to ``head``.

    ``campaign`` is the one the pull request is judged by: for CI, ``campaign_at(root, base)``
    (``baocao pr-check`` does so), never the pull request's own campaign.yml."""
    root = Path(root).resolve()
    repo = open_repo(root)
    ensure_full_history(repo, root)
    base_sha, head_sha = resolve(repo, base), resolve(repo, head)
    mb = merge_base(repo, base_sha, head_sha)
    now = (now or datetime.now(campaign.tz)).astimezone(campaign.tz)
    maintainers = {m.casefold() for m in campaign.campaign.maintainers}
    is_maintainer = actor is not None and actor.casefold() in maintainers
    result = PrCheck(base, head, mb, actor, is_maintainer, now)
    changes = diff_changes(repo, mb, head_sha)
    result.files = [ch.path for ch in changes]
    found = result.findings
    today = now.date()

    units = sorted({u for ch in changes if (u := _folder_unit(ch.path))})
    result.units = units
    if not is_maintainer:
        for ch in changes:
            if ch.path == CAMPAIGN_FILE:
                found.append(
                    finding(
                        "P703",
                        ch.path,
                        1,
                        f"Yêu cầu hợp nhất sửa {CAMPAIGN_FILE}; chỉ văn phòng tổng hợp (maintainers trong "
                        f"{CAMPAIGN_FILE} của nhánh đích) được sửa tệp này.",
                    )
                )
            elif _folder_unit(ch.path) is None:
                found.append(
                    finding(
                        "P703",
                        ch.path,
                        1,
                        f"Tệp {ch.path} nằm ngoài thư mục báo cáo của đơn vị; "
                        "chỉ sửa được tệp trong submissions/<mã đơn vị>/.",
                    )
                )
        if len(units) > 1:
            found.append(
                finding(
                    "P701",
                    _first_file(result.files, units[0]),
                    1,
                    f"Yêu cầu hợp nhất sửa thư mục của {len(units)} đơn vị ({', '.join(units)}); "
                    "mỗi yêu cầu chỉ một đơn vị.",
                )
            )
        if not units:
            found.append(
                finding(
                    "P709",
                    result.files[0] if result.files else FOLDER,
                    1,
                    "Yêu cầu hợp nhất không thêm hay sửa báo cáo nào trong submissions/.",
                )
            )
        if actor is not None:
            for unit_id in units:
                unit = campaign.unit_by_id.get(unit_id)
                if unit is None or actor.casefold() in {s.casefold() for s in unit.submitters}:
                    continue
                if not unit.submitters and campaign.campaign.open_submission:
                    continue  # the campaign chose to let any account submit for a unit without submitters
                listed = f"submitters: {', '.join(unit.submitters)}" if unit.submitters else "chưa khai báo submitters"
                found.append(
                    finding(
                        "P702",
                        _first_file(result.files, unit_id),
                        1,
                        f"Tài khoản '{actor}' không phải văn thư của {unit.name} ({listed}).",
                    )
                )

    # Two report files for one stage in a unit's folder as the PR leaves it (bao-cao.md and .docx).
    for unit_id in units:
        listing = list_tree(repo, head_sha, f"{FOLDER}/{unit_id}/", recursive=False)
        found += rule_one_report_per_stage(campaign, [e.path for e in listing])

    # Every report the PR brings, so that ONE history read covers all of them (a PR may revise
    # one stage's report and submit another's).
    reports = {ch.path: _expected_report(campaign, ch.path) for ch in changes if ch.path.startswith(FOLDER + "/")}
    wanted = {(unit_id, stage.id) for unit_id, stage in filter(None, reports.values())}
    history = None
    for ch in changes:
        if ch.path not in reports:
            continue
        expected = reports[ch.path]
        if ch.deleted:
            if expected:
                unit_id, stage = expected
                found.append(finding("P708", ch.path, 1, f"Yêu cầu hợp nhất xóa báo cáo {ch.path}."))
                result.reports.append(
                    ReportVerdict(ch.path, unit_id, stage.id, False, "deleted", campaign.deadline(stage, unit_id))
                )
            continue
        if ch.mode == MODE_GITLINK:
            found.append(finding("F201", ch.path, 1, f"{ch.path} là submodule: không được phép trong thư mục báo cáo."))
            continue
        if ch.mode == MODE_SYMLINK:
            file_findings = check_file(campaign, ch.path, b"", today, symlink=True)
        else:
            size = object_size(repo, ch.blob)
            data = read_object(repo, ch.blob) if size <= MAX_BYTES else b""
            file_findings = check_file(campaign, ch.path, data, today, size=size)
        if ch.mode == MODE_EXEC:
            found.append(finding("P704", ch.path, 1, f"Tệp {ch.path} có quyền thực thi (chmod +x)."))
        found += file_findings
        if not expected:
            continue
        unit_id, stage = expected
        valid = not has_errors(file_findings)
        deadline = campaign.deadline(stage, unit_id)
        verdict = ReportVerdict(ch.path, unit_id, stage.id, valid, "invalid", deadline)
        result.reports.append(verdict)
        if not valid:
            continue
        if history is None:
            history = read_history(root, campaign, ref=base_sha, only=wanted)
        already = history.slot(unit_id, stage.id).first_valid
        late = now >= deadline
        if already is not None:
            verdict.outcome = "revision_after_due" if late else "revision"
            if late:
                found.append(
                    finding(
                        "P707",
                        ch.path,
                        1,
                        f"Báo cáo đã nộp lúc {when(already.landed_at)}; bản sửa này vào sau hạn "
                        f"({when(deadline)}) và được ghi là sửa sau hạn.",
                    )
                )
            continue
        if not late:
            verdict.outcome = "on_time"
            continue
        verdict.outcome, verdict.late_seconds = "late", int((now - deadline).total_seconds())
        code = "P706" if stage.late == "reject" else "P705"
        found.append(
            finding(
                code,
                ch.path,
                1,
                f"Nếu hợp nhất lúc {when(now)}, báo cáo “{stage.title}” muộn {duration(now - deadline)} "
                f"(hạn: {stage.due.describe()}, hết hạn lúc {when(deadline)})."
                + (" Giai đoạn này không nhận báo cáo muộn." if code == "P706" else ""),
            )
        )
    found += _signed_pdfs(campaign, root, head_sha, units, changes, now)
    return result


def _signed_pdfs(
    campaign: Campaign, root: Path, head: str, units: list[str], changes: list[Change], now: datetime
) -> list[Finding]:
    """K findings of the PDFs the pull request adds or changes, against the unit's reports as
    the pull request leaves them (verified now)."""
    from baocao.checks.pdfcheck import pdf_stage, unit_findings
    from baocao.history.pdfs import pdfs_at

    changed = {ch.path for ch in changes if not ch.deleted and ch.path.lower().endswith(".pdf")}
    if not changed:
        return []
    repo = open_repo(root)
    out: list[Finding] = []
    for unit_id, pdfs in pdfs_at(campaign, root, head, None).items():
        mine = [p for p in pdfs if p.path in changed]
        if unit_id not in units or not mine:
            continue
        reports: dict[str, CheckedReport] = {}
        stages = {s.id: s for p in mine if (s := pdf_stage(campaign, unit_id, PurePosixPath(p.path).name))}
        for stage in stages.values():
            for suffix in READERS:
                path = f"{FOLDER}/{unit_id}/{stage.stem}{suffix}"
                blob = repo.git.rev_parse("--verify", "-q", f"{head}:{path}", with_exceptions=False).strip()
                if blob:
                    reports[stage.id] = check_report(campaign, path, read_object(repo, blob), now.date())
        out += unit_findings(campaign, unit_id, mine, reports)
    return out


def _expected_report(campaign: Campaign, path: str) -> tuple[str, Stage] | None:
    """(unit, stage) when ``path`` is the report a campaign unit must submit for a stage."""
    stage = stage_for(campaign, PurePosixPath(path).name)
    unit_id = _folder_unit(path)
    if stage is None or unit_id is None or len(PurePosixPath(path).parts) != 3:
        return None
    return (unit_id, stage) if campaign.expects(stage, unit_id) else None


def _first_file(paths: Iterable[str], unit_id: str) -> str:
    """Where a finding about a unit's folder is shown: the first file the pull request changed
    in it (GitHub shows an annotation on a file, never on a folder)."""
    return next((p for p in paths if _folder_unit(p) == unit_id), f"{FOLDER}/{unit_id}")


_OUTCOME_VI = {
    "on_time": "đúng hạn nếu hợp nhất bây giờ",
    "late": "MUỘN nếu hợp nhất bây giờ",
    "revision": "bản sửa, trước hạn",
    "revision_after_due": "bản sửa sau hạn (thời điểm nộp giữ nguyên)",
    "invalid": "chưa hợp lệ",
    "deleted": "bị xóa",
}


def summary_lines(result: PrCheck, campaign: Campaign) -> list[str]:
    verdict = "✅ Đạt: có thể hợp nhất." if result.ok else "❌ Chưa đạt: cần sửa các lỗi dưới đây trước khi hợp nhất."
    lines = [verdict]
    names = [campaign.unit_by_id[u].name if u in campaign.unit_by_id else u for u in result.units]
    if names:
        lines.append(f"Đơn vị: {', '.join(names)}.")
    for r in result.reports:
        lines.append(f"- {r.path}: {_OUTCOME_VI[r.outcome]} (hết hạn lúc {when(r.deadline)}).")
    return lines


def as_markdown(result: PrCheck, campaign: Campaign) -> str:
    """The Vietnamese job summary ($GITHUB_STEP_SUMMARY)."""
    errors, warnings = count(result.findings)
    lines = ["## Kiểm tra yêu cầu hợp nhất (baocao pr-check)", "", *summary_lines(result, campaign), ""]
    lines.append(f"Thời điểm kiểm tra: {when(result.now)}; {errors} lỗi, {warnings} cảnh báo.")
    if result.findings:
        lines += ["", "| Mã | Mức | Tệp | Dòng | Nội dung |", "|---|---|---|---|---|"]
        for f in result.findings:
            sev = "lỗi" if f.severity == "error" else "cảnh báo"
            lines.append(f"| {f.code} | {sev} | {md(f.path)} | {f.line} | {md(f.message)} |")
    return "\n".join(lines) + "\n"


def render(result: PrCheck, campaign: Campaign, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    text = "\n".join([*summary_lines(result, campaign), as_text(result.findings)])
    if fmt == "github":
        # Free text between stop-commands markers: a path or message cannot forge an annotation.
        return "\n".join(filter(None, [as_github(result.findings), github.plain(text)]))
    return text
