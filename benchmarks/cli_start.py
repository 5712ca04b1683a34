"""How fast the `sitrep` command answers when it has nothing to analyse.

Usage: python benchmarks/cli_start.py [--runs N]

Starts `sitrep --help`, `sitrep eval --help` and a usage error (`sitrep events --db
missing.db`) N times each in fresh processes and prints one JSON object: the median and
the slowest wall time per command, with the modules the CLI loads at start-up counted.
The target is well under half a second: the pipeline, spaCy and the models load only
when a command analyses something. Not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "sitrep --help": ["--help"],
    "sitrep eval --help": ["eval", "--help"],
    "usage error": ["events", "--db", "missing-benchmark.db"],
}
LAUNCH = "from sitrep.cli import main; main()"
HEAVY = ("spacy", "numpy", "onnxruntime", "sitrep.pipeline", "pydantic")


def _time(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", LAUNCH, *args], capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    for name, argv in COMMANDS.items():
        times = [_time(argv) for _ in range(args.runs)]
        median = statistics.median(times)
        figures[name] = {"median_s": round(median, 3), "max_s": round(max(times), 3)}
    probe = "import sys; import sitrep.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    figures["modules_at_start"] = len(loaded)
    figures["heavy_modules_at_start"] = sorted(m for m in loaded if m in HEAVY)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
