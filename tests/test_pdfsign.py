"""Signed PDF originals verified offline with pyHanko: real signatures made in the test with a
throw-away root and intermediate, a signer whose name is Vietnamese, a local RFC 3161
time-stamping authority, and every failure a clerk's file can show. No network."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.checks.pdfsign import PdfCheck, Trust, verify_pdf
from baocao.cli import main
from baocao.demo.pdfsample import Authority, append_content, blank_pdf, issue, sign
from tests.conftest import ROOT, DemoSite
from tests.history_data import report

UNIT = "huyen-uy-binh-son"
SIGNER = "Trần Văn Phước"
SIGNED_AT = datetime(2022, 6, 15, 1, 30, tzinfo=UTC)  # 08:30 in Quảng Ngãi, the report's date


@pytest.fixture(scope="module")
def ca() -> Authority:
    return Authority.make()


@pytest.fixture(scope="module")
def trust(ca: Authority) -> Trust:
    return Trust((ca.root.cert.public_bytes(__import__("cryptography").hazmat.primitives.serialization.Encoding.DER),))


@pytest.fixture(scope="module")
def signed(ca: Authority) -> bytes:
    return sign(
        blank_pdf(), issue(SIGNER, ca.intermediate, org="Huyện ủy Bình Sơn"), ca, when=SIGNED_AT, timestamp=True
    )


def only(check: PdfCheck):  # type: ignore[no-untyped-def]
    assert check.problem == "" and len(check.signatures) == 1, check
    return check.signatures[0]


def test_a_signature_by_a_trusted_chain_with_a_timestamp_verifies(signed: bytes, trust: Trust) -> None:
    s = only(verify_pdf(signed, trust))
    assert (s.intact, s.valid, s.trusted, s.whole_file, s.modification) == (True, True, True, True, "none")
    assert s.signer == SIGNER and s.organisation == "Huyện ủy Bình Sơn"
    assert s.claimed_at == SIGNED_AT.isoformat() and s.timestamp == SIGNED_AT.isoformat() and s.timestamp_trusted
    assert s.verified and not s.revocation_checked  # no CRL shipped: said so, not pretended


def test_without_a_timestamp_only_the_claimed_time_is_known(ca: Authority, trust: Trust) -> None:
    s = only(verify_pdf(sign(blank_pdf(), issue(SIGNER, ca.intermediate), ca, when=SIGNED_AT), trust))
    assert s.verified and s.claimed_at == SIGNED_AT.isoformat() and s.timestamp is None


def test_a_byte_changed_after_signing_breaks_integrity(signed: bytes, trust: Trust) -> None:
    i = signed.index(b"BT /F1")
    s = only(verify_pdf(signed[:i] + b"BT /F2" + signed[i + 6 :], trust))
    assert not s.intact and not s.verified


def test_content_added_after_signing_is_a_modification(signed: bytes, trust: Trust) -> None:
    s = only(verify_pdf(append_content(signed), trust))
    assert s.intact and s.valid and not s.whole_file and s.modification == "other" and not s.verified


def test_an_expired_certificate_is_not_trusted(ca: Authority, trust: Trust) -> None:
    old = issue(
        SIGNER, ca.intermediate, valid_from=datetime(2020, 1, 1, tzinfo=UTC), valid_to=datetime(2021, 1, 1, tzinfo=UTC)
    )
    s = only(verify_pdf(sign(blank_pdf(), old, ca, when=SIGNED_AT), trust))
    assert s.intact and not s.trusted and "hết hạn" in s.trust_problem


def test_a_root_the_campaign_does_not_name_is_not_trusted(trust: Trust) -> None:
    other = Authority.make("CA khác")
    s = only(verify_pdf(sign(blank_pdf(), issue(SIGNER, other.intermediate), other, when=SIGNED_AT), trust))
    assert s.intact and s.valid and not s.trusted and "gốc tin cậy" in s.trust_problem


def test_a_pdf_without_signature_and_a_malformed_pdf(trust: Trust) -> None:
    assert verify_pdf(blank_pdf(), trust).signatures == [] and verify_pdf(blank_pdf(), trust).problem == ""
    broken = verify_pdf(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>", trust)
    assert broken.signatures == [] and broken.problem


# ------------------------------------------------------------------ matched to the report, by check


def _campaign_dir(tmp_path: Path, ca: Authority, extra: str = "") -> Path:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8") + "\nsigned_pdf:\n  trust: [trust/ca.pem]\n" + extra
    (tmp_path / "campaign.yml").write_text(text, encoding="utf-8")
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "ca.pem").write_bytes(ca.root.pem)
    return tmp_path


def _submit(root: Path, pdf: bytes, signer: str = SIGNER, name: str = "bao-cao-ky.pdf") -> None:
    from baocao.campaign.load import load_campaign

    campaign = load_campaign(root / "campaign.yml")
    folder = root / "submissions" / UNIT
    folder.mkdir(parents=True, exist_ok=True)
    text = report(campaign, UNIT).replace("ngay: 2022-06-01", "ngay: 2022-06-15").replace("Nguyễn Văn An", signer)
    (folder / "bao-cao.md").write_text(text, encoding="utf-8")
    if pdf:
        (folder / name).write_bytes(pdf)


def _codes(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["--root", str(root), "check", "--format", "json", str(root / "submissions" / UNIT)]
    )
    return result.exit_code, sorted(f["code"] for f in json.loads(result.output)["findings"])


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", []),
        ("other-signer", ["K906"]),
        ("altered", ["K905"]),
        ("unsigned", ["K901"]),
        ("untrusted", ["K904"]),
        ("malformed", ["K909"]),
    ],
)
def test_check_reports_each_signature_case_with_its_code(
    tmp_path: Path, ca: Authority, signed: bytes, case: str, expected: list[str]
) -> None:
    root = _campaign_dir(tmp_path, ca)
    other = Authority.make("CA khác")
    pdf = {
        "valid": signed,
        "other-signer": signed,
        "altered": append_content(signed),
        "unsigned": blank_pdf(),
        "untrusted": sign(blank_pdf(), issue(SIGNER, other.intermediate), other, when=SIGNED_AT),
        "malformed": b"%PDF-1.4\nkhong phai pdf\n",
    }[case]
    _submit(root, pdf, signer="Lê Thị Hoa" if case == "other-signer" else "tran van phuoc")  # folded names match
    assert _codes(root) == (0, expected)


def test_a_stage_that_requires_a_signed_pdf_rejects_a_report_without_one(tmp_path: Path, ca: Authority) -> None:
    root = _campaign_dir(tmp_path, ca)
    text = (root / "campaign.yml").read_text(encoding="utf-8")
    (root / "campaign.yml").write_text(
        text.replace(
            "    due: {before: 2022-06-20}\n", "    due: {before: 2022-06-20}\n    require_signed_pdf: true\n", 1
        ),
        encoding="utf-8",
    )
    _submit(root, blank_pdf())
    assert _codes(root) == (1, ["K901", "K920"])


def test_status_judges_each_units_signed_original_from_history(tmp_path: Path, ca: Authority, signed: bytes) -> None:
    from baocao.campaign.load import load_campaign_text
    from baocao.demo.simulate import HistoryWriter
    from baocao.findings import Severity
    from baocao.status.formats import chunks
    from baocao.status.judge import State, compute_status
    from tests.history_data import CLERK, at, path

    text = (ROOT / "campaign.yml").read_text(encoding="utf-8") + "\nsigned_pdf:\n  trust: [trust/ca.pem]\n"
    text = text.replace(
        "    due: {before: 2022-06-20}\n", "    due: {before: 2022-06-20}\n    require_signed_pdf: true\n", 1
    )
    campaign = load_campaign_text(text)
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": text, "trust/ca.pem": ca.root.pem})
    w.commit("Khởi tạo", at(1))
    unsigned, other = "huyen-uy-ba-to", "thi-uy-duc-pho"
    for unit, pdf, signer in ((UNIT, signed, SIGNER), (unsigned, blank_pdf(), SIGNER), (other, signed, "Lê Thị Hoa")):
        body = report(campaign, unit).replace("ngay: 2022-06-01", "ngay: 2022-06-15").replace("Nguyễn Văn An", signer)
        files = {path(unit): body, f"submissions/{unit}/bao-cao-ky.pdf": pdf}
        w.pull_request(unit, files, authored=at(16), merged=at(16), author=CLERK)
    status = compute_status(campaign, w.path, at(25))
    stage = campaign.stages[0].id

    def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
        return sorted(f.code for f in findings if f.code.startswith("K"))

    good, bad, mismatch = (status.unit(stage, u) for u in (UNIT, unsigned, other))
    assert good.state is State.ON_TIME and codes(good.errors) == codes(good.warnings) == []
    assert [p.path for p in good.signatures] == [f"submissions/{UNIT}/bao-cao-ky.pdf"]
    assert only(good.signatures[0]).verified
    # No verified signature on a stage that requires one: the report does not count (K920).
    assert bad.state is State.INVALID and "K920" in codes(bad.errors) and "K901" in codes(bad.errors + bad.warnings)
    # Signed by someone other than the report's signer: found by matching the PDF to the report.
    assert "K906" in codes(mismatch.errors + mismatch.warnings)
    for u in (good, bad, mismatch):
        assert all(f.severity is Severity.ERROR for f in u.errors)
        assert all(f.severity is Severity.WARNING for f in u.warnings)
    # ``baocao status`` keeps no report text (texts=False), only the front matter the PDFs are
    # matched against: the same verdicts, the same JSON.
    lean = compute_status(campaign, w.path, at(25), texts=False)
    assert "".join(chunks(lean, "json")) == "".join(chunks(status, "json"))
    assert "K906" in codes(lean.unit(stage, other).errors + lean.unit(stage, other).warnings)
    kept, dropped = status.unit(stage, other).checked, lean.unit(stage, other).checked
    assert kept is not None and dropped is not None
    assert kept.report.text and kept.report.headings and dropped.report.text is None and not dropped.report.headings
    assert dropped.report.meta == kept.report.meta


# ------------------------------------------------------------------ the demo and its site


def test_demo_status_carries_the_verified_and_the_altered_original(demo_site: DemoSite) -> None:
    from baocao.demo import build as demo

    doc = json.loads((demo_site.site / "status.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for u in doc["stages"][0]["units"]}
    (good,) = units[demo.DIGITAL]["signatures"]
    (bad,) = units[demo.ALTERED]["signatures"]
    assert good["signatures"][0]["verified"] and not bad["signatures"][0]["verified"]
    assert "K905" in {w["code"] for w in units[demo.ALTERED]["warnings"]}
    page = (demo_site.site / "don-vi" / f"{demo.DIGITAL}.html").read_text(encoding="utf-8")
    assert "Chữ ký số của bản PDF" in page and good["signatures"][0]["signer"] in page
    draft = (demo_site.site / "tai-ve" / "tong-hop-bao-cao-don-vi.md").read_text(encoding="utf-8")
    assert "Bản ký số đã xác minh:** 1 đơn vị" in draft


def test_verification_is_cached_by_blob(demo_site: DemoSite, tmp_path: Path) -> None:
    from baocao.campaign.load import load_campaign
    from baocao.demo import build as demo
    from baocao.status.judge import compute_status

    clone = tmp_path / "clone"
    shutil.copytree(demo_site.root, clone)
    campaign = load_campaign(clone / "campaign.yml")
    as_of = datetime.fromisoformat(demo_site.as_of)
    compute_status(campaign, clone, as_of)
    path = clone / ".git" / "baocao" / "pdf-signatures.json"
    cache = json.loads(path.read_text(encoding="utf-8"))
    assert len(cache["items"]) == 4  # the demo's four PDFs, once each
    # The next run takes the results from the cache: a marker written there comes back.
    for item in cache["items"].values():
        for sig in item["signatures"]:
            sig["signer"] = "đọc từ bộ nhớ đệm"
    path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    again = compute_status(campaign, clone, as_of).unit("bao-cao-don-vi", demo.DIGITAL)
    assert again.signatures[0].signatures[0].signer == "đọc từ bộ nhớ đệm"


def test_pull_request_check_reports_the_signature_of_the_pdf_it_adds(
    tmp_path: Path, ca: Authority, signed: bytes
) -> None:
    from baocao.campaign.load import load_campaign
    from baocao.ci.prcheck import check_pull_request
    from baocao.demo.simulate import HistoryWriter
    from tests.history_data import CLERK, at

    (tmp_path / "repo").mkdir()
    root = _campaign_dir(tmp_path / "repo", ca)
    w = HistoryWriter.init(root)
    w.git("add", "campaign.yml", "trust/ca.pem")
    w.commit("Khởi tạo", at(1))
    campaign = load_campaign(root / "campaign.yml")
    w.git("checkout", "-q", "-b", "nop", "main")
    _submit(root, append_content(signed), signer=SIGNER)
    w.git("add", "submissions")
    w.commit("Nộp", at(14), author=CLERK, committer=CLERK)
    result = check_pull_request(campaign, root, "main", "nop", "vt-huyen-uy-binh-son", now=at(15))
    assert result.ok and [f.code for f in result.findings if f.code.startswith("K")] == ["K905"]


def test_check_names_a_trust_file_that_is_not_in_the_repository(tmp_path: Path) -> None:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    text += "\nsigned_pdf:\n  trust: [trust/khong-co.pem, ../../etc/ssl/x.pem]\nevidence:\n  server_keys: [github]\n"
    (tmp_path / "campaign.yml").write_text(text, encoding="utf-8")
    (tmp_path / "submissions").mkdir()
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "check", "--format", "json"])
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "C107"]
    assert result.exit_code == 1 and len(found) == 2 and "trust/khong-co.pem" in found[0]["message"]
