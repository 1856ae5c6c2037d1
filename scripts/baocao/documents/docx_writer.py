"""Markdown blocks into a python-docx document: the subset reports use (paragraphs, bold and
italic, lists written as Vietnamese documents write them, tables, sub-headings as bold lines).

Raw HTML never reaches Word: the parser runs with HTML off, so markup stays literal text.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Emu
from docx.styles.styles import Styles
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from baocao.escape.word import text as word_text

MD = MarkdownIt("commonmark", {"html": False}).enable("table")
BODY_INDENT = Cm(1)
TABLE_STYLE = "Table Grid"


class Body:
    """The end of a document's body, where paragraphs and tables are appended in constant time.

    python-docx's ``Document.add_paragraph``/``add_heading``/``add_table`` find the body's closing
    ``w:sectPr`` by scanning every child of the body on each call (``add_table`` also collects
    every section to get the text width), so a document of n paragraphs costs n²: minutes for
    the compiled draft of thousands of reports. Here the ``w:sectPr`` and the width are found
    once and each new element goes right before the ``w:sectPr``: the same XML, the same
    python-docx objects (same parent, so styles and parts resolve as before).
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.styles: Styles = document.styles
        body = document.element.body
        self._end = body.get_or_add_sectPr()
        self._parent = document._body  # the container python-docx gives body paragraphs and tables
        section = document.sections[-1]
        self._width = Emu(section.page_width - section.left_margin - section.right_margin)  # type: ignore[operator]
        self._style_ids: dict[str, str | None] = {}

    def set_style(self, paragraph: Paragraph, name: str) -> None:
        """``paragraph.style = name``, the same XML: python-docx looks the name up and compares it
        with the default style by scanning every style of the document on each assignment,
        which for the tens of thousands of table cells of a 5,000-unit draft took minutes."""
        if name not in self._style_ids:
            style = self.styles[name]
            self._style_ids[name] = None if style == self.styles.default(style.type) else style.style_id
        paragraph._p.get_or_add_pPr().style = self._style_ids[name]

    def append_paragraph(self, p: object) -> Paragraph:
        """Append the ``w:p`` element ``p`` (made elsewhere) to the body."""
        self._end.addprevious(p)
        return Paragraph(p, self._parent)  # type: ignore[arg-type]

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph = self.append_paragraph(OxmlElement("w:p"))
        if text:
            paragraph.add_run(word_text(text))
        if style is not None:
            self.set_style(paragraph, style)
        return paragraph

    def keep_tail_with_next(self) -> None:
        """Keep what the body ends with on the page of what comes next: the last paragraph, or
        the paragraphs of the last table's last row (Word and LibreOffice keep a table with the
        next paragraph through them)."""
        last = self._end.getprevious()
        if last is None:
            return
        if last.tag == qn("w:p"):
            Paragraph(last, self._parent).paragraph_format.keep_with_next = True
        elif last.tag == qn("w:tbl"):
            for cell in Table(last, self._parent).rows[-1].cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True

    def add_heading(self, text: str = "", level: int = 1) -> Paragraph:
        return self.add_paragraph(text, f"Heading {level}")

    def add_table(self, rows: int, cols: int) -> Table:
        tbl = CT_Tbl.new_tbl(rows, cols, self._width)
        self._end.addprevious(tbl)
        table = Table(tbl, self._parent)
        table.style = None  # as Document.add_table leaves it: the document's default table style
        return table


@cache
def _run_template(bold: bool, italic: bool) -> Any:
    """The ``w:r`` python-docx writes for ``add_run("x")`` then ``.bold``/``.italic`` set to True or None."""
    run = Paragraph(OxmlElement("w:p"), None).add_run("x")  # type: ignore[arg-type]
    run.bold, run.italic = bold or None, italic or None
    return run._r


def styled_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """``paragraph.add_run(text)`` with ``bold``/``italic`` (True or None), as a copy of the same XML:
    python-docx's setters search the run's children several times each, for tens of thousands of
    runs. Text with tabs or line breaks (w:tab, w:br) goes through python-docx."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        run = paragraph.add_run(word_text(text))
        run.bold, run.italic = bold or None, italic or None
        return
    r = deepcopy(_run_template(bold, italic))
    t = r[-1]
    t.text = word_text(text)
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")
    paragraph._p.append(r)


def add_inline(paragraph: Paragraph, token: Token, *, bold: bool = False, italic: bool = False) -> None:
    """Runs for one inline token, carrying bold and italic state."""
    strong, em = 0, 0
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind in ("text", "code_inline"):
            styled_run(paragraph, child.content, bold=bold or strong > 0, italic=italic or em > 0)
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "image":
            paragraph.add_run(word_text(child.content or ""))


@cache
def _indented_template() -> object:
    p = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    p.paragraph_format.first_line_indent = BODY_INDENT
    return p._p


def body_paragraph(doc: Body, *, indent: bool = True) -> Paragraph:
    if indent and isinstance(doc, Body):
        return doc.append_paragraph(deepcopy(_indented_template()))
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = BODY_INDENT
    return p


MM_PER_PT = 0.3528
# Widths of Times New Roman glyphs, bold, in em: capitals and digits at most ~0.72 and ~0.5, others ~0.56.
EM_CAPITAL, EM_OTHER = 0.72, 0.56
CELL_PADDING_MM = 4.0  # Word's default left and right cell margins (1.9 mm each), rounded up


def _text_mm(text: str, size_pt: float) -> float:
    return sum(EM_CAPITAL if c.isupper() else EM_OTHER for c in text) * size_pt * MM_PER_PT


def content_widths(columns: list[list[str]], total_mm: float, size_pt: float, header_rows: int = 1) -> list[float]:
    """Column widths (mm) from what the columns hold, so that no word or number breaks inside:
    each column at least as wide as its longest word (header included), the room left shared
    out in proportion to how much more each column's longest body text needs (a header may
    wrap between words; a unit's name should not), the table spanning ``total_mm``."""
    least = [max((_text_mm(w, size_pt) for t in col for w in t.split()), default=0) for col in columns]
    body = [max((_text_mm(t, size_pt) for t in col[header_rows:]), default=0) for col in columns]
    least = [w + CELL_PADDING_MM for w in least]
    body = [w + CELL_PADDING_MM for w in body]
    wanted = [max(a, b) for a, b in zip(least, body, strict=True)]
    room = total_mm - sum(least)
    if room <= 0:
        return least  # wider than the page: words still whole, the table runs over the margin
    if sum(wanted) <= total_mm:  # every body text fits on one line: share the rest by need
        return [w + (total_mm - sum(wanted)) * w / sum(wanted) for w in wanted]
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def rows_print_whole(table: Table, header_rows: int) -> None:
    """Rows never split across pages; the first ``header_rows`` repeat at the top of each page."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _table(doc: Body, tokens: list[Token], start: int) -> int:
    """Add the table that opens at ``start``; return the index after it."""
    rows: list[list[Token]] = []
    header_rows = 0
    i = start
    in_head = False
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "thead_open":
            in_head = True
        elif t.type == "thead_close":
            in_head = False
        elif t.type == "tr_open":
            rows.append([])
            header_rows += in_head
        elif t.type == "inline":
            rows[-1].append(t)
        i += 1
    width = max((len(r) for r in rows), default=0)
    if rows and width:
        table: Table = doc.add_table(rows=len(rows), cols=width)
        table.style = doc.styles[TABLE_STYLE]
        for r, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            for cell, inline in zip(row.cells, cells, strict=False):
                add_inline(cell.paragraphs[0], inline, bold=r < header_rows)
        rows_print_whole(table, header_rows)
    return i + 1


def add_markdown(doc: Body, text: str) -> None:
    """Append ``text`` (Markdown) to ``doc`` as body paragraphs."""
    tokens = MD.parse(text)
    lists: list[list[int]] = []  # open lists: [next number] or [] for bullets
    quote = 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        kind = t.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([int(t.attrGet("start") or 1)] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            p = body_paragraph(doc, indent=False)
            add_inline(p, tokens[i + 1], bold=True)
            i += 2
        elif kind == "table_open":
            i = _table(doc, tokens, i)
            continue
        elif kind in ("fence", "code_block"):
            for line in t.content.rstrip("\n").split("\n"):
                body_paragraph(doc).add_run(word_text(line))
        elif kind == "inline":
            p = body_paragraph(doc)
            if lists and t.level >= 2 and tokens[i - 2].type == "list_item_open":
                marker = lists[-1]
                if marker:
                    p.add_run(f"{marker[0]}. ")
                    marker[0] += 1
                else:
                    p.add_run("- ")
                p.paragraph_format.left_indent = Cm(0.5 * (len(lists) - 1))
            add_inline(p, t, italic=quote > 0)
        elif kind == "hr":
            body_paragraph(doc, indent=False).add_run("—" * 3)
        i += 1


def set_cell_text(cell_paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    styled_run(cell_paragraph, text, bold=bold)
