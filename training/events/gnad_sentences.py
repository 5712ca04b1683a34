"""Pick the German news sentences to label for the event classifier, from 10kGNAD.

The classifier's German training labels were mostly sentences we wrote ourselves; on real
German reporting it codes too many events (type-only precision 0.58 on the German half of
the event gold's dev split). This script draws real sentences to label: the 40
"International" and 10 "Panorama" articles of `corpus-de/10kgnad_test.csv` with the most
conflict words, never an article of the event gold (dev or test), and every sentence of
them of 30 to 600 characters, as Sitrep's own segmenter cuts them. It writes one JSON line
per sentence (id, row, start, end, text) for labelling; `labels.jsonl` keeps only the
references and the labels (`source: gnad`), never the text.

    .venv/bin/python training/events/gnad_sentences.py [--shared ../shared] > todo.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GNAD = "corpus-de/10kgnad_test.csv"
# (category, articles taken, conflict words an article needs at least)
DRAW = (("International", 40, 2), ("Panorama", 10, 3))
CONFLICT_WORDS = re.compile(
    r"getötet|Tote[n]?\b|Luftangriff|Anschlag|Angriff|Kämpfe|Gefecht|Rebellen|Miliz|Armee"
    r"|Soldaten|Explosion|Selbstmordattentä|Bombe|entführt|Demonstra|Protest|IS-|Taliban"
    r"|Extremisten|Dschihad|verletzt",
    re.IGNORECASE,
)
SHORTEST, LONGEST = 30, 600


def gold_rows(gold: Path) -> set[int]:
    """The 10kGNAD rows the event gold codes (both splits): never training material."""
    found: set[int] = set()
    for path in gold.glob("events-*.jsonl"):
        found |= {int(row) for row in re.findall(r'"gnad:(\d+)"', path.read_text("utf-8"))}
    return found


def chosen_rows(rows: tuple[dict[str, str], ...], excluded: set[int]) -> list[int]:
    """The most conflict-heavy articles of each drawn category, outside `excluded`."""
    chosen: list[int] = []
    for category, count, minimum in DRAW:
        ranked = sorted(
            (
                (len(CONFLICT_WORDS.findall(row["text"])), number)
                for number, row in enumerate(rows)
                if number not in excluded and row["label"] == category
            ),
            reverse=True,
        )
        chosen += [number for hits, number in ranked[:count] if hits >= minimum]
    return sorted(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from sitrep.eval.corpora import rows as corpus_rows
    from sitrep.text.sentences import segment

    rows = corpus_rows(args.shared / "data" / GNAD)
    for number in chosen_rows(rows, gold_rows(REPO / "eval" / "gold")):
        text = rows[number]["text"]
        for sentence in segment(text, "de"):
            body = text[sentence.start : sentence.end]
            if SHORTEST <= len(body) <= LONGEST:
                line = {"id": f"gde-{number}-{sentence.start}", "row": number}
                line |= {"start": sentence.start, "end": sentence.end, "text": body}
                print(json.dumps(line, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
