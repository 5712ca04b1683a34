"""Find temporal expressions with the per-language patterns and normalise each one.

Matching: every pattern runs over the text; overlapping candidates are settled longest
first (then by pattern order). Normalising: each kind (`date`, `rel`, `offset`, `dur`,
`time`, `set`, `ref`) reads the match's named groups and the context — the document date
(DCT), the last date mentioned (the anchor, for "two days later" and for narratives), and
the tense around the expression.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitrep.time import _values as V
from sitrep.time._lexicon import Lexicon

_UNIT_GRAN = {"D": 3, "NI": 3, "W": 3, "WE": 3, "2W": 3, "M": 2, "Q": 2, "H2Y": 2, "Y": 1}
_WORD = re.compile(r"\w+(?:'\w+)?")
_SENTENCE_END = re.compile(r"(?<=[^\d\s.][.!?])[\"'”“]?\s+(?=[\"'„“(]?[A-ZÄÖÜ])|\n\s*\n")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?")
_BLOCK_AFTER = re.compile(r"\s*(?:%|‰|[€$£]|[.,]\d)")
_BLOCK_BEFORE = re.compile(r"(?:[€$£#]|No\.|Nr\.)\s*$")
_TIMED = {"H", "MIN", "S"}


@dataclass
class Found:
    """One expression: where it is, what it means, and what the tagger knows about it."""

    start: int
    end: int
    kind: str
    groups: dict[str, str]
    type: str = "DATE"
    value: str | None = None
    mod: str | None = None
    absolute: bool = False
    since: bool = False
    until: bool = False
    future: bool = False
    span: tuple[date, date, str] | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Anchor:
    """The last date mentioned, with how much of it is known (year, month, day)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def gran(self) -> int:
        return 3 if self.day else 2 if self.month else 1

    def as_date(self) -> date | None:
        if self.year < 1:
            return None
        return date(self.year, self.month or 1, self.day or 1)


class _Context:
    def __init__(
        self,
        lex: Lexicon,
        text: str,
        dct: date | None,
        narrative: bool,
        sentence_starts: list[int] | None = None,
    ) -> None:
        self.lex, self.text, self.dct, self.narrative = lex, text, dct, narrative
        self.anchor: Anchor | None = None
        self._bounds: list[int] | None = [0, *sentence_starts[1:]] if sentence_starts else None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(self.text)]
        index = bisect.bisect_right(self._bounds, start) - 1
        stop = self._bounds[index + 1] if index + 1 < len(self._bounds) else len(self.text)
        return self._bounds[index], max(stop, end)

    def tense(self, start: int, end: int) -> str | None:
        """`future`, `past` or None from the marker word nearest to the expression."""
        lo, hi = self.sentence(start, end)
        best, best_distance = None, 10**9
        weak, weak_distance = None, 10**9
        lex = self.lex
        for match in _WORD.finditer(self.text, lo, hi):
            if start <= match.start() < end:
                continue
            word = match.group().lower()
            distance = start - match.end() if match.end() <= start else match.start() - end
            if word in lex.future_markers or word in lex.past_markers:
                if distance < best_distance:
                    found = "future" if word in lex.future_markers else "past"
                    best, best_distance = found, distance
            elif (
                lex.past_suffix
                and len(word) > 4
                and word.endswith(lex.past_suffix)
                and distance < weak_distance
            ):
                weak, weak_distance = "past", distance
        return best or weak

    def reference(self, anaphoric: bool) -> Anchor | None:
        """The date a relative expression counts from: the DCT, or the last date mentioned."""
        if not self.narrative and self.dct is None:
            return None  # an undated article: relative expressions stay unresolved
        if self.narrative or anaphoric:
            if self.anchor is not None:
                return self.anchor
            if self.narrative or self.dct is None:
                return None
        if self.dct is None:
            return None
        return Anchor(self.dct.year, self.dct.month, self.dct.day)


def _year_text(year: int) -> str:
    return f"BC{-year:04d}" if year < 0 else f"{year:04d}"


def _year_part(ctx: _Context, year: int | None, rel: int | None) -> str:
    """The year of a quarter or season: the one written, else the reference year moved by
    `rel` ("last spring"), else "XXXX" when nothing anchors it."""
    if year is None:
        ref = ctx.reference(anaphoric=False)
        year = ref.year + (rel or 0) if ref else None
    return _year_text(year) if year is not None else "XXXX"


def _number(lex: Lexicon, text: str | None) -> float | str | None:
    if text is None:
        return None
    if _NUMBER.fullmatch(text):
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
            return int(text.replace(".", ""))
        return float(text.replace(",", "."))
    return lex.lookup("numbers", text)  # type: ignore[return-value]


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


# --------------------------------------------------------------------------- normalising


def _resolve(f: Found, ctx: _Context) -> None:
    handler = {
        "date": _date,
        "rel": _relative,
        "offset": _offset,
        "dur": _duration,
        "time": _time,
        "set": _set,
        "ref": _ref,
    }[f.kind]
    handler(f, ctx)


def _ref(f: Found, ctx: _Context) -> None:
    f.value = str(ctx.lex.lookup("refs", f.groups["ref"]))


def _mod(ctx: _Context, f: Found) -> str | None:
    part = ctx.lex.lookup("parts", f.groups.get("part"))
    return str(part) if part else None


def _explicit_year(f: Found, ctx: _Context) -> int | None:
    raw = f.groups.get("y")
    if raw is None and "y2" in f.groups and "y" not in f.groups and len(f.groups) == 1:
        century = ctx.text[f.start - 5 : f.start - 3]
        f.absolute = True
        return int(century + f.groups["y2"])
    if raw is None:
        return None
    year = int(raw)
    if len(raw) == 2:
        pivot = (ctx.dct.year % 100 + 1) if ctx.dct else 30
        year += 2000 if year <= pivot else 1900
    bc_era = ctx.lex.lookup("eras", f.groups.get("era")) == "BC"
    bc_context = len(raw) <= 3 and ctx.anchor is not None and ctx.anchor.year < 0
    if bc_era or bc_context:
        year = -year
    f.absolute = True
    return year


def _until(f: Found, ctx: _Context) -> bool:
    words = ctx.text[max(0, f.start - 20) : f.start].lower().split()
    until = ctx.lex.lists["until_words"]
    return bool(words) and (words[-1] in until or " ".join(words[-2:]) in until)


def _infer_year(
    f: Found, ctx: _Context, month: int, day: int | None, rel: int | None
) -> int | None:
    """The year of a month (and day) written without one."""
    if ctx.narrative or ctx.dct is None:
        if ctx.anchor is not None and ctx.narrative:
            return ctx.anchor.year + (rel or 0)
        return None
    dct = ctx.dct
    here = (month, day or 0)
    now = (dct.month, dct.day if day else 0)
    if rel == -1:
        return dct.year if here < now else dct.year - 1
    if rel == 1:
        return dct.year if here > now else dct.year + 1
    if rel == 0:
        return dct.year
    tense = "future" if _until(f, ctx) else ctx.tense(f.start, f.end)
    if tense == "past" and here > now:
        return dct.year - 1
    if tense == "future" and here < now and month < dct.month:
        return dct.year + 1
    return dct.year


def _weekday(f: Found, ctx: _Context, weekday: int, rel: int | None) -> str:
    ref = ctx.reference(anaphoric=False)
    if ref is None or ref.gran < 3 or ref.as_date() is None:
        return f"XXXX-WXX-{weekday}"
    today = ref.as_date()
    assert today is not None
    current = today.isoweekday()
    if rel == -1:
        day = today - timedelta(days=(current - weekday) % 7 or 7)
    elif rel == 1:
        day = today + timedelta(days=(weekday - current) % 7 or 7)
    elif rel == 0:
        day = today + timedelta(days=weekday - current)
    elif not ctx.narrative and (_until(f, ctx) or ctx.tense(f.start, f.end) == "future"):
        day = today + timedelta(days=(weekday - current) % 7)
    else:
        day = today - timedelta(days=(current - weekday) % 7)
    return day.isoformat()


def _with_pod(ctx: _Context, value: str, pod_word: str | None) -> tuple[str, str]:
    pod = ctx.lex.lookup("parts_of_day", pod_word) if pod_word else None
    if pod is None and pod_word and pod_word.lower() in ("früh",):
        pod = "MO"
    if pod:
        return "TIME", f"{value}T{pod}"
    return "DATE", value


def _date(f: Found, ctx: _Context) -> None:
    lex, g = ctx.lex, f.groups
    f.mod = _mod(ctx, f)
    rel = lex.lookup("relatives", g.get("rel"))
    rel = rel if isinstance(rel, int) else (0 if "rel2" in g else None)
    year = _explicit_year(f, ctx)
    if "dec" in g or "dec2" in g:
        f.value = g["dec"] if "dec" in g else "19" + g["dec2"]
        f.absolute = False
        return
    if "cent" in g or "centw" in g:
        number = int(g["cent"]) if "cent" in g else lex.lookup("ordinals", g["centw"])
        if not isinstance(number, int) or number < 1:
            f.value = None
            return
        bc = lex.lookup("eras", g.get("era")) == "BC"
        f.value = f"BC{number - 1:02d}" if bc else f"{number - 1:02d}"
        return
    if "qunit" in g:
        letter = "Q" if g["qunit"][0].lower() == "q" else "H"
        number = int(g["qn"]) if "qn" in g else lex.lookup("ordinals", g.get("q"))
        if not isinstance(number, int):
            return
        if number == -1:
            number = 4 if letter == "Q" else 2
        f.value = f"{_year_part(ctx, year, rel)}-{letter}{number}"
        return
    if "season" in g:
        code = lex.lookup("seasons", g["season"])
        f.value = f"{_year_part(ctx, year, rel)}-{code}"
        return
    if "deic" in g:
        offset = int(lex.lookup("deictics", g["deic"]))  # type: ignore[arg-type]
        ref = ctx.reference(anaphoric=False)
        base = ref.as_date() if ref is not None and ref.gran == 3 else None
        if base is None or (offset == 0 and ctx.narrative and "pod" not in g):
            f.value = "PRESENT_REF" if offset == 0 else None
            if f.value is None:
                f.value = "XXXX-XX-XX"
            return
        value = (base + timedelta(days=offset)).isoformat()
        pod = g.get("pod") or ("night" if g["deic"].lower() == "tonight" else None)
        f.type, f.value = _with_pod(ctx, value, pod)
        return
    if "wd" in g and "d" not in g:
        weekday = int(lex.lookup("weekdays", g["wd"]))  # type: ignore[arg-type]
        f.type, f.value = _with_pod(ctx, _weekday(f, ctx, weekday, rel), g.get("pod"))
        return
    if "hol" in g:
        month_day = str(lex.lookup("holidays", g["hol"]))
        g = {**g, "m": month_day[:2], "d": month_day[3:]}
    if "m" in g:
        month = int(g["m"]) if g["m"].isdigit() else lex.lookup("months", g["m"])
        if not isinstance(month, int):
            return
        day = int(g["d"]) if "d" in g else None
        if year is None:
            year = _infer_year(f, ctx, month, day, rel)
        head = _year_text(year) if year is not None else "XXXX"
        if day is None:
            f.value = f"{head}-{month:02d}"
            return
        if year is not None and year > 0:
            try:
                date(year, month, day)
            except ValueError:
                f.value = None
                return
        f.type, f.value = _with_pod(ctx, f"{head}-{month:02d}-{day:02d}", g.get("pod"))
        return
    if "d" in g:
        f.type, f.value = _with_pod(ctx, _day_only(f, ctx, int(g["d"])), g.get("pod"))
        return
    if year is not None:
        f.value = _year_text(year)


def _day_only(f: Found, ctx: _Context, day: int) -> str:
    """ "am 9.": the month and year come from the last date mentioned, or from the DCT."""
    ref = ctx.reference(anaphoric=True)
    if ref is None or ref.month is None:
        return f"XXXX-XX-{day:02d}"
    year, month = ref.year, ref.month
    if not ctx.narrative and ctx.anchor is None and ctx.dct and day > ctx.dct.day:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return f"{_year_text(year)}-{month:02d}-{day:02d}"


def _unit(lex: Lexicon, g: dict[str, str]) -> str | None:
    if "unitc" in g:
        return {"jahres": "Y", "monats": "M", "wochen": "W"}.get(g["unitc"].lower())
    unit = lex.lookup("units", g.get("unit"))
    return str(unit) if unit else None


def _relative(f: Found, ctx: _Context) -> None:
    lex, g = ctx.lex, f.groups
    f.mod = _mod(ctx, f)
    if "unitc" in g and "part" in g:
        f.mod = {"ende": "END", "anfang": "START", "beginn": "START", "mitte": "MID"}.get(
            g["part"].lower()
        )
    pod = None
    if "relc" in g:
        unit, rel = lex.lookup("relative_compounds", g["relc"])  # type: ignore[misc]
        anaphoric = True
    elif "pod" in g or "unitpod" in g or "off" in g:
        unit = "D" if "pod" in g or "unitpod" in g else _unit(lex, g)
        pod = lex.lookup("parts_of_day", g.get("pod") or g.get("unitpod"))
        if "off" in g:
            rel = lex.lookup("offset_after", g["off"])
        else:
            rel = lex.lookup("relatives", g.get("rel"))
            rel = 0 if rel is None else rel
        anaphoric = True
    else:
        unit = _unit(lex, g)
        rel = lex.lookup("relatives", g.get("rel"))
        anaphoric = (g.get("rel") or "").lower() in lex.lists["anaphoric"]
        if rel is None:
            rel = 0
    if unit is None:
        return
    unit_word = (g.get("unit") or "").lower()
    if unit_word in lex.plural_units:
        f.type, f.value = "DURATION", V.duration("X", unit, lex.decade_as_years)
        return
    year = _explicit_year(f, ctx)
    if year is not None:
        f.value = _year_text(year)
        return
    if unit == "DE" and rel and lex.relative_decade_duration:
        f.type, f.value = "DURATION", V.duration(1, unit, lex.decade_as_years)
        return
    if unit in _TIMED:
        f.type, f.value = "DURATION", V.duration(1, unit, lex.decade_as_years)
        return
    ref = ctx.reference(anaphoric)
    if ref is None or ref.gran < _UNIT_GRAN.get(unit, 1) or (unit not in ("Y",) and ref.year < 1):
        f.value = {"Y": "XXXX", "M": "XXXX-XX", "D": "XXXX-XX-XX"}.get(unit, "XXXX-WXX")
        return
    if unit == "Y":
        f.value = _year_text(ref.year + int(rel))
        return
    base = ref.as_date()
    assert base is not None
    f.value = V.at_unit(V.shift(base, unit, int(rel)), unit)
    if pod:
        f.type, f.value = "TIME", f"{f.value}T{pod}"


def _offset(f: Found, ctx: _Context) -> None:
    lex, g = ctx.lex, f.groups
    amount = _number(lex, g.get("num"))
    unit = _unit(lex, g)
    word = g.get("off") or g.get("offb") or ""
    direction = (
        lex.lookup("offset_after", word) if "off" in g else lex.lookup("offset_before", word)
    )
    if unit is None or amount is None or not isinstance(direction, int):
        return
    anaphoric = word.lower() in lex.lists["anaphoric_offsets"]
    ref = ctx.reference(anaphoric)
    resolvable = ref is not None and ref.gran >= _UNIT_GRAN.get(unit, 1)
    if (
        "offb" in g
        and anaphoric
        and (
            isinstance(amount, str)
            or unit in _TIMED
            or unit in ("DE", "CE")
            or (not resolvable and ctx.narrative)
        )
    ):
        f.type, f.value = "DURATION", V.duration(amount, unit, lex.decade_as_years)
        return
    if isinstance(amount, str) or unit in _TIMED:
        f.value = "FUTURE_REF" if direction > 0 else "PAST_REF"
        return
    if not resolvable and ctx.narrative:
        f.type, f.value = "DURATION", V.duration(amount, unit, lex.decade_as_years)
        return
    if amount != int(amount) and unit in ("Y", "M"):
        amount, unit = round(amount * (12 if unit == "Y" else 4)), ("M" if unit == "Y" else "W")
    amount = int(amount)
    if ref is None or ref.gran < _UNIT_GRAN.get(unit, 1):
        f.value = {"Y": "XXXX", "M": "XXXX-XX", "D": "XXXX-XX-XX"}.get(unit, "XXXX-WXX")
        return
    if unit == "Y":
        f.value = _year_text(ref.year + direction * amount)
        return
    base = ref.as_date()
    if base is None:
        return
    moved = V.shift(base, unit, direction * amount)
    out_unit = "D" if unit == "NI" else unit
    if ref.gran == 2 and unit in ("M", "Q", "H2Y"):
        out_unit = "M"
    if anaphoric and ctx.narrative and ref.gran == 3 and unit in ("W", "M", "Q", "H2Y"):
        out_unit = "D"
    f.value = V.at_unit(moved, out_unit)


def _duration(f: Found, ctx: _Context) -> None:
    lex, g = ctx.lex, f.groups
    f.type = "DURATION"
    if "unitadj" in g:
        unit = lex.lookup("unit_adjectives", g["unitadj"])
        raw = g.get("num", "")
        amount = "X" if raw.lower() in ("mehr", "viel", "lang") else _number(lex, raw)
        if raw.isdigit():
            amount = int(raw)
    else:
        unit = _unit(lex, g)
        plural = (g.get("unit") or "").lower() in lex.plural_units
        amount = _number(lex, g.get("num")) if "num" in g else ("X" if plural else 1)
    if unit is None or amount is None:
        f.value = None
        return
    f.value = V.duration(amount, str(unit), lex.decade_as_years)
    rel = lex.lookup("relatives", g.get("rel"))
    if rel in (-1, 1) and not ctx.narrative and ctx.dct and not isinstance(amount, str):
        whole = max(1, round(amount))
        other = V.shift(ctx.dct, str(unit), int(rel) * whole)
        f.extra["range"] = (min(other, ctx.dct), max(other, ctx.dct))


def _time(f: Found, ctx: _Context) -> None:
    g = f.groups
    if "midnight" in g:
        g = {**g, "hour": "24"}
    hour = int(g["hour"])
    minute = int(g.get("min") or g.get("min2") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    if ampm.startswith("a") and hour == 12:
        hour = 0
    f.type = "TIME"
    weekday = g.get("wd") or g.get("wd2")
    if "m" in g:
        sub = Found(f.start, f.end, "date", {k: g[k] for k in ("d", "m", "y") if k in g})
        _date(sub, ctx)
        f.absolute = sub.absolute
        day = (sub.value or "XXXX-XX-XX")[:10]
    elif weekday:
        number = int(ctx.lex.lookup("weekdays", weekday))  # type: ignore[arg-type]
        day = _weekday(f, ctx, number, None)
    else:
        ref = ctx.reference(anaphoric=True)
        anchor = ref.as_date() if ref is not None and ref.gran == 3 else None
        day = anchor.isoformat() if anchor else "XXXX-XX-XX"
    f.value = f"{day}T{hour:02d}:{minute:02d}"


def _set(f: Found, ctx: _Context) -> None:
    lex, g = ctx.lex, f.groups
    f.type = "SET"
    if "setadv" in g:
        f.value = str(lex.lookup("set_adverbs", g["setadv"]))
    elif "wd" in g:
        f.value = f"XXXX-WXX-{lex.lookup('weekdays', g['wd'])}"
    elif "pod" in g:
        f.value = f"XXXX-XX-XXT{lex.lookup('parts_of_day', g['pod'])}"
    elif "season" in g:
        f.value = f"XXXX-{lex.lookup('seasons', g['season'])}"
    else:
        unit = _unit(lex, g)
        amount = _number(lex, g.get("num")) if "num" in g else 1
        f.value = V.duration(amount or 1, unit, lex.decade_as_years) if unit else None


# --------------------------------------------------------------------------- driver


def _remember(f: Found, ctx: _Context) -> None:
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


def _context_flags(f: Found, ctx: _Context) -> None:
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
    ctx = _Context(lex, text, dct, narrative, sentence_starts)
    out = []
    for f in _candidates(text, lex):
        _resolve(f, ctx)
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
