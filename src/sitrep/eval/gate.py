"""The events gate: a small fixed subset of the event gold scored on every CI run.

After trafilatura's evaluation gate: `eval/baseline.json` pins the subset (article
references of the dev split), the floors it must reach and the SHA-256 of the gold file it
was measured on. `check` scores the subset and lists every figure below its floor; a gold
file that changed since the floors were set fails too, so floors are never compared with
another gold. `update` raises the floors to today's figures less a margin for machine
noise and never lowers one unless asked to. The noise is one event: the classifier runs on
int8 kernels whose sums differ in the last bits from CPU to CPU (AVX2 against AVX-512
VNNI), so an event near its threshold can come or go, and on a subset of a few articles
one event moves a figure by more than a fixed 0.02. The margin is what one more spurious
event costs an F1, or one more wrong pair a field's accuracy, plus 0.02.

The seeds are bundled with Sitrep, so their part of the subset runs on any checkout; the
articles from `../shared/data` are scored where that folder is present.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from sitrep.eval import corpora
from sitrep.eval import events as scorer

__all__ = ["MEASURES", "check", "update"]

MEASURES = ("strict_f1", "type_f1", "fatalities", "place", "date")
MARGIN = 0.02


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _available(refs: list[str], data: Path) -> list[str]:
    out = []
    for ref in refs:
        try:
            corpora.read(ref, data)
        except (OSError, KeyError, IndexError):
            continue
        out.append(ref)
    return out


def _figures(gold: Path, refs: list[str], data: Path) -> dict[str, float]:
    """The gate's measures over the subset articles that can be read here, with the
    margin each may lose to one event's noise (`margin:<measure>`)."""
    wanted = set(refs)
    lines = [
        line
        for line in gold.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["doc"] in wanted
    ]
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / "subset.jsonl"
        subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = scorer.evaluate(subset, data)
    fields = result["fields"]
    figures = {
        "strict_f1": result["strict"]["f1"],  # type: ignore[index]
        "type_f1": result["type_only"]["f1"],  # type: ignore[index]
        **{name: fields[name] or 0.0 for name in ("fatalities", "place", "date")},  # type: ignore[index]
    }
    events = int(result["gold_events"]) + int(result["system_events"])  # type: ignore[call-overload]
    pairs = int(result["pairs"])  # type: ignore[call-overload]
    margins = {
        f"margin:{name}": MARGIN + figures[name] / (events + 1)
        if name.endswith("_f1")
        # one more spurious event: F1 = 2TP / (G + S) becomes 2TP / (G + S + 1)
        else MARGIN + 1 / (pairs + 1)  # one more pair, and it is wrong
        for name in MEASURES
    }
    return {**figures, **margins}


def _group(refs: list[str]) -> dict[str, list[str]]:
    """The subset split into what ships with Sitrep (seeds) and what needs ../shared."""
    return {
        "seeds": [r for r in refs if r.startswith("seed:")],
        "shared": [r for r in refs if not r.startswith("seed:")],
    }


def check(baseline: Path, gold: Path, data: Path = corpora.DEFAULT_DATA) -> list[str]:
    """Every way the current system falls short of the baseline (empty: the gate passes)."""
    pinned = json.loads(baseline.read_text(encoding="utf-8"))
    if pinned["gold_sha256"] != _sha(gold):
        return [f"{gold} changed since the floors were set: run the gate with --update"]
    problems = []
    for group, refs in _group(pinned["subset"]).items():
        present = _available(refs, data)
        if not present:
            continue
        figures = _figures(gold, present, data)
        for name, floor in pinned["floors"][group].items():
            if figures[name] < floor:
                problems.append(f"{group} {name} {figures[name]:.4f} is below its floor {floor}")
    return problems


def update(
    baseline: Path,
    gold: Path,
    data: Path = corpora.DEFAULT_DATA,
    allow_regression: bool = False,
    another_machine: bool = False,
) -> dict[str, object]:
    """Set the floors to today's figures less one event's noise; a lower floor needs
    permission. With `another_machine` a floor only comes down to what this machine
    measures and never goes up: the encoder's int8 kernels differ between CPUs (AVX2,
    AVX-512 VNNI), a near tie between two event types can fall the other way, and the
    floors must hold on every machine CI may run on."""
    pinned = json.loads(baseline.read_text(encoding="utf-8"))
    floors: dict[str, dict[str, float]] = pinned.get("floors", {})
    same_gold = pinned.get("gold_sha256") == _sha(gold)
    for group, refs in _group(pinned["subset"]).items():
        present = _available(refs, data)
        if len(present) < len(refs):
            raise FileNotFoundError(f"the {group} articles of the subset cannot all be read")
        figures = _figures(gold, present, data)
        old = floors.get(group, {})
        new = {
            name: round(max(0.0, figures[name] - figures[f"margin:{name}"]), 4) for name in MEASURES
        }
        if another_machine and same_gold:
            new = {name: min(value, old.get(name, value)) for name, value in new.items()}
        lower = [n for n, v in new.items() if same_gold and v < old.get(n, 0.0)]
        if lower and not allow_regression:
            raise ValueError(f"{group}: {', '.join(lower)} would go down; pass allow_regression")
        floors[group] = new
    pinned.update(gold_sha256=_sha(gold), floors=floors)
    baseline.write_text(json.dumps(pinned, indent=1) + "\n", encoding="utf-8")
    return pinned
