"""Mutation testing of baocao's core (a script, not part of ``make test``): ``make mutation``.

Why mutmut: it is maintained (3.x, 2026), mutates at the level of expressions and operators
(the one-line boundary bugs an audit plants: ``<`` for ``<=``, a dropped ``not``, an off-by-one),
runs each mutant only against the tests that cover the mutated function, and in forked workers,
so a core module is done in minutes on two cores. cosmic-ray needs a session database and a
separate executor; mutatest and mutpy are unmaintained.

mutmut expects the package under ``src/``, so the project is staged in a temporary copy
(``scripts/baocao`` → ``src/baocao``, with the tests and the files they read), then
``mutmut run`` goes there, and the score is printed per module: killed / (killed + survived),
timeouts counting as killed and mutants that no test reaches ("no tests") as survivors. Usage:

    python scripts/mutation.py                         # the core modules
    python scripts/mutation.py history/timeline.py campaign/due.py      # some modules only
    python scripts/mutation.py --keep /tmp/mut         # keep the staging copy (mutmut browse there)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The core modules the issue names: history, status, deadlines, validation, pr-check, compile, sanitising.
CORE = (
    "history/timeline.py",
    "history/trust.py",
    "history/evidence.py",
    "history/read.py",
    "status/judge.py",
    "campaign/due.py",
    "checks/validation.py",
    "reports/figures.py",
    "ci/prcheck.py",
    "documents/compile.py",
    "documents/synthesis.py",
    "escape/markdown.py",
    "escape/html.py",
)
# The fast tests of the core (no browser, no LibreOffice, no whole-site builds).
TESTS = (  # the fast, direct ones first: with -x a mutant they kill costs a second
    "test_timeline.py",
    "test_escape.py",
    "test_figures.py",
    "test_evidence.py",
    "test_trust.py",
    "test_trust_notes.py",
    "test_status.py",
    "test_history.py",
    "test_tags.py",
    "test_model.py",
    "test_validation.py",
    "test_malformed.py",
    "test_fuzz.py",
    "test_prcheck.py",
    "test_compile.py",
    "test_synthesis.py",
    "test_changes.py",
    "test_closed.py",
    "test_remind.py",
    "test_hostile.py",
    "test_pdfsign.py",
)
COPIED = ("campaign.yml", "mkdocs.yml", "docs", "tests", ".github", ".gitlab", ".gitlab-ci.yml", "README.md")
KILLED = {"killed", "timeout", "segfault", "suspicious"}


def stage(work: Path, modules: list[str]) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, work / name)
    shutil.copytree(ROOT / "scripts" / "baocao", work / "src" / "baocao", ignore=shutil.ignore_patterns("__pycache__"))
    only = ", ".join(f'"src/baocao/{m}"' for m in modules)
    tests = ", ".join(f'"tests/{t}"' for t in TESTS)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"\n\[tool\.mutmut\][^\[]*", "\n", text)  # our own section, below
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src/baocao/"]\n'
        f"only_mutate = [{only}]\n"
        f"also_copy = [{', '.join(repr(n) for n in COPIED if n != 'tests')}]\n"
        # Interruption tests send signals to processes of the installed baocao: not for mutants.
        'pytest_add_cli_args = ["-q", "-p", "no:cacheprovider", "-m", "not browser and not slow", '
        '"-k", "not ctrl_c", "-x"]\n'
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
    )
    text = text.replace('pythonpath = ["."]', 'pythonpath = [".", "src"]')
    (work / "pyproject.toml").write_text(text, encoding="utf-8")


def scores(output: str) -> dict[str, Counter[str]]:
    """module -> Counter(status) from ``mutmut results --all true`` lines 'name: status'."""
    out: dict[str, Counter[str]] = {}
    for line in output.splitlines():
        m = re.match(r"\s*baocao\.([\w.]+?)\.x[_ǁ][^:]*__mutmut_\d+:\s*(\w[\w ]*)$", line)
        if m:
            out.setdefault(m.group(1), Counter())[m.group(2).strip()] += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="*", help="Modules under scripts/baocao (default: the core).")
    ap.add_argument("--keep", type=Path, default=None, help="Stage here and keep it.")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    modules = args.modules or list(CORE)
    work = args.keep or Path(tempfile.mkdtemp(prefix="baocao-mutation-"))
    if work.exists() and any(work.iterdir()):
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    stage(work, modules)
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    # BAOCAO_MUTATION: fixtures that compute a status are made per test (tests/conftest.py
    # ``computed``), so that mutmut sees every test that reaches a function. PYTHONPATH: a test
    # that runs baocao in a child process (mkdocs, ``python -m baocao``) imports the staged,
    # unmutated copy, not the working tree (which may be edited meanwhile); mutants are active
    # in-process only, where the core is tested.
    # BAOCAO_MUTATION_ORDER: the order of TESTS, kept when mutmut hands a mutant its tests.
    env = {
        **os.environ,
        "BAOCAO_MUTATION": "1",
        "BAOCAO_MUTATION_ORDER": ",".join(TESTS),
        "PYTHONPATH": str(work / "src"),
    }
    run = subprocess.run([mutmut, "run", "--max-children", str(args.jobs)], cwd=work, env=env)
    done = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True)
    table = scores(done.stdout)
    print(f"\n{'Mô-đun':28} {'bị diệt':>8} {'sống sót':>9} {'khác':>6} {'điểm':>7}")
    worst = 100.0
    for module, c in sorted(table.items()):
        killed = sum(n for s, n in c.items() if s in KILLED)
        # A mutant no test reaches counts against the score, like a survivor.
        survived = c.get("survived", 0) + c.get("no tests", 0)
        other = sum(c.values()) - killed - survived
        score = 100.0 * killed / max(killed + survived, 1)
        worst = min(worst, score)
        print(f"{module:28} {killed:8} {survived:9} {other:6} {score:6.1f}%")
    survivors = re.findall(r"^\s*(baocao\.\S+__mutmut_\d+): (?:survived|no tests)$", done.stdout, re.M)
    if survivors:
        print(f"\nSống sót ({len(survivors)}; xem từng đột biến: mutmut show <tên>, trong thư mục --keep):")
        print("\n".join(f"  {name}" for name in survivors))
    print(f"\nĐiểm thấp nhất: {worst:.1f}% (mục tiêu ≥ 85%)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    if run.returncode != 0:
        print(f"mutmut run thất bại (mã {run.returncode}): các điểm trên không đầy đủ.")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
