"""Real OpenPGP keys and small campaign histories for the trust tests: a server key, an
impostor with the same user id, merges signed as GitHub signs them, hand-made deadline tags."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign
from baocao.demo.simulate import HistoryWriter
from baocao.history.evidence import message
from baocao.status.judge import CampaignStatus

from .history_data import CLERK, at, path, report

STAGE = "bao-cao-don-vi"
DEADLINE = at(20, 0)
TEXT = (Path(__file__).resolve().parent.parent / "campaign.yml").read_text(encoding="utf-8")
GITHUB = ("GitHub", "noreply@github.com")
A, B, C, D = "thanh-uy-quang-ngai", "thi-uy-duc-pho", "huyen-uy-ba-to", "huyen-uy-binh-son"
SIGNED = "evidence:\n  server_keys: [trust/server.asc]\n  require_signed: true\n"


@dataclass(frozen=True)
class Keys:
    home: Path
    server: str  # fingerprint of the key standing for the hosting server
    impostor: str  # another key with the very same user id
    server_public: str


def gpg(home: Path, *args: str) -> str:
    done = subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--quiet", *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def new_key(home: Path) -> str:
    before = set(fingerprints(home))
    # Created "in 2020": a key only counts for commits made while it was valid (the histories are of 2022).
    gpg(
        home,
        "--faked-system-time",
        "20200101T000000",
        "--yes",
        "--passphrase",
        "",
        "--quick-gen-key",
        f"{GITHUB[0]} <{GITHUB[1]}>",
        "ed25519",
        "sign",
        "never",
    )
    (fpr,) = set(fingerprints(home)) - before
    return fpr


def fingerprints(home: Path) -> list[str]:
    out = gpg(home, "--with-colons", "--list-secret-keys")
    lines = out.splitlines()
    return [lines[i + 1].split(":")[9] for i, line in enumerate(lines) if line.startswith("sec:")]


def campaign_text(extra: str = "", replace: tuple[str, str] | None = None) -> str:
    text = TEXT if replace is None else TEXT.replace(*replace)
    return text + "\n" + extra if extra else text


def new_repo(tmp: Path, keys: Keys, text: str, *, sign_setup: bool = True) -> tuple[HistoryWriter, Campaign]:
    w = HistoryWriter.init(tmp / "repo", gnupghome=keys.home)
    w.write({"campaign.yml": text, "trust/server.asc": keys.server_public})
    w.commit("Khởi tạo đợt báo cáo", at(1), committer=GITHUB, sign=keys.server if sign_setup else None)
    return w, load_campaign_text(text)


def merge(w: HistoryWriter, keys: Keys, unit: str, when: datetime, *, sign: str | None = "server", **kw: object) -> str:
    key = {"server": keys.server, "impostor": keys.impostor, None: None}[sign]
    return w.pull_request(
        f"{unit}-{when:%d%H%M}",
        {path(unit): report(load_campaign_text(TEXT), unit)},
        authored=when,
        merged=when,
        author=CLERK,
        sign=key,
        server=GITHUB,
        **kw,  # type: ignore[arg-type]
    )


def unit(status: CampaignStatus, unit_id: str):  # type: ignore[no-untyped-def]
    return status.unit(STAGE, unit_id)


def codes(status: CampaignStatus, unit_id: str | None = None) -> set[str]:
    found = status.anomalies if unit_id is None else unit(status, unit_id).anomalies
    return {a.code for a in found}


def make_keys(home: Path) -> Keys:
    """Two keys in ``home``: the server's, and an impostor's with the very same name."""
    home.chmod(0o700)
    server, impostor = new_key(home), new_key(home)
    return Keys(home, server, impostor, gpg(home, "--armor", "--export", server))


def forged_tag(w: HistoryWriter, name: str, target: str, fields: dict[str, str], who: tuple[str, str]) -> None:
    env = {"GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1], "GIT_COMMITTER_DATE": fields["run-at"]}
    w.git("tag", "--annotate", "-m", message("deadline", fields), name, target, env=env)


def deadline_fields(w: HistoryWriter, commit: str) -> dict[str, str]:
    tree = w.git("rev-parse", f"{commit}:submissions")
    return {
        "stage": STAGE,
        "deadline": DEADLINE.isoformat(),
        "commit": commit,
        "submissions": tree,
        "branch": "main",
        "head": commit,
        "run-at": at(20, 0, 5).isoformat(),
    }
