"""Page images of the demo's compiled draft (first, middle and last page) and of the printed
workbook, for docs/assets/ and the README; and the draft's length, synthesised and verbatim.

    .venv/bin/python scripts/print_samples.py [--out docs/assets]

Needs LibreOffice (soffice) and poppler (pdftoppm, pdfinfo). Builds the demo campaign in a
temporary folder, as `make demo` does, and reads it at its closing (15/07/2022 12:00).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from baocao.campaign.load import load_campaign  # noqa: E402
from baocao.demo import build as demo  # noqa: E402
from baocao.documents.compile import compile_campaign  # noqa: E402
from baocao.documents.draft_docx import export_docx  # noqa: E402
from baocao.documents.workbook import export_xlsx  # noqa: E402


def to_pdf(path: Path) -> Path:
    profile = path.parent / ".lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return path.with_suffix(".pdf")


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def image(pdf: Path, page: int, out: Path, dpi: int) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    print(f"{out.with_suffix('.png')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "assets")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "demo"
        demo.create(repo, ROOT)
        campaign = load_campaign(repo / "campaign.yml")
        as_of = datetime.fromisoformat(demo.DEMO_AS_OF)
        lengths = {}
        for verbatim in (True, False):
            compiled = compile_campaign(campaign, repo, as_of=as_of, verbatim=verbatim)
            folder = Path(tmp) / ("verbatim" if verbatim else "synthesis")
            lengths[verbatim] = pages(to_pdf(export_docx(compiled, folder / "du-thao.docx")))
        draft = Path(tmp) / "synthesis" / "du-thao.pdf"
        n = lengths[False]
        for label, page in (("dau", 1), ("giua", (n + 1) // 2), ("cuoi", n)):
            image(draft, page, args.out / f"du-thao-trang-{label}", args.dpi)
        workbook = to_pdf(export_xlsx(compiled, Path(tmp) / "xlsx" / "so-lieu.xlsx"))
        for page in range(1, pages(workbook) + 1):
            text = subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(workbook), "-"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            if "Số liệu tổng hợp" in text:
                image(workbook, page, args.out / "so-lieu-in", args.dpi * 2)  # landscape, small print
                break
        print(f"Dự thảo tổng hợp: {lengths[False]} trang (nguyên văn --verbatim: {lengths[True]} trang).")


if __name__ == "__main__":
    main()
