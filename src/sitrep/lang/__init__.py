"""Everything Sitrep knows about a language, one folder per language.

`sitrep/lang/<code>/` holds the data files of one language: months and sentence starters
(`text`), boilerplate phrases (`clean`), time expressions (`time`), place cue words and
demonyms (`geo`), generic actor nouns (`actors`), number words and figure patterns
(`figures`), triggers, modality and coreference cues, argument words and date stamps
(`events`). A stage asks this module for a file by name and
works in every language that has it, so **adding a language is adding a folder**: more
folders are read from the directories listed in `SITREP_LANG_PATH` (separated by
`os.pathsep`), a folder there taking precedence over a built-in one of the same code.

File names and what they hold are listed in `docs/architecture.md`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = [
    "BUILT_IN",
    "alternation",
    "base",
    "folders",
    "json_file",
    "json_files",
    "languages",
    "lines",
    "lists",
    "merged_lists",
    "path",
    "table",
    "with_file",
]

BUILT_IN = Path(__file__).resolve().parent
PATH_VARIABLE = "SITREP_LANG_PATH"


def base(code: str | None) -> str | None:
    """The language a tag names, without region or script: "de-AT" -> "de", "EN" -> "en"."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None


@cache
def _folders(extra: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    roots = [BUILT_IN, *(Path(part) for part in extra.split(os.pathsep) if part)]
    for root in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and _is_code(folder.name):
                found[folder.name] = folder
    return found


def _is_code(name: str) -> bool:
    return 2 <= len(name) <= 3 and name.isascii() and name.isalpha() and name.islower()


def folders() -> dict[str, Path]:
    """Language code -> its folder: the built-in ones and those on `SITREP_LANG_PATH`."""
    return _folders(os.environ.get(PATH_VARIABLE, ""))


def languages() -> tuple[str, ...]:
    """Every language with a folder, sorted."""
    return tuple(sorted(folders()))


def path(code: str | None, name: str) -> Path | None:
    """The language's file `name`, or None when the language (or the file) is not there."""
    folder = folders().get(base(code) or "")
    if folder is None:
        return None
    candidate = folder / name
    return candidate if candidate.is_file() else None


def with_file(name: str) -> tuple[str, ...]:
    """The languages that have the file `name`: those a stage that needs it can serve."""
    return tuple(code for code in languages() if path(code, name) is not None)


def lines(code: str | None, name: str) -> list[str]:
    """The lines of a word-list file, without blank lines and `#` comments (empty when the
    language has no such file)."""
    found = path(code, name)
    if found is None:
        return []
    out = []
    for line in found.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(stripped)
    return out


def table(code: str | None, name: str, columns: int) -> list[list[str]]:
    """The rows of a tab-separated file, each padded to `columns` cells."""
    found = path(code, name)
    if found is None:
        return []
    rows = []
    for line in found.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        rows.append([cell.strip() for cell in cells] + [""] * (columns - len(cells)))
    return rows


@cache
def lists(code: str | None, name: str) -> dict[str, tuple[str, ...]]:
    """The word lists (list-valued keys) of a language's JSON file `name`, read once
    (none for a language without the file)."""
    data = json_file(code, name) or {}
    return {key: tuple(words) for key, words in data.items() if isinstance(words, list)}


def merged_lists(name: str) -> dict[str, tuple[str, ...]]:
    """The word lists of `name` in every language that has it, merged: each word once, in
    the order of the languages and then of the file (for cues a text may quote from
    another language, and the order regex alternatives are tried in)."""
    return _merged(name, with_file(name))


@cache
def _merged(name: str, codes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, dict[str, None]] = {}
    for code in codes:
        for key, words in lists(code, name).items():
            merged.setdefault(key, {}).update(dict.fromkeys(words))
    return {key: tuple(words) for key, words in merged.items()}


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A regex group matching any of the words as written, tried in their order, a space in
    a word matching `space`; a group that never matches when there are no words."""
    parts = [re.escape(word).replace(r"\ ", space) for word in words]
    return f"(?:{'|'.join(parts)})" if parts else "(?!)"


def json_files(code: str | None, name: str) -> tuple[dict, ...]:
    """The language's JSON file `name` — or, for a language without one, every language's
    (a text in an unknown language still gets numbers and counts read in all of them)."""
    codes = with_file(name)
    chosen = (base(code),) if base(code) in codes else codes
    return tuple(json_file(language, name) or {} for language in chosen)


def json_file(code: str | None, name: str) -> dict | None:
    """A JSON data file of the language, parsed (None when the language has none)."""
    found = path(code, name)
    if found is None:
        return None
    return json.loads(found.read_text(encoding="utf-8"))
