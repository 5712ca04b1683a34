"""Boilerplate removal driven by per-language phrase files (`lang/<code>/boilerplate.txt`).

The phrases live in data files, not code, so adding a language is adding a file (DESIGN §2).
Every file of the configured languages is applied together with `data/boilerplate.common.txt`
(language-neutral rules),
because cleaning runs before language detection. Removal works on whole lines or on
fragments at the two ends of a line, and never rewrites characters inside a kept line, so
the cleaned text stays a faithful copy of the reporting. Every removal is recorded as a
`Removed` item: nothing disappears silently.

Work is linear in the text: whole-line rules only look at short lines and tail rules only
at the last `_TAIL_WINDOW` characters of a line, so a pathological line cannot make a regex
crawl over megabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep import lang
from sitrep.models import Removed

_KINDS = ("line", "meta", "head", "tail", "date")
# Longest stripped line a whole-line rule may remove: boilerplate lines are short.
_MAX_LINE = 300
# Tail rules (photo credits) only look this far back from the end of a line.
_TAIL_WINDOW = 160
_BLANK_RUN = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rules:
    """The compiled rules of a set of languages; `None` where no file defines that kind."""

    line: re.Pattern[str] | None
    meta: re.Pattern[str] | None
    head: re.Pattern[str] | None
    tail: re.Pattern[str] | None
    date_labels: tuple[str, ...]


def _read(language: str | None) -> list[tuple[str, str]]:
    """(kind, regex) pairs of one phrase file (None: the language-neutral one); a missing
    file means no rules for that language."""
    common = Path(__file__).parent / "data" / "boilerplate.common.txt"
    path = common if language is None else lang.path(language, "boilerplate.txt")
    if path is None or not path.is_file():
        return []
    name = str(path)
    pairs = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, pattern = line.partition(":")
        if not sep or kind not in _KINDS or not pattern.strip():
            raise ValueError(f"{name}:{number}: expected '<kind>: <regex>', got {raw!r}")
        re.compile(pattern.strip())  # a broken rule fails loudly, naming its file and line
        pairs.append((kind, pattern.strip()))
    return pairs


def _union(patterns: list[str], template: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    alternatives = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(template.format(alternatives), re.IGNORECASE)


@lru_cache(maxsize=16)
def load(languages: tuple[str, ...]) -> Rules:
    """The rules of `boilerplate.common.txt` plus those of each language that has a file."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in _KINDS}
    for name in (None, *languages):
        for kind, pattern in _read(name):
            by_kind[kind].append(pattern)
    return Rules(
        line=_union(by_kind["line"], "{}"),
        meta=_union(by_kind["meta"], "{}"),
        head=_union(by_kind["head"], r"[ \t]*(?:{})[ \t]*"),
        tail=_union(by_kind["tail"], r"(?:^|(?<=\s))(?:{})\s*$"),
        date_labels=tuple(by_kind["date"]),
    )


def strip(text: str, rules: Rules) -> tuple[str, list[Removed]]:
    """Remove boilerplate from `text`; return the cleaned text and what was taken out.

    Blank lines left behind are collapsed (three or more newlines become two) and the ends
    are stripped; kept lines are otherwise returned character for character.
    """
    removed: list[Removed] = []
    text = _strip_head(text.lstrip(), rules, removed)
    kept = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        reason = _whole_line(stripped, rules)
        if reason is not None:
            removed.append(Removed(text=stripped, reason=reason))
            continue
        line = _strip_tail(line, rules, removed)
        kept.append(line if line.strip() else "")
    return _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip(), removed


def _strip_head(text: str, rules: Rules, removed: list[Removed]) -> str:
    """Take leading metadata fragments (` date 2021-12 `) off the start of the text."""
    if rules.head is None:
        return text
    for _ in range(3):  # a header rarely stacks more than a couple of fragments
        match = rules.head.match(text)
        if match is None or not match.group().strip():
            break
        removed.append(Removed(text=match.group().strip(), reason="metadata"))
        text = text[match.end() :]
    return text


def _whole_line(stripped: str, rules: Rules) -> str | None:
    """The removal reason when the whole line is boilerplate or metadata, else None."""
    if len(stripped) > _MAX_LINE:
        return None
    if rules.line is not None and rules.line.fullmatch(stripped):
        return "boilerplate"
    if rules.meta is not None and rules.meta.fullmatch(stripped):
        return "metadata"
    return None


def _strip_tail(line: str, rules: Rules, removed: list[Removed]) -> str:
    """Cut a trailing fragment (a photo credit) off the end of a line."""
    if rules.tail is None:
        return line
    start = max(0, len(line) - _TAIL_WINDOW)
    # Lookbehinds still see the characters before `start`: a window cut mid-word cannot
    # start a match, because a fragment must follow whitespace.
    match = rules.tail.search(line, start)
    if match is None:
        return line
    removed.append(Removed(text=match.group().strip(), reason="boilerplate"))
    return line[: match.start()].rstrip()
