"""Agreement between two independent coding passes of the event gold.

    python eval/tools/agree.py PASS_A PASS_B [--report FILE]

PASS_A and PASS_B are folders of working files (one JSON per article, any sub-folders).
Each article coded in both is scored with the evaluation's own matching
(`sitrep.eval.matching`): pass B against pass A, strict and by type, with per-field
agreement on the pairs the type matching makes. Prints one JSON object; `--report` writes
every article's disagreements (unpaired events on either side, paired events whose
fields differ) as Markdown for the adjudication.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sitrep.eval.events import GoldError, Tally, validate_event
from sitrep.eval.matching import assign, field_agreement


def _load(folder: Path) -> dict[str, list[dict]]:
    coded: dict[str, list[dict]] = {}
    for path in sorted(folder.rglob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(record, dict) and "doc" in record:
            coded[record["doc"]] = record.get("events", [])
    return coded


def _brief(event: dict) -> str:
    place = event.get("place") or {}
    when = event.get("date") or {}
    return (
        f"{event.get('event_type')} / {event.get('sub_event_type')} | "
        f"{event.get('actor1')} vs {event.get('actor2')} | {place.get('name')} "
        f"({place.get('lat')}, {place.get('lon')}, p{place.get('geo_precision')}) | "
        f"{when.get('earliest')}..{when.get('latest')} | killed {event.get('fatalities')}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    first, second = _load(args.first), _load(args.second)
    common = sorted(set(first) & set(second))
    tally = Tally.empty()
    n_second = 0
    lines = ["# Disagreements between the two coding passes", ""]
    for doc in common:
        try:
            gold = [validate_event(e) for e in first[doc]]
            other = [validate_event(e) for e in second[doc]]
        except GoldError as exc:
            print(f"{doc}: {exc}", file=sys.stderr)
            continue
        tally.add(gold, other)
        n_second += len(other)
        pairs = assign(
            gold,
            other,
            lambda g, s: (
                (100.0 + sum(field_agreement(g, s).values()))
                if g.event_type == s.event_type
                else 0.0
            ),
        )
        paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
        notes = []
        for i, j in pairs:
            wrong = [k for k, ok in field_agreement(gold[i], other[j]).items() if not ok]
            if wrong:
                notes.append(f"- differ in {', '.join(wrong)}:")
                notes.append(f"  - A: {_brief(first[doc][i])}")
                notes.append(f"  - B: {_brief(second[doc][j])}")
        notes += [f"- only A: {_brief(e)}" for i, e in enumerate(first[doc]) if i not in paired_a]
        notes += [f"- only B: {_brief(e)}" for j, e in enumerate(second[doc]) if j not in paired_b]
        if notes:
            lines += [f"## {doc}", "", *notes, ""]
    result = {"articles": len(common), **tally.as_dict(n_second)}
    print(json.dumps(result, indent=1))
    if args.report:
        args.report.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
