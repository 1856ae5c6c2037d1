"""Links straight to the hosting site's pages for a unit's folder: upload a report there, or
edit the report already in it. The host is chosen from the repository's URL (``repo_url`` in
campaign.yml, else in mkdocs.yml): GitHub, GitLab (gitlab.com or a host named gitlab…),
Gitea/Forgejo (any other host: their paths are the most common on a self-hosted server)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Host:
    kind: str  # "github", "gitlab", "gitea"
    base: str  # https://github.com/owner/repo, no trailing slash

    def upload(self, branch: str, folder: str) -> str:
        """The page that uploads files into ``folder`` on ``branch`` (opening a pull request)."""
        path = _path(branch, folder)
        if self.kind == "github":
            return f"{self.base}/upload/{path}"
        if self.kind == "gitlab":  # GitLab uploads from the folder's page ("+" → Upload file)
            return f"{self.base}/-/tree/{path}"
        return f"{self.base}/_upload/{path}"

    def edit(self, branch: str, file: str) -> str:
        """The page that edits ``file`` on ``branch`` in the browser."""
        path = _path(branch, file)
        if self.kind == "github":
            return f"{self.base}/edit/{path}"
        if self.kind == "gitlab":
            return f"{self.base}/-/edit/{path}"
        return f"{self.base}/_edit/{path}"


def _path(branch: str, path: str) -> str:
    return f"{quote(branch, safe='')}/{quote(path, safe='/')}"


def host_for(repo_url: str | None) -> Host | None:
    """The host of an http(s) repository URL, or None (no URL, or not a web address)."""
    if not repo_url:
        return None
    parts = urlsplit(repo_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.username or parts.password:
        return None
    path = parts.path.rstrip("/").removesuffix(".git")
    if path.count("/") < 2:  # at least /owner/repo
        return None
    base = f"{parts.scheme}://{parts.netloc}{quote(path, safe='/-_.~')}"
    host = parts.hostname or ""
    if host == "github.com" or host.endswith(".github.com"):
        return Host("github", base)
    if host == "gitlab.com" or host.startswith("gitlab."):
        return Host("gitlab", base)
    return Host("gitea", base)
