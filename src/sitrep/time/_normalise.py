"""Normalising one temporal expression: each kind (`date`, `rel`, `offset`, `dur`,
`time`, `set`, `ref`) reads the match's named groups and the context — the document date
(DCT), the last date mentioned (the anchor, for "two days later" and for narratives), and
the tense around the expression — and writes the expression's TIMEX3 value.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sitrep.time import _values as V
from sitrep.time._context import Context, Found
from sitrep.time._lexicon import Lexicon

_UNIT_GRAN = {"D": 3, "NI": 3, "W": 3, "WE": 3, "2W": 3, "M": 2, "Q": 2, "H2Y": 2, "Y": 1}
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?")
_TIMED = {"H", "MIN", "S"}


def _year_text(year: int) -> str:
    return f"BC{-year:04d}" if year < 0 else f"{year:04d}"


def _year_part(ctx: Context, year: int | None, rel: int | None) -> str:
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


# --------------------------------------------------------------------------- normalising


def resolve(f: Found, ctx: Context) -> None:
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


def _ref(f: Found, ctx: Context) -> None:
    f.value = str(ctx.lex.lookup("refs", f.groups["ref"]))


def _mod(ctx: Context, f: Found) -> str | None:
    part = ctx.lex.lookup("parts", f.groups.get("part"))
    return str(part) if part else None


def _explicit_year(f: Found, ctx: Context) -> int | None:
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


def _until(f: Found, ctx: Context) -> bool:
    words = ctx.text[max(0, f.start - 20) : f.start].lower().split()
    until = ctx.lex.lists["until_words"]
    return bool(words) and (words[-1] in until or " ".join(words[-2:]) in until)


def _infer_year(f: Found, ctx: Context, month: int, day: int | None, rel: int | None) -> int | None:
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


def _weekday(f: Found, ctx: Context, weekday: int, rel: int | None) -> str:
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


def _with_pod(ctx: Context, value: str, pod_word: str | None) -> tuple[str, str]:
    pod = ctx.lex.lookup("parts_of_day", pod_word) if pod_word else None
    if pod is None and pod_word and pod_word.lower() in ("früh",):
        pod = "MO"
    if pod:
        return "TIME", f"{value}T{pod}"
    return "DATE", value


def _date(f: Found, ctx: Context) -> None:
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


def _day_only(f: Found, ctx: Context, day: int) -> str:
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


def _relative(f: Found, ctx: Context) -> None:
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


def _offset(f: Found, ctx: Context) -> None:
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


def _duration(f: Found, ctx: Context) -> None:
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


def _time(f: Found, ctx: Context) -> None:
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


def _set(f: Found, ctx: Context) -> None:
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
