"""CODEOWNERS for GitHub and GitLab, generated from campaign.yml.

Each unit's folder is owned by its submitters and by the campaign maintainers (so that a
pull request from a clerk asks the office for review and the office can approve it);
everything else is owned by the maintainers. Both hosting services read the same syntax;
the files differ only in where they live. ``baocao check`` reports a file that no longer
matches the campaign (code P750).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from baocao.campaign.model import Campaign
from baocao.findings import Finding, finding

# GitHub reads .github/CODEOWNERS first; GitLab reads CODEOWNERS, docs/ then .gitlab/.
# One file in each service's own folder keeps each service from reading the other's.
LOCATIONS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS")

HEADER = """\
# Tệp này do lệnh `baocao codeowners` sinh ra từ campaign.yml: đừng sửa tay.
# Sửa maintainers / submitters trong campaign.yml rồi chạy lại `baocao codeowners`.
# Mỗi thư mục đơn vị thuộc văn thư của đơn vị đó và văn phòng tổng hợp;
# mọi tệp khác thuộc văn phòng tổng hợp (maintainers).
"""


def owner(login: str) -> str:
    """'vt-ba-to' -> '@vt-ba-to'; an e-mail address stays as it is."""
    login = login.strip()
    if login.startswith("@") or ("@" in login and "." in login.split("@")[-1]):
        return login
    return "@" + login


def _owners(logins: list[str]) -> str:
    seen: dict[str, None] = {}
    for login in logins:
        if login.strip():
            seen.setdefault(owner(login), None)
    return " ".join(seen)


def render(campaign: Campaign) -> str:
    """The CODEOWNERS text for a campaign (the last matching line wins on both services)."""
    maintainers = campaign.campaign.maintainers
    lines = [HEADER, f"* {_owners(maintainers)}".rstrip(), f"/campaign.yml {_owners(maintainers)}".rstrip(), ""]
    for unit in campaign.ordered_units():
        lines.append(f"/submissions/{unit.id}/ {_owners([*unit.submitters, *maintainers])}".rstrip())
    return "\n".join(lines) + "\n"


def write(campaign: Campaign, root: Path) -> list[Path]:
    """Write every CODEOWNERS file; return the paths that changed."""
    text = render(campaign)
    changed = []
    for rel in LOCATIONS:
        path = root / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def existing(root: Path) -> list[str]:
    return [rel for rel in LOCATIONS if (root / rel).exists()]


def rule_codeowners_current(campaign: Campaign, root: Path) -> Iterator[Finding]:
    """Every CODEOWNERS file that exists equals what campaign.yml generates."""
    expected = render(campaign).splitlines()
    for rel in existing(root):
        try:
            actual = (root / rel).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            actual = []
        if actual == expected:
            continue
        line = next(
            (i for i, (a, b) in enumerate(zip(actual, expected, strict=False), 1) if a != b),
            min(len(actual), len(expected)) + 1,
        )
        want = expected[line - 1] if line <= len(expected) else "(hết tệp)"
        yield finding(
            "P750",
            rel,
            line,
            f"{rel} không còn khớp campaign.yml: dòng {line} phải là “{want}”.",
        )
