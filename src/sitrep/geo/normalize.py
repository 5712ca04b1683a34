"""Name keys: how a place name is written down for lookup, robust to how names really appear.

Three keys, from strict to loose:

- `fold`: case, diacritics, apostrophes (ʿ ' ’), hyphens and dots folded away
  ("Dayr az-Zawr" -> "dayr az zawr", "Qa'im" -> "qaim").
- `strip_articles`: Arabic articles dropped before a following word ("al-Qaim" -> "qaim",
  "Deir ez-Zor" -> "deir zor"), attached or not ("Al-Anbar", "Alanbar" is left alone).
- `skeleton`: a transliteration-proof consonant skeleton ("Baghuz"/"Bagouz" -> "bgz",
  "Hawija"/"Hawijah" -> "hj", "Mossul"/"Mosul" -> "msl"); the first letter is kept. Used only
  as a last resort, with a confidence penalty.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["ARTICLES", "fold", "is_latin_key", "keys", "skeleton", "strip_articles"]

ARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "as",
        "ash",
        "az",
        "an",
        "ar",
        "at",
        "ath",
        "adh",
        "ed",
        "es",
        "ez",
        "et",
        "ud",
        "us",
        "ur",
        "ul",
        "il",
    ]
)
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ð": "d",
        "þ": "th",
    }
)
_DROP = re.compile(r"[\u0027\u2019\u2018\u02bc\u02bb\u02bf\u02be\u0060\u00b4\u2032\u201b]")
_SEP = re.compile(r"[\s\-\u2010-\u2015_./,()\u00b7:;]+")
_DIGRAPHS = (
    ("dsch", "j"),
    ("tsch", "c"),
    ("sch", "s"),
    ("gh", "g"),
    ("kh", "k"),
    ("ch", "k"),
    ("sh", "s"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("ou", "u"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "z"),
)
_VOWELISH = re.compile(r"[aeiouywh]")


# Names are folded again and again, so short ones are remembered; a long "name" (a run of
# text with no break, from a hostile or broken page) is folded each time instead of held:
# 200,000 remembered pages would hold gigabytes in a long-running worker.
CACHED_CHARS = 200


def fold(name: str) -> str:
    """Lower-case, diacritic-free, apostrophe-free form with single spaces."""
    return _fold_cached(name) if len(name) <= CACHED_CHARS else _fold(name)


@lru_cache(maxsize=200_000)
def _fold_cached(name: str) -> str:
    return _fold(name)


def _fold(name: str) -> str:
    text = _DROP.sub("", name.translate(_SPECIAL))
    text = unicodedata.normalize("NFKD", text)
    # the combining marks NFKD split off, dropped in one pass: a test per character, in
    # Python, took seconds on a long text; a text has few distinct characters to test
    marks = {ord(char): None for char in set(text) if unicodedata.combining(char)}
    return _SEP.sub(" ", text.translate(marks).casefold()).strip()


def strip_articles(key: str) -> str:
    """`key` without Arabic articles that stand before another word."""
    parts = key.split(" ")
    if len(parts) < 2:
        return key
    kept = [part for part in parts[:-1] if part not in ARTICLES] + parts[-1:]
    return " ".join(kept)


def skeleton(key: str) -> str:
    """A consonant skeleton of an (article-stripped) key; '' when too short to trust."""
    text = strip_articles(key).replace(" ", "")
    if not text:
        return ""
    for source, target in _DIGRAPHS:
        text = text.replace(source, target)
    head, rest = text[0], _VOWELISH.sub("", text[1:])
    out = [head]
    for char in rest:
        if char != out[-1]:
            out.append(char)
    result = "".join(out)
    return result if len(result) >= 3 else ""


def is_latin_key(key: str) -> bool:
    """True when a folded key is plain ASCII letters, digits and spaces (Latin script)."""
    return key.isascii() and any(char.isalpha() for char in key)


def keys(name: str) -> tuple[str, str]:
    """The folded key and the article-stripped key of a name (equal when nothing to strip)."""
    key = fold(name)
    return key, strip_articles(key)
