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

from .findings import Finding, finding

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
DOCUMENT_XML = "word/document.xml"
COMMENTS_XML = "word/comments.xml"
# A document.xml far larger than any report means a damaged or hostile zip.
MAX_XML_BYTES = 64 * 1024 * 1024

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
            document = z.read(DOCUMENT_XML)
            comments = z.read(COMMENTS_XML) if COMMENTS_XML in names else None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError, RuntimeError) as exc:
        detail = "tệp bị hỏng hoặc tải về chưa trọn vẹn" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        return None, [finding("D801", path, 1, f"Tệp không phải tài liệu Word .docx ({detail}). {_SAVE_AS}")]
    return Container(document, comments), []
