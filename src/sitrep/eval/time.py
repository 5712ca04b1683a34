"""Score `sitrep.time` on TempEval-3 TimeML (`timeml`) or WikiWarsDE TIMEX2 (`timex2`).

TempEval-3 definitions: system and gold expressions are paired one-to-one (exact extents
first, then by the largest overlap); *strict* extraction counts pairs with identical
extents, *relaxed* counts overlapping pairs; *value accuracy* is the share of relaxed
pairs whose values are equal, *value F1* = 2 · (pairs with equal value) / (gold + system).
TIMEX2's `val` is compared like TIMEX3's `value` (its `mod` is ignored, as the TIMEX3
scorer ignores `mod`).

- `timeml`: a directory of `*.tml` files (or one file); English, anchored on the `<DCT>`.
- `timex2`: a WikiWarsDE-style directory with `keyinline/*.key.xml` (inline `<TIMEX2>`
  tags; `in/` and `key/` hold the same text and stand-off offsets); German narratives
  without a publication date, so relative expressions anchor on the last date mentioned.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from sitrep import time as sitrep_time
from sitrep.eval.common import PRF

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Gold:
    """One annotated expression: its extent in the plain text and its value."""

    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Document:
    """Plain text, its gold expressions, and how to tag it."""

    name: str
    text: str
    gold: tuple[Gold, ...]
    language: str
    dct: date | None
    narrative: bool


def _strip(marked: str, element: str, attribute: str) -> tuple[str, list[Gold]]:
    """Plain text of an inline-annotated region and the `element` spans in it."""
    out: list[str] = []
    length = 0
    open_stack: list[tuple[int, str]] = []
    gold = []
    position = 0
    for match in _TAG.finditer(marked):
        piece = marked[position : match.start()]
        out.append(piece)
        length += len(piece)
        position = match.end()
        if match.group(4):
            char = html.unescape(match.group(0))
            out.append(char)
            length += len(char)
            continue
        closing, name = match.group(1), match.group(2)
        if name != element:
            continue
        if not closing:
            attrs = dict(_ATTR.findall(match.group(3)))
            open_stack.append((length, attrs.get(attribute, "")))
        elif open_stack:
            start, value = open_stack.pop()
            gold.append(Gold(start, length, value))
    out.append(marked[position:])
    return "".join(out), sorted(gold, key=lambda g: g.start)


def _timeml(path: Path) -> list[Document]:
    files = sorted(path.glob("*.tml")) if path.is_dir() else [path]
    docs = []
    for file in files:
        raw = file.read_text(encoding="utf-8")
        dct_match = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", raw, re.S)
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        if body is None:
            continue
        text, gold = _strip(body.group(1), "TIMEX3", "value")
        dct = date.fromisoformat(dct_match.group(1)) if dct_match else None
        docs.append(Document(file.stem, text, tuple(gold), "en", dct, False))
    return docs


def _timex2(path: Path) -> list[Document]:
    folder = path / "keyinline" if (path / "keyinline").is_dir() else path
    docs = []
    for file in sorted(folder.glob("*.xml")):
        raw = file.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
        if body is None:
            continue
        text, gold = _strip(body.group(1), "TIMEX2", "val")
        name = file.name.split(".")[0]
        docs.append(Document(name, text, tuple(gold), "de", None, True))
    return docs


def load(path: Path, fmt: Literal["timeml", "timex2"]) -> list[Document]:
    """The documents of an evaluation set, as plain text with gold spans."""
    return _timeml(path) if fmt == "timeml" else _timex2(path)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match(gold: list[tuple[int, int]], system: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, system index): exact extents first, then by overlap."""
    candidates = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            size = _overlap(g, s)
            if size > 0:
                candidates.append((g == s, size, -abs(g[0] - s[0]), i, j))
    candidates.sort(reverse=True)
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _exact, _size, _shift, i, j in candidates:
        if i in used_gold or j in used_system:
            continue
        used_gold.add(i)
        used_system.add(j)
        pairs.append((i, j))
    return pairs


@dataclass
class Counts:
    """Running totals over documents."""

    n_gold: int = 0
    n_system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, gold: list[Gold], system: list[tuple[int, int, str | None]]) -> None:
        pairs = match([(g.start, g.end) for g in gold], [(s[0], s[1]) for s in system])
        self.n_gold += len(gold)
        self.n_system += len(system)
        self.relaxed += len(pairs)
        for i, j in pairs:
            g, s = gold[i], system[j]
            self.strict += (g.start, g.end) == (s[0], s[1])
            self.value += (s[2] or "") == g.value

    def report(self) -> dict[str, object]:
        strict = PRF(self.strict, self.n_system, self.n_gold)
        relaxed = PRF(self.relaxed, self.n_system, self.n_gold)
        total = self.n_gold + self.n_system
        return {
            "strict": strict.as_dict(),
            "relaxed": relaxed.as_dict(),
            "value": {
                "accuracy": round(self.value / self.relaxed, 4) if self.relaxed else 0.0,
                "f1": round(2 * self.value / total, 4) if total else 0.0,
            },
            "n_gold": self.n_gold,
            "n_system": self.n_system,
        }


def evaluate(path: Path, fmt: Literal["timeml", "timex2"]) -> dict[str, object]:
    """Tag every document of the set at `path` and score it (see the module docstring).

    Returns `{"strict": {"p", "r", "f1"}, "relaxed": {…}, "value": {"accuracy", "f1"},
    "n_gold", "n_system"}` with fractions from 0 to 1. A document that makes the tagger
    fail counts as tagged with nothing.
    """
    counts = Counts()
    for doc in load(Path(path), fmt):
        try:
            spans = sitrep_time.tag(doc.text, doc.language, doc.dct, narrative=doc.narrative)
        except Exception:  # a crash is a full miss, reported by the low score
            spans = []
        counts.add(list(doc.gold), [(s.start, s.end, s.value) for s in spans])
    return counts.report()
