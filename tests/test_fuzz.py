"""Arbitrary input never crashes the parser or the validator: it yields findings."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.campaign.model import Campaign
from baocao.checks.validation import check_file, check_report
from baocao.findings import CODES, Finding
from baocao.reports.report import parse_markdown

PATH = "submissions/huyen-uy-binh-son/bao-cao.md"
TODAY = date(2022, 6, 19)
FRONT = "---\ndon_vi: huyen-uy-binh-son\nso_hieu: 12-BC/HU\nngay: 2022-06-15\nnguoi_ky: A\nso_lieu:\n  so_vu_chay: "
# Fragments that exercise the interesting paths: fences, headings of the outline, HTML, YAML.
PIECES = st.sampled_from(
    [
        "---\n",
        "...\n",
        "## I. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI THỰC HIỆN\n",
        "### 1. Ưu điểm\n",
        "# BÁO CÁO\n",
        "Không có.\n",
        "<script>x</script>\n",
        "<!-- gợi ý\n",
        "-->\n",
        "so_lieu: {a: [1, 2]}\n",
        "ngay: 2022-02-30\n",
        "&a [*a]\n",
        "\t- ",
        "1.000\n",
        "| a | b |\n|---|---|\n",
        "\r\n",
        "\x00",
        "\ufeff",
    ]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assert_findings(found: list[Finding]) -> None:
    assert isinstance(found, list)
    assert all(isinstance(f, Finding) and f.code in CODES and f.line >= 1 for f in found)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(campaign: Campaign, data: bytes) -> None:
    parsed = parse_markdown(data, PATH)
    _assert_findings(parsed.findings)
    _assert_findings(check_report(campaign, PATH, data, TODAY).findings)
    _assert_findings(check_file(campaign, PATH, data, TODAY))


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_never_raises(campaign: Campaign, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    _assert_findings(check_report(campaign, PATH, data, TODAY).findings)


@SETTINGS
@given(st.text(max_size=40), st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=30))
def test_valid_front_matter_with_random_body_never_raises(campaign: Campaign, value: str, body: list[str]) -> None:
    data = (FRONT + value + "\n---\n" + "".join(body)).encode("utf-8", "surrogatepass")
    checked = check_report(campaign, PATH, data, TODAY)
    _assert_findings(checked.findings)
    assert all(isinstance(v, int | float) for v in checked.numbers.values())


@SETTINGS
@given(st.lists(PIECES, max_size=40))
def test_structured_fragments_never_raise(campaign: Campaign, pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    _assert_findings(check_report(campaign, PATH, data, TODAY).findings)


# ------------------------------------------------------------------ honest properties: a known defect is found

WORDS = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãèéẹẻẽờớợởỡ ,.", min_size=1, max_size=80).filter(
    lambda s: s.strip(" ,.") != "" and not s.lstrip().lower().startswith(("không có", "không phát sinh"))
)
DEFECTS = {
    "drop-section": "S401",
    "repeat-section": "S405",
    "negative": "N505",
    "words-for-number": "N504",
    "html": "F208",
    "missing-key": "M303",
    "signed-later": "M309",
    "thousands-dot": "N507",
}


def _valid_report(campaign: Campaign, texts: list[str], figures: list[int]) -> list[str]:
    from baocao.reports.outline import flatten

    lines = ["---", "don_vi: huyen-uy-binh-son", "so_hieu: 12-BC/HU", "ngay: 2022-06-15", "nguoi_ky: Nguyễn Văn An"]
    lines += ["so_lieu:", *(f"  {ind.id}: {figures[i % len(figures)]}" for i, ind in enumerate(campaign.indicators))]
    lines += ["---", "", "# BÁO CÁO", ""]
    for i, e in enumerate(flatten(campaign.outline)):
        lines += ["#" * (e.depth + 1) + " " + e.heading, ""]
        if not e.section.sections:
            lines += [texts[i % len(texts)].strip() or "Nội dung.", ""]
    return lines


def _inject(campaign: Campaign, lines: list[str], defect: str) -> list[str]:
    from baocao.reports.outline import flatten

    leaf = next(e for e in flatten(campaign.outline) if not e.section.sections and e.section.required)
    heading = "#" * (leaf.depth + 1) + " " + leaf.heading
    first = campaign.indicators[0].id
    out = list(lines)
    if defect == "drop-section":
        i = out.index(heading)
        del out[i : i + 4]
    elif defect == "repeat-section":
        out += [heading, "", "Lặp lại.", ""]
    elif defect == "negative":
        out = [f"  {first}: -5" if line.startswith(f"  {first}:") else line for line in out]
    elif defect == "words-for-number":
        out = [f"  {first}: 12 vụ" if line.startswith(f"  {first}:") else line for line in out]
    elif defect == "thousands-dot":
        out = [f"  {first}: 1.250" if line.startswith(f"  {first}:") else line for line in out]
    elif defect == "html":
        out.insert(out.index(heading) + 2, "<div onclick=alert(1)>x</div>")
    elif defect == "missing-key":
        out = [line for line in out if not line.startswith("so_hieu:")]
    elif defect == "signed-later":
        out = [("ngay: 2022-06-25" if line.startswith("ngay:") else line) for line in out]
    return out


@SETTINGS
@given(
    st.lists(WORDS, min_size=1, max_size=6),
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=5),
    st.sampled_from(sorted(DEFECTS)),
)
def test_a_valid_report_is_clean_and_an_injected_defect_is_found(
    campaign: Campaign, texts: list[str], figures: list[int], defect: str
) -> None:
    lines = _valid_report(campaign, texts, figures)
    clean = check_report(campaign, PATH, "\n".join(lines).encode("utf-8"), TODAY)
    assert [f.code for f in clean.findings if f.severity == "error"] == [], clean.findings
    assert all(clean.numbers[i.id] == figures[n % len(figures)] for n, i in enumerate(campaign.indicators))
    broken = check_report(campaign, PATH, "\n".join(_inject(campaign, lines, defect)).encode("utf-8"), TODAY)
    assert DEFECTS[defect] in {f.code for f in broken.findings}, (defect, broken.findings)
