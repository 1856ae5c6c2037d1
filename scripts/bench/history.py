"""Benchmark of ``baocao status`` on a synthetic campaign history (a script, not a test).

Builds a repository with ``git fast-import``: U units, C first-parent ``--no-ff`` merge
commits on main, each merging a one-commit branch that adds or revises one unit's report
(4-8 KB of Markdown following the outline; about 5 % of versions invalid; first submissions
spread over 7-28 June around the 20 June deadline, so about a third are late). Then measures,
in one run on the same repository, wall time and peak memory (max RSS of the process and its
children, from /usr/bin/time or getrusage) of:

- ``git log --first-parent --raw -- submissions/`` (the raw pass over the history),
- ``baocao check submissions`` over the final tree (each current report validated once),
- ``baocao status --format json``,

and prints the ratio status / (git log + check). With ``--signed`` every merge commit on
main is signed with a throw-away OpenPGP key standing for the hosting server (as GitHub signs
its merges with the web-flow key) and the campaign names that key in ``evidence.server_keys``.
Usage:

    python scripts/bench/history.py --units 300 --commits 3000
    python scripts/bench/history.py --units 5000 --commits 50000 --signed --dir /tmp/bench
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from baocao.campaign.load import load_campaign_text  # noqa: E402
from baocao.campaign.model import Campaign  # noqa: E402
from baocao.reports.outline import flatten  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2022, 6, 7, 8, 0, tzinfo=TZ)
END = datetime(2022, 6, 28, 17, 0, tzinfo=TZ)
SERVER = "Máy chủ Git <git@hosting.local>"
WORDS = [
    "triển",
    "khai",
    "thực",
    "hiện",
    "nghiêm",
    "túc",
    "kết",
    "luận",
    "kế",
    "hoạch",
    "phòng",
    "cháy",
    "chữa",
    "cháy",
    "cứu",
    "nạn",
    "cứu",
    "hộ",
    "tuyên",
    "truyền",
    "kiểm",
    "tra",
    "an",
    "toàn",
    "cơ",
    "sở",
    "lực",
    "lượng",
    "dân",
    "phòng",
    "phương",
    "tiện",
    "kinh",
    "phí",
    "đầu",
    "tư",
    "hiệu",
    "quả",
    "nhận",
    "thức",
    "cán",
    "bộ",
    "đảng",
    "viên",
    "nhân",
    "dân",
    "khu",
    "dân",
    "cư",
    "mô",
    "hình",
    "điểm",
    "hạn",
    "chế",
    "nguyên",
    "nhân",
    "khách",
    "quan",
    "chủ",
    "quan",
    "bài",
    "học",
    "kinh",
    "nghiệm",
    "nhiệm",
    "vụ",
    "giải",
    "pháp",
]


def synthetic_campaign(units: int, signed: bool = False) -> tuple[str, Campaign]:
    """The shipped campaign with U generated units and its unit-report stage only."""
    data = yaml.safe_load((ROOT / "campaign.yml").read_text(encoding="utf-8"))
    if signed:
        data["evidence"] = {"server_keys": ["trust/server.asc"]}
    data["units"] = [
        {"id": f"don-vi-{i:05d}", "name": f"Đơn vị số {i}", "group": data["groups"][0]["id"], "submitters": [f"vt-{i}"]}
        for i in range(units)
    ]
    stage = data["stages"][0]
    stage["units"] = "all"
    data["stages"] = [stage]
    data["directive"].pop("text", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return text, load_campaign_text(text)


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def report(campaign: Campaign, unit: str, rng: random.Random, version: int, broken: bool) -> bytes:
    """A report of 4-8 KB: front matter, every outline section with prose."""
    lines = ["---", f"don_vi: {unit}", f"so_hieu: {version}-BC/HU", "ngay: 2022-06-05", "nguoi_ky: Nguyễn Văn An"]
    lines += ["so_lieu:", *(f"  {ind.id}: {rng.randint(0, 500)}" for ind in campaign.indicators), "---", ""]
    lines += [f"# Báo cáo sơ kết (lần {version})", ""]
    entries = flatten(campaign.outline)
    leaves = sum(1 for e in entries if not e.section.sections)
    per_leaf = rng.randint(4000, 8000) // leaves
    for e in entries:
        if broken and e.id == "uu-diem":
            continue
        lines += ["#" * (e.depth + 1) + " " + e.section.heading, ""]
        if not e.section.sections:
            lines += [paragraph(rng, per_leaf // 7), ""]
    return "\n".join(lines).encode("utf-8")


def stamp(moment: datetime) -> str:
    return f"{int(moment.timestamp())} +0700"


def fast_import_stream(campaign: Campaign, campaign_text: str, commits: int, seed: int, key: str = ""):
    """Yield the fast-import stream: an initial commit, then ``commits`` merged pull requests."""
    rng = random.Random(seed)
    units = [u.id for u in campaign.units]
    order = rng.sample(units, len(units))
    versions: dict[str, int] = {}
    firsts = set(rng.sample(range(commits), min(len(units), commits)))
    submitted: list[str] = []
    step = (END - START) / max(commits, 1)

    def data(payload: bytes) -> bytes:
        return b"data %d\n" % len(payload) + payload + b"\n"

    init = campaign_text.encode("utf-8")
    yield b"commit refs/heads/main\nmark :1\n"
    first = stamp(START - timedelta(days=1))
    yield f"author {SERVER} {first}\ncommitter {SERVER} {first}\n".encode()
    yield data("Khởi tạo đợt báo cáo".encode())
    yield b"M 100644 inline campaign.yml\n" + data(init)
    yield b"M 100644 inline submissions/README.md\n" + data("Thư mục báo cáo.\n".encode())
    if key:
        yield b"M 100644 inline trust/server.asc\n" + data(key.encode())
    main = 1
    mark = 1
    for i in range(commits):
        if (i in firsts or not submitted) and len(submitted) < len(order):
            unit = order[len(submitted)]  # a unit's first submission, at a random point in the period
            submitted.append(unit)
        else:
            unit = rng.choice(submitted)  # a revision
        versions[unit] = versions.get(unit, 0) + 1
        merged = START + step * i
        authored = merged - timedelta(hours=rng.randint(1, 72))
        blob, branch, merge = mark + 1, mark + 2, mark + 3
        mark = merge
        path = f"submissions/{unit}/bao-cao.md"
        body = report(campaign, unit, rng, versions[unit], broken=rng.random() < 0.05)
        clerk = f"Văn thư {unit} <vt@{unit}.local>"
        yield b"blob\nmark :%d\n" % blob + data(body)
        yield f"commit refs/heads/pr\nmark :{branch}\n".encode()
        yield f"author {clerk} {stamp(authored)}\ncommitter {clerk} {stamp(authored)}\n".encode()
        yield data(f"Nộp báo cáo {unit}".encode()) + f"from :{main}\nM 100644 :{blob} {path}\n".encode()
        yield f"commit refs/heads/main\nmark :{merge}\n".encode()
        yield f"author {SERVER} {stamp(merged)}\ncommitter {SERVER} {stamp(merged)}\n".encode()
        yield data(f"Merge pull request #{i + 1}".encode()) + f"from :{main}\nmerge :{branch}\n".encode()
        yield f"M 100644 :{blob} {path}\n".encode()
        main = merge
    yield b"reset refs/heads/pr\nfrom 0000000000000000000000000000000000000000\n\n"


def server_key(home: Path) -> tuple[str, str]:
    """A throw-away signing key standing for the hosting server: (fingerprint, public key)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--quiet"]
    uid = "GitHub <noreply@github.com>"
    subprocess.run([*gpg, "--faked-system-time", "20200101T000000", "--passphrase", "", "--quick-gen-key", uid,
                    "ed25519", "sign", "never"], check=True)  # fmt: skip
    listing = subprocess.run([*gpg, "--with-colons", "--list-keys"], capture_output=True, text=True, check=True)
    fpr = next(line.split(":")[9] for line in listing.stdout.splitlines() if line.startswith("fpr:"))
    public = subprocess.run([*gpg, "--armor", "--export", fpr], capture_output=True, text=True, check=True).stdout
    return fpr, public


def sign_first_parent_chain(repo: Path, home: Path, fpr: str) -> int:
    """Re-create every merge commit of main with a signature (its content and dates unchanged;
    each new commit's first parent is the re-created one before it), as the server would have
    signed them. Returns the number of commits signed."""
    env = {**os.environ, "GNUPGHOME": str(home)}
    shas = subprocess.run(
        ["git", "rev-list", "--first-parent", "--reverse", "main"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    cat = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    new: dict[str, str] = {}
    signed = 0
    for sha in shas:
        assert cat.stdin is not None and cat.stdout is not None
        cat.stdin.write(f"{sha}\n".encode())
        cat.stdin.flush()
        size = int(cat.stdout.readline().split()[2])
        raw = cat.stdout.read(size + 1)[:-1].decode("utf-8")
        head, _, body = raw.partition("\n\n")
        lines = head.split("\n")
        lines = [f"parent {new.get(x.split()[1], x.split()[1])}" if x.startswith("parent ") else x for x in lines]
        if sum(1 for x in lines if x.startswith("parent ")) > 1:  # the merge of a pull request
            payload = "\n".join(lines) + "\n\n" + body
            sig = subprocess.run(
                ["gpg", "--batch", "--quiet", "--local-user", fpr, "--armor", "--detach-sign"],
                input=payload.encode(), capture_output=True, env=env, check=True,
            ).stdout.decode().strip()  # fmt: skip
            at = next(i for i, x in enumerate(lines) if x.startswith("committer "))
            lines.insert(at + 1, "gpgsig " + sig.replace("\n", "\n "))
            signed += 1
        obj = ("\n".join(lines) + "\n\n" + body).encode()
        done = subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo,
            input=obj,
            capture_output=True,
            check=True,
        )
        new[sha] = done.stdout.decode().strip()
    subprocess.run(["git", "update-ref", "refs/heads/main", new[shas[-1]]], cwd=repo, check=True)
    return signed


def build(repo: Path, units: int, commits: int, seed: int, signed: bool = False) -> Campaign:
    text, campaign = synthetic_campaign(units, signed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    home = repo.parent / f"{repo.name}-gnupg"
    fpr, public = server_key(home) if signed else ("", "")
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for chunk in fast_import_stream(campaign, text, commits, seed, public):
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait():
        raise SystemExit("git fast-import failed")
    if signed:
        print(f"Đã ký {sign_first_parent_chain(repo, home, fpr)} commit hợp nhất", flush=True)
    subprocess.run(["git", "branch", "-q", "-D", "pr"], cwd=repo, check=False, capture_output=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    subprocess.run(["git", "gc", "-q"], cwd=repo, check=True)
    return campaign


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds) of one command, output discarded.

    Peak memory is the largest resident set among the command and its children (git)."""
    timer = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = [timer, "-f", "%M %U %S", "-o", out.name, *cmd] if timer else cmd
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        if timer:
            kb, user, system = out.read().split()[-3:]
            return elapsed, int(kb) / 1024, float(user) + float(system)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, after.ru_maxrss / 1024, cpu


_SELF = (
    "import resource, runpy, sys\n"
    "try:\n"
    "    runpy.run_module('baocao', run_name='__main__')\n"
    "finally:\n"
    "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def python_peak(args: list[str], cwd: Path) -> float:
    """Peak MB of the baocao Python process alone (without git and worker processes)."""
    done = subprocess.run(
        [sys.executable, "-c", _SELF, *args[2:]],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    return int(peak[-1]) / 1024 if peak else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--commits", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1055)
    ap.add_argument("--repeat", type=int, default=3, help="Runs of each command; the fastest counts.")
    ap.add_argument("--reuse", action="store_true", help="Reuse a repository already built in --dir.")
    ap.add_argument("--dir", type=Path, default=None, help="Build here and keep it (default: a temporary folder).")
    ap.add_argument("--signed", action="store_true", help="Sign every merge commit with a key named in campaign.yml.")
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    repo = work / f"u{args.units}-c{args.commits}{'-signed' if args.signed else ''}"
    t0 = time.perf_counter()
    if args.reuse and (repo / ".git").is_dir():
        built = float("nan")
    else:
        if repo.exists():
            shutil.rmtree(repo)
        build(repo, args.units, args.commits, args.seed, args.signed)
        built = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in (repo / ".git").rglob("*") if f.is_file()) / 1048576
    baocao = [sys.executable, "-m", "baocao", "--root", str(repo)]
    env_path = os.pathsep.join([str(ROOT / "scripts"), os.environ.get("PYTHONPATH", "")])
    os.environ["PYTHONPATH"] = env_path
    runs = {
        "git log --first-parent --raw": ["git", "log", "--first-parent", "--raw", "--", "submissions/"],
        "baocao check (cây cuối)": [*baocao, "check", "submissions"],
        "baocao status --format json": [*baocao, "status", "--format", "json"],
    }
    results = {name: min(measure(cmd, repo) for _ in range(args.repeat)) for name, cmd in runs.items()}
    own = python_peak([*baocao[1:], "status", "--format", "json"], repo)
    made = "dùng lại kho đã dựng" if built != built else f"dựng trong {built:.1f} s"  # NaN: reused
    print(f"Kho: {args.units} đơn vị, {args.commits} commit hợp nhất; {made}; .git {size:.0f} MB")
    print(f"{'Lệnh':34} {'Thời gian (s)':>14} {'CPU (s)':>8} {'Bộ nhớ đỉnh (MB)':>17}")
    for name, (secs, mb, cpu) in results.items():
        print(f"{name:34} {secs:14.2f} {cpu:8.2f} {mb:17.0f}")
    log_s, check_s = results["git log --first-parent --raw"][0], results["baocao check (cây cuối)"][0]
    status_s, status_mb, _ = results["baocao status --format json"]
    ratio = status_s / (log_s + check_s)
    print(f"Tỉ lệ status / (git log + check) = {ratio:.2f} (yêu cầu ≤ 1,5); bộ nhớ đỉnh status {status_mb:.0f} MB")
    print(f"Bộ nhớ đỉnh riêng tiến trình Python chính của status: {own:.0f} MB")
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
