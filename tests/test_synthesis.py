"""The synthesised draft: what several units wrote alike once, with its writers; what each
wrote of its own kept; the threshold justified by labelled pairs; the demo's draft halved in
pages (rendered by LibreOffice) without losing any unit's sentence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from baocao.campaign.model import Campaign, Unit
from baocao.checks.validation import check_report
from baocao.documents.compile import Compiled, Source, compile_campaign, compile_reports
from baocao.documents.compile_text import unit_sections
from baocao.documents.draft_docx import export_docx
from baocao.documents.draft_markdown import render_markdown, totals_line
from baocao.documents.synthesis import (
    MAX_EDITS,
    THRESHOLD,
    comparable,
    key,
    names,
    pieces,
    sentences,
    similar,
    synthesise,
)

from .compile_data import at, figures, report_text
from .conftest import DemoSite
from .printing import page_count, to_pdf

PAIRS = yaml.safe_load((Path(__file__).parent / "data" / "near_duplicates.yml").read_text(encoding="utf-8"))


def unit(uid: str, name: str) -> Unit:
    return Unit(id=uid, name=name, group="g")


A, B, C, D = (
    unit("a", "Huyện ủy Ba Tơ"),
    unit("b", "Huyện ủy Sơn Hà"),
    unit("c", "Thị ủy Đức Phổ"),
    unit("d", "Báo Quảng Ngãi"),
)


# --------------------------------------------------------------------------- the rule and its threshold


@pytest.mark.parametrize("pair", PAIRS, ids=[p["a"][:40] for p in PAIRS])
def test_each_labelled_pair_is_classified_as_labelled(pair: dict[str, object]) -> None:
    assert similar(str(pair["a"]), str(pair["b"])) is pair["same"]


def test_each_measure_is_needed_and_the_labelled_same_pairs_pass_with_a_margin() -> None:
    """Among pairs the guards (figures, polarity, names) let through: every "same" pair is within
    the syllable edits and at least 5 points above the letter threshold; every "different" one
    fails a measure, and each measure alone is what keeps some labelled pair apart."""
    same, different = [], []
    for p in PAIRS:
        if not comparable(p["a"], p["b"]):
            assert not p["same"], p["a"]  # a guard never splits a labelled "same" pair
            continue
        ka, kb = key(p["a"]), key(p["b"])
        measures = (Indel.distance(ka.split(), kb.split()), fuzz.ratio(ka, kb))
        (same if p["same"] else different).append(measures)
    assert all(edits <= MAX_EDITS and ratio >= THRESHOLD + 5 for edits, ratio in same)
    assert all(edits > MAX_EDITS or ratio < THRESHOLD for edits, ratio in different)
    assert any(edits > MAX_EDITS and ratio >= THRESHOLD for edits, ratio in different)  # karaoke / xăng dầu
    assert any(edits <= MAX_EDITS and ratio < THRESHOLD for edits, ratio in different)  # các chợ / các trường
    assert len(same) >= 12 and len(different) >= 8


def test_a_polarity_word_alone_keeps_two_sentences_apart_though_their_letters_are_close() -> None:
    a, b = (
        "Số vụ cháy và thiệt hại giảm so với cùng kỳ năm trước.",
        "Số vụ cháy và thiệt hại tăng so với cùng kỳ năm trước.",
    )
    assert fuzz.ratio(key(a), key(b)) >= THRESHOLD  # the letters alone would merge them
    assert not similar(a, b)


def test_different_figures_never_merge_and_equal_ones_do() -> None:
    a = "Tổ chức 12 hội nghị quán triệt cho cán bộ, đảng viên."
    assert not similar(a, a.replace("12", "7"))
    assert similar(a, a.replace("cho cán bộ", "cho các cán bộ"))


def test_names_other_than_the_writers_own_must_agree() -> None:
    assert names("Phối hợp với Báo Quảng Ngãi đưa tin.") == {"báo", "quảng", "ngãi"}
    assert names("Huyện ủy Ba Tơ tổ chức hội nghị.", "Huyện ủy Ba Tơ") == frozenset()
    assert not similar("Kiểm tra tại chợ Ba Tơ và nhà trọ.", "Kiểm tra tại chợ Sơn Hà và nhà trọ.")


def test_sentences_are_cut_after_a_stop_before_a_capital_or_digit_only() -> None:
    text = "Đã kiểm tra 2.348,1 triệu đồng. Kết quả tốt! 12 cơ sở vi phạm… số còn lại đạt."
    assert sentences(text) == ["Đã kiểm tra 2.348,1 triệu đồng.", "Kết quả tốt!", "12 cơ sở vi phạm… số còn lại đạt."]


def test_pieces_keep_tables_quotes_and_bold_lines_whole() -> None:
    text = (
        "**a) Kết quả**\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n> Trích.\n\n"
        "- Một ý\n  tiếp dòng.\n- Ý hai.\n\nCâu một. Câu hai."
    )
    kinds = [(p.kind, p.parts) for p in pieces(text)]
    assert kinds == [
        ("bold", ["**a) Kết quả**"]),
        ("whole", ["| A | B |\n|---|---|\n| 1 | 2 |"]),
        ("whole", ["> Trích."]),
        ("list", ["- Một ý tiếp dòng.", "- Ý hai."]),
        ("prose", ["Câu một.", "Câu hai."]),
    ]


# --------------------------------------------------------------------------- one section


COMMON = "Các vụ cháy đều được phát hiện, báo tin và cứu chữa kịp thời, không để cháy lan trên diện rộng."
NEARLY = COMMON.replace("trên diện rộng", "ra diện rộng")
PAIR = "Vi phạm quy định về phòng cháy, chữa cháy ở hộ gia đình kết hợp sản xuất, kinh doanh vẫn còn."


def test_shared_sentences_appear_once_with_their_writers_then_each_units_own() -> None:
    texts = [
        (
            A,
            f"{COMMON} Huyện ủy Ba Tơ tổ chức 2 hội nghị cho 303 lượt cán bộ.\n\n"
            f"- {PAIR}\n- Riêng Ba Tơ có mô hình hay.",
        ),
        (B, f"{NEARLY}\n\n{PAIR}\n\nHuyện ủy Sơn Hà tổ chức 5 hội nghị cho 245 lượt cán bộ."),
        (C, f"{COMMON}\n\n| Chỉ tiêu | Số |\n|---|---:|\n| Vụ | 3 |"),
        (D, COMMON),
    ]
    shared, own = synthesise(texts, counted=5)
    assert [(s.text, s.units) for s in shared] == [(COMMON[:-1], (A, B, C, D)), (PAIR[:-1], (A, B))]
    assert shared[0].attribution(5) == "Huyện ủy Ba Tơ, Huyện ủy Sơn Hà và 2 đơn vị khác"
    assert shared[1].attribution(5) == "Huyện ủy Ba Tơ và Huyện ủy Sơn Hà"
    assert own == [
        "Huyện ủy Ba Tơ tổ chức 2 hội nghị cho 303 lượt cán bộ.\n\n- Riêng Ba Tơ có mô hình hay.",
        "Huyện ủy Sơn Hà tổ chức 5 hội nghị cho 245 lượt cán bộ.",
        "| Chỉ tiêu | Số |\n|---|---:|\n| Vụ | 3 |",  # a table is the unit's own, always
        "",  # everything D wrote is shared
    ]


def test_attribution_names_three_in_full_and_says_all_when_everyone_wrote_it() -> None:
    from baocao.documents.synthesis import Shared

    assert Shared("x", (A, B, C)).attribution(9) == "Huyện ủy Ba Tơ, Huyện ủy Sơn Hà và Thị ủy Đức Phổ"
    assert Shared("x", (A, B, C, D)).attribution(4) == "tất cả 4 đơn vị"
    assert Shared("x", (A, B)).attribution(2) == "Huyện ủy Ba Tơ và Huyện ủy Sơn Hà"


def test_a_shared_sentence_naming_its_writer_says_don_vi_instead() -> None:
    texts = [
        (A, "Công tác phòng cháy được đưa vào chương trình kiểm tra năm 2022 của Huyện ủy Ba Tơ."),
        (B, "Công tác phòng cháy được đưa vào chương trình kiểm tra năm 2022 của Huyện ủy Sơn Hà."),
    ]
    shared, own = synthesise(texts, counted=2)
    assert [s.text for s in shared] == ["Công tác phòng cháy được đưa vào chương trình kiểm tra năm 2022 của đơn vị"]
    assert own == ["", ""]


def test_a_sub_heading_left_with_nothing_of_the_units_own_goes_with_it() -> None:
    texts = [(A, f"**a) Ở cấp xã**\n\n{COMMON}\n\n**b) Ở cấp huyện**\n\nRiêng của Ba Tơ."), (B, COMMON)]
    _, own = synthesise(texts, counted=2)
    assert own[0] == "**b) Ở cấp huyện**\n\nRiêng của Ba Tơ."


# --------------------------------------------------------------------------- the compilation


def test_hostile_text_shared_by_two_units_stays_inert(campaign: Campaign) -> None:
    """Two reports writing the same trick merge into one shared sentence: still disarmed."""
    trick = "Xem [hướng dẫn](javascript:alert(1)) và &lt;b&gt; nhé, tại trang của cơ quan."
    sources = []
    for seed, uid in enumerate(("huyen-uy-ba-to", "huyen-uy-son-ha"), 1):
        text = report_text(campaign, uid, figures(campaign, seed), number=f'"{seed}-BC/HU"', signed=at(14).date())
        text = text.replace(
            "báo cáo mục uu-diem: đã triển khai", f"báo cáo mục uu-diem:\n\n{trick} <i>x</i>\n\nđã triển khai"
        )
        checked = check_report(campaign, f"submissions/{uid}/bao-cao.md", text.encode(), at(14).date())
        sources.append(Source(campaign.unit_by_id[uid], checked))
    compiled = compile_reports(campaign, campaign.stages[0], at(15), sources, [])
    section = next(s for s in compiled.sections if s.entry.id == "uu-diem")
    assert section.shared, "the two identical sentences were not merged"
    markdown = render_markdown(compiled)
    assert "javascript:" not in markdown and "<i>" not in markdown and "&lt;i>" in markdown


def test_a_section_naming_indicators_opens_with_their_totals(compiled: Compiled) -> None:
    fires = next(s for s in compiled.sections if s.entry.id == "tinh-hinh-chay-no")
    assert [t.indicator.id for t in fires.totals] == list(fires.entry.section.indicators)
    line = totals_line(compiled, fires)
    first = fires.totals[0]
    top = max(first.values.items(), key=lambda kv: kv[1])
    assert line.startswith(f"Tổng hợp từ {len(compiled.sources)} đơn vị: số vụ cháy {first.total} vụ (nhiều nhất: ")
    assert f"{compiled.campaign.unit_by_id[top[0]].name} {top[1]} vụ" in line.split(";")[0]
    markdown = render_markdown(compiled)
    after_heading = markdown.split("### 5. Tình hình cháy, nổ", 1)[1].split("\n\n", 2)[1]
    assert after_heading.startswith("Tổng hợp từ ")


def _neutral(sentence: str, writer: Unit) -> str:
    return sentence.replace(writer.name, "đơn vị")


def test_demo_draft_keeps_every_sentence_of_every_unit(campaign: Campaign, demo_site: DemoSite) -> None:
    """Each sentence a counted unit wrote is in the synthesised draft: in its own block, or as
    a shared sentence with its figures naming that unit among the writers."""
    compiled = compile_campaign(campaign, demo_site.root, as_of=datetime.fromisoformat(demo_site.as_of))
    by_entry = {s.entry.id: s for s in compiled.sections}
    merged = checked = 0
    for src in compiled.sources:
        for entry_id, text in unit_sections(src.report).items():
            sec = by_entry.get(entry_id)
            if sec is None or src in sec.nothing:
                continue
            own = "\n".join(b.text for b in sec.blocks if b.source.unit.id == src.unit.id)
            mine = [s for s in sec.shared if src.unit in s.units]
            for p in pieces(text):
                if p.kind == "bold":  # a sub-heading goes when nothing of the unit's own is under it
                    continue
                for part in p.parts:
                    sentence = part.lstrip("-*+ ") if p.kind == "list" else part
                    checked += 1
                    if sentence in own:
                        continue
                    candidate = _neutral(sentence, src.unit).rstrip(".;")
                    found = [s for s in mine if similar(candidate, s.text)]
                    assert found, (src.unit.id, entry_id, sentence)
                    merged += 1
    assert checked > 500 and merged > 100


def test_demo_draft_is_at_most_half_the_pages_of_the_anthology(
    campaign: Campaign, demo_site: DemoSite, tmp_path: Path
) -> None:
    as_of = datetime.fromisoformat(demo_site.as_of)
    pages = {}
    for verbatim in (True, False):
        compiled = compile_campaign(campaign, demo_site.root, as_of=as_of, verbatim=verbatim)
        pages[verbatim] = page_count(to_pdf(export_docx(compiled, tmp_path / f"{verbatim}" / "du-thao.docx")))
    assert pages[False] * 2 <= pages[True], pages
