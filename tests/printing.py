"""Documents rendered as they print: LibreOffice converts to PDF, poppler reads the pages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .conftest import require_program, require_vietnamese_serif


def to_pdf(document: Path) -> Path:
    """``document`` (.docx or .xlsx) converted by LibreOffice to a PDF beside it."""
    soffice = require_program("soffice", "libreoffice-writer" if document.suffix == ".docx" else "libreoffice-calc")
    require_program("pdftotext", "poppler-utils")
    require_vietnamese_serif()
    profile = document.parent / ".lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(document.parent), str(document)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return document.with_suffix(".pdf")


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page, in order."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return text.split("\f")[: page_count(pdf)]


def page_image(pdf: Path, page: int, out: Path, dpi: int = 60) -> Path:
    """Page ``page`` (1-based) as a PNG at ``out`` (without suffix)."""
    require_program("pdftoppm", "poppler-utils")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out.with_suffix(".png")
