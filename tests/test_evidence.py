"""Evidence tags one rule at a time: each way a witness or deadline tag can be forged or
malformed is refused with the reason a reader is shown, and a well-made tag is read into
exactly the observation it records. Real annotated (and signed) tags in real repositories."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign
from baocao.demo.simulate import HistoryWriter
from baocao.history.evidence import (
    TAGGER,
    Observation,
    Tag,
    deadline_name,
    examine,
    message,
    parse_message,
    read_tags,
    stamp,
    witness_name,
)
from baocao.history.trust import TrustError, read_trust
from tests.conftest import ROOT
from tests.history_data import CLERK, DEADLINE, at, path, report

STAGE = "bao-cao-don-vi"
UNIT = "thanh-uy-quang-ngai"
TEXT = (ROOT / "campaign.yml").read_text(encoding="utf-8")
NOW = at(30)
TAGGED = at(20, 0, 5)  # when CI tagged the deadline, five minutes after it
WITNESSED = at(21)


@dataclass
class Repo:
    w: HistoryWriter
    c: Campaign
    head: str
    tree: str  # of submissions/ at head

    def tag(
        self,
        name: str,
        fields: dict[str, str],
        *,
        kind: str | None = None,
        target: str | None = None,
        who: tuple[str, str] = TAGGER,
        date: str | None = None,
        sign: str | None = None,
    ) -> None:
        """An annotated tag with baocao's message, dated ``date`` (default: its run-at)."""
        kind = kind or ("deadline" if name.startswith("han/") else "witness")
        env = {"GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1]}
        env["GIT_COMMITTER_DATE"] = date or fields.get("run-at") or at(25).isoformat()
        flags = ["-s", "-u", sign] if sign else ["--annotate"]
        self.w.git("tag", *flags, "-m", message(kind, fields), name, target or self.head, env=env)

    def deadline_fields(self, run_at: datetime = TAGGED) -> dict[str, str]:
        return {
            "stage": STAGE,
            "deadline": DEADLINE.isoformat(),
            "commit": self.head,
            "submissions": self.tree,
            "branch": "main",
            "head": self.head,
            "run-at": run_at.isoformat(),
        }

    def witness_fields(self, run_at: datetime = WITNESSED) -> dict[str, str]:
        return {"branch": "main", "head": self.head, "run-at": run_at.isoformat()}

    def examined(self, campaign: Campaign | None = None, now: datetime = NOW):  # type: ignore[no-untyped-def]
        return examine(campaign or self.c, self.w.path, read_tags(self.w.path), now, lambda tag: None)

    def problems(self, campaign: Campaign | None = None, now: datetime = NOW) -> dict[str, str]:
        return {name: why for _, name, why in self.examined(campaign, now).problems}


def make_repo(tmp: Path, text: str = TEXT, gnupghome: Path | None = None) -> Repo:
    w = HistoryWriter.init(tmp / "repo", gnupghome=gnupghome)
    w.write({"campaign.yml": text})
    w.commit("Khởi tạo", at(1))
    c = load_campaign_text(text)
    head = w.pull_request("nop", {path(UNIT): report(c, UNIT)}, authored=at(15), merged=at(15), author=CLERK)
    return Repo(w, c, head, w.git("rev-parse", f"{head}:submissions"))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return make_repo(tmp_path)


DEADLINE_TAG = deadline_name(STAGE, DEADLINE)


def test_names_and_stamps_are_in_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        assert stamp(DEADLINE) == "20220619T170000Z"
        assert deadline_name(STAGE, DEADLINE) == f"han/{STAGE}/20220619T170000Z"
        assert witness_name(at(21, 8, 30, 5)) == "chung/20220621T013005Z"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_message_is_a_sentence_then_the_machine_lines() -> None:
    fields = {"head": "a" * 40, "run-at": "2022-06-21T09:00:00+07:00"}
    assert message("witness", fields) == f"baocao: witness\nhead: {'a' * 40}\nrun-at: 2022-06-21T09:00:00+07:00\n"
    assert message("deadline", {"stage": STAGE}, "  CI ghi nhận hạn.  ") == (
        f"CI ghi nhận hạn.\n\nbaocao: deadline\nstage: {STAGE}\n"
    )
    assert parse_message(message("witness", fields, "Câu.\n\nĐoạn: hai")) == {"baocao": "witness", **fields}


def test_only_the_last_paragraph_before_a_signature_is_read_and_the_first_value_of_a_key_wins() -> None:
    text = (
        "head: forged-in-the-sentence\n\n"
        "baocao: witness\nhead: first\nhead: second\n: no key\nno separator\n"
        "  run-at:  2022-06-21T09:00:00+07:00  \nnote: a: b\n"
        "-----BEGIN PGP SIGNATURE-----\n\nhead: in-the-signature\n-----END PGP SIGNATURE-----\n"
    )
    assert parse_message(text) == {
        "baocao": "witness",
        "head": "first",
        "run-at": "2022-06-21T09:00:00+07:00",
        "note": "a: b",
    }


def test_lines_after_an_embedded_signature_block_are_not_read_even_when_another_follows() -> None:
    block = "-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n"
    text = "baocao: witness\nhead: first\n" + block + "\nbaocao: witness\nhead: smuggled\n" + block
    assert parse_message(text) == {"baocao": "witness", "head": "first"}


def test_a_well_made_deadline_tag_and_witness_are_read_as_what_they_record(repo: Repo) -> None:
    repo.tag(DEADLINE_TAG, repo.deadline_fields())
    repo.tag(witness_name(at(21)), repo.witness_fields())
    (tag, wit) = sorted(read_tags(repo.w.path), key=lambda t: t.kind)
    assert (tag.kind, tag.annotated, tag.target, tag.tagger, tag.tagger_email) == (
        "deadline",
        True,
        repo.head,
        TAGGER[0],
        TAGGER[1],
    )
    assert tag.tagged_at == at(20, 0, 5) and not tag.has_signature and tag.object != repo.head
    assert tag.fields == {"baocao": "deadline", **repo.deadline_fields()}
    found = repo.examined()
    assert found.problems == []
    assert sorted(found.observations, key=lambda o: o.tag) == [
        Observation(witness_name(at(21)), at(21), repo.head, False),
        Observation(DEADLINE_TAG, at(20, 0, 5), repo.head, False, STAGE, DEADLINE, repo.head),
    ]
    assert wit.kind == "witness" and wit.fields == {"baocao": "witness", **repo.witness_fields()}


def test_a_witness_carrying_a_deadline_tags_fields_is_still_only_a_witness(repo: Repo) -> None:
    """The kind comes from the tag's name (chung/ or han/): lines copied from a deadline tag into
    a witness's message do not make it decide a deadline."""
    name = witness_name(at(21))
    repo.tag(name, {**repo.deadline_fields(run_at=at(21)), **repo.witness_fields()})
    assert repo.examined().observations == [Observation(name, at(21), repo.head, False)]


def test_the_taggers_email_is_read_as_git_wrote_it_without_its_angle_brackets(repo: Repo) -> None:
    who = ("Máy CI", "X.ci@tinh.gov.vnX")  # letters at both ends survive; only < and > go
    repo.tag(witness_name(at(21)), repo.witness_fields(), who=who)
    (tag,) = read_tags(repo.w.path)
    assert (tag.tagger, tag.tagger_email) == who


def test_a_lightweight_tag_carries_no_fields_even_on_a_commit_whose_message_looks_like_a_tag(repo: Repo) -> None:
    forged = message("witness", repo.witness_fields())
    repo.w.write({"ghi-chu.txt": "x"})
    commit = repo.w.commit(forged, at(21))
    repo.w.git("tag", witness_name(at(21)), commit)
    (tag,) = read_tags(repo.w.path)
    assert not tag.annotated and tag.fields == {} and tag.target == tag.object == commit
    assert repo.problems() == {
        witness_name(at(21)): "là thẻ nhẹ (lightweight), không phải thẻ có chú thích do baocao tạo"
    }


MISSING = "thiếu thời điểm chạy (run-at) hoặc commit đầu nhánh (head)"
INCOMPLETE = "thiếu giai đoạn, thời hạn hoặc commit lúc hết hạn"


def _without(fields: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in fields.items() if k != key}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda f: _without(f, "run-at"), MISSING),
        (lambda f: {**f, "run-at": "2022-06-20T00:00:05"}, MISSING),  # no offset: which clock?
        (lambda f: {**f, "run-at": "hôm qua"}, MISSING),
        (lambda f: _without(f, "head"), MISSING),
        (lambda f: {**f, "head": f["head"][:39]}, MISSING),
        (lambda f: _without(f, "deadline"), INCOMPLETE),
        (lambda f: {**f, "deadline": "2022-06-20T00:00:00"}, INCOMPLETE),
        (lambda f: _without(f, "stage"), INCOMPLETE),
        (lambda f: {**f, "stage": ""}, INCOMPLETE),
        (lambda f: _without(f, "commit"), INCOMPLETE),
        (lambda f: {**f, "commit": "0" * 40}, INCOMPLETE),
        (lambda f: {**f, "run-at": at(19, 23, 59).isoformat()}, "thẻ hạn được gắn trước thời hạn của nó"),
    ],
    ids=[
        "no-run-at",
        "naive-run-at",
        "bad-run-at",
        "no-head",
        "short-head",
        "no-deadline",
        "naive-deadline",
        "no-stage",
        "empty-stage",
        "no-commit",
        "other-commit",
        "tagged-before-its-deadline",
    ],
)
def test_a_deadline_tag_with_a_field_missing_or_wrong_is_refused_with_its_reason(
    repo: Repo,
    change,  # type: ignore[no-untyped-def]
    why: str,
) -> None:
    fields = change(repo.deadline_fields())
    run_at = fields.get("run-at", "")
    repo.tag(DEADLINE_TAG, fields, date=run_at if run_at.endswith("+07:00") else at(20, 0, 5).isoformat())
    found = repo.examined()
    assert found.observations == [] and found.problems == [("H609", DEADLINE_TAG, why)]


def test_the_message_must_be_baocaos_and_of_the_tags_own_kind(repo: Repo) -> None:
    repo.tag(DEADLINE_TAG, repo.deadline_fields(), kind="witness")
    repo.tag(witness_name(at(21)), _without(repo.witness_fields(), "head") | {"baocao": "x"}, kind="deadline")
    wrong = "nội dung thẻ không theo định dạng của baocao"
    assert repo.problems() == {DEADLINE_TAG: wrong, witness_name(at(21)): wrong}


def test_the_tagger_date_may_differ_from_the_run_time_by_two_seconds_not_three(repo: Repo) -> None:
    run = at(21)
    for seconds in (-2, 2, 3, -3):
        name = f"chung/skew{seconds}"
        repo.tag(name, repo.witness_fields(run), date=(run + timedelta(seconds=seconds)).isoformat())
    differs = "ngày gắn thẻ khác thời điểm chạy ghi trong thẻ"
    assert repo.problems() == {"chung/skew3": differs, "chung/skew-3": differs}
    assert sorted(o.tag for o in repo.examined().observations) == ["chung/skew-2", "chung/skew2"]


def test_a_run_time_after_the_readers_clock_is_refused_and_one_equal_to_it_is_not(repo: Repo) -> None:
    repo.tag("chung/now", repo.witness_fields(at(25)))
    repo.tag("chung/later", repo.witness_fields(at(25, 9, 0, 1)))
    assert repo.problems(now=at(25)) == {"chung/later": f"thời điểm chạy {at(25, 9, 0, 1).isoformat()} ở tương lai"}


def test_a_deadline_tag_made_at_the_very_deadline_is_evidence(repo: Repo) -> None:
    repo.tag(DEADLINE_TAG, repo.deadline_fields(DEADLINE))
    (ob,) = repo.examined().observations
    assert (ob.at, ob.deadline, ob.stage, ob.commit) == (DEADLINE, DEADLINE, STAGE, repo.head)


def test_a_witness_that_names_another_head_than_it_points_to_is_refused(repo: Repo) -> None:
    base = repo.w.git("rev-parse", f"{repo.head}^1")
    repo.tag(witness_name(at(21)), repo.witness_fields(), target=base)
    assert repo.problems() == {witness_name(at(21)): "thẻ không trỏ tới commit đầu nhánh ghi trong thẻ"}


def test_a_deadline_tag_whose_submissions_tree_differs_is_refused_naming_both_trees(repo: Repo) -> None:
    fields = {**repo.deadline_fields(), "submissions": "f" * 40}
    repo.tag(DEADLINE_TAG, fields)
    assert repo.problems() == {
        DEADLINE_TAG: f"cây submissions/ của commit {repo.head[:10]} không khớp thẻ ({repo.tree} ≠ {'f' * 40})"
    }


def test_taggers_are_baocao_by_default_and_the_campaigns_list_by_name_or_email_in_any_case(tmp_path: Path) -> None:
    text = TEXT + "\nevidence:\n  taggers: [CI Bot, ci@Tinh.GOV.vn]\n"
    r = make_repo(tmp_path, text)
    default = load_campaign_text(TEXT)
    r.tag("chung/baocao", r.witness_fields(), who=TAGGER)
    r.tag("chung/baocao-email", r.witness_fields(), who=("Ai đó", TAGGER[1].upper()))
    r.tag("chung/baocao-name", r.witness_fields(), who=(TAGGER[0].upper(), "ci@noi-khac.vn"))
    r.tag("chung/bot", r.witness_fields(), who=("ci bot", "khac@tinh.gov.vn"))
    r.tag("chung/email", r.witness_fields(), who=("Máy CI", "CI@tinh.gov.vn"))
    r.tag("chung/clerk", r.witness_fields(), who=CLERK)
    clerk = f"người gắn thẻ '{CLERK[0]} <{CLERK[1]}>' không thuộc evidence.taggers"
    assert r.problems(default) == {
        "chung/bot": "người gắn thẻ 'ci bot <khac@tinh.gov.vn>' không thuộc evidence.taggers",
        "chung/email": "người gắn thẻ 'Máy CI <CI@tinh.gov.vn>' không thuộc evidence.taggers",
        "chung/clerk": clerk,
    }
    assert r.problems() == {
        "chung/baocao": f"người gắn thẻ '{TAGGER[0]} <{TAGGER[1]}>' không thuộc evidence.taggers",
        "chung/baocao-email": f"người gắn thẻ 'Ai đó <{TAGGER[1].upper()}>' không thuộc evidence.taggers",
        "chung/baocao-name": f"người gắn thẻ '{TAGGER[0].upper()} <ci@noi-khac.vn>' không thuộc evidence.taggers",
        "chung/clerk": clerk,
    }


def test_every_tag_is_examined_after_a_refused_one(repo: Repo) -> None:
    repo.w.git("tag", "chung/a-lightweight", repo.head)
    repo.tag("chung/b-good", repo.witness_fields())
    found = repo.examined()
    assert [p[1] for p in found.problems] == ["chung/a-lightweight"]
    assert [o.tag for o in found.observations] == ["chung/b-good"]


# ------------------------------------------------------------------ signed tags


@pytest.fixture(scope="module")
def gnupg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--quiet", "--passphrase", ""]
    subprocess.run([*gpg, "--quick-gen-key", "Ai đó <aido@may.local>", "ed25519", "sign", "never"], check=True)
    out = subprocess.run([*gpg, "--with-colons", "--list-secret-keys"], check=True, capture_output=True, text=True)
    fpr = next(line.split(":")[9] for line in out.stdout.splitlines() if line.startswith("fpr:"))
    yield home, fpr
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False)


def test_a_tag_signed_by_a_key_the_campaign_does_not_name_is_read_as_unsigned_evidence(
    tmp_path: Path, gnupg: tuple[Path, str]
) -> None:
    """No keys in campaign.yml: a well-made tag counts, signed or not; a signature by some key
    proves nothing, and it must not stop the status (it once did: no keyring to check it with)."""
    home, fpr = gnupg
    r = make_repo(tmp_path, gnupghome=home)
    r.tag(DEADLINE_TAG, r.deadline_fields(), sign=fpr)
    (tag,) = read_tags(r.w.path)
    assert tag.has_signature and tag.fields == {"baocao": "deadline", **r.deadline_fields()}
    trust = read_trust(r.w.path, r.c, r.head, NOW)
    assert trust.notes == []
    ob = trust.seals[STAGE]
    assert (ob.tag, ob.signed, ob.commit, ob.deadline) == (DEADLINE_TAG, False, r.head, DEADLINE)


def test_tagged_at_is_the_tagger_date_in_utc(repo: Repo) -> None:
    repo.tag("chung/x", repo.witness_fields(at(21)))
    (tag,) = read_tags(repo.w.path)
    assert tag.tagged_at == at(21) and tag.tagged_at.tzinfo is UTC


def test_when_signatures_are_required_an_unsigned_tag_is_refused_for_that_and_a_malformed_one_for_its_own_fault(
    tmp_path: Path,
) -> None:
    r = make_repo(tmp_path, TEXT + "\nevidence:\n  require_signed: true\n")
    r.tag("chung/unsigned", r.witness_fields())
    r.w.git("tag", "chung/lightweight", r.head)
    asked: list[str] = []

    def no_key(tag: Tag) -> None:  # no key to check a signature with
        asked.append(tag.name)

    found = examine(r.c, r.w.path, read_tags(r.w.path), NOW, no_key)
    assert {name: why for _, name, why in found.problems} == {
        "chung/unsigned": "không có chữ ký hợp lệ của khóa CI khai báo trong campaign.yml (evidence.witness_keys)",
        "chung/lightweight": "là thẻ nhẹ (lightweight), không phải thẻ có chú thích do baocao tạo",
    }
    assert asked == ["chung/unsigned"]  # a tag refused already is not sent to gpg
    notes = read_trust(r.w.path, r.c, r.head, NOW).notes
    assert sorted(n.message for n in notes if n.code == "H609") == [
        "Thẻ chung/lightweight không được dùng làm bằng chứng: là thẻ nhẹ (lightweight), không phải thẻ có chú "
        "thích do baocao tạo.",
        "Thẻ chung/unsigned không được dùng làm bằng chứng: không có chữ ký hợp lệ của khóa CI khai báo trong "
        "campaign.yml (evidence.witness_keys).",
    ]


# ------------------------------------------------------------------ the campaign's key files


@pytest.mark.parametrize(
    ("keys", "files", "reason"),
    [
        (
            "witness_keys: [trust/ci.asc]",
            {},
            "Không tìm thấy tệp khóa 'trust/ci.asc' (khai báo ở evidence trong campaign.yml).",
        ),
        (
            "server_keys: [../../etc/passwd]",
            {},
            "Không tìm thấy tệp khóa '../../etc/passwd' (khai báo ở evidence trong campaign.yml).",
        ),
        (
            "witness_keys: [trust/ci.asc]",
            {"trust/ci.asc": "không phải khóa\n"},
            "Tệp 'trust/ci.asc' không chứa khóa công khai OpenPGP nào đọc được.",
        ),
    ],
    ids=["missing", "outside-the-repository", "not-a-key"],
)
def test_a_key_file_that_cannot_be_read_stops_the_reading_with_its_name(
    tmp_path: Path, keys: str, files: dict[str, str], reason: str
) -> None:
    r = make_repo(tmp_path, TEXT + f"\nevidence:\n  {keys}\n")
    r.w.write(files)
    with pytest.raises(TrustError) as caught:
        read_trust(r.w.path, r.c, r.head, NOW)
    assert str(caught.value) == reason
