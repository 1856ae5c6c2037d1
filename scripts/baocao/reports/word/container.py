"""Is this a Word .docx at all? The checks that need only the bytes and the zip container.

A ``.docx`` is a zip (OOXML) holding ``word/document.xml``. What clerks actually send
under that name: the old binary ``.doc`` and password-protected ``.docx`` files (both OLE2
compound files, signature ``D0 CF 11 E0``; an encrypted OOXML carries an ``EncryptionInfo``
stream), PDFs renamed to ``.docx``, OpenDocument files, and broken downloads.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from baocao.findings import Finding, finding
from baocao.reports.word.blocks import Block, Para, Table
from baocao.reports.word.numbering import q

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
DOCUMENT_XML = "word/document.xml"
COMMENTS_XML = "word/comments.xml"
# A document.xml far larger than any report means a damaged or hostile zip.
MAX_XML_BYTES = 64 * 1024 * 1024

# The whole package is read (python-docx loads every part): bounded before anything is inflated.
MAX_PARTS = 2000
MAX_UNZIPPED = 128 * 1024 * 1024  # all parts together, decompressed
MAX_RATIO = 200  # decompressed / compressed size of one part larger than 1 MB (a zip bomb is ~1000)

_SAVE_AS = "Hãy mở tệp bằng Word và chọn Tệp (File) → Lưu thành (Save As) → Tài liệu Word (*.docx)."


@dataclass(frozen=True, slots=True)
class Container:
    """The parts of the .docx that the reader needs, as bytes."""

    document: bytes
    comments: bytes | None


def open_container(data: bytes, path: str) -> tuple[Container | None, list[Finding]]:
    """The document parts, or None with the finding that says why the file is not a .docx."""
    if not data.strip():
        return None, [finding("F209", path, 1, "Tệp rỗng: chưa có nội dung báo cáo.")]
    if data.startswith(OLE2):
        if ENCRYPTION_INFO in data:
            msg = (
                "Tệp Word được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu: Tệp (File) → Thông tin (Info) → "
                "Bảo vệ tài liệu (Protect Document) → Mã hóa bằng mật khẩu (Encrypt with Password) → xóa mật khẩu, "
                "rồi lưu lại."
            )
            return None, [finding("D802", path, 1, msg)]
        msg = f"Tệp là tài liệu Word cũ (.doc, Word 97-2003), không phải .docx (hoặc có mật khẩu). {_SAVE_AS}"
        return None, [finding("D801", path, 1, msg)]
    if data.startswith(b"%PDF"):
        msg = (
            "Tệp là PDF được đổi tên thành .docx. Hãy nộp tệp Word gốc (.docx); "
            "bản PDF có chữ ký thì đặt tên riêng, ví dụ bao-cao-ky.pdf."
        )
        return None, [finding("D801", path, 1, msg)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if DOCUMENT_XML not in names:
                kind = "tệp OpenDocument (.odt)" if "mimetype" in names else "tệp nén không phải tài liệu Word"
                return None, [finding("D801", path, 1, f"Tệp là {kind}. {_SAVE_AS}")]
            if z.getinfo(DOCUMENT_XML).file_size > MAX_XML_BYTES:
                return None, [finding("D801", path, 1, f"Nội dung tệp Word quá lớn hoặc bị hỏng. {_SAVE_AS}")]
            bomb = _too_big(z.infolist())
            if bomb:
                return None, [finding("F214", path, 1, f"Tệp Word vượt giới hạn xử lý: {bomb}. {_SAVE_AS}")]
            document = z.read(DOCUMENT_XML)
            comments = z.read(COMMENTS_XML) if COMMENTS_XML in names else None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError, RuntimeError) as exc:
        detail = "tệp bị hỏng hoặc tải về chưa trọn vẹn" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        return None, [finding("D801", path, 1, f"Tệp không phải tài liệu Word .docx ({detail}). {_SAVE_AS}")]
    return Container(document, comments), []


def _too_big(parts: list[zipfile.ZipInfo]) -> str:
    """Why the package is too big to open safely (from the sizes its directory declares), or ''."""
    if len(parts) > MAX_PARTS:
        return f"{len(parts)} phần, quá {MAX_PARTS}"
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED:
        return f"giải nén ra {total // 1048576} MB, quá {MAX_UNZIPPED // 1048576} MB"
    for p in parts:
        if p.file_size > 1048576 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            return f"phần {p.filename} nén {p.file_size // max(p.compress_size, 1)} lần (tệp nén bất thường)"
    return ""


def all_paras(blocks: list[Block]) -> list[Para]:
    out: list[Para] = []
    for b in blocks:
        out += list(b.paras) if isinstance(b, Table) else [b]
    return out


def revision_marks(blocks: list[Block], comments_xml: bytes | None, path: str) -> list[Finding]:
    """Tracked changes not accepted (D803) and comments left in (D804)."""
    out = []
    paras = all_paras(blocks)
    changed = [p for p in paras if p.changes]
    if changed:
        total = sum(p.changes for p in changed)
        out.append(
            finding(
                "D803",
                path,
                changed[0].number,
                f"Tệp còn {total} chỗ sửa được theo dõi (Track Changes) chưa chấp nhận, đầu tiên ở đoạn "
                f"{changed[0].number}. Trong Word: Xem lại (Review) → Chấp nhận (Accept) → Chấp nhận tất cả thay đổi "
                "(Accept All Changes), rồi lưu lại. (Baocao đã đọc văn bản như khi chấp nhận hết.)",
            )
        )
    count = 0
    if comments_xml:
        from lxml import etree

        try:
            root = etree.fromstring(comments_xml)
            count = sum(1 for _ in root.iter(q("comment")))
        except etree.XMLSyntaxError:
            count = comments_xml.count(b":comment ")
    anchored = [p for p in paras if p.comments]
    count = max(count, sum(p.comments for p in anchored))
    if count:
        line = anchored[0].number if anchored else 1
        out.append(
            finding(
                "D804",
                path,
                line,
                f"Tệp còn {count} chú thích (comment){f', đầu tiên ở đoạn {line}' if anchored else ''}. "
                "Trong Word: Xem lại (Review) → Xóa (Delete) → Xóa tất cả chú thích (Delete All Comments in "
                "Document), rồi lưu lại.",
            )
        )
    return out
