"""Arbitrary input never crashes the parser or the validator: it yields findings."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.findings import CODES, Finding
from baocao.model import Campaign
from baocao.report import parse_markdown
from baocao.validation import check_file, check_report

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
