"""OpenPGP signatures of commits and tags, checked by Debian's ``gpg`` through ``git``.

Why gpg and not a Python OpenPGP library: it is the tool git itself calls for
``git verify-commit`` and ``%G?``, it is maintained by the GnuPG project and shipped by every
Linux distribution (and by Git for Windows), and a campaign's office can rerun the very same
check by hand. Its cost is a process per signature (about 5 ms here), so verification is
asked only for the commits that decide a judgement (``baocao.history.timeline``) and kept in a cache
under ``.git/baocao/`` keyed by commit id and by the keys in force.

The keys come from ``campaign.yml`` (``evidence``): ``github`` stands for GitHub's published
web-flow keys (``data/github-web-flow.asc``, with their validity dates); any other entry is an
ASCII-armoured key file in the repository. They are imported into a throw-away GNUPGHOME, so
the user's own keyring and trust settings never decide anything: a signature counts when it
verifies with one of these keys *and* the commit's signed committer time lies within that
key's validity. A commit made anywhere else with the name "GitHub <noreply@github.com>" has no
such signature and does not pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from baocao.history.gitlog import commit_signatures, verify_tag_status

BUILTIN = {"github": "github-web-flow.asc"}
CACHE_FILE = "signatures.json"
GOOD = frozenset("GUXY")  # git's %G?: good signature (validity unknown, or expired since)
PER_PROCESS = 200  # commits below which one git process verifies them all


class KeyFileError(Exception):
    """A key named in campaign.yml cannot be read; the message is in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Key:
    fingerprint: str  # of the primary key
    signing: frozenset[str]  # fingerprints that may sign for it (primary and subkeys)
    created: datetime
    expires: datetime | None
    uid: str
    role: str  # "server" or "witness"
    source: str  # "github" or the key file's path

    def valid_at(self, moment: datetime) -> bool:
        return self.created <= moment and (self.expires is None or moment < self.expires)


@dataclass(frozen=True, slots=True)
class Signature:
    """What a commit's (or tag's) signature proves; ``key`` is None when it proves nothing."""

    status: str  # git's %G? letter (N: none, B: bad, E: no such key among the campaign's, ...)
    key: Key | None = None

    @property
    def good(self) -> bool:
        return self.key is not None


def _gpg(home: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--no-tty", "--quiet", *args],
        input=data,
        capture_output=True,
        check=False,
    )


def _stamp(value: str) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


class Keyring:
    """The campaign's keys in a throw-away GNUPGHOME (``close`` removes it)."""

    def __init__(self, root: Path, server: Iterable[str], witness: Iterable[str] = ()):
        self.home = Path(tempfile.mkdtemp(prefix="baocao-gnupg-"))
        os.chmod(self.home, 0o700)
        self.keys: list[Key] = []
        named = [(name, "server") for name in server] + [(name, "witness") for name in witness]
        for name, role in named:
            self.keys += self._import(root, name, role)
        self.by_fingerprint = {fp: k for k in self.keys for fp in k.signing}
        digest = hashlib.sha256("\n".join(sorted(f"{k.role}:{k.fingerprint}" for k in self.keys)).encode())
        self.digest = digest.hexdigest()[:16]

    def _import(self, root: Path, name: str, role: str) -> list[Key]:
        if name in BUILTIN:
            data = resources.files("baocao.history").joinpath("data", BUILTIN[name]).read_bytes()
        else:
            path = (root / name).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                raise KeyFileError(f"Không tìm thấy tệp khóa '{name}' (khai báo ở evidence trong campaign.yml).")
            data = path.read_bytes()
        listing = _gpg(self.home, "--with-colons", "--import-options", "show-only", "--import", data=data)
        keys = _parse_colons(listing.stdout.decode("utf-8", "replace"), role, name)
        if not keys:
            raise KeyFileError(f"Tệp '{name}' không chứa khóa công khai OpenPGP nào đọc được.")
        done = _gpg(self.home, "--import", data=data)
        if done.returncode not in (0, 2):  # 2: some parts skipped (e.g. no user id signature)
            raise KeyFileError(f"Không nhập được khóa '{name}': {done.stderr.decode('utf-8', 'replace').strip()}")
        return keys

    def env(self) -> dict[str, str]:
        return {**os.environ, "GNUPGHOME": str(self.home)}

    def close(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)


def _parse_colons(text: str, role: str, source: str) -> list[Key]:
    """Keys from ``gpg --with-colons`` output (pub/sub/fpr/uid records, in that order per key)."""

    @dataclass
    class Reading:
        created: datetime | None
        expires: datetime | None
        fingerprint: str = ""
        signing: set[str] | None = None
        uid: str = ""

    readings: list[Reading] = []
    last = ""
    for line in text.splitlines():
        f = line.split(":")
        if f[0] == "pub":
            readings.append(Reading(_stamp(f[5]), _stamp(f[6]), signing=set()))
        elif readings and f[0] == "fpr":
            r = readings[-1]
            if last == "pub":
                r.fingerprint = f[9]
            assert r.signing is not None
            r.signing.add(f[9])
        elif readings and f[0] == "uid" and not readings[-1].uid:
            readings[-1].uid = f[9]
        if f[0] != "fpr":
            last = f[0]
    return [
        Key(r.fingerprint, frozenset(r.signing or ()), r.created, r.expires, r.uid, role, source)
        for r in readings
        if r.fingerprint and r.created is not None
    ]


class Verifier:
    """Commit signatures against a ``Keyring``, each commit verified at most once (and kept
    in ``.git/baocao/signatures.json`` for the next run with the same keys)."""

    def __init__(self, git_dir: Path, keyring: Keyring | None):
        self.keyring = keyring
        self.cache_path = git_dir / "baocao" / CACHE_FILE
        self.cache: dict[str, tuple[str, str]] = {}  # sha -> (status, fingerprint)
        self.calls = 0  # commits sent to gpg this run (the rest came from the cache)
        self._dirty = False
        if keyring is not None and self.cache_path.is_file():
            try:
                data = json.loads(self.cache_path.read_text(encoding="utf-8"))
                if data.get("keys") == keyring.digest:
                    self.cache = {k: (v[0], v[1]) for k, v in data.get("commits", {}).items()}
            except (OSError, ValueError, AttributeError, IndexError, TypeError):
                self.cache = {}

    def commits(self, repo_dir: Path, shas: Iterable[str], times: dict[str, datetime]) -> dict[str, Signature]:
        """sha -> Signature for each commit; ``times`` gives each commit's signed committer time
        (a key counts only within its validity)."""
        wanted = list(dict.fromkeys(shas))
        if self.keyring is None:
            return {sha: Signature("E") for sha in wanted}
        todo = [sha for sha in wanted if sha not in self.cache]
        if todo:
            self._ask_git(repo_dir, todo)
        out: dict[str, Signature] = {}
        for sha in wanted:
            status, fpr = self.cache.get(sha, ("E", ""))
            key = self.keyring.by_fingerprint.get(fpr) if status in GOOD else None
            if key is not None and (key.role != "server" or not key.valid_at(times.get(sha, key.created))):
                key = None
            out[sha] = Signature(status, key)
        return out

    def _ask_git(self, repo_dir: Path, shas: list[str]) -> None:
        """``%G?`` of many commits: git runs gpg once per signed commit, so big batches are
        split among as many git processes as there are CPUs."""
        assert self.keyring is not None
        n = max(1, min(os.cpu_count() or 1, len(shas) // PER_PROCESS))
        output = commit_signatures(repo_dir, shas, self.keyring.env(), n)
        self.calls += len(shas)
        for line in output.splitlines():
            fields = line.split("\x1f")
            if len(fields) == 4:
                sha, status, fpr, primary = fields
                self.cache[sha] = (status or "N", fpr if fpr in self.keyring.by_fingerprint else primary)
                self._dirty = True

    def tag(self, repo_dir: Path, tag_object: str) -> Signature:
        """A tag object's signature (witness keys or server keys), verified now."""
        if self.keyring is None:
            return Signature("E")
        if tag_object in self.cache:
            status, fpr = self.cache[tag_object]
        else:
            verified, status_lines = verify_tag_status(repo_dir, tag_object, self.keyring.env())
            self.calls += 1
            status, fpr = "B", ""
            for line in status_lines.splitlines():
                if line.startswith("[GNUPG:] VALIDSIG "):
                    fields = line.split()
                    fpr, status = fields[-1], "G"  # the primary key's fingerprint closes the line
                elif line.startswith("[GNUPG:] NO_PUBKEY"):
                    status = "E"
                elif line.startswith("[GNUPG:] NODATA"):
                    status = "N"
            if not verified and status == "G":
                status = "B"
            self.cache[tag_object] = (status, fpr)
            self._dirty = True
        return Signature(status, self.keyring.by_fingerprint.get(fpr) if status in GOOD else None)

    def save(self) -> None:
        """Keep what was verified for the next run (best effort: a read-only clone is fine)."""
        if not self._dirty or self.keyring is None:
            return
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp")
            commits = {k: list(v) for k, v in self.cache.items()}
            tmp.write_text(json.dumps({"keys": self.keyring.digest, "commits": commits}), encoding="utf-8")
            os.replace(tmp, self.cache_path)
        except OSError:
            pass
