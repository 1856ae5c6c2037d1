"""The signed PDF originals of a commit: each unit's PDFs read from git and verified (K9)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path, PurePosixPath

from baocao.campaign.model import Campaign
from baocao.checks.pdfsign import PdfCache, PdfCheck, load_trust
from baocao.history.gitlog import MODE_SYMLINK, list_tree, open_repo, read_object


def pdfs_at(campaign: Campaign, root: Path, commit: str, moment: datetime | None) -> dict[str, list[PdfCheck]]:
    """unit id -> its PDFs as they are in ``commit`` (one ``git ls-tree``), verified at ``moment``
    and cached by blob id."""
    repo = open_repo(root)
    found: list[tuple[str, str, str]] = []  # (unit, path, blob)
    for e in list_tree(repo, commit, "submissions/"):
        parts = PurePosixPath(e.path).parts
        pdf = e.kind == "blob" and e.mode != MODE_SYMLINK and len(parts) == 3 and e.path.lower().endswith(".pdf")
        if pdf and parts[1] in campaign.unit_by_id:
            found.append((parts[1], e.path, e.blob))
    if not found:
        return {}
    cache = PdfCache(Path(repo.git_dir), load_trust(root, campaign.signed_pdf.trust, campaign.signed_pdf.crls))
    out: dict[str, list[PdfCheck]] = {}
    for unit, path, blob in found:

        def read(b: str = blob) -> bytes:
            return read_object(repo, b)

        out.setdefault(unit, []).append(cache.check(path, blob, read, moment))
    cache.save()
    return out
