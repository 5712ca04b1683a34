"""The HTTP API on a real SQLite database of the seed articles: in-process through httpx's
ASGI transport, and once as a real server on a loopback port."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from apiclient import TOKEN
from apiclient import get as _get
from apiclient import post as _post
from sitrep import pipeline
from sitrep.settings import Settings
from sitrep.store import open_store


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "seeds.db"
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    with open_store(path) as store:
        pipeline.run([str(seeds)], Settings(workers=1, batch_size=8), store)
    return path


def test_api_events_page_with_places_and_filters(seed_db: Path) -> None:
    body = _get(seed_db, "/api/events").json()
    assert body["ok"] and body["total"] == len(body["events"]) > 0
    first = body["events"][0]
    for field in ("id", "event_type", "sub_event_type", "lat", "lon", "geo_precision", "source"):
        assert field in first
    assert not any("/" in event["source"] for event in body["events"])  # an outlet, no path
    battles = _get(seed_db, "/api/events", params={"type": "Battles"}).json()["events"]
    assert battles and all(e["event_type"] == "Battles" for e in battles)
    german = _get(seed_db, "/api/events", params={"language": "de"}).json()["events"]
    assert german and all(e["language"] == "de" for e in german)
    page = _get(seed_db, "/api/events", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == body["total"] and page["events"] == body["events"][1:2]


def test_api_event_with_its_evidence_spans(seed_db: Path) -> None:
    event_id = _get(seed_db, "/api/events").json()["events"][0]["id"]
    event = _get(seed_db, f"/api/events/{event_id}").json()["event"]
    text = event["article"]["text"]
    assert event["evidence"]
    for item in event["evidence"]:
        sentence = item["sentence"]
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        for span in [*item["spans"].values(), *item["fatalities"]]:
            assert sentence["start"] <= span["start"] < span["end"] <= sentence["end"]
            assert text[span["start"] : span["end"]] == span["text"]
    assert event_id not in event["other_events"]


def test_api_geojson_and_acled_csv(seed_db: Path) -> None:
    collection = _get(seed_db, "/api/events", params={"format": "geojson"}).json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    located = [f for f in collection["features"] if f["geometry"]]
    assert located and all(len(f["geometry"]["coordinates"]) == 2 for f in located)
    points = _get(seed_db, "/api/events", params={"format": "points"}).json()
    assert points["fields"][:3] == ["id", "lat", "lon"]
    assert [p[0] for p in points["points"]] == [f["id"] for f in located]
    assert [p[1:3] for p in points["points"]] == [
        f["geometry"]["coordinates"][::-1] for f in located
    ]
    response = _get(seed_db, "/api/events", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {"event_date", "disorder_type", "interaction", "notes"} <= set(rows[0])


def test_api_articles_summary_and_openapi(seed_db: Path) -> None:
    articles = _get(seed_db, "/api/articles").json()["articles"]
    assert len(articles) == 5
    one = _get(seed_db, f"/api/articles/{articles[0]['id']}").json()
    assert one["analysis"]["article"]["id"] == articles[0]["id"] and one["sources"]
    summary = _get(seed_db, "/api/summary").json()
    assert summary["events"] == sum(summary["by_type"].values()) > 0
    spec = _get(seed_db, "/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/articles", "/api/summary"} <= set(
        spec["paths"]
    )


def test_api_filters_sort_and_counts_agree(seed_db: Path) -> None:
    every = _get(seed_db, "/api/events", params={"limit": 1000}).json()["events"]
    by_killed = _get(seed_db, "/api/events", params={"sort": "-fatalities"}).json()["events"]
    killed = [e["fatalities"] for e in by_killed if e["fatalities"] is not None]
    assert killed and killed == sorted(killed, reverse=True)
    assert {e["id"] for e in by_killed} == {e["id"] for e in every}
    placed = next(e for e in every if e["admin1"])
    in_admin1 = _get(seed_db, "/api/events", params={"admin1": placed["admin1"]}).json()
    assert in_admin1["total"] == sum(e["admin1"] == placed["admin1"] for e in every)
    word = placed["location"]
    found = _get(seed_db, "/api/events", params={"q": word.lower()}).json()["events"]
    assert placed["id"] in {e["id"] for e in found}
    assert _get(seed_db, "/api/events", params={"q": "zzqx nothing"}).json()["total"] == 0
    lat, lon = placed["lat"], placed["lon"]
    around = f"{lon - 0.1},{lat - 0.1},{lon + 0.1},{lat + 0.1}"
    boxed = _get(seed_db, "/api/events", params={"bbox": around, "limit": 1000}).json()
    assert placed["id"] in {e["id"] for e in boxed["events"]}
    assert all(abs(e["lat"] - lat) <= 0.1 for e in boxed["events"])
    elsewhere = _get(seed_db, "/api/events", params={"bbox": "-80,-10,-70,0"}).json()
    assert elsewhere["total"] == 0
    german = _get(seed_db, "/api/summary", params={"language": "de"}).json()
    assert german["events"] == sum(e["language"] == "de" for e in every) > 0
    assert german["by_language"] == {"de": german["events"]}
    assert sum(german["by_type"].values()) == german["events"]
    dated = [e for e in every if e["date_earliest"]]
    assert sum(_get(seed_db, "/api/summary").json()["by_day"].values()) == len(dated)


def test_api_places_by_name_and_by_point(seed_db: Path) -> None:
    named = _get(seed_db, "/api/places", params={"q": "Manbij"}).json()["places"]
    assert named[0]["country"] == "SY" and abs(named[0]["lat"] - 36.53) < 0.1
    assert named[0]["geo_precision"] == 1
    near = _get(seed_db, "/api/places", params={"lat": 34.69, "lon": 40.83}).json()["places"]
    assert near[0]["name"].startswith("Haj") and near[0]["distance_km"] < 2
    assert _get(seed_db, "/api/places").status_code == 422
    assert _get(seed_db, "/api/places", params={"q": "Nowhereville Xq"}).json()["places"] == []


def test_api_search_finds_words_inside_words_and_shows_the_passage(seed_db: Path) -> None:
    body = _get(seed_db, "/api/search", params={"q": "operation", "mode": "words"}).json()
    assert body["ok"] and body["total"] >= 1
    hit = next(h for h in body["hits"] if "Luftoperation" in h["passage"])
    assert hit["language"] == "de" and hit["score"] > 0
    for start, end in hit["marks"]:
        assert hit["passage"][start:end].lower() == "operation"
    words = {"mode": "words"}
    both = _get(seed_db, "/api/search", params={"q": "Luftoperation Irak", **words}).json()
    assert both["total"] >= 1 and all(h["language"] == "de" for h in both["hits"])
    english = _get(seed_db, "/api/search", params={"q": "operation", "language": "en", **words})
    assert all(h["language"] == "en" for h in english.json()["hits"])
    odd = _get(seed_db, "/api/search", params={"q": 'Irak" * ^ (', **words}).json()
    assert odd["ok"] and odd["total"] >= 1  # the query's syntax is never FTS syntax
    assert _get(seed_db, "/api/search", params={"q": "zzqxw", **words}).json()["total"] == 0
    meaning = _get(seed_db, "/api/search", params={"q": "the coalition ends its mission"}).json()
    assert any(h["language"] == "de" and h["found_by"] == "meaning" for h in meaning["hits"])


def test_pages_answer_html_and_their_errors_too(seed_db: Path) -> None:
    page = _get(seed_db, "/", params={"type": "Battles"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    emptied = _get(seed_db, "/", params={"type": "", "country": ""}, follow_redirects=False)
    assert emptied.status_code == 303 and emptied.headers["location"] == "/?"
    missing = _get(seed_db, "/events/nope")
    assert missing.status_code == 404 and "no event" in missing.text and "<html" in missing.text
    bad = _get(seed_db, "/", params={"since": "2021-13-45"})
    assert bad.status_code == 422 and "since" in bad.text
    table = _get(seed_db, "/partials/events", params={"sort": "-fatalities"})
    assert table.status_code == 200 and "<table" in table.text


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/events/nope", {}, 404),
        ("/api/articles/nope", {}, 404),
        ("/api/nothing-here", {}, 404),
        ("/elsewhere", {}, 404),
        ("/api/events", {"since": "2021-13-45"}, 422),
        ("/api/events", {"limit": 10_000_000}, 422),
        ("/api/events", {"offset": -1}, 422),
        ("/api/events", {"format": "xml"}, 422),
        ("/api/events", {"country": "Syria"}, 422),
        ("/api/events", {"min_confidence": "high"}, 422),
        ("/api/events", {"sort": "colour"}, 422),
        ("/api/summary", {"until": "yesterday"}, 422),
        ("/api/places", {"lat": 91, "lon": 0}, 422),
        ("/api/events", {"bbox": "1,2,3"}, 422),
        ("/api/events", {"bbox": "10,50,20,40"}, 422),
        ("/api/events", {"bbox": "west,0,1,1"}, 422),
        ("/api/search", {}, 422),
        ("/api/search", {"q": "IS", "mode": "words"}, 422),
        ("/api/search", {"q": "  "}, 422),
        ("/api/search", {"q": "Irak", "mode": "vibes"}, 422),
        ("/api/search", {"q": "Irak", "since": "2021-02-30"}, 422),
    ],
)
def test_api_errors_have_one_shape(seed_db: Path, url: str, params: dict, status: int) -> None:
    response = _get(seed_db, url, params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    assert "Traceback" not in response.text


def test_api_writes_need_the_token(seed_db: Path, tmp_path: Path) -> None:
    article = {"text": "Militants shelled an army position in Tal Afar on Monday, killing two."}
    refused = _post(seed_db, "/api/articles", None, json=article)
    assert refused.status_code == 403 and "SITREP_TOKEN" in refused.json()["error"]
    wrong = _post(seed_db, "/api/articles", TOKEN, json=article, headers={"Authorization": "x"})
    assert wrong.status_code == 401 and wrong.json()["ok"] is False
    db = tmp_path / "writes.db"
    db.write_bytes(seed_db.read_bytes())
    headers = {"Authorization": f"Bearer {TOKEN}"}
    stored = _post(
        db, "/api/articles", TOKEN, json={**article, "date": "2019-03-04"}, headers=headers
    )
    assert stored.status_code == 201, stored.text
    body = stored.json()
    assert body["status"] == "stored" and body["events"]
    assert body["events"][0]["location"] == "Tal Afar" and body["events"][0]["fatalities"] == 2
    again = _post(
        db, "/api/articles", TOKEN, json={**article, "date": "2019-03-04"}, headers=headers
    )
    assert again.json()["status"] == "duplicate"
    empty = _post(db, "/api/articles", TOKEN, json={"text": ""}, headers=headers)
    assert empty.status_code == 422 and empty.json()["ok"] is False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_api_real_server_on_loopback(seed_db: Path, workers: int) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from sitrep.cli import main; main()", "serve"]
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    server = subprocess.Popen(
        [*command, "--db", str(seed_db), "--port", str(port), "--workers", str(workers)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/summary", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert response.status_code == 200 and response.json()["events"] > 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:  # one connection
            refused = client.post("/api/articles", json={"text": "x"})
            assert refused.status_code == 403
            assert client.get("/api/events", params={"limit": 1}).json()["ok"]
    finally:
        server.terminate()
        server.communicate(timeout=30)  # reads and closes its stderr


def test_worker_processes_share_a_listener_whose_connections_skip_nagle() -> None:
    """`sitrep serve --workers N` binds the socket itself: asyncio turns TCP_NODELAY on for
    accepted connections only when the listener names its protocol, and without it every
    keep-alive request waits for a delayed ACK."""
    import asyncio

    from sitrep.cli.serve import _listener

    listener = _listener("127.0.0.1", 0)
    port = listener.getsockname()[1]
    accepted: list[int] = []

    async def accept_one() -> None:
        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            accepted.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            while not accepted:
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(asyncio.wait_for(accept_one(), timeout=30))
    assert accepted == [1]
