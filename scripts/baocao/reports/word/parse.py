"""Reading a report written in Word (.docx) into the same ``ParsedReport`` a Markdown report gives.

Why python-docx and not mammoth: mammoth turns a document into clean HTML by mapping styles,
and drops exactly what this reader needs to see — paragraph alignment, the runs' bold state on
unstyled "1. ..." paragraphs, tab-separated signature columns, tracked-change and comment
marks, and the table cells as cells. python-docx gives the XML with its styles and numbering
definitions, so the reader walks the body itself (``word_blocks``) and decides.

How the document is read (Party document format, Hướng dẫn 36-HD/VPTW):
- everything before the document type line ("BÁO CÁO") is the header block: "Số 45-BC/HU"
  gives ``so_hieu``, "Quảng Ngãi, ngày 15 tháng 6 năm 2022" gives ``ngay``; the bold lines
  under "BÁO CÁO" give ``tieu_de``; the unit comes from the folder. Without "BÁO CÁO" the header
  ends with its "Số ..."/date line and the introduction after it is kept, as in Markdown;
- sections are paragraphs in a Word heading style, or beginning with the outline's numbering
  ("I.", "1.", "a)", typed or automatic), bold or not, matched to the outline with
  ``outline.Matcher`` — the same rule as Markdown headings; "1. Ưu điểm: text" is split;
- from the first "T/M ...", "Nơi nhận:" or "PHỤ LỤC" after the sections on, the end matter:
  the signature block gives ``chuc_vu`` and ``nguoi_ky``;
- a table whose rows carry indicator labels gives ``so_lieu`` (Vietnamese number format).

A .docx has no lines: every line number of a Word report (headings, findings, ``meta_lines``)
is a paragraph number ("đoạn"), counting table-cell paragraphs, from the start of the body.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from baocao.campaign.model import Campaign, Stage
from baocao.findings import finding
from baocao.reports.outline import Entry, flatten, fold_diacritics, matcher_for
from baocao.reports.report import Heading, ParsedReport
from baocao.reports.word.blocks import Block, Para, Table, escape, lead_in, read_blocks
from baocao.reports.word.container import all_paras, open_container, revision_marks
from baocao.reports.word.markdown import front_matter, para_markdown, table_markdown
from baocao.reports.word.meta import (
    Header,
    Signature,
    is_appendix,
    is_authority,
    is_recipients,
    is_upper,
    pieces,
    read_header,
    read_signature,
)
from baocao.reports.word.party import party_format
from baocao.reports.word.stats import IndicatorTable, Statistics

SAVE_AS = "Hãy mở tệp bằng Word và lưu lại dạng Tài liệu Word (*.docx)."
_NUMBERED = re.compile(r"^(?:(?P<roman>[IVXLC]+)|(?P<arabic>\d+(?:\.\d+)*)|(?P<letter>[a-zđ]))\s*[.)]\s*\S")
_DOC_TYPES = ("bao cao", "du thao", "to trinh", "thong bao", "ket qua tham dinh")
_DECORATION = re.compile(r"^[\s\-_*=~.·•]*$")


@dataclass
class WordReport(ParsedReport):
    """A ParsedReport whose line numbers are paragraph numbers.

    ``body`` is Markdown made of one chunk per Word block; ``between`` selects chunks by
    paragraph number so that ``outline.Segment.text`` works as it does for Markdown. A chunk
    marked ``after_heading`` is the text that followed a section heading inside the same Word
    paragraph ("1. Ưu điểm: Công tác ..."): it belongs to the section that heading opens, so
    ``between(heading + 1, ...)`` includes it although it has the heading's paragraph number."""

    chunks: list[tuple[int, str, bool]] = field(default_factory=list)  # (paragraph, Markdown, after_heading)

    def between(self, start: int, end: int | None) -> str:
        return "\n\n".join(
            md
            for n, md, after_heading in self.chunks
            if (n >= start or (after_heading and n == start - 1)) and (end is None or n < end)
        ).strip("\n")


def parse_docx(data: bytes, path: str, campaign: Campaign | None = None) -> ParsedReport:
    """Read a Word report; never raises. Without a campaign, sections are taken from heading
    styles and numbering alone and no statistics are read."""
    try:
        return _parse(data, path, campaign)
    except Exception as exc:  # the last guard: a damaged file must give a finding, not a crash
        report = WordReport(path)
        msg = f"Không đọc được nội dung tệp Word ({type(exc).__name__}). {SAVE_AS}"
        report.findings = [finding("D801", path, 1, msg)]
        return report


def _parse(data: bytes, path: str, campaign: Campaign | None) -> WordReport:
    import docx  # python-docx; imported here so that Markdown-only use does not pay for it

    report = WordReport(path)
    container, report.findings = open_container(data, path)
    if container is None:
        return report
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        report.findings.append(finding("D801", path, 1, f"Tệp .docx bị hỏng ({type(exc).__name__}). {SAVE_AS}"))
        return report
    blocks = read_blocks(document)
    report.findings += revision_marks(blocks, container.comments, path)
    report.findings += party_format(document, path)
    _Layout(report, blocks, campaign).read()
    return report


def _snippet(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _numbering_depth(text: str) -> int | None:
    """Outline depth that a leading number stands for: I. -> 1, 1. -> 2, 1.1. / a) -> 3."""
    m = _NUMBERED.match(text)
    if not m:
        return None
    if m.group("roman"):
        return 1
    if m.group("arabic"):
        return 2 + m.group("arabic").count(".")
    return 3


def _text(block: Block) -> str:
    return block.text if isinstance(block, Para) else ""


def _last_number(b: Block) -> int:
    return max((p.number for p in b.paras), default=b.number) if isinstance(b, Table) else b.number


def _is_doc_type(p: Para) -> bool:
    text = p.text
    return p.text.isupper() and len(text.split()) <= 8 and fold_diacritics(text).startswith(_DOC_TYPES)


class _Layout:
    """Splits the blocks into header, title, body and end matter, and builds the report."""

    def __init__(self, report: WordReport, blocks: list[Block], campaign: Campaign | None):
        self.r = report
        self.blocks = blocks
        self.campaign = campaign
        self.entries: list[Entry] = flatten(campaign.outline) if campaign else []
        self.matcher = matcher_for(campaign) if campaign else None
        self.stage: Stage | None = None
        periods: set[int] = set()
        if campaign:
            stem = PurePosixPath(report.path).stem
            self.stage = next((s for s in campaign.stages if s.stem == stem), None)
            periods = {campaign.directive.date.year}
            periods |= {campaign.deadline(self.stage).year} if self.stage else set()
        self.indicators = IndicatorTable(campaign.indicators if campaign else [], periods)

    # ------------------------------------------------------------------ zones
    def read(self) -> None:
        blocks = self.blocks
        stats_tables = [b for b in blocks if isinstance(b, Table) and self.indicators.is_statistics(b)]
        title = next(
            (i for i, b in enumerate(blocks[:40]) if isinstance(b, Para) and _is_doc_type(b)),
            None,
        )
        # Without a "BÁO CÁO" line the header block ends with its last line; the introduction is kept.
        start = self._header_end(blocks) if title is None else title + 1
        header_end = title if title is not None else start
        summary: list[Para] = []
        while start < len(blocks) and isinstance(blocks[start], Para):
            p = blocks[start]
            assert isinstance(p, Para)
            if _DECORATION.match(p.text) or ((p.bold or p.center) and not self._section_like(p)):
                if p.text and not _DECORATION.match(p.text):
                    summary.append(p)
                start += 1
            else:
                break
        headings = self._headings(blocks, start)
        first_section = min(headings, default=len(blocks))
        tail = self._tail_start(blocks, first_section if headings else start, stats_tables)
        self._meta(blocks[:header_end] or blocks[:first_section], summary, blocks[tail:], stats_tables)
        self._body(blocks, title, summary, start, tail, headings)

    def _header_end(self, blocks: list[Block]) -> int:
        """Without a "BÁO CÁO" line: the end of the header block — the leading tables and lines in
        upper case, and at least up to the block holding "Số ..." or the place and date."""
        limit = next((i for i, b in enumerate(blocks) if isinstance(b, Para) and self._section_like(b)), len(blocks))
        end = 0
        while end < limit and (
            isinstance(blocks[end], Table) or _DECORATION.match(_text(blocks[end])) or is_upper(_text(blocks[end]))
        ):
            end += 1
        header = read_header(pieces(all_paras(blocks[:limit]), space_columns=False))
        marks = [x.number for x in (header.so_hieu, *header.blank) if x] + ([header.ngay[1]] if header.ngay else [])
        if marks:
            last = max(marks)
            end = max(end, next(i for i, b in enumerate(blocks) if _last_number(b) >= last) + 1)
        return end

    def _section_like(self, p: Para) -> bool:
        matched = self.matcher is not None and self.matcher.match(p.text) is not None
        return matched or p.level not in (None, 0) or _numbering_depth(p.text) is not None

    def _tail_start(self, blocks: list[Block], after: int, stats: list[Table]) -> int:
        """The first block of the end matter: signature, distribution list or appendix."""
        for i in range(after, len(blocks)):
            b = blocks[i]
            paras = list(b.paras) if isinstance(b, Table) else [b]
            for piece in pieces(paras):
                if is_authority(piece.text) or is_recipients(piece.text):
                    return i
            if isinstance(b, Para) and is_appendix(b.text) and b.text.isupper():
                return i
        return len(blocks)

    # ------------------------------------------------------------------ sections
    def _headings(self, blocks: list[Block], start: int) -> dict[int, tuple[Entry | None, int, str]]:
        """Block index -> (outline entry or None, Markdown level, how to render) for the
        paragraphs that open a section; D805 for numbered ones that match none."""
        out: dict[int, tuple[Entry | None, int, str]] = {}
        last = -1
        open_at: dict[int, Entry] = {}  # depth -> the entry open at that depth
        current_level = 1
        for i in range(start, len(blocks)):
            p = blocks[i]
            if not isinstance(p, Para) or not p.text:
                continue
            if is_authority(p.text) or is_recipients(p.text) or (is_appendix(p.text) and p.text.isupper()):
                break
            styled = p.level is not None and p.level > 0
            depth = _numbering_depth(p.text)
            strong = p.bold and p.text.isupper() and len(p.text.split()) <= 20
            if not (styled or depth or strong):
                continue
            if self.matcher is None:
                if styled or depth:
                    level = min((p.level or 0) + 1 if styled else (depth or 1) + 1, 6)
                    out[i] = (None, level, "heading")
                continue
            entry, how = self.matcher.match(p.text, last), "heading"
            if entry is None and (styled or depth) and (split := lead_in(p)):
                entry, how = self.matcher.match(split[0], last), "lead-in"  # "1. Ưu điểm: Công tác ..."
            if entry is not None and (entry.index > last or styled or depth):
                out[i] = (entry, entry.depth + 1, how)
                last = max(last, entry.index)
                open_at[entry.depth] = entry
                for d in [d for d in open_at if d > entry.depth]:
                    del open_at[d]
                current_level = entry.depth + 1
                continue
            if not open_at:
                continue  # before the first section: the introduction
            parent = open_at.get((depth or 0) - 1)
            section_level = depth == 1 or (depth is not None and parent is not None and bool(parent.section.sections))
            heading_like = styled or p.bold or depth == 1 or (len(p.text.split()) <= 15 and not p.text.endswith("."))
            if depth and section_level and heading_like:
                self.r.findings.append(
                    finding(
                        "D805",
                        self.r.path,
                        p.number,
                        f"Đoạn {p.number} “{_snippet(p.text)}” được đánh số như một mục nhưng không khớp mục nào "
                        "của đề cương. Sửa tên mục cho đúng đề cương; nếu là ý nhỏ trong mục, đánh số a), b) hoặc "
                        "dùng gạch đầu dòng.",
                    )
                )
                out[i] = (None, 0, "bold")
            elif styled:
                out[i] = (None, min(current_level + 1, 6), "heading")
        return out

    # ------------------------------------------------------------------ meta
    def _meta(
        self,
        header_blocks: list[Block],
        summary: list[Para],
        tail: list[Block],
        stats_tables: list[Table],
    ) -> None:
        r = self.r
        unit = PurePosixPath(r.path).parts
        r.meta["don_vi"] = unit[1] if len(unit) > 2 else ""
        r.meta_lines["don_vi"] = 1
        header: Header = read_header(pieces(all_paras(header_blocks), space_columns=False))
        if header.so_hieu:
            r.meta["so_hieu"], r.meta_lines["so_hieu"] = header.so_hieu.text, header.so_hieu.number
        if header.ngay:
            r.meta["ngay"], r.meta_lines["ngay"] = header.ngay
        r.has_front_matter = True  # the values are read from the document; what is missing gets a D8 finding
        parts = (("so_hieu", "số hiệu (“Số 45-BC/HU”)"), ("ngay", "ngày tháng (“…, ngày 15 tháng 6 năm 2022”)"))
        missing = [what for key, what in parts if key not in r.meta]
        r.reported |= {key for key, _ in parts if key not in r.meta}
        if missing and header.blank:
            blanks = " và ".join(f"“{b.text}”" for b in header.blank)
            r.findings.append(
                finding(
                    "D807",
                    r.path,
                    header.blank[0].number,
                    f"Phần đầu báo cáo còn để trống {blanks} (đoạn {header.blank[0].number}): điền số văn bản và "
                    "ngày ký trước khi nộp, ví dụ “Số 45-BC/HU”, “Quảng Ngãi, ngày 15 tháng 6 năm 2022”.",
                )
            )
        elif missing:
            r.findings.append(
                finding(
                    "D807",
                    r.path,
                    1,
                    f"Không tìm thấy {' và '.join(missing)} ở phần đầu báo cáo (trước dòng “BÁO CÁO”). "
                    "Ghi đúng thể thức: dòng “Số 45-BC/HU” dưới tên cơ quan, dòng địa danh, ngày tháng năm bên phải.",
                )
            )
        if summary:
            r.meta["tieu_de"] = " ".join(p.text for p in summary)
            r.meta_lines["tieu_de"] = summary[0].number
        sig: Signature = read_signature(pieces([p for p in all_paras(tail) if not self._in(p, stats_tables)]))
        if sig.chuc_vu:
            r.meta["chuc_vu"], r.meta_lines["chuc_vu"] = sig.chuc_vu.text, sig.chuc_vu.number
        if sig.nguoi_ky:
            r.meta["nguoi_ky"], r.meta_lines["nguoi_ky"] = sig.nguoi_ky.text, sig.nguoi_ky.number
        else:
            r.reported.add("nguoi_ky")
            line = sig.authority.number if sig.authority else (tail[0].number if tail else 1)
            r.findings.append(
                finding(
                    "D809",
                    r.path,
                    line,
                    "Không tìm thấy họ tên người ký ở khối chữ ký cuối báo cáo. Ghi thẩm quyền ký "
                    "(T/M BAN THƯỜNG VỤ), chức vụ (BÍ THƯ) rồi họ tên người ký, mỗi thứ một dòng.",
                )
            )
        self._statistics(stats_tables)

    @staticmethod
    def _in(p: Para, tables: list[Table]) -> bool:
        return any(p is other for t in tables for other in t.paras)

    def _statistics(self, tables: list[Table]) -> None:
        r = self.r
        stats: Statistics = self.indicators.read(tables, r.path)
        r.findings += stats.findings
        r.reported |= stats.reported
        if stats.tables:
            r.meta["so_lieu"] = stats.values
            r.meta_lines["so_lieu"] = stats.line
            r.numbers = stats.numbers
        elif self.stage is not None and self.stage.indicators and self.campaign and self.campaign.indicators:
            r.reported.add("so_lieu")
            r.findings.append(
                finding(
                    "D808",
                    r.path,
                    1,
                    "Không tìm thấy bảng số liệu: cần một bảng mà mỗi dòng là một chỉ tiêu của phụ lục "
                    f"(ví dụ “{self.campaign.indicators[0].label}”) và một cột ghi con số.",
                )
            )

    # ------------------------------------------------------------------ body
    def _body(
        self,
        blocks: list[Block],
        title: int | None,
        summary: list[Para],
        start: int,
        end: int,
        headings: dict[int, tuple[Entry | None, int, str]],
    ) -> None:
        r = self.r
        chunks: list[tuple[int, str, bool]] = []
        if title is not None:
            t = blocks[title]
            assert isinstance(t, Para)
            chunks.append((t.number, f"# {escape(t.text)}", False))
            r.headings.append(Heading(1, t.text, t.number))
        chunks += [(p.number, f"**{p.markdown(drop_bold=True)}**", False) for p in summary]
        for i in range(start, end):
            b = blocks[i]
            if isinstance(b, Table):
                md = table_markdown(b)
                if md:
                    chunks.append((b.number, md, False))
                continue
            if not b.text or _DECORATION.match(b.text):
                continue
            _, level, how = headings.get(i, (None, 0, ""))
            if how in ("heading", "lead-in"):
                split = lead_in(b) if how == "lead-in" else None
                head = split[0] if split else b.text
                chunks.append((b.number, f"{'#' * level} {escape(head)}", False))
                r.headings.append(Heading(level, head, b.number))
                if split:  # in a heading style the bold is the style's, not the clerk's
                    md = split[1].markdown(drop_bold=True) if b.level else para_markdown(split[1])
                    chunks.append((b.number, md, True))
            elif how == "bold":
                chunks.append((b.number, f"**{escape(b.text)}**", False))
            else:
                chunks.append((b.number, para_markdown(b), False))
        r.chunks = chunks
        head = front_matter(r.meta) + "\n"
        r.text = head + "\n\n".join(md for _, md, _ in chunks) + "\n"
        r.body_line, r.body_start = 1, len(head)
