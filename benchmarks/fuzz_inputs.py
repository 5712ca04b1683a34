"""Hostile inputs: one `sitrep run` over a folder of generated bad files must never abort.

Writes `--count` files of many kinds of hostility (binary, NUL bytes, broken and mixed
encodings, RTL overrides, HTML nested 10,000 deep, JSON with huge numbers or 100,000
brackets, impossible dates, a CSV with a million columns, a gzip bomb, a symlink loop, a
line of 50 MB, …) into a temporary folder, runs `sitrep run` on it once, and prints one JSON
object:

- `aborted`: the run did not finish (an exit status other than 0 or 1 — 1 says some items
  failed, as it should here — a traceback, or its `runs` row not "done");
- `unaccounted`: files that are neither in the resume ledger nor named by a problem row
  (a bad item must be a coded warning naming it, never silently dropped);
- `codes`: problem codes and how often; `stored` articles; `seconds`;
- `peak_rss_mb`: the resident size of the biggest process, the run or one of its workers
  (exact, from the kernel); `peak_main_rss_mb` and `peak_worker_rss_mb` split it (each
  process's own peak, read every 0.5 s while it lives).

The heavy kinds (the 50 MB line, the million columns, the bomb, the deep nesting) are
written `--heavy` times each, the light kinds share the rest of the count.

    .venv/bin/python benchmarks/fuzz_inputs.py [--count 10000] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]
SENTENCES = [
    "Kämpfer des IS griffen am Montag einen Kontrollposten bei Manbidsch an.",
    "Two soldiers were killed on Sunday when a roadside bomb hit their patrol near Mosul.",
    "Die Lage in Rakka blieb nach Angaben von Aktivisten angespannt.",
    "Airstrikes on Idlib province killed at least 12 civilians, a monitor said.",
]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))


def _binary(rng: random.Random) -> tuple[str, bytes]:
    return ".txt", rng.randbytes(rng.randint(1, 65_536))


def _nul_bytes(rng: random.Random) -> tuple[str, bytes]:
    text = _text(rng).encode()
    cut = rng.randint(0, len(text))
    return ".txt", text[:cut] + b"\x00" * rng.randint(1, 50) + text[cut:]


def _broken_utf8(rng: random.Random) -> tuple[str, bytes]:
    text = _text(rng).encode()
    cut = rng.randint(0, len(text))
    return ".txt", text[:cut] + rng.choice(
        [b"\xc3", b"\xff\xfe", b"\xed\xa0\x80", b"\xf8\x88"]
    ) + text[cut:]


def _mixed_encodings(rng: random.Random) -> tuple[str, bytes]:
    parts = [
        rng.choice(SENTENCES).encode(
            rng.choice(["utf-8", "latin-1", "cp1252", "utf-16"]), "replace"
        )
        for _ in range(3)
    ]
    return ".txt", b" ".join(parts)


def _utf16(rng: random.Random) -> tuple[str, bytes]:
    return ".txt", _text(rng).encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))


def _rtl_and_invisible(rng: random.Random) -> tuple[str, bytes]:
    marks = ["\u202e", "\u202d", "\u200b", "\u200f", "\ufeff", "\u2066", "\u0000"[:0]]
    text = "".join(c + (rng.choice(marks) if rng.random() < 0.2 else "") for c in _text(rng))
    return ".txt", text.encode()


def _control_characters(rng: random.Random) -> tuple[str, bytes]:
    chars = "".join(chr(rng.randint(1, 31)) for _ in range(rng.randint(10, 500)))
    return ".txt", (_text(rng) + chars + _text(rng)).encode()


def _empty(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice([".txt", ".html", ".json", ".jsonl", ".csv"]), rng.choice(
        [b"", b"   \n\t ", b"\n" * 1000]
    )


def _broken_html(rng: random.Random) -> tuple[str, bytes]:
    body = _text(rng)
    return ".html", rng.choice(
        [
            f"<html><body><p>{body}",
            f"<html><head><title>{body}</title></head>",
            f"<<<>>><p<{body}></div></div></span>",
            f"<script>{body}</script>",
            f"<html><body><p>{body}</p><!-- unclosed comment",
            "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;&a;</x>",
        ]
    ).encode()


def _deep_html(rng: random.Random) -> tuple[str, bytes]:
    depth = 10_000
    return ".html", ("<div>" * depth + f"<p>{_text(rng)}</p>" + "</div>" * depth).encode()


def _huge_numbers(rng: random.Random) -> tuple[str, bytes]:
    number = rng.choice(
        ["1e999999", "9" * 100_000, "-" + "1" * 5_000 + ".5e-99999", "NaN", "Infinity"]
    )
    return ".json", f'{{"text": "{_text(rng)}", "date": {number}, "id": {number}}}'.encode()


def _deep_json(rng: random.Random) -> tuple[str, bytes]:
    depth = rng.choice([1_000, 100_000])
    return rng.choice([".json", ".jsonl"]), ("[" * depth + "]" * depth).encode()


def _bad_dates(rng: random.Random) -> tuple[str, bytes]:
    date = rng.choice(
        ["9999-99-99", "0000-00-00", "2019-02-30", "-5", "yesterday-ish", "1e9", "20190231T256161"]
    )
    kind = rng.choice(["json", "jsonl", "html", "csv"])
    text = _text(rng)
    if kind == "html":
        return (
            ".html",
            f'<html><head><meta property="article:published_time" content="{date}">'
            f"</head><body><p>{text}</p></body></html>".encode(),
        )
    if kind == "csv":
        return ".csv", f'text,date\n"{text}",{date}\n'.encode()
    record = json.dumps({"text": text, "date": date, "title": date})
    return f".{kind}", record.encode()


def _wrong_shapes(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice(
        [
            (".json", b'"just a string"'),
            (".json", b"[1, 2, 3]"),
            (".json", json.dumps({"text": {"nested": True}}).encode()),
            (".jsonl", b'{"text": null}\n{"title": "no text"}\n[]\n'),
            (".csv", b'a,b,c\n1,2\n"unterminated,3\n'),
            (".csv", b"\x00,\x00\n\x00,\x00\n"),
        ]
    )


def _long_word(rng: random.Random) -> tuple[str, bytes]:
    return ".txt", ("Kämpfe" * rng.randint(10_000, 200_000)).encode()


def _million_columns(rng: random.Random) -> tuple[str, bytes]:
    header = ",".join(f"c{i}" for i in range(1_000_000))
    return ".csv", (header + "\n" + ",".join("x" for _ in range(1_000_000)) + "\n").encode()


def _fifty_mb_line(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice([".txt", ".jsonl"]), b"a" * 50_000_000


def _gzip_bomb(rng: random.Random) -> tuple[str, bytes]:
    bomb = gzip.compress(b"\x00" * 200_000_000, compresslevel=9)
    return rng.choice([".txt", ".html", ".json"]), bomb


LIGHT: list[Callable[[random.Random], tuple[str, bytes]]] = [
    _binary, _nul_bytes, _broken_utf8, _mixed_encodings, _utf16, _rtl_and_invisible,
    _control_characters, _empty, _broken_html, _huge_numbers, _bad_dates, _wrong_shapes,
    _long_word,
]  # fmt: skip
HEAVY: list[Callable[[random.Random], tuple[str, bytes]]] = [
    _deep_html, _deep_json, _million_columns, _fifty_mb_line, _gzip_bomb,
]  # fmt: skip


def write_inputs(folder: Path, count: int, heavy: int, seed: int) -> list[Path]:
    """The hostile files (and a symlink loop), each named after its kind."""
    rng = random.Random(seed)
    makers = [m for m in HEAVY for _ in range(heavy)]
    makers += [LIGHT[i % len(LIGHT)] for i in range(max(0, count - len(makers) - 2))]
    written = []
    for number, make in enumerate(makers):
        suffix, data = make(rng)
        path = folder / f"{number:05d}_{make.__name__.strip('_')}{suffix}"
        path.write_bytes(data)
        written.append(path)
    loop_a, loop_b = folder / "loop_a.txt", folder / "loop_b.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    return [*written, loop_a, loop_b]


def accounted(db: Path, files: list[Path]) -> tuple[list[str], Counter[str], int, str | None]:
    """Files neither in the ledger nor named by a problem; problem codes; stored articles;
    the run's status."""
    with sqlite3.connect(db) as connection:
        keys = [key for (key,) in connection.execute("SELECT item_key FROM items")]
        problems = connection.execute("SELECT item_key, code FROM problems").fetchall()
        stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        status = connection.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()
    named = " ".join(keys) + " " + " ".join(key for key, _ in problems)
    missing = [path.name for path in files if path.name not in named]
    return missing, Counter(code for _, code in problems), stored, status[0] if status else None


class MemorySampler(threading.Thread):
    """The peak resident sizes of a process and of its children (the workers), read from
    /proc/PID/status every half second. The kernel keeps each process's peak (VmHWM), so
    only a worker's last half second before it exits can be missed. Cheap on purpose:
    reading smaps for proportional sizes takes each process's memory-map lock and, every
    0.1 s, slowed the run it measured several times over."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.main_rss = self.worker_rss = 0

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.main_rss = max(self.main_rss, _peak(self.pid))
            for child in _children(self.pid):
                self.worker_rss = max(self.worker_rss, _peak(child))


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


def _peak(pid: int) -> int:
    """The peak resident size of one process in bytes (0 once it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    peak = next((line.split()[1] for line in lines if line.startswith("VmHWM:")), "0")
    return int(peak) * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--heavy", type=int, default=2, help="files of each heavy kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the inputs and database here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-fuzz-"))
    folder = work / "inputs"
    folder.mkdir(parents=True, exist_ok=True)
    files = write_inputs(folder, args.count, args.heavy, args.seed)
    db = work / "fuzz.db"
    started = time.monotonic()
    env = {**os.environ, "SITREP_WORKERS": str(args.workers)}
    process = subprocess.Popen(
        [*SITREP, "run", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    sampler = MemorySampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.stop.set()
    sampler.join()
    run = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    missing, codes, stored, status = (
        accounted(db, files) if db.exists() else (["all"], Counter(), 0, None)
    )
    aborted = run.returncode not in (0, 1) or "Traceback" in run.stderr or status != "done"
    print(
        json.dumps(
            {
                "inputs": len(files),
                "aborted": aborted,
                "exit_status": run.returncode,
                "run_status": status,
                "unaccounted": len(missing),
                "unaccounted_examples": missing[:10],
                "stored": stored,
                "codes": dict(codes.most_common()),
                "peak_rss_mb": round(peak),
                "peak_main_rss_mb": round(sampler.main_rss / 2**20),
                "peak_worker_rss_mb": round(sampler.worker_rss / 2**20),
                "seconds": round(seconds, 1),
                "stderr_tail": run.stderr[-1500:] if aborted else "",
            },
            indent=1,
        )
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if aborted or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
