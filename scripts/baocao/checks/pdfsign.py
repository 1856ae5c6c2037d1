"""Digital signatures of PDF originals (bản ký số), verified offline with pyHanko.

For each signature in a PDF: whether the signed bytes are intact, whether the signature is
cryptographically valid, whether the signer's certificate chains to a trust root that the
campaign names (``signed_pdf.trust``: PEM or DER files in the repository) at the moment of
checking, who signed (CN, organisation), the time the signer's software claims and the time of
a trusted RFC 3161 timestamp (kept apart: only the timestamp is evidence), how much of the
file the signature covers and whether the file was changed after signing. Nothing is ever
fetched: revocation information counts only when the campaign ships it as files
(``signed_pdf.crls``), and the result says so when it could not be checked.

Hostile PDFs are verified in a forked child process limited to ``MEMORY`` bytes of address
space and ``SECONDS`` of time; a PDF that exceeds them, or that pyHanko cannot read, is a
result with a problem, never an exception. Results are cached by blob id (``.git/baocao/``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import resource
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from baocao.parallel import can_fork, child_process, one_way_pipe, stopped_on_exit

MAX_SIGNATURES = 8  # per file; more is not a report
MEMORY = 1 << 30  # bytes of address space for the child that reads one PDF
SECONDS = 30
CACHE_FILE = "pdf-signatures.json"
VERSION = 1  # of the cached records


@dataclass(frozen=True)
class PdfSignature:
    field: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature verifies
    trusted: bool  # the signer's certificate chains to a campaign trust root
    trust_problem: str  # why not trusted (Vietnamese), or ""
    signer: str  # subject common name
    organisation: str
    claimed_at: str | None  # ISO time the signer's software wrote (not evidence)
    timestamp: str | None  # ISO time of a valid RFC 3161 timestamp token
    timestamp_trusted: bool
    whole_file: bool  # the signature covers the file as it is
    modification: str  # none | lta | form | annotations | other: changes after signing
    revocation_checked: bool

    @property
    def verified(self) -> bool:
        """Intact, valid, trusted, and the file not changed after signing (beyond validation data)."""
        return self.intact and self.valid and self.trusted and self.modification in ("none", "lta")


@dataclass
class PdfCheck:
    path: str
    blob: str = ""
    signatures: list[PdfSignature] = field(default_factory=list)
    problem: str = ""  # the PDF could not be read (Vietnamese), or ""

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "blob": self.blob,
            "problem": self.problem,
            "signatures": [{**asdict(s), "verified": s.verified} for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> PdfCheck:
        raw: list[dict[str, Any]] = d["signatures"]  # type: ignore[assignment]
        sigs = [PdfSignature(**{k: v for k, v in s.items() if k != "verified"}) for s in raw]
        return cls(str(d["path"]), str(d["blob"]), sigs, str(d["problem"]))


@dataclass(frozen=True)
class Trust:
    """The campaign's trust roots and revocation lists, as DER bytes."""

    roots: tuple[bytes, ...]
    crls: tuple[bytes, ...] = ()

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for item in (*self.roots, b"--", *self.crls):
            h.update(hashlib.sha256(item).digest())
        return h.hexdigest()[:16]


def _der(data: bytes) -> list[bytes]:
    """DER certificates or CRLs from a PEM or DER file."""
    if b"-----BEGIN" not in data:
        return [data]
    from asn1crypto import pem

    return [der for _, _, der in pem.unarmor(data, multiple=True)]


def load_trust(root: Path, roots: Iterable[str], crls: Iterable[str]) -> Trust:
    """The files named in campaign.yml (``signed_pdf``), read from the repository at ``root``;
    a missing file is left out (``baocao check`` reports it: C107)."""

    def read(names: Iterable[str]) -> tuple[bytes, ...]:
        out: list[bytes] = []
        for name in names:
            path = (root / name).resolve()
            if path.is_relative_to(root.resolve()) and path.is_file():
                out += _der(path.read_bytes())
        return tuple(out)

    return Trust(read(roots), read(crls))


_MODIFICATION = {0: "none", 1: "lta", 2: "form", 3: "annotations", 4: "other"}


def _verify(data: bytes, trust: Trust, moment: datetime | None) -> tuple[list[PdfSignature], str]:
    """In-process verification (called in the bounded child)."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # a hostile or broken PDF: pyHanko's many error types
        return [], f"không đọc được tệp PDF ({type(exc).__name__})"
    roots = [asn1_x509.Certificate.load(d) for d in trust.roots]
    crls = [asn1_crl.CertificateList.load(d) for d in trust.crls]
    out: list[PdfSignature] = []
    for sig in embedded[:MAX_SIGNATURES]:
        context = ValidationContext(
            trust_roots=roots,
            allow_fetching=False,
            crls=crls,
            revocation_mode="hard-fail" if crls else "soft-fail",
            moment=moment,
        )
        try:
            st = validate_pdf_signature(sig, context)
        except Exception as exc:
            return out, f"không kiểm tra được chữ ký {sig.field_name} ({type(exc).__name__})"
        subject = st.signing_cert.subject.native
        ts = st.timestamp_validity
        level = st.modification_level
        problem = ""
        if not st.trusted:
            problem = (
                "chứng thư đã bị thu hồi"
                if st.revoked
                else "chứng thư không chuỗi được tới gốc tin cậy của đợt báo cáo"
            )
            indication = st.trust_problem_indic
            # OUT_OF_BOUNDS_*: the certificate was not valid at the moment checked (expired or not yet).
            if indication is not None and ("OUT_OF_BOUNDS" in str(indication) or "EXPIRED" in str(indication)):
                problem = "chứng thư đã hết hạn hoặc chưa có hiệu lực lúc kiểm tra"
        out.append(
            PdfSignature(
                field=str(sig.field_name),
                intact=bool(st.intact),
                valid=bool(st.valid),
                trusted=bool(st.trusted),
                trust_problem=problem,
                signer=str(subject.get("common_name", "")),
                organisation=str(subject.get("organization_name", "")),
                claimed_at=st.signer_reported_dt.isoformat() if st.signer_reported_dt else None,
                timestamp=ts.timestamp.isoformat() if ts is not None and ts.intact and ts.valid else None,
                timestamp_trusted=bool(ts is not None and ts.trusted),
                whole_file=st.coverage is not None and st.coverage.name == "ENTIRE_FILE",
                modification=_MODIFICATION.get(level.value, "other") if level is not None else "other",
                revocation_checked=bool(crls) and bool(st.trusted),
            )
        )
    return out, ""


def _child(data: bytes, trust: Trust, moment: datetime | None, conn) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        conn.send(_verify(data, trust, moment))
    except BaseException as exc:  # MemoryError and the like: reported, never raised
        conn.send(([], f"tệp PDF vượt giới hạn xử lý ({type(exc).__name__})"))
    finally:
        conn.close()
        os._exit(0)


def verify_pdf(data: bytes, trust: Trust, moment: datetime | None = None, path: str = "") -> PdfCheck:
    """Every signature of a PDF (at most ``MAX_SIGNATURES``), checked at ``moment`` (default:
    now), in a child process bounded in memory and time where fork is available."""
    if not can_fork():
        sigs, problem = _verify(data, trust, moment)
        return PdfCheck(path, "", sigs, problem)
    import pyhanko.sign.validation  # noqa: F401  (imported once here, not again in every child)

    parent, child = one_way_pipe()
    with stopped_on_exit(child_process(_child, (data, trust, moment, child))):
        child.close()
        try:
            if parent.poll(SECONDS):
                sigs, problem = parent.recv()
            else:
                sigs, problem = [], f"kiểm tra tệp PDF quá {SECONDS} giây: vượt giới hạn xử lý"
        except EOFError:
            sigs, problem = [], "tệp PDF vượt giới hạn xử lý"
        finally:
            parent.close()
    return PdfCheck(path, "", sigs, problem)


class PdfCache:
    """Results by (blob, trust, moment day) kept in ``.git/baocao/`` between runs."""

    def __init__(self, git_dir: Path | None, trust: Trust):
        self.path = git_dir / "baocao" / CACHE_FILE if git_dir else None
        self.trust = trust
        self.items: dict[str, dict[str, object]] = {}
        self.dirty = False
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == VERSION and data.get("trust") == trust.digest:
                    self.items = dict(data.get("items", {}))
            except (OSError, ValueError, AttributeError):
                self.items = {}

    def check(self, path: str, blob: str, read: Callable[[], bytes], moment: datetime | None) -> PdfCheck:
        key = f"{blob}@{moment.astimezone(UTC).date().isoformat() if moment else 'now'}"
        if key in self.items:
            result = PdfCheck.from_dict(self.items[key])
            result.path = path
            return result
        result = verify_pdf(read(), self.trust, moment, path)
        result.blob = blob
        if moment is not None:  # a check "as of now" changes with the clock: not kept
            self.items[key] = result.to_dict()
            self.dirty = True
        return result

    def save(self) -> None:
        if not (self.dirty and self.path):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            doc = {"version": VERSION, "trust": self.trust.digest, "items": self.items}
            tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass
