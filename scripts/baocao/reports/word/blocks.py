"""A Word document as a flat list of blocks: paragraphs (with their runs, style, heading level
and automatic numbering) and tables, in document order, each paragraph numbered.

Paragraph numbers ("đoạn") count every paragraph of the body, table cells included, from 1:
they are what the findings of a Word report point at, since a .docx has no lines.

Only what the report reader needs is resolved: bold/italic (direct formatting, then the
character style, then the paragraph style chain), heading level (style "Heading N"/"Title" or
an outline level), and the label Word draws for automatic numbering ("I.", "1.", "a)").
Tracked insertions are read as accepted and deletions as removed, which is what the clerk sees
after "Accept All Changes"; the change marks themselves are reported elsewhere (D803).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from baocao.reports.outline import nfc
from baocao.reports.word.numbering import Numbering, W, q

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
_TRANSPARENT = frozenset(
    f"{{{W}}}{t}" for t in ("ins", "moveTo", "hyperlink", "smartTag", "sdt", "sdtContent", "fldSimple", "customXml")
)
_SKIPPED = frozenset(f"{{{W}}}{t}" for t in ("del", "moveFrom"))


def _on(el: Any) -> bool | None:
    """An OOXML toggle property (<w:b/>, <w:b w:val="0"/>) as True/False, None when absent."""
    if el is None:
        return None
    return el.get(q("val"), "true").lower() not in ("0", "false", "off", "none")


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    bold: bool
    italic: bool


@dataclass
class Para:
    number: int
    spans: list[Span]
    style: str = ""
    level: int | None = None  # heading level from the style or outline level; 0 for "Title"
    label: str = ""  # the automatic numbering Word draws before the text ("I.", "1.", "-")
    numbered_level: int | None = None  # ilvl of the automatic numbering
    center: bool = False
    changes: int = 0  # tracked insertions/deletions inside
    comments: int = 0  # comment anchors inside

    @property
    def plain(self) -> str:
        """The paragraph's own text, whitespace-folded, line breaks kept as newlines."""
        raw = "".join(s.text for s in self.spans)
        lines = [_SPACES.sub(" ", line).strip() for line in raw.split("\n")]
        return "\n".join(line for line in lines if line)

    @property
    def text(self) -> str:
        """The text with its automatic numbering, on one line."""
        body = self.plain.replace("\n", " ")
        return f"{self.label} {body}".strip() if self.label and self.label != "-" else body

    @property
    def bold(self) -> bool:
        """Every visible character is bold."""
        visible = [s for s in self.spans if s.text.strip()]
        return bool(visible) and all(s.bold for s in visible)

    def markdown(self, *, drop_bold: bool = False) -> str:
        """Inline Markdown of the runs: bold/italic kept, Markdown syntax escaped."""
        groups: list[list[Any]] = []
        for s in self.spans:
            key = (s.bold and not drop_bold, s.italic)
            if groups and groups[-1][0] == key:
                groups[-1][1] += s.text
            else:
                groups.append([key, s.text])
        out = []
        for (bold, italic), text in groups:
            text = _SPACES.sub(" ", text)
            core = text.strip()
            if not core:
                out.append(" " if text else "")
                continue
            mark = ("**" if bold else "") + ("*" if italic else "")
            lead = " " if text[0].isspace() else ""
            tail = " " if text[-1].isspace() else ""
            pieces = [escape(p.strip()) for p in core.split("\n")]
            joined = "\\\n".join(p for p in pieces if p)
            out.append(f"{lead}{mark}{joined}{mark[::-1]}{tail}")
        return re.sub(r" {2,}", " ", "".join(out)).strip()


@dataclass
class Cell:
    paras: list[Para]
    span: int = 1  # grid columns covered (a header "Số liệu" merged over "Năm 2021 | Năm 2022")

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras if p.text)

    @property
    def number(self) -> int:
        return self.paras[0].number if self.paras else 0


@dataclass
class Table:
    number: int  # the first paragraph inside
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def paras(self) -> Iterator[Para]:
        for row in self.rows:
            for cell in row:
                yield from cell.paras


Block = Para | Table


def lead_in(p: Para) -> tuple[str, Para] | None:
    """A heading and its text typed in one paragraph: "1. Ưu điểm: Công tác ..." -> ("1. Ưu điểm",
    the paragraph from "Công tác", runs and their bold/italic kept). None without such a colon."""
    head: list[Span] = []
    rest: list[Span] = []
    found = False
    for s in p.spans:
        if found:
            rest.append(s)
        elif ":" in s.text:
            before, after = s.text.split(":", 1)
            head.append(Span(before, s.bold, s.italic))
            rest.append(Span(after.lstrip(), s.bold, s.italic))
            found = True
        else:
            head.append(s)
    if not found:
        return None
    first = Para(p.number, head, label=p.label)
    tail = Para(p.number, [s for s in rest if s.text], style=p.style)
    return (first.text, tail) if first.plain and tail.plain else None


def escape(text: str) -> str:
    """Text as literal Markdown: no emphasis, links, raw HTML or table breaks by accident."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return "\\" + text if text.startswith("#") else text


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    italic: bool | None
    outline: int | None
    num: tuple[str, int] | None


class Styles:
    """Style properties along the basedOn chain."""

    def __init__(self, styles_el: Any | None):
        self._by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        if styles_el is None:
            return
        for s in styles_el.iter(q("style")):
            sid = s.get(q("styleId")) or ""
            name_el = s.find(q("name"))
            based = s.find(q("basedOn"))
            rpr = s.find(q("rPr"))
            ppr = s.find(q("pPr"))
            outline = ppr.find(q("outlineLvl")) if ppr is not None else None
            self._by_id[sid] = _Style(
                name=(name_el.get(q("val"), "") if name_el is not None else sid).strip().lower(),
                based_on=based.get(q("val")) if based is not None else None,
                bold=_on(rpr.find(q("b"))) if rpr is not None else None,
                italic=_on(rpr.find(q("i"))) if rpr is not None else None,
                outline=int(outline.get(q("val"), "9")) if outline is not None else None,
                num=_num_pr(ppr),
            )
            if s.get(q("type")) == "paragraph" and s.get(q("default")) in ("1", "true"):
                self.default_para = sid

    def chain(self, sid: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while sid and sid in self._by_id and sid not in seen:
            seen.add(sid)
            st = self._by_id[sid]
            yield st
            sid = st.based_on

    def first(self, sid: str | None, attr: str) -> Any:
        return next((getattr(st, attr) for st in self.chain(sid) if getattr(st, attr) is not None), None)

    def name(self, sid: str | None) -> str:
        st = self._by_id.get(sid or "")
        return st.name if st else ""

    def heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            if st.name == "title":
                return 0
            m = _HEADING_STYLE.match(st.name)
            if m:
                return int(m.group(1))
        outline = self.first(sid, "outline")
        return outline + 1 if outline is not None and outline < 9 else None


def _grid_span(tc: Any) -> int:
    span = tc.find(f"{q('tcPr')}/{q('gridSpan')}")
    value = span.get(q("val"), "1") if span is not None else "1"
    return max(1, min(int(value), 64)) if value.isdigit() else 1


def _num_pr(ppr: Any | None) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num = ppr.find(q("numPr"))
    if num is None:
        return None
    num_id = num.find(q("numId"))
    ilvl = num.find(q("ilvl"))
    if num_id is None:
        return None
    try:
        return num_id.get(q("val"), "0"), int(ilvl.get(q("val"), "0")) if ilvl is not None else 0
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, styles: Styles, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.count = 0

    def runs(self, el: Any) -> Iterator[Any]:
        for child in el:
            if child.tag == q("r"):
                yield child
            elif child.tag in _TRANSPARENT:
                yield from self.runs(child)

    def span(self, r: Any, para_style: str | None) -> Span | None:
        rpr = r.find(q("rPr"))
        if rpr is not None and _on(rpr.find(q("vanish"))):
            return None
        parts = []
        for c in r:
            tag = c.tag
            if tag == q("t"):
                parts.append(c.text or "")
            elif tag in (q("tab"), q("ptab")):
                parts.append("\t")
            elif (tag == q("br") and c.get(q("type")) in (None, "textWrapping")) or tag == q("cr"):
                parts.append("\n")
            elif tag == q("noBreakHyphen"):
                parts.append("-")
        text = nfc("".join(parts))
        if not text:
            return None
        rstyle = rpr.find(q("rStyle")) if rpr is not None else None
        char_style = rstyle.get(q("val")) if rstyle is not None else None

        def prop(tag: str, attr: str) -> bool:
            direct = _on(rpr.find(q(tag))) if rpr is not None else None
            for value in (direct, self.styles.first(char_style, attr), self.styles.first(para_style, attr)):
                if value is not None:
                    return bool(value)
            return False

        return Span(text, prop("b", "bold"), prop("i", "italic"))

    def para(self, p: Any) -> Para:
        self.count += 1
        ppr = p.find(q("pPr"))
        style_el = ppr.find(q("pStyle")) if ppr is not None else None
        sid = style_el.get(q("val")) if style_el is not None else self.styles.default_para
        spans = [s for r in self.runs(p) if (s := self.span(r, sid)) is not None]
        para = Para(self.count, spans, style=self.styles.name(sid), level=self.styles.heading_level(sid))
        direct_outline = ppr.find(q("outlineLvl")) if ppr is not None else None
        if direct_outline is not None:
            value = direct_outline.get(q("val"), "9")
            para.level = int(value) + 1 if value.isdigit() and int(value) < 9 else para.level
        num = _num_pr(ppr) or self.styles.first(sid, "num")
        if num and para.plain:
            para.label = self.numbering.label(num)
            para.numbered_level = num[1]
        jc = ppr.find(q("jc")) if ppr is not None else None
        para.center = jc is not None and jc.get(q("val")) == "center"
        para.changes = sum(1 for _ in p.iter(q("ins"), q("del"), q("moveFrom"), q("moveTo")))
        para.comments = sum(1 for _ in p.iter(q("commentReference")))
        return para

    def cell_paras(self, tc: Any) -> list[Para]:
        out: list[Para] = []
        for child in tc:
            if child.tag == q("p"):
                out.append(self.para(child))
            elif child.tag == q("tbl"):  # a nested table: its text joins the cell
                out += [p for row in self.table(child).rows for c in row for p in c.paras]
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    out += self.cell_paras(content)
        return out

    def table(self, tbl: Any) -> Table:
        table = Table(self.count + 1)
        for tr in tbl.iter(q("tr")):
            if tr.getparent() is not tbl:
                continue
            cells = []
            for tc in tr:
                if tc.tag == q("sdt"):
                    tc = tc.find(q("sdtContent"))
                    tc = tc.find(q("tc")) if tc is not None else None
                if tc is not None and tc.tag == q("tc"):
                    cells.append(Cell(self.cell_paras(tc), _grid_span(tc)))
            table.rows.append(cells)
        return table

    def blocks(self, parent: Any, *, textboxes: bool = True) -> Iterator[Block]:
        for child in parent:
            if child.tag == q("p"):
                yield self.para(child)
                if textboxes:  # some letterheads put "Số 45-BC/HU" and the date in text boxes
                    for box in child.iter(q("txbxContent")):
                        if not any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
                            yield from self.blocks(box, textboxes=False)
            elif child.tag == q("tbl"):
                yield self.table(child)
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                if content is not None:
                    yield from self.blocks(content)


def read_blocks(document: Any) -> list[Block]:
    """The body of a python-docx Document as blocks in order."""
    part = document.part
    try:
        styles_el = document.styles.element
    except Exception:  # a damaged styles part: read without styles
        styles_el = None
    try:
        numbering_el = part.numbering_part.element
    except Exception:  # no numbering part (NotImplementedError/KeyError in python-docx)
        numbering_el = None
    reader = _Reader(Styles(styles_el), Numbering(numbering_el))
    return list(reader.blocks(document.element.body))
