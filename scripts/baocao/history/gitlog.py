"""Git as data: one streaming ``git log`` over the first-parent chain, blobs through one
persistent ``git cat-file --batch``, and the few reads the trust rule needs (the chain's claimed
times, witness and deadline tags, tree ids, commits lost to a rewrite).

Nothing here knows about campaigns: it yields commits with the changes they made under a
folder, and reads objects. ``baocao.history.read`` turns that into submissions.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import git

ZERO = "0" * 40
# Commit header fields, separated by NUL (the one byte git never lets into a name or an e-mail:
# a control character in an author's name must not split a field); each header starts with RS
# and is read as exactly that many tokens, so that nothing in it is taken for a raw diff line.
_FIELDS = ("%H", "%P", "%ct", "%cn", "%ce", "%at", "%an", "%ae")
_FORMAT = "%x1e" + "%x00".join(_FIELDS)
MODE_SYMLINK = "120000"
MODE_EXEC = "100755"
MODE_GITLINK = "160000"


class HistoryError(Exception):
    """History cannot be read; the message is in Vietnamese, for the user."""


class ShallowCloneError(HistoryError):
    def __init__(self, root: Path):
        super().__init__(
            f"Kho {root} là bản sao nông (shallow clone): thiếu lịch sử nên không xác định được thời điểm nộp. "
            "Hãy lấy đủ lịch sử bằng 'git fetch --unshallow' "
            "(trên GitHub Actions: actions/checkout với 'fetch-depth: 0')."
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One file changed by a commit, relative to its first parent."""

    path: str
    status: str  # A, M, D, T
    mode: str  # new mode ("000000" when deleted)
    blob: str  # new blob (ZERO when deleted)

    @property
    def deleted(self) -> bool:
        return self.status == "D"


@dataclass(slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    committed_at: datetime
    committer: str
    committer_email: str
    authored_at: datetime
    author: str
    author_email: str
    changes: list[Change] = field(default_factory=list)


def _time(epoch: str) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)


# A walk over a long history touches every pack and delta once: git's defaults keep up to 8 GiB
# of pack mapped and a 96 MB delta cache resident, which is most of the memory of ``status``
# on a 50,000-commit campaign (281 MB -> 128 MB for the one ``git log``, in about the same time).
LEAN_GIT = ("core.packedGitWindowSize=16m", "core.packedGitLimit=64m", "core.deltaBaseCacheLimit=16m")


@lru_cache(maxsize=8)
def open_repo(root: Path) -> git.Repo:
    """The repository at ``root`` (cached: its cat-file process stays alive for read_blob);
    every git process it starts runs with ``LEAN_GIT``."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise HistoryError(f"{root} không phải là kho Git (không có thư mục .git).") from exc
    repo.git.set_persistent_git_options(c=list(LEAN_GIT))
    return repo


def ensure_full_history(repo: git.Repo, root: Path) -> None:
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        raise ShallowCloneError(root)


def resolve(repo: git.Repo, ref: str) -> str:
    """The commit a ref names; for the campaign branch also tries origin/<branch>."""
    for candidate in (ref, f"origin/{ref}", f"refs/remotes/origin/{ref}"):
        try:
            return repo.git.rev_parse("--verify", "-q", f"{candidate}^{{commit}}").strip()
        except git.GitCommandError:
            continue
    raise HistoryError(f"Không tìm thấy nhánh hoặc commit '{ref}' trong kho.")


def _commit(fields: list[str]) -> Commit:
    sha, parents, ct, cn, ce, at, an, ae = fields
    return Commit(sha, tuple(parents.split()), _time(ct), cn, ce, _time(at), an, ae)


def first_parent_log(repo: git.Repo, rev: str, folder: str, files: tuple[str, ...] = ()) -> Iterator[Commit]:
    """Every first-parent commit of ``rev``, oldest first, with its changes under ``folder``
    and to the top-level ``files`` (campaign.yml: the rules in force change with it).

    One ``git log`` process streamed chunk by chunk; no pathspec, so the whole chain is seen
    (each commit's position on it is its order of landing); merges are diffed against their
    first parent."""
    prefix = folder.rstrip("/") + "/"
    wanted = frozenset(files)
    proc = repo.git.log(
        rev,
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "-z",
        f"--format={_FORMAT}",
        as_process=True,
    )
    stdout = proc.proc.stdout
    assert stdout is not None
    current: Commit | None = None
    pending_meta: str | None = None
    fields: list[str] = []  # the header being read
    rest = b""
    finished = False
    try:
        while chunk := stdout.read(1 << 16):
            tokens = (rest + chunk).split(b"\0")
            rest = tokens.pop()
            for raw in tokens:
                token = raw.decode("utf-8", "surrogateescape")
                if pending_meta is not None:
                    # ':old_mode new_mode old_blob new_blob status' then the path token
                    _, mode, _, blob, status = pending_meta.split(" ")
                    assert current is not None
                    if token.startswith(prefix) or token in wanted:
                        current.changes.append(Change(token, status[:1], mode, blob))
                    pending_meta = None
                    continue
                if fields:
                    fields.append(token)
                    if len(fields) == len(_FIELDS):
                        current, fields = _commit(fields), []
                    continue
                token = token.lstrip("\n")
                if token.startswith("\x1e"):
                    if current is not None:
                        yield current
                    current, fields = None, [token[1:]]
                elif token.startswith(":"):
                    pending_meta = token[1:]
        if current is not None:
            yield current
        finished = True
    finally:
        if finished:
            proc.wait()  # raises GitCommandError with git's message on failure
        else:  # the reader stopped early (an as_of cut-off): no need for the rest
            proc.proc.kill()
            proc.proc.wait()
        stdout.close()


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One file of a commit's tree (``git ls-tree -r``)."""

    path: str
    mode: str
    kind: str  # "blob", "commit" (a gitlink) or, listed without recursion, "tree"
    blob: str


def list_tree(repo: git.Repo, commit: str, *paths: str, recursive: bool = True) -> list[TreeEntry]:
    """The entries under ``paths`` in ``commit`` in one ``git ls-tree``: every file, or with
    ``recursive=False`` the folder's own entries (subfolders as kind "tree")."""
    out = []
    flags = ("-r", "-z") if recursive else ("-z",)
    for entry in filter(None, repo.git.ls_tree(*flags, commit, "--", *paths).split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split(" ")
        out.append(TreeEntry(path, mode, kind, blob))
    return out


def read_object(repo: git.Repo, sha: str) -> bytes:
    """An object's bytes through the repository's persistent ``git cat-file --batch``."""
    _, _, _, data = repo.git.get_object_data(sha)
    return data


def read_blob(root: Path, blob_id: str) -> bytes:
    """The bytes of a blob (a report version), e.g. ``UnitStatus.blob``."""
    return read_object(open_repo(Path(root).resolve()), blob_id)


def commit_authors(repo: git.Repo, shas: Iterable[str]) -> dict[str, tuple[str, str, datetime]]:
    """sha -> (author name, e-mail, authored_at) for many commits, with one ``git log --stdin``."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    proc = repo.git.log(
        "--no-walk=unsorted",
        "--stdin",
        "-z",
        "--format=%H%x00%an%x00%ae%x00%at",
        as_process=True,
        istream=subprocess.PIPE,
    )
    stdin, stdout = proc.proc.stdin, proc.proc.stdout
    assert stdin is not None and stdout is not None
    # git reads every revision from stdin before it prints anything: no deadlock.
    stdin.write("".join(f"{sha}\n" for sha in wanted).encode())
    stdin.close()
    out: dict[str, tuple[str, str, datetime]] = {}
    tokens = stdout.read().decode("utf-8", "replace").split("\0")
    for i in range(0, len(tokens) - 3, 4):  # NUL-separated fields, NUL between commits too
        sha, name, email, at = tokens[i : i + 4]
        out[sha.lstrip("\n")] = (name, email, _time(at))
    proc.wait()
    return out


def _run(root: Path, *args: str, check: bool = False) -> bytes:
    """A read-only git command in ``root``; its stdout (empty when it failed and ``check`` is off)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=check)
    return done.stdout if done.returncode == 0 else b""


def blob_bytes(root: Path, blob: str) -> bytes:
    """One object's bytes by a short-lived ``git cat-file`` (for a forked worker, which must
    not share the parent's ``--batch`` process)."""
    return _run(root, "cat-file", "blob", blob, check=True)


def chain_times(root: Path, tip: str) -> tuple[list[str], list[int]]:
    """The first-parent commits of ``tip``, oldest first, with their claimed committer times."""
    shas: list[str] = []
    claimed: list[int] = []
    for line in _run(root, "log", "--first-parent", "--reverse", "--format=%H %ct", tip, check=True).split(b"\n"):
        if line:
            sha, ct = line.split()
            shas.append(sha.decode())
            claimed.append(int(ct))
    return shas, claimed


def tag_records(root: Path, fields: tuple[str, ...], *prefixes: str) -> list[list[str]]:
    """One ``git for-each-ref`` over ``refs/tags/<prefix>``: each tag's ``%(field)`` values, in
    order (fields separated by US, records by RS, so a tag message cannot split a record)."""
    fmt = "%1f".join(f"%({f})" for f in fields) + "%1e"
    out = _run(root, "for-each-ref", f"--format={fmt}", *(f"refs/tags/{p}" for p in prefixes))
    records = (r.lstrip("\n").split("\x1f") for r in out.decode("utf-8", "replace").split("\x1e"))
    return [r for r in records if len(r) == len(fields)]


def tree_id(root: Path, commit: str, folder: str) -> str:
    """The tree id of ``folder`` at ``commit`` ("none" when it has none)."""
    return _run(root, "rev-parse", "--verify", "-q", f"{commit}:{folder}").decode().strip() or "none"


def first_parent_only(root: Path, head: str, tip: str) -> list[str]:
    """First-parent commits of ``head`` that ``tip`` does not have (oldest first)."""
    return _run(root, "rev-list", "--first-parent", "--reverse", head, f"^{tip}").decode().split()


def common_ancestor(root: Path, a: str, b: str) -> str | None:
    return _run(root, "merge-base", a, b).decode().strip() or None


def merge_base(repo: git.Repo, a: str, b: str) -> str:
    found = common_ancestor(Path(repo.working_dir), a, b)
    if found is None:
        raise HistoryError(f"'{a}' và '{b}' không có commit chung (merge base).")
    return found


def diff_changes(repo: git.Repo, a: str, b: str) -> list[Change]:
    """Every file changed from commit ``a`` to commit ``b`` (whole tree, no rename detection)."""
    out = repo.git.diff(a, b, "--raw", "--no-abbrev", "--no-renames", "-z", strip_newline_in_stdout=False)
    tokens = out.split("\0")
    changes = []
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        _, mode, _, blob, status = meta[1:].split(" ")
        changes.append(Change(path, status[:1], mode, blob))
    return changes


def object_size(repo: git.Repo, sha: str) -> int:
    """An object's size without reading it (``git cat-file --batch-check``)."""
    _, _, size = repo.git.get_object_header(sha)
    return int(size)


# --------------------------------------------------------------------------- signatures, tags


def commit_signatures(root: Path, shas: list[str], env: Mapping[str, str], processes: int) -> str:
    """``%H %G? %GF %GP`` (fields split by \\x1f) of many commits, with gpg as ``env`` sets it up
    (its keyring); split among ``processes`` git processes, since git runs gpg once per commit."""
    fmt = "--format=%H%x1f%G?%x1f%GF%x1f%GP"
    cmd = ["git", "-c", "gpg.program=gpg", "-c", "gpg.format=openpgp", "log", "--no-walk=unsorted", "--stdin", fmt]
    parts = [shas[i::processes] for i in range(max(1, processes))]
    pipe = subprocess.PIPE
    procs = [
        subprocess.Popen(cmd, cwd=root, stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL, env=dict(env))
        for _ in parts
    ]
    outputs: list[bytes] = []
    for proc, part in zip(procs, parts, strict=True):
        assert proc.stdin is not None
        proc.stdin.write("".join(f"{sha}\n" for sha in part).encode())
        proc.stdin.close()  # git reads every revision before it prints anything: no deadlock
    for proc in procs:
        assert proc.stdout is not None
        outputs.append(proc.stdout.read())
        proc.wait()
    return b"".join(outputs).decode("utf-8", "replace")


def verify_tag_status(root: Path, tag_object: str, env: Mapping[str, str]) -> tuple[bool, str]:
    """Whether git accepts an annotated tag's signature, and gpg's status lines (``[GNUPG:] …``),
    with ``env``'s keyring."""
    done = subprocess.run(
        ["git", "-c", "gpg.program=gpg", "verify-tag", "--raw", tag_object],
        cwd=root,
        capture_output=True,
        env=dict(env),
        check=False,
    )
    return done.returncode == 0, done.stderr.decode("utf-8", "replace")


def run_git(root: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A git command that may write (tags, pushes), never prompting; the caller judges the result."""
    return subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
        capture_output=True,
        text=True,
    )
