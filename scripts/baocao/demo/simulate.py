"""Writing campaign histories with real git: commits with chosen dates and ``--no-ff``
merges made the way a hosting service merges pull requests. The demo campaign and the
tests build their repositories with this; nothing here is used to read history."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

SERVER = ("Máy chủ Git", "git@hosting.local")


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("dates must be timezone-aware")
    return moment.isoformat()


class HistoryWriter:
    """A git repository to which dated commits and pull-request merges are added."""

    def __init__(self, path: Path, branch: str = "main", gnupghome: Path | None = None):
        self.path = Path(path)
        self.branch = branch
        self.gnupghome = gnupghome  # where signing keys are (``sign=`` below)

    def git(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
        full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        if self.gnupghome is not None:
            full_env["GNUPGHOME"] = str(self.gnupghome)
        done = subprocess.run(["git", *args], cwd=self.path, env=full_env, check=check, capture_output=True, text=True)
        return done.stdout.strip()

    @classmethod
    def init(cls, path: Path, branch: str = "main", gnupghome: Path | None = None) -> HistoryWriter:
        path.mkdir(parents=True, exist_ok=True)
        w = cls(path, branch, gnupghome)
        w.git("init", "-q", "-b", branch)
        w.git("config", "user.name", SERVER[0])
        w.git("config", "user.email", SERVER[1])
        w.git("config", "commit.gpgsign", "false")
        return w

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write (or, for None, delete) files relative to the repository."""
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                if target.exists() or target.is_symlink():
                    self.git("rm", "-q", "-r", "--", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
            self.git("add", "--", rel)

    def commit(
        self,
        message: str,
        when: datetime,
        *,
        author: tuple[str, str] = SERVER,
        authored: datetime | None = None,
        committer: tuple[str, str] = SERVER,
        sign: str | None = None,
    ) -> str:
        """A commit dated ``when``; ``sign`` signs it with that key (``gnupghome``)."""
        env = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": _stamp(authored or when),
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": _stamp(when),
        }
        self.git("commit", "-q", "--allow-empty", *([f"-S{sign}"] if sign else []), "-m", message, env=env)
        return self.git("rev-parse", "HEAD")

    def direct(self, files: Mapping[str, str | bytes | None], message: str, when: datetime, **kw: object) -> str:
        """A commit pushed straight to the branch."""
        self.git("checkout", "-q", self.branch)
        self.write(files)
        return self.commit(message, when, **kw)  # type: ignore[arg-type]

    def pull_request(
        self,
        name: str,
        files: Mapping[str, str | bytes | None],
        *,
        authored: datetime,
        merged: datetime,
        author: tuple[str, str] = ("Văn thư", "vanthu@donvi.local"),
        message: str | None = None,
        sign: str | None = None,
        server: tuple[str, str] = SERVER,
    ) -> str:
        """A branch with one commit dated ``authored`` (any date a submitter likes),
        merged with ``--no-ff`` at ``merged`` by the server (``sign``: with that key, as
        GitHub signs its merges); returns the merge commit."""
        self.git("checkout", "-q", "-B", name, self.branch)
        self.write(files)
        self.commit(message or f"Nộp báo cáo ({name})", authored, author=author, committer=author)
        self.git("checkout", "-q", self.branch)
        env = {
            "GIT_AUTHOR_NAME": server[0],
            "GIT_AUTHOR_EMAIL": server[1],
            "GIT_AUTHOR_DATE": _stamp(merged),
            "GIT_COMMITTER_NAME": server[0],
            "GIT_COMMITTER_EMAIL": server[1],
            "GIT_COMMITTER_DATE": _stamp(merged),
        }
        signing = [f"-S{sign}"] if sign else []
        self.git("merge", "-q", "--no-ff", *signing, "-m", f"Merge pull request: {name}", name, env=env)
        self.git("branch", "-q", "-D", name)
        return self.git("rev-parse", "HEAD")
