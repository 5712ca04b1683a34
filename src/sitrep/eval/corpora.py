"""Articles of the shared corpora, named by a short reference, read by path (never copied).

The team's event gold (`eval/gold/events-*.jsonl`) names each article by a reference, so the
gold holds codes and character offsets but no article text:

- `guardian:ROW`: `corpus/guardian_sdf_2019.csv`, data row ROW (0-based), dated by its row;
- `fakes:ROW`: `events/fakes/fakes_dev.csv`, data row ROW (its `unit_id` repeats); dated by
  the row's event date, the nearest to a publication date the file has;
- `gnad:ROW`: `corpus-de/10kgnad_test.csv`, line ROW (0-based); undated;
- `seed:FILE`: `../seeds/FILE` next to the data folder (else the copy in `examples/seeds`);
  dated only by its own text.

Offsets in the gold refer to `SourceArticle.text`, exactly as the file holds it.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

__all__ = ["DEFAULT_DATA", "SourceArticle", "read", "rows"]

DEFAULT_DATA = Path("../shared/data")
BUNDLED_SEEDS = Path(__file__).resolve().parents[3] / "examples" / "seeds"
FILES = {
    "guardian": "corpus/guardian_sdf_2019.csv",
    "fakes": "events/fakes/fakes_dev.csv",
    "gnad": "corpus-de/10kgnad_test.csv",
}


@dataclass(frozen=True)
class SourceArticle:
    """One article as its corpus holds it, with what the corpus says about it."""

    ref: str
    text: str
    title: str | None
    published: str | None  # ISO date, or None when the corpus gives none
    language: str
    site: str | None = None


@cache
def rows(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a corpus file (cached: a gold set reads one file many times)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        if path.name.startswith("10kgnad"):
            return tuple(
                {"label": label, "text": text}
                for label, text in csv.reader(handle, delimiter=";", quotechar="'")
            )
        return tuple(csv.DictReader(handle))


def us_date(value: str) -> str | None:
    """FA-KES dates are m/d/yy."""
    try:
        return datetime.strptime(value.strip(), "%m/%d/%y").date().isoformat()
    except ValueError:
        return None


def read(ref: str, data: Path = DEFAULT_DATA) -> SourceArticle:
    """The article a gold reference names; `KeyError` when the reference is unknown."""
    corpus, _, key = ref.partition(":")
    if corpus == "seed":
        path = data.parent / "seeds" / key
        if not path.is_file():  # the copy bundled with Sitrep, for checkouts without ../shared
            path = BUNDLED_SEEDS / key
        return SourceArticle(ref, path.read_text(encoding="utf-8"), None, None, _seed_lang(key))
    if corpus not in FILES or not key.isdigit():
        raise KeyError(f"unknown article reference {ref!r}")
    row = rows(data / FILES[corpus])[int(key)]
    if corpus == "guardian":
        return SourceArticle(ref, row["text"], None, row["date"], "en", "theguardian.com")
    if corpus == "fakes":
        return SourceArticle(
            ref,
            row["article_content"],
            row["article_title"] or None,
            us_date(row["date"]),
            "en",
            row["source"] or None,
        )
    return SourceArticle(ref, row["text"], None, None, "de", "derstandard.at")


def _seed_lang(name: str) -> str:
    """The seeds' language (000 is the one English article)."""
    return "en" if name.startswith("000_") else "de"
