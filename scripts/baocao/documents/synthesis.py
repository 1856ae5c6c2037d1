"""Synthesis of one outline section: what several units wrote in the same or nearly the same
words appears once, with the units that wrote it; then what each unit wrote that is its own.

A unit's section text (inert Markdown, ``baocao.documents.compile_text``) is cut into pieces:
prose paragraphs into sentences, lists into items; tables, quotations and the unit's own
sub-headings (bold lines) stay whole and always stay the unit's own. Two sentences are "the
same" when

- they carry exactly the same figures (a figure is a fact of its unit: "xảy ra 12 vụ" and
  "xảy ra 7 vụ" never merge) and the same words of direction or negation (``POLARITY``:
  "tăng" is not "giảm", "đã đáp ứng" is not "chưa đáp ứng", though the letters barely differ);
- every proper name one of them writes (a capitalised syllable after the first) is in the
  other ("chợ Ba Tơ" is not "chợ Sơn Hà");
- their matching keys (NFC, case-folded, punctuation dropped, split into syllables, the
  writer's own name replaced by a placeholder) are at most ``MAX_EDITS`` syllables apart
  (a word added, like "còn", "đều", "công tác"; "karaoke" for "xăng dầu" is three) and score
  at least ``THRESHOLD`` with rapidfuzz's normalised Indel similarity (``fuzz.ratio``), which
  keeps short sentences ("tại các chợ" / "tại các trường học") apart.

rapidfuzz: maintained, C++ speed without numpy, the Indel measures ``difflib`` gives at a
fraction of the cost, on strings and on syllable lists alike. The rule was chosen on the
labelled pairs in ``tests/data/near_duplicates.yml``: letters alone cannot separate them (a
"different" pair, "tăng" for "giảm", scores 94.3; "karaoke"/"xăng dầu" 89.9; the lowest
"same" pair 92.6); ``tests/test_synthesis.py`` checks that every pair is classified as
labelled and where the margins lie. A shared sentence is written as its most common wording, the writer's own name
replaced by "đơn vị".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from baocao.campaign.model import Unit

THRESHOLD = 85  # fuzz.ratio on syllable keys; see tests/data/near_duplicates.yml
# Words of negation and direction: two sentences that differ in these say different things.
_NEGATION = ("không", "chưa", "chẳng", "chả", "chớ", "đừng")
_DIRECTION = ("tăng", "giảm", "kém", "yếu", "thiếu", "thấp", "cao", "nhiều", "ít", "hơn", "chậm", "nhanh", "tốt")
POLARITY = frozenset((*_NEGATION, *_DIRECTION))
POLARITY_PAIRS = frozenset({("hạn", "chế"), ("bất", "cập")})  # two-syllable words
MAX_EDITS = 2  # syllables inserted or deleted (a replaced one counts twice) between two "same" sentences
FUZZY_LIMIT = 4000  # distinct sentences with the same figures above which only exact matches merge
NAMED = 2  # units named before "và N đơn vị khác"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)\]]*\s+")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W_]+")
Sig = tuple[tuple[tuple[str, ...], tuple[str, ...]], str]  # (signature, key) of a distinct sentence
_PLACEHOLDER = " 0donvi0 "  # a word no report writes


@dataclass(frozen=True)
class Shared:
    """A sentence several units wrote, once, with its writers in campaign order."""

    text: str  # inert Markdown, without its final full stop
    units: tuple[Unit, ...]

    def attribution(self, counted: int) -> str:
        """'Huyện ủy Ba Tơ, Huyện ủy Sơn Hà và 5 đơn vị khác' ('tất cả 24 đơn vị' when everyone)."""
        names = [u.name for u in self.units]
        if counted > 2 and len(names) == counted:
            return f"tất cả {counted} đơn vị"
        if len(names) <= NAMED + 1:
            return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"
        return f"{', '.join(names[:NAMED])} và {len(names) - NAMED} đơn vị khác"


@dataclass
class _Piece:
    kind: str  # "prose", "list", "whole" (table, quotation, code), "bold" (a sub-heading line)
    parts: list[str]  # sentences, list items (with their marker), or the whole piece
    keep: list[bool] = field(default_factory=list)


def key(sentence: str, own_name: str = "") -> str:
    """The matching key: NFC, case-folded, the writer's name replaced, syllables joined by spaces."""
    text = unicodedata.normalize("NFC", sentence).casefold()
    if own_name:
        text = text.replace(unicodedata.normalize("NFC", own_name).casefold(), _PLACEHOLDER)
    text = _LIST_ITEM.sub("", text)
    return " ".join(_WORD.findall(text))


def signature(sentence: str, k: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What two sentences must share exactly to merge: their figures and their polarity words."""
    words = k.split()
    polar = [w for w in words if w in POLARITY]
    polar += [f"{a} {b}" for a, b in pairwise(words) if (a, b) in POLARITY_PAIRS]
    return tuple(_NUMBER.findall(sentence)), tuple(sorted(polar))


def close(ka: str, kb: str) -> bool:
    """Keys close enough: at most ``MAX_EDITS`` syllables apart and ``THRESHOLD`` by letters."""
    return Indel.distance(ka.split(), kb.split(), score_cutoff=MAX_EDITS) <= MAX_EDITS and (
        fuzz.ratio(ka, kb) >= THRESHOLD
    )


def names(sentence: str, own_name: str = "") -> frozenset[str]:
    """Proper names a sentence writes: capitalised syllables after the first, case-folded."""
    text = unicodedata.normalize("NFC", _LIST_ITEM.sub("", sentence))
    if own_name:
        text = text.replace(unicodedata.normalize("NFC", own_name), " ")
    words = _WORD.findall(text)
    return frozenset(w.casefold() for w in words[1:] if w[:1].isupper())


def _names_agree(a: tuple[frozenset[str], str], b: tuple[frozenset[str], str]) -> bool:
    return a[0] <= set(b[1].split()) and b[0] <= set(a[1].split())


def comparable(a: str, b: str) -> bool:
    """Whether two sentences pass the guards: same figures, same polarity words, names agreeing."""
    ka, kb = key(a), key(b)
    return signature(a, ka) == signature(b, kb) and _names_agree((names(a), ka), (names(b), kb))


def similar(a: str, b: str) -> bool:
    """Whether two sentences count as the same (the rules of the module's docstring)."""
    return comparable(a, b) and close(key(a), key(b))


def sentences(paragraph: str) -> list[str]:
    """A prose paragraph cut after '.', '!', '?' or '…' followed by space and a capital or a digit."""
    flat = " ".join(paragraph.split())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(flat):
        nxt = flat[m.end() : m.end() + 1]
        if nxt and (nxt.isupper() or nxt.isdigit() or nxt in '“"(*'):
            out.append(flat[start : m.end()].strip())
            start = m.end()
    if flat[start:].strip():
        out.append(flat[start:].strip())
    return out


def pieces(text: str) -> list[_Piece]:
    out: list[_Piece] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in para.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].lstrip()
        if len(lines) == 1 and first.startswith("**") and first.rstrip().endswith("**"):
            out.append(_Piece("bold", [para]))
        elif first.startswith(("|", ">", "```", "~~~", "    ")) or lines[0].startswith("    "):
            out.append(_Piece("whole", [para]))
        elif _LIST_ITEM.match(lines[0]) and not _LIST_ITEM.match(lines[0]).group(1):  # type: ignore[union-attr]
            items: list[str] = []
            for line in lines:
                m = _LIST_ITEM.match(line)
                if (m and not m.group(1)) or not items:
                    items.append(line.strip())
                else:
                    items[-1] += " " + line.strip()  # a continuation or a nested item stays with its item
            out.append(_Piece("list", items))
        else:
            out.append(_Piece("prose", sentences(para)))
    for p in out:
        p.keep = [True] * len(p.parts)
    return out


def _render(ps: list[_Piece]) -> str:
    blocks: list[str] = []
    for p in ps:
        kept = [part for part, k in zip(p.parts, p.keep, strict=True) if k]
        if not kept:
            continue
        blocks.append(" ".join(kept) if p.kind == "prose" else "\n".join(kept))
    # A sub-heading with nothing of the unit's own after it (before the next one) goes too.
    out: list[str] = []
    for i, b in enumerate(blocks):
        is_bold = b.startswith("**") and b.endswith("**") and "\n" not in b
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if is_bold and (nxt is None or (nxt.startswith("**") and nxt.endswith("**") and "\n" not in nxt)):
            continue
        out.append(b)
    return "\n\n".join(out)


def _item_text(part: str) -> str:
    return _LIST_ITEM.sub("", part, count=1)


def synthesise(texts: Sequence[tuple[Unit, str]], counted: int) -> tuple[list[Shared], list[str]]:
    """The shared sentences of one section and what remains of each unit's text (same order as
    ``texts``; an empty string when everything the unit wrote is shared). ``counted`` is the
    number of units whose reports count, for "tất cả N đơn vị"."""
    parsed = [pieces(text) for _, text in texts]
    # Every sentence or list item: (unit index, piece, part) -> key
    occurrences: dict[Sig, list[tuple[int, int, int]]] = {}
    proper: dict[Sig, frozenset[str]] = {}
    for ui, (unit, _) in enumerate(texts):
        for pi, p in enumerate(parsed[ui]):
            if p.kind not in ("prose", "list"):
                continue
            for si, part in enumerate(p.parts):
                sentence = _item_text(part) if p.kind == "list" else part
                k = key(sentence, unit.name)
                if len(k.split()) < 3:  # "Cụ thể:" and the like are not worth a merge
                    continue
                sk = (signature(sentence, k), k)
                occurrences.setdefault(sk, []).append((ui, pi, si))
                proper[sk] = proper.get(sk, frozenset()) | names(sentence, unit.name)
    order = sorted(occurrences, key=lambda sk: (-len({o[0] for o in occurrences[sk]}), occurrences[sk][0]))
    by_signature: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for sig, k in order:
        by_signature.setdefault(sig, []).append(k)
    taken: set[Sig] = set()
    clusters: list[list[tuple[int, int, int]]] = []
    for sk in order:
        if sk in taken:
            continue
        taken.add(sk)
        members = list(occurrences[sk])
        sig, k = sk
        bucket = by_signature[sig]
        if 1 < len(bucket) <= FUZZY_LIMIT:
            for other, _score, _ in process.extract(k, bucket, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None):
                ok = (sig, other)
                if ok not in taken and close(k, other) and _names_agree((proper[sk], k), (proper[ok], other)):
                    taken.add(ok)
                    members += occurrences[ok]
        if len({m[0] for m in members}) > 1:
            clusters.append(sorted(members))
    shared: list[tuple[tuple[int, int, int], Shared]] = []
    for members in clusters:
        ui, pi, si = members[0]
        unit = texts[ui][0]
        p = parsed[ui][pi]
        sentence = _item_text(p.parts[si]) if p.kind == "list" else p.parts[si]
        writers = tuple(texts[i][0] for i in sorted({m[0] for m in members}))
        shared.append((members[0], Shared(_neutral(sentence, unit.name), writers)))
        for mu, mp, ms in members:
            parsed[mu][mp].keep[ms] = False
    shared.sort(key=lambda item: item[0])
    return [s for _, s in shared], [_render(ps) for ps in parsed]


def _neutral(sentence: str, name: str) -> str:
    """The sentence without its final stop, the writer's own name replaced by 'đơn vị'."""
    text = sentence.rstrip()
    text = text[:-1] if text.endswith((".", ";")) else text
    if name and name in text:
        text = text.replace(name, "đơn vị")
        text = text[:1].upper() + text[1:]
    return text
