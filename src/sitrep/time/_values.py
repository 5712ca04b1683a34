"""TIMEX3 values and calendar arithmetic: shift a date, format a value, turn a value into
an earliest/latest range with a precision."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
FINER = {
    "decade": "year",
    "year": "quarter",
    "quarter": "month",
    "month": "week",
    "week": "day",
    "day": "day",
}
_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?|W(?P<w>\d\d)(?P<we>-WE)?|Q(?P<q>[1-4])"
    r"|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?(?:T.*)?$"
)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, unit: str, amount: int) -> date:
    """`day` moved by `amount` units (D, W, M, Q, Y, DE, CE, WE; H/MIN/S count as days)."""
    if unit in ("D", "NI", "H", "MIN", "S"):
        return day + timedelta(days=amount if unit in ("D", "NI") else 0)
    if unit in ("W", "WE"):
        return day + timedelta(weeks=amount)
    if unit == "2W":
        return day + timedelta(weeks=2 * amount)
    months = {"M": 1, "Q": 3, "H2Y": 6, "Y": 12, "DE": 120, "CE": 1200}.get(unit, 0)
    return add_months(day, months * amount)


def at_unit(day: date, unit: str) -> str:
    """The TIMEX3 value of the `unit`-sized period that contains `day`."""
    if unit in ("W", "2W"):
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "WE":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}-WE"
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "H2Y":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def value_range(value: str | None, mod: str | None = None) -> tuple[date, date, str] | None:
    """The first and last day a DATE value covers, and its precision; None if it names none.

    `mod` (START, MID, END) keeps the first, middle or last third of the period and makes
    the precision one step finer.
    """
    if not value:
        return None
    if re.fullmatch(r"\d{3}", value):
        first, last, precision = (
            date(int(value) * 10, 1, 1),
            date(int(value) * 10 + 9, 12, 31),
            "decade",
        )
    elif re.fullmatch(r"\d{2}", value):
        first, last, precision = (
            date(max(1, int(value) * 100), 1, 1),
            date(int(value) * 100 + 99, 12, 31),
            "decade",
        )
    else:
        match = _VALUE.match(value)
        if not match:
            return None
        year = int(match["y"])
        if year < 1:
            return None
        if match["d"]:
            first = last = date(year, int(match["m"]), int(match["d"]))
            precision = "day"
        elif match["m"]:
            month = int(match["m"])
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            precision = "month"
        elif match["w"]:
            first = date.fromisocalendar(year, int(match["w"]), 1)
            last = first + timedelta(days=6)
            if match["we"]:
                first += timedelta(days=5)
            precision = "week"
        elif match["q"] or match["h"]:
            span = 3 if match["q"] else 6
            index = int(match["q"] or match["h"]) - 1
            first = date(year, index * span + 1, 1)
            last = add_months(first, span) - timedelta(days=1)
            precision = "quarter" if match["q"] else "year"
        elif match["s"]:
            start, end = SEASON_MONTHS[match["s"]]
            first = date(year, start, 1)
            end_year = year + 1 if end < start else year
            last = date(end_year, end, calendar.monthrange(end_year, end)[1])
            precision = "quarter"
        else:
            first, last, precision = date(year, 1, 1), date(year, 12, 31), "year"
    if mod in ("START", "MID", "END") and last > first:
        third = (last - first).days // 3
        if mod == "START":
            last = first + timedelta(days=third)
        elif mod == "MID":
            first, last = first + timedelta(days=third + 1), first + timedelta(days=2 * third)
        else:
            first = last - timedelta(days=third)
        precision = FINER[precision]
    return first, last, precision


def duration(amount: float | str, unit: str, decade_as_years: bool) -> str:
    """A TIMEX3 duration value (`P2W`, `PT3H`, `PXY`, `P1Y6M`) for an amount of units."""
    if unit == "2W":
        amount, unit = (amount * 2 if not isinstance(amount, str) else amount), "W"
    timed = unit in ("H", "MIN", "S")
    code = {"MIN": "M", "CE": "CE", "DE": "DE", "WE": "WE", "NI": "NI", "H2Y": "M"}.get(unit, unit)
    if unit == "H2Y" and not isinstance(amount, str):
        amount = amount * 6
    if isinstance(amount, str):
        return f"P{'T' if timed else ''}X{code}"
    if unit == "DE" and decade_as_years:
        amount, code = amount * 10, "Y"
    if amount != int(amount):
        smaller = {
            "Y": (12, "M"),
            "DE": (10, "Y"),
            "CE": (10, "DE"),
            "M": (4, "W"),
            "W": (7, "D"),
            "D": (24, "H"),
            "H": (60, "M"),
        }.get(code)
        if smaller:
            whole, rest = int(amount), round((amount - int(amount)) * smaller[0])
            head = f"{whole}{code}" if whole else ""
            tail_timed = code in ("D",) and not timed
            if tail_timed:
                return f"P{head}T{rest}{smaller[1]}"
            return f"P{'T' if timed else ''}{head}{rest}{smaller[1]}"
    return f"P{'T' if timed else ''}{int(amount)}{code}"
