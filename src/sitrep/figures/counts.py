"""Figures: the counts a text gives (killed, wounded, displaced, held, fighters, troops, …).

`find_figures` reads every count in each sentence (`sitrep.figures.numbers` says which
numbers are counts: not years, dates, ages, percentages, distances …) and decides

- its subject, the noun the number counts ("18 Peshmerga", "2.500 US-Soldaten",
  "tausende Zivilist*innen"), matched against per-language noun lists, German compounds
  by their ending; "the number of civilian deaths … fell to 41" gives the subject from
  the phrase after "number of";
- its category: a cue word near the number in the same clause ("were killed", "kamen
  ums Leben", "fled", "festgenommen") wins over the subject's own category, except that
  a subject which is itself an outcome ("18 Tote", "30 injured") keeps it. Numbers joined
  by "and"/"und"/"," share a cue ("18 Peshmerga und drei Zivilisten kamen … ums Leben");
- whether it is part of another figure: after "including"/"darunter" the counts are parts
  of the total before them; a count marked "in total"/"insgesamt" is the total of the
  counts joined to it.

`fatalities` then sums the killed counts of one sentence without counting a total and its
parts twice. Everything is looked at inside a bounded window of tokens, so the stage is
linear in the text. Words live in `lang/<code>/figures.json`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sitrep import lang
from sitrep.figures.lexicon import load_lexicon
from sitrep.figures.numbers import (
    NumberSpan,
    Token,
    scan,
    tokenize,
    unit_suffix_end,
)
from sitrep.models import Figure, Sentence

__all__ = ["FigureDetail", "fatalities", "find_figure_details", "find_figures"]

CATEGORIES = (
    "killed",
    "wounded",
    "displaced",
    "arrested",
    "held",
    "missing",
    "fighters",
    "troops",
    "civilians",
    "families",
    "refugees",
    "deaths",
    "other",
)
_WINDOW = 8  # tokens between a count (with its subject) and the cue that types it
_SUBJECT_WINDOW = 5  # words between a number and the noun it counts
_NUMBER_OF_WINDOW = 15  # tokens back from a number to "the number of …"
_TOLL_WINDOW = 30  # tokens back from "has risen to" to "the death toll from … on Monday"
_GENDER = re.compile(r"[*:_/]?innen$")
_COUNT_KINDS = frozenset({"count", "unit", "year"})
_AUXILIARIES = frozenset({"were", "was", "are", "is", "wurden", "wurde", "sind", "seien"})
_UNIT_CATEGORIES = frozenset({"fighters", "troops"})


@dataclass(frozen=True, slots=True)
class FigureDetail:
    """A figure as the extractor builds it (immutable); `to_figure` gives the contract record.

    `value` is the point value (a range's lower bound); `high` a range's upper bound;
    `qualifier` the hedge or vague word ("about", "up to", "dozens", …); `part_of` the
    `start` of the figure this one is part of ("21 people, including 18 Peshmerga": 18 is
    part of 21).
    """

    mention: str
    start: int
    end: int
    value: int | float
    category: str
    subject: str | None
    qualifier: str | None = None
    high: int | float | None = None
    part_of: int | None = None

    def to_figure(self) -> Figure:
        """The contract record."""
        return Figure(
            mention=self.mention,
            start=self.start,
            end=self.end,
            value=self.value,
            category=self.category,
            subject=self.subject,
            qualifier=self.qualifier,
            high=self.high,
            part_of=self.part_of,
        )


def find_figures(text: str, language: str | None, sentences: list[Sentence]) -> list[Figure]:
    """Every count in `text` as a `Figure` with exact offsets, in text order."""
    return [detail.to_figure() for detail in find_figure_details(text, language, sentences)]


def find_figure_details(
    text: str, language: str | None, sentences: Sequence[Sentence]
) -> list[FigureDetail]:
    """Like `find_figures`, with qualifier, range bound and part-of links."""
    lex = load_lexicon(lang.base(language))
    spans = [(s.start, s.end) for s in sentences] or [(0, len(text))]
    found: list[FigureDetail] = []
    for start, end in spans:
        tokens = tokenize(text, start, end)
        numbers = [
            n
            for n in scan(tokens, text, language)
            if n.kind in _COUNT_KINDS and n.value is not None
        ]
        if numbers:
            found.extend(_sentence_figures(text, tokens, numbers, lex, language))
    return found


def fatalities(
    figures: Sequence[Figure | FigureDetail],
    sentence_start: int,
    sentence_end: int,
    text: str | None = None,
) -> int | None:
    """The killed count of one sentence: coordinated parts summed ("18 Peshmerga and three
    civilians" → 21), a total never added to its parts ("21 people, including 18
    Peshmerga" → 21; "65 people, among them 22 children killed" → 65), vague words as
    ACLED codes them ("dozens" → 12); None when the sentence gives no killed count.

    With `text`, counts that are not joined by "and", "und" or a comma are separate
    statements of the toll ("23 killed … among the 23 people killed was a family"): the
    largest is the sentence's, never their sum.
    """
    here = {f.start: f for f in figures if sentence_start <= f.start < sentence_end and f.value}
    killed = [f for f in here.values() if f.category == "killed"]
    # a plain count whose part was killed is the toll ("65 people, among them 22 children
    # killed" → 65), never one of the wounded or the held that includes a dead
    totals = {
        f.part_of for f in killed if f.part_of in here and here[f.part_of].category == "other"
    }
    killed = sorted(killed + [here[start] for start in totals], key=lambda f: f.start)
    if not killed:
        return None
    starts = {f.start for f in killed}
    wholes = [f for f in killed if f.part_of not in starts]
    if text is None:
        return sum(_acled_count(f) for f in wholes)
    groups: list[list[Figure | FigureDetail]] = []
    for figure in wholes:
        if groups and _toll_joint().fullmatch(text[groups[-1][-1].end : figure.start]):
            groups[-1].append(figure)
        else:
            groups.append([figure])
    return max(sum(_acled_count(f) for f in group) for group in groups)


@cache
def _toll_joint() -> re.Pattern[str]:
    """What may stand between two counts of one coordinated toll ("12 soldiers and 4
    civilians", "12 Soldaten sowie weitere 4"): the toll joiners and determiners of every
    language (`figures.json`), as a text quotes other languages' tolls too."""
    words = lang.merged_lists("figures.json")
    join = lang.alternation([*words.get("toll_joiners", ()), "&", ","])
    determine = lang.alternation(words.get("toll_determiners", ()))
    return re.compile(rf"\s*(?:,|;)?\s*{join}?\s*(?:{determine}\s+)?", re.IGNORECASE)


# ACLED's conservative reading of vague counts ("dozens" is 12, "hundreds" 100); a figure
# keeps the plain reading ("dozens": at least 24), the fatalities column takes ACLED's.
_ACLED_VAGUE = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "tens of thousands": 10000,
    "hundreds of thousands": 100000,
    "millions": 1000000,
}


def _acled_count(figure: Figure | FigureDetail) -> int:
    return _ACLED_VAGUE.get(figure.qualifier or "", int(figure.value or 0))


# --- one sentence ---------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """A count being typed: its tokens, subject and the cue found for it."""

    number: NumberSpan
    low: int  # first token, qualifier included
    high: int  # token after the number and its subject
    subject: tuple[int, int] | None
    head: str | None  # the subject's category, None when unknown
    generic: bool
    cue: str | None = None
    category: str | None = None
    part_of: int | None = None
    total: bool = False


def _sentence_figures(text, tokens, numbers, lex, language) -> list[FigureDetail]:
    """The figures of one sentence."""
    clauses = _clauses(tokens, numbers, lex)
    items = [_item(text, tokens, number, lex, language) for number in numbers]
    items = [item for item in items if item is not None]
    covered = {index for item in items for index in range(item.low, item.high)}
    cues_by_end: dict[int, str] = {}
    cues_by_start: dict[int, str] = {}
    for index in range(len(tokens)):
        if index in covered:
            continue
        hit = lex.cues.forward(tokens, index)
        if hit is not None and not any(i in covered for i in range(index, hit[0])):
            cues_by_start.setdefault(index, hit[1])
            cues_by_end[hit[0] - 1] = hit[1]
    owner = {index: n for n, item in enumerate(items) for index in range(item.low, item.high)}
    for n, item in enumerate(items):
        item.cue = _nearest_cue(item, n, owner, clauses, cues_by_end, cues_by_start, tokens)
    _link(tokens, items, clauses, lex)
    details = []
    for item in items:
        detail = _decide(text, tokens, item, clauses, lex, language)
        if detail is not None:
            details.append(detail)
    starts = {d.start for d in details}
    return [d if d.part_of in starts else _replace_part(d, None) for d in details]


def _replace_part(detail: FigureDetail, part_of: int | None) -> FigureDetail:
    return FigureDetail(
        detail.mention,
        detail.start,
        detail.end,
        detail.value,
        detail.category,
        detail.subject,
        detail.qualifier,
        detail.high,
        part_of,
    )


def _clauses(tokens: list[Token], numbers: list[NumberSpan], lex) -> list[int]:
    """A clause number per token: breaks at ";", ":", brackets, dashes, ", while", …"""
    inside = {i for n in numbers for i in range(n.first, n.stop)}
    clause = 0
    ids = []
    for index, token in enumerate(tokens):
        subordinate = token.lower in lex.subordinators and index and tokens[index - 1].text == ","
        if index not in inside and (token.text in lex.clause_breaks or subordinate):
            clause += 1
        ids.append(clause)
    return ids


def _item(text, tokens, number: NumberSpan, lex, language) -> _Item | None:
    """The count with its subject, or None when it cannot be a figure."""
    low = number.first
    while low > 0 and tokens[low - 1].start >= number.start:
        low -= 1
    if not float(number.value.value).is_integer():
        return None
    after = number.stop
    if number.kind == "unit":
        after = unit_suffix_end(tokens, after, language)
    subject = _subject(tokens, after, lex)
    if number.kind == "year" and (subject is None or subject[2] is None or subject[0] != after):
        return None
    if subject is None:
        return _Item(number, low, number.stop, None, None, False)
    first, stop, head = subject
    generic = tokens[stop - 1].lower in lex.generic
    return _Item(number, low, stop, (first, stop), head, generic)


def _subject(tokens: list[Token], index: int, lex) -> tuple[int, int, str | None] | None:
    """The noun phrase a number counts: (first token, stop, category or None if unknown)."""
    if index < len(tokens) and tokens[index].lower in lex.of_words:
        index += 1
        while index < len(tokens) and tokens[index].lower in lex.skip_after_of:
            index += 1
    first = index
    limit = min(len(tokens), index + _SUBJECT_WINDOW)
    while index < limit:
        token = tokens[index]
        if not token.text[0].isalpha():
            break
        hit = _head(tokens, index, lex)
        if hit is not None:
            stop, category = hit
            while stop < len(tokens):  # "army soldiers", "civilian deaths"
                more = _head(tokens, stop, lex)
                if more is None:
                    break
                stop, category = more
            return first, stop, category
        if token.lower in lex.subject_stops or lex.cues.forward(tokens, index):
            break
        if lex.compounds and token.text[0].isupper():
            return first, index + 1, None  # a German noun we do not know
        index += 1
    if index > first and not lex.compounds and index < limit:
        return first, index, None  # "5 Yazidi were killed"
    return None


def _head(tokens: list[Token], index: int, lex) -> tuple[int, str] | None:
    """A subject noun at token `index`: (stop, category), or None."""
    hit = lex.subjects.forward(tokens, index)
    if hit is not None:
        return hit
    if not lex.compounds:
        return None
    word = _GENDER.sub("", tokens[index].lower)
    if word in lex.subject_words:
        return index + 1, lex.subject_words[word]
    for ending, category in lex.endings:
        if word.endswith(ending) and len(word) > len(ending):
            return index + 1, category
    return None


def _nearest_cue(item, n, owner, clauses, cues_by_end, cues_by_start, tokens) -> str | None:
    """The cue word for a count, in its clause and not reaching past another count: the
    one right after it ("5 Menschen getötet", "zwei weitere wurden verletzt") unless one
    comes right before it ("killing 5")."""
    clause = clauses[item.low]
    best: tuple[int, str] | None = None
    for distance in range(_WINDOW + 1):
        index = item.low - 1 - distance
        if index < 0 or clauses[index] != clause or owner.get(index, n) != n:
            break
        if index in cues_by_end:
            best = (distance, cues_by_end[index])
            break
    for distance in range(_WINDOW + 1):
        index = item.high + distance
        if index >= len(tokens) or clauses[index] != clauses[item.high - 1]:
            break
        if owner.get(index, n) != n:
            break
        if index in cues_by_start:
            # only "killing 5" beats a cue after the count, unless the count is the subject
            # of its own passive ("killed 14 people 25 were wounded", commas lost)
            passive = distance == 1 and tokens[item.high].lower in _AUXILIARIES
            if best is None or best[0] > 0 or passive:
                best = (distance, cues_by_start[index])
            break
    return best[1] if best else None


def _link(tokens, items: list[_Item], clauses, lex) -> None:
    """Share cues between coordinated counts; mark parts ("including") and totals."""
    groups: list[list[_Item]] = []
    including: dict[int, bool] = {}
    for n, item in enumerate(items):
        item.total = bool(
            lex.totals.backward(tokens, item.low) or lex.totals.forward(tokens, item.high)
        )
        if n and clauses[items[n - 1].high - 1] == clauses[item.low]:
            joined = _joined(tokens, items[n - 1].high, item.low, lex)
            comma_only = tokens[items[n - 1].high : item.low] == [] or all(
                token.text == "," for token in tokens[items[n - 1].high : item.low]
            )
            if comma_only and item.subject is None and not item.total:
                joined = None  # "Of the 200 hostages, 5 were killed"
            if joined is not None:
                groups[-1].append(item)
                including[id(item)] = joined
                continue
        groups.append([item])
    for group in groups:
        cues = [item.cue for item in group]
        for position, item in enumerate(group):
            if item.cue is None:
                nearest = sorted(
                    (abs(other - position), cue)
                    for other, cue in enumerate(cues)
                    if cue is not None
                )
                item.cue = nearest[0][1] if nearest else None
        totals = [item for item in group if item.total]
        whole = None
        for item in group:
            if including.get(id(item)) and whole is None:
                whole = group[group.index(item) - 1]
            if whole is not None and item is not whole:
                item.part_of = whole.number.start
        if totals and whole is None:
            for item in group:
                if item is not totals[0]:
                    item.part_of = totals[0].number.start


def _joined(tokens, stop: int, start: int, lex) -> bool | None:
    """Whether tokens[stop:start] only join two counts: None if not, else whether an
    inclusion word ("including", "darunter") is among them. One person named without a
    number may stand between them ("6 civilians including a woman and two children")."""
    index = stop
    inclusion = False
    if start - stop > 8:
        return None
    while index < start:
        hit = lex.inclusion.forward(tokens, index)
        if hit is not None and hit[0] <= start:
            inclusion = True
            index = hit[0]
            continue
        hit = lex.coordinators.forward(tokens, index)
        if hit is not None and hit[0] <= start:
            index = hit[0]
            continue
        hit = lex.single.forward(tokens, index) if inclusion else None
        if hit is not None and hit[0] + 1 < start and tokens[hit[0]].text.isalpha():
            index = hit[0] + 1  # "a woman": one more part, named by its noun
            if index + 1 < start and tokens[index].text.isalpha():
                index += 1  # "a female journalist"
            continue
        return None
    return inclusion


def _decide(text, tokens, item: _Item, clauses, lex, language) -> FigureDetail | None:
    """The figure for one item, or None when nothing says what it counts."""
    number = item.number
    head, subject = item.head, item.subject
    category: str | None
    if head in lex.outcome_heads:
        category = head
    elif item.cue is not None:
        category = item.cue
    elif number.kind == "unit":
        category = head if head in _UNIT_CATEGORIES else "fighters"
    elif head is None or item.generic:
        category = head
        phrase = _number_of(tokens, item, clauses, lex)
        if phrase is not None:
            subject, category = phrase
            head = category
        elif head is None:
            category = _toll_reached(tokens, item, clauses, lex)
    else:
        category = head
    if category is None:
        return None
    if item.cue is None and _possessed(tokens, item, lex):
        return None  # "his four children"
    subject_text = None
    if subject is not None:
        subject_text = text[tokens[subject[0]].start : tokens[subject[1] - 1].end]
        if head in lex.outcome_heads:
            subject_text = _modifier_subject(tokens, subject, lex)
    start = number.start
    end = tokens[item.high - 1].end if item.subject else number.end
    value = number.value
    return FigureDetail(
        mention=text[start:end],
        start=start,
        end=end,
        value=value.value,
        category=category,
        subject=subject_text,
        qualifier=value.qualifier,
        high=value.high,
        part_of=item.part_of,
    )


def _number_of(tokens, item: _Item, clauses, lex) -> tuple[tuple[int, int], str] | None:
    """ "the number of IS fighters … at up to 17,000": the phrase's subject and category."""
    clause = clauses[item.low]
    for index in range(item.low, max(0, item.low - _NUMBER_OF_WINDOW), -1):
        if clauses[index - 1] != clause:
            return None
        hit = lex.number_of.backward(tokens, index)
        if hit is None:
            continue
        subject = _subject(tokens, index, lex)
        if subject is None or subject[2] is None or subject[1] > item.low:
            return None
        return (subject[0], subject[1]), subject[2]
    return None


def _toll_reached(tokens, item: _Item, clauses, lex) -> str | None:
    """ "the death toll from the bombing has risen to nine", "die Zahl der Toten ist auf
    neun gestiegen": a bare number after a toll's verb ("risen to", "auf"), with the toll
    earlier in its clause, counts the toll's category."""
    lead = lex.toll_leads.backward(tokens, item.low)
    if lead is None:
        return None
    clause = clauses[item.low]
    for index in range(lead[0], max(0, lead[0] - _TOLL_WINDOW), -1):
        if clauses[index - 1] != clause:
            return None
        hit = lex.toll_phrases.backward(tokens, index)
        if hit is not None:
            return str(hit[1])
    return None


def _modifier_subject(tokens, subject: tuple[int, int], lex) -> str | None:
    """Who an outcome noun is about: "civilian deaths" → "civilians"."""
    for index in range(subject[0], subject[1]):
        mapped = lex.modifier_subjects.get(tokens[index].lower)
        if mapped:
            return mapped
    return None


def _possessed(tokens, item: _Item, lex) -> bool:
    return item.low > 0 and tokens[item.low - 1].lower in lex.possessives
