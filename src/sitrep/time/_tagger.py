"""Find temporal expressions with the per-language patterns and normalise each one.

Matching: every pattern runs over the text; overlapping candidates are settled longest
first (then by pattern order). Normalising (`_normalise`) gives each its value from the
context (`_context`): the document date, the last date mentioned and the tense around it.
"""

from __future__ import annotations

import re
from datetime import date

from sitrep.time import _values as V
from sitrep.time._context import Anchor, Context, Found
from sitrep.time._lexicon import Lexicon
from sitrep.time._normalise import resolve

_BLOCK_AFTER = re.compile(r"\s*(?:%|‰|[€$£]|[.,]\d)")
_BLOCK_BEFORE = re.compile(r"(?:[€$£#]|No\.|Nr\.)\s*$")


def _candidates(text: str, lex: Lexicon) -> list[Found]:
    found = []
    for pattern in lex.patterns:
        for match in pattern.regex.finditer(text):
            if match.end() > match.start():
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                found.append((match.start(), match.end(), pattern.order, pattern.kind, groups))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text) + 1)
    chosen = []
    for start, end, _order, kind, groups in found:
        if any(taken[start:end]):
            continue
        item = Found(start, end, kind, groups)
        if not _plausible(item, text, lex):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(item)
    chosen.sort(key=lambda f: f.start)
    return chosen


def _plausible(f: Found, text: str, lex: Lexicon) -> bool:
    g = f.groups
    if (
        f.kind in ("dur", "offset")
        and g.get("num", "").lower() in ("a", "an")
        and (lex.lookup("units", g.get("unit")) in ("S", "Q"))
    ):
        return False
    if f.kind == "dur" and re.match(r"[\s-]+old\b|\s+of\s+age\b", text[f.end : f.end + 8]):
        return False
    if f.kind == "date" and g.get("season") and len(g) == 1 and lex.lists["season_context"]:
        before = text[max(0, f.start - 12) : f.start].split()
        if not before or before[-1].lower() not in lex.lists["season_context"]:
            return False
    if f.kind == "date" and set(g) == {"y"} and text[f.start : f.end].isdigit():
        before = text[max(0, f.start - 20) : f.start].split()
        previous = before[-1].lower() if before else ""
        after = re.match(r"[ \t]+([A-ZÄÖÜ])", text[f.end : f.end + 3])
        if previous in lex.lists["count_words"]:
            return False
        if previous in lex.lists["count_words_weak"] and after:
            return False
    if (
        f.kind == "dur"
        and "unitadj" in g
        and (g["unitadj"][0].isupper() or text[f.end : f.end + 1] == "-")
    ):
        return False
    iso_month = set(g) == {"y", "m"} and text[f.start + 4 : f.start + 5] == "-"
    if f.kind == "date" and iso_month and int(g["m"]) > int(g["y"][-2:]):
        return False  # "2009-10" is a range of years, "2021-12" a month
    if (
        f.kind == "date"
        and set(g) == {"y2"}
        and int(text[f.start - 3 : f.start - 1]) >= int(g["y2"])
    ):
        return False
    bare_year = set(g) <= {"y", "part", "era"}
    blocked = _BLOCK_AFTER.match(text, f.end) or _BLOCK_BEFORE.search(
        text[max(0, f.start - 8) : f.start]
    )
    if f.kind == "date" and bare_year and blocked:
        return False
    if f.kind == "date" and set(g) == {"m"} and lex.month_then_capital_is_name:
        after = re.match(r"\s+([A-ZÄÖÜ]\w+)", text[f.end : f.end + 30])
        if after and g["m"][0].isupper():
            follows_name = (
                f.start > 0
                and text[f.start - 1] == " "
                and g["m"].lower() in lex.lists["months_also_names"]
            )
            return not follows_name
    return True


# --------------------------------------------------------------------------- driver


def _remember(f: Found, ctx: Context) -> None:
    """Make a resolved date the anchor for what follows (narratives, "two days later")."""
    if f.type not in ("DATE", "TIME") or not f.value:
        return
    opened = ctx.text.rfind("(", max(0, f.start - 150), f.start)
    if opened >= 0 and ctx.text.rfind(")", opened, f.start) < 0:
        return
    match = re.match(r"^(BC)?(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", f.value)
    if not match:
        return
    year = -int(match[2]) if match[1] else int(match[2])
    month = int(match[3]) if match[3] else None
    day = int(match[4]) if match[4] else None
    if not f.absolute and ctx.anchor is not None and year != ctx.anchor.year:
        return  # "im Vorjahr" points away for a moment; the narrative stays where it was
    ctx.anchor = Anchor(year, month, day)


def _context_flags(f: Found, ctx: Context) -> None:
    before = ctx.text[max(0, f.start - 20) : f.start].lower()
    words = before.split()
    tail1 = words[-1] if words else ""
    tail2 = " ".join(words[-2:]) if len(words) >= 2 else ""
    f.since = tail1 in ctx.lex.lists["since_words"] or tail2 in ctx.lex.lists["since_words"]
    f.until = tail1 in ctx.lex.lists["until_words"] or tail2 in ctx.lex.lists["until_words"]


def find(
    text: str,
    lex: Lexicon,
    dct: date | None,
    narrative: bool,
    sentence_starts: list[int] | None = None,
) -> list[Found]:
    """Every temporal expression in `text`, normalised, in text order. The sentences (their
    starts, from the text stage) bound where tense is read; without them a rough split of
    its own serves a bare text."""
    ctx = Context(lex, text, dct, narrative, sentence_starts)
    out = []
    for f in _candidates(text, lex):
        resolve(f, ctx)
        if f.value is None:
            continue
        _context_flags(f, ctx)
        if f.type in ("DATE", "TIME"):
            f.span = V.value_range(f.value, f.mod)
            if f.absolute:
                f.future = ctx.tense(f.start, f.end) == "future"
        elif "range" in f.extra:
            first, last = f.extra["range"]  # type: ignore[misc]
            f.span = (first, last, "day")
        if not f.until:
            _remember(f, ctx)
        out.append(f)
    return out
