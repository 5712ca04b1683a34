"""How the workspace holds up on a large database: API latency under concurrent clients and
the page's first render in a real browser.

Usage: python benchmarks/api_load.py [--events 100000] [--clients 50] [--requests 2000]
           [--templates DB] [--db PATH] [--workers N] [--think S] [--no-browser]

Builds (once; reused when `--db` exists) a SQLite database of events through the store's
own write path: with `--templates DB`, copies of the real analysed articles in DB (the
seeds', the Guardian's: `sitrep run` them first) with dates moved by up to a year and
places by up to 20 km; without, synthetic articles of five events each over Iraq and
Syria, every sub-type and three years, with reviews on one event in a hundred.

Starts `sitrep serve` on a loopback port (`--workers` processes) and sends the calls the
page makes (an events page of 100 with filters and sorts, the summary behind the
timeline, an event with its evidence) three ways: one client alone (latency), `--clients`
analysts each pausing about `--think` seconds between requests (a team at work), and the
same clients without pauses (saturation). It prints one JSON object: requests per second
and the p50/p95/p99 latency of each call. The clients run on the same machine as the
server and take CPU from it. With Chromium at /usr/bin/chromium it also times the page's
first render (navigation to the map, timeline and table all drawn), median of 5.

Targets (issue #14): /api/events p95 under 100 ms with 50 clients on 100,000 events, first
render under 1.5 s. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx

from sitrep.acled import SUB_EVENT_TYPES
from sitrep.models import Analysis, Article, DateRange, Event, Evidence, Location, Published
from sitrep.store import Outcome, open_store

PLACES = [
    ("Mosul", 36.34, 43.13, "IQ", "Nīnawá"),
    ("Raqqa", 35.95, 39.01, "SY", "Ar Raqqah"),
    ("Hajin", 34.69, 40.83, "SY", "Dayr az Zawr"),
    ("Baghuz", 34.45, 40.93, "SY", "Dayr az Zawr"),
    ("Manbij", 36.53, 37.95, "SY", "Ḩalab"),
    ("Tikrit", 34.6, 43.68, "IQ", "Şalāḩ ad Dīn"),
    ("Kirkuk", 35.47, 44.39, "IQ", "Kirkūk"),
    ("Idlib", 35.93, 36.63, "SY", "Idlib"),
]
ACTORS = ["Islamic State", "Military Forces of Iraq", "QSD: Syrian Democratic Forces", None]
SENTENCE = "Fighters attacked a position in {place} on {day}, killing {killed} people."


def _shifted(day: str | None, days: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None


def from_templates(templates: Path, events: int, seed: int = 7) -> Iterator[Analysis]:
    """Analyses copied from a database of real ones (the seeds', the Guardian's), each
    copy with its dates moved by up to a year and its places by up to 20 km, until
    `events` events exist."""
    rng = random.Random(seed)
    with open_store(templates) as store:
        real = [analysis for analysis in store.analyses() if analysis.events]
    made = copy = 0
    while made < events:
        template = rng.choice(real)
        shift = rng.randint(-365, 365)
        coded = []
        for number, event in enumerate(template.events):
            location = event.location
            if location is not None and location.lat is not None and location.lon is not None:
                location = location.model_copy(
                    update={
                        "lat": location.lat + rng.uniform(-0.18, 0.18),
                        "lon": location.lon + rng.uniform(-0.18, 0.18),
                    }
                )
            moved = event.date.model_copy(
                update={
                    "earliest": _shifted(event.date.earliest, shift),
                    "latest": _shifted(event.date.latest, shift),
                }
            )
            coded.append(
                event.model_copy(
                    update={"id": f"c{copy:07d}{number:02d}", "location": location, "date": moved}
                )
            )
        article = template.article.model_copy(
            update={"id": f"c{copy:07d}", "source": f"copy#{copy}"}
        )
        made += len(coded)
        copy += 1
        yield template.model_copy(update={"article": article, "events": coded})


def build(path: Path, events: int, templates: Path | None = None, seed: int = 7) -> None:
    """Write `events` events through the store: copies of real ones when `templates` is a
    database, else synthetic (five per article)."""
    if templates is not None:
        with open_store(path) as store:
            run = store.begin_run([str(templates)])
            batch: list[Outcome] = []
            for analysis in from_templates(templates, events, seed):
                batch.append(Outcome(analysis.article.source, analysis.article.id, analysis))
                if len(batch) == 200:
                    store.save_batch(run, batch)
                    batch = []
            if batch:
                store.save_batch(run, batch)
            store.finish_run(run, "done", {})
        return
    rng = random.Random(seed)
    kinds = [(kind, sub) for kind, subs in SUB_EVENT_TYPES.items() for sub in subs]
    with open_store(path) as store:
        run = store.begin_run(["synthetic"])
        batch: list[Outcome] = []
        for number in range(events // 5):
            sentences, coded = [], []
            for index in range(5):
                place, lat, lon, country, admin1 = rng.choice(PLACES)
                day = f"{rng.randint(2017, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                killed = rng.choice([None, 0, 1, 2, 5, 12, 40])
                sentence = SENTENCE.format(place=place, day=day, killed=killed or "no")
                start = sum(len(s) + 1 for s in sentences)
                sentences.append(sentence)
                kind, sub = rng.choice(kinds)
                coded.append(
                    Event(
                        id=f"e{number:06d}{index}",
                        event_type=kind,
                        sub_event_type=sub,
                        actor1=rng.choice(ACTORS),
                        actor2=rng.choice(ACTORS),
                        location=Location(
                            name=place,
                            lat=lat + rng.uniform(-0.2, 0.2),
                            lon=lon + rng.uniform(-0.2, 0.2),
                            country=country,
                            admin1=admin1,
                            geo_precision=rng.choice([1, 1, 1, 2, 3]),
                        ),
                        date=DateRange(earliest=day, latest=day, precision="day"),
                        fatalities=killed,
                        confidence=round(rng.uniform(0.3, 1.0), 2),
                        evidence=[Evidence(sentence=(start, start + len(sentence)))],
                    )
                )
            text = " ".join(sentences)
            article = Article(
                id=f"a{number:07d}",
                source=f"synthetic#{number}",
                language=rng.choice(["en", "de"]),
                text=text,
                site=rng.choice(["Guardian", "Reuters", "Rudaw", "SANA"]),
                published=Published(date=coded[0].date.earliest, precision="day"),
            )
            analysis = Analysis(article=article, events=coded)
            batch.append(Outcome(f"synthetic#{number}", str(number), analysis=analysis))
            if len(batch) == 500:
                store.save_batch(run, batch)
                batch = []
        if batch:
            store.save_batch(run, batch)
        ids = [row.id for row in store.events(limit=events)]
        for event_id in ids[::100]:
            store.add_review(event_id, "confirm", "benchmark", {}, None)
        store.finish_run(run, "done", {"items": events // 5})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _calls(rng: random.Random, ids: list[str]) -> tuple[str, str, dict[str, object]]:
    """One request the page makes, chosen at random: (name, path, params)."""
    kinds = list(SUB_EVENT_TYPES)
    choice = rng.random()
    if choice < 0.5:
        params: dict[str, object] = {"limit": 100, "offset": rng.choice([0, 100, 500])}
        if rng.random() < 0.5:
            params["type"] = rng.choice(kinds)
        if rng.random() < 0.3:
            params["country"] = rng.choice(["IQ", "SY"])
        if rng.random() < 0.3:
            params["since"], params["until"] = "2018-01-01", "2018-06-30"
        params["sort"] = rng.choice(["date", "-date", "-fatalities", "type"])
        return "/api/events", "/api/events", params
    if choice < 0.8:
        params = {"type": rng.choice(kinds)} if rng.random() < 0.5 else {}
        return "/api/summary", "/api/summary", params
    return "/api/events/{id}", f"/api/events/{rng.choice(ids)}", {}


async def _load(
    base: str, clients: int, requests: int, ids: list[str], think_s: float = 0.0
) -> dict[str, object]:
    """`clients` concurrent clients share `requests` requests; each waits `think_s` between
    its own requests (0: as fast as the server answers, which measures saturation)."""
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    rng = random.Random(11)
    plan = [_calls(rng, ids) for _ in range(requests)]
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            # Analysts do not all click in the same millisecond: each starts at a random
            # point of its first pause (else 50 requests arrive at once and queue).
            await asyncio.sleep(rng.uniform(0, think_s))
            while not queue.empty():
                name, path, params = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.get(path, params=params)
                except httpx.TransportError:  # counted, and asked again once
                    errors.append(name)
                    response = await client.get(path, params=params)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.text[:200]
                timings.setdefault(name, []).append(elapsed * 1000)
                if think_s:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - started
    figures: dict[str, object] = {
        "requests_per_s": round(requests / wall, 1),
        "connection_errors": len(errors),
    }
    for name, values in sorted(timings.items()):
        cuts = statistics.quantiles(values, n=100)
        figures[name] = {
            "n": len(values),
            "p50_ms": round(cuts[49], 1),
            "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1),
        }
    return figures


def _first_render(base: str, runs: int = 5) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            started = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return {"median_s": round(statistics.median(times), 2), "slowest_s": round(max(times), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="a database of analysed articles whose events are copied (else synthetic)",
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="sitrep serve --workers")
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds between an analyst's requests"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sitrep-load-"))
    db = args.db or folder / "load.db"
    figures: dict[str, object] = {
        "events": args.events,
        "clients": args.clients,
        "workers": args.workers,
    }
    if not db.exists():
        started = time.perf_counter()
        build(db, args.events, args.templates)
        figures["build_s"] = round(time.perf_counter() - started, 1)
    with open_store(db) as store:
        ids = [row.id for row in store.events(limit=5000)]
        figures["stored_events"] = store.count("events")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "SITREP_TOKEN"}
    command = [sys.executable, "-c", "from sitrep.cli import main; main()", "serve"]
    log = folder / "server.log"
    figures["server_log"] = str(log)
    server = subprocess.Popen(
        [*command, "--db", str(db), "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/summary", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        figures["one_client"] = asyncio.run(_load(base, 1, 300, ids))
        figures["analysts"] = asyncio.run(
            _load(base, args.clients, args.requests, ids, think_s=args.think)
        )
        figures["saturation"] = asyncio.run(_load(base, args.clients, args.requests, ids))
        if not args.no_browser and Path("/usr/bin/chromium").exists():
            figures["page_first_render"] = _first_render(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
