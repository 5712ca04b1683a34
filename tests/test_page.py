"""The workspace page in a real browser: Debian's Chromium driven headless by Playwright,
against a real uvicorn server on a loopback port and a SQLite database analysed from the
seed articles plus generated reports (one of them hostile: markup, a script, a
`javascript:` link in its title, source, URL and text)."""

from __future__ import annotations

import csv
import io
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from sitrep import pipeline
from sitrep.api import create_app
from sitrep.api.pages import CSP
from sitrep.settings import Settings
from sitrep.store import open_store

pytestmark = pytest.mark.slow
playwright = pytest.importorskip("playwright.sync_api")  # a dev dependency: always there

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "page-test-token"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
REPORTS = [
    {
        "title": "Shelling near Hajin <script>window.__pwned=1</script>",
        "date": "2019-01-10",
        "source": "Desert <b>Wire</b>",
        "url": "javascript:window.__pwned=3",
        "text": "On 8 January 2019, Islamic State militants shelled an army position in Hajin,"
        f" killing two soldiers. {HOSTILE} The attack came after weeks of fighting near the town.",
    },
    {
        "title": "Airstrike on Baghuz",
        "date": "2019-03-05",
        "source": "Syria Monitor",
        "text": "A coalition airstrike on Baghuz killed 12 civilians on Monday, local activists"
        " said. The strike hit a camp on the edge of the village.",
    },
    {
        "title": "Protest in Basra",
        "date": "2018-09-08",
        "source": "Iraq Daily",
        "text": "Thousands of protesters demonstrated in Basra on Friday against corruption and"
        " poor public services.",
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on 127.0.0.1 over a freshly analysed database; yields its base URL."""
    folder = tmp_path_factory.mktemp("page")
    reports = folder / "reports.jsonl"
    reports.write_text("\n".join(json.dumps(report) for report in REPORTS), encoding="utf-8")
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    db = folder / "page.db"
    with open_store(db) as store:
        pipeline.run([str(seeds), str(reports)], Settings(workers=1, batch_size=8), store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(db, TOKEN), host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install chromium (.ci/run)"
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, script errors, dialogs and requests are recorded."""

    def __init__(self, browser: object, base: str) -> None:
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.base = base
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        self.page.on(
            "response",
            lambda answer: (
                self.errors.append(f"{answer.status} {answer.url}")
                if answer.status >= 400
                else None
            ),
        )
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> object:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        return self.page

    def settle(self) -> None:
        """Wait for the page's next round of loading (after a filter change)."""
        self.page.wait_for_selector("body[data-ready=true]", timeout=20_000)

    def close(self) -> None:
        self.page.close()
        offsite = {host for host in self.hosts if not host.startswith("127.0.0.1:")}
        assert not offsite - {""}, f"the page reached beyond the server: {offsite}"
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


@pytest.fixture
def watched(browser: object, server: str) -> Iterator[Watched]:
    opened = Watched(browser, server)
    yield opened
    opened.close()


def api(server: str, path: str, **params: object) -> dict:
    return httpx.get(server + path, params=params, timeout=30).json()


def rows(page: object) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#table tbody tr",
        """rows => rows.map(row => ({id: row.dataset.id,
            type: row.querySelector('[data-type]').dataset.type,
            date: row.cells[0].textContent.trim(), killed: row.cells[5].textContent.trim()}))""",
    )


def refilter(watched: Watched, action: object) -> None:
    watched.page.evaluate("document.body.dataset.ready = 'false'")
    action()
    watched.settle()


def test_workspace_shows_every_event_on_map_timeline_and_table(
    watched: Watched, server: str
) -> None:
    page = watched.open("/")
    everything = api(server, "/api/events", limit=10000)
    placed = api(server, "/api/events", format="points", limit=10000)["points"]
    assert placed and int(page.get_attribute("#map", "data-events")) == len(placed)
    assert len(placed) == sum(event["lat"] is not None for event in everything["events"])
    drawn = page.locator(".event-point, .event-region, .marker-cluster").count()
    assert drawn > 0
    assert int(page.get_attribute("#timeline", "data-bars")) > 0
    shown = rows(page)
    assert len(shown) == min(everything["total"], 50) > 0
    assert {row["id"] for row in shown} <= {event["id"] for event in everything["events"]}
    newest = api(server, "/api/events", sort="-date", limit=50)["events"]
    assert [row["id"] for row in shown] == [event["id"] for event in newest]  # newest first
    response = httpx.get(server + "/", timeout=30)
    assert response.headers["content-security-policy"] == CSP
    assert _colours(page.locator("#map").screenshot()) > 20  # outlines and events drawn
    assert _colours(page.locator("#timeline").screenshot()) > 2


def _colours(png: bytes) -> int:
    """How many distinct byte values the PNG's pixel data holds: a blank picture has a
    handful (stdlib only: zlib over the IDAT chunks)."""
    assert png.startswith(b"\x89PNG")
    data, at = b"", 8
    while at < len(png):
        (size,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + size]
        at += 12 + size
    return len(set(zlib.decompress(data)))


def test_filter_by_type_narrows_map_table_and_address(watched: Watched, server: str) -> None:
    page = watched.open("/")
    refilter(watched, lambda: page.select_option("select[name=type]", "Battles"))
    battles = api(server, "/api/events", type="Battles", format="points", limit=10000)
    shown = rows(page)
    assert shown and {row["type"] for row in shown} == {"Battles"}
    assert int(page.get_attribute("#map", "data-events")) == len(battles["points"])
    assert "type=Battles" in page.url


def test_brushing_the_timeline_filters_by_dates(watched: Watched, server: str) -> None:
    page = watched.open("/")
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2

    def drag() -> None:
        page.mouse.move(box["x"] + box["width"] * 0.55, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
        page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=5)
        page.mouse.up()

    refilter(watched, drag)
    since = page.input_value("input[name=since]")
    until = page.input_value("input[name=until]")
    assert since and until and since <= until
    expected = api(server, "/api/events", since=since, until=until, limit=10000)
    assert [row["id"] for row in rows(page)] == [e["id"] for e in expected["events"][:50]]
    placed = api(server, "/api/events", since=since, until=until, format="points", limit=10000)
    assert int(page.get_attribute("#map", "data-events")) == len(placed["points"])
    assert f"since={since}" in page.url


def test_sorting_the_table_by_fatalities(watched: Watched) -> None:
    page = watched.open("/")
    for _ in range(2):  # the first click sorts ascending, the second descending
        refilter_table(page, lambda: page.click("th a.sort-link:text('Killed')"))
    killed = [int(row["killed"]) for row in rows(page) if row["killed"]]
    assert killed and killed == sorted(killed, reverse=True)


def refilter_table(page: object, action: object) -> None:
    before = page.inner_html("#table")
    action()
    page.wait_for_function(
        "before => document.querySelector('#table').innerHTML !== before", arg=before
    )


def event_id(server: str, **params: object) -> str:
    return api(server, "/api/events", limit=1, **params)["events"][0]["id"]


def marked_text(page: object, mark: str) -> str:
    """The article text under one kind of mark, in order."""
    return page.eval_on_selector_all(
        f".article-text .{mark}", "spans => spans.map(span => span.textContent).join('')"
    )


def test_event_view_marks_each_field_in_the_article(watched: Watched, server: str) -> None:
    chosen = event_id(server, q="Baghuz")
    detail = api(server, f"/api/events/{chosen}")["event"]
    page = watched.open(f"/events/{chosen}")
    sentences = "".join(item["sentence"]["text"] for item in detail["evidence"])
    assert marked_text(page, "evidence") == sentences
    spans = [(name, span) for item in detail["evidence"] for name, span in item["spans"].items()]
    assert {name for name, _ in spans} >= {"trigger", "location"}
    for name, span in spans:
        assert span["text"] in marked_text(page, f"f-{name}"), name
    killed = [span["text"] for item in detail["evidence"] for span in item["fatalities"]]
    assert killed and all(text in marked_text(page, "f-fatalities") for text in killed)
    assert page.inner_text("[data-field=fatalities]") == str(detail["fatalities"])
    assert detail["location"] in page.inner_text("[data-field=location]")


def test_hostile_article_is_shown_as_text_and_runs_nothing(watched: Watched, server: str) -> None:
    chosen = event_id(server, q="Hajin")
    page = watched.open(f"/events/{chosen}")
    assert HOSTILE in page.inner_text("#article-text")
    assert "<script>" in page.inner_text("#fields")  # the title, as text
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#article-text script, #article-text img, #fields b").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0


def review(page: object, reviewer: str, token: str) -> None:
    page.fill("input[name=reviewer]", reviewer)
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")


def test_review_with_a_wrong_token_is_refused_and_stores_nothing(
    watched: Watched, server: str
) -> None:
    chosen = event_id(server, q="Basra")
    page = watched.open(f"/events/{chosen}")
    review(page, "analyst", "wrong-token")
    page.wait_for_selector("#review-message.error")
    assert "token" in page.inner_text("#review-message")
    assert api(server, f"/api/events/{chosen}")["reviews"] == []
    watched.errors.clear()  # the refused POST's console line is the expected outcome


def test_correcting_fatalities_and_place_through_the_page(watched: Watched, server: str) -> None:
    chosen = event_id(server, q="Baghuz")
    page = watched.open(f"/events/{chosen}")
    page.check("input[name=action][value=correct]")
    page.fill("input[name=fatalities]", "14")
    page.fill("input[name=place]", "Hajin")
    page.click("#find-place")
    page.click("#place-choices button >> nth=0")
    page.fill("textarea[name=note]", "Local monitors give 14")
    with page.expect_navigation():
        review(page, "analyst", TOKEN)
    watched.settle()
    assert "Corrected by analyst" in page.inner_text("#review-state")
    shown = api(server, f"/api/events/{chosen}")
    assert shown["event"]["fatalities"] == 14 and shown["event"]["location"].startswith("Haj")
    assert shown["event"]["country"] == "SY" and shown["event"]["lat"] is not None
    assert shown["machine"]["fatalities"] == 12  # the machine's value is kept
    listed = {e["id"]: e for e in api(server, "/api/events", limit=10000)["events"]}
    assert listed[chosen]["fatalities"] == 14 and listed[chosen]["review"]["action"] == "correct"
    table = watched.open("/?q=Baghuz")
    assert "corrected" in table.inner_text("#table")
    exported = httpx.get(server + "/api/events", params={"format": "csv"}, timeout=30).text
    (row,) = [
        r for r in csv.DictReader(io.StringIO(exported)) if r["event_id_cnty"].endswith(chosen)
    ]
    assert row["fatalities"] == "14" and "reviewed: correct" in row["tags"]
    assert row["location"].startswith("Haj")


def test_only_events_in_the_maps_view(watched: Watched, server: str) -> None:
    page = watched.open("/")
    everything = int(page.inner_text("#table-count").split(" of ")[1].split()[0])
    refilter_table(page, lambda: page.check("#in-view"))
    box = page.input_value("input[name=bbox]")
    assert box and "bbox=" in page.url
    inside = api(server, "/api/events", bbox=box, limit=1)["total"]
    assert f"of {inside} events" in page.inner_text("#table-count") or inside == 0
    assert inside <= everything


def test_api_docs_page_works_offline(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/docs")
    page.wait_for_selector('.opblock-summary-path[data-path="/api/events"]', timeout=20_000)
    assert page.locator(".opblock").count() >= 8


def test_search_page_marks_the_words_and_links_the_events(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/search?q=Hajin+soldiers&mode=words")
    assert "1 article found" in page.inner_text("#search-count")
    marked = page.eval_on_selector_all("#hits mark", "marks => marks.map(m => m.textContent)")
    assert marked and {word.lower() for word in marked} <= {"hajin", "soldiers"}
    assert page.evaluate("window.__pwned") is None  # the hostile report, as text
    page.click("#hits a[href^='/events/']")
    page.wait_for_selector("body[data-ready=true]")
    assert "Hajin" in page.inner_text("#article-text")


def test_search_page_finds_german_articles_for_an_english_question(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/search?q=the+US-led+coalition+ends+its+mission+in+Iraq")
    assert page.input_value("select[name=mode]") == "both"
    hits = page.locator("#hits > li")
    found = [hits.nth(i).inner_text() for i in range(hits.count())]
    assert any(" de · " in f" {hit}" and "found by meaning" in hit for hit in found), found


def test_stories_page_lists_stories_and_a_story_shows_its_articles_in_time_order(
    watched: Watched, server: str
) -> None:
    listed = api(server, "/api/stories")["stories"]
    assert listed and all(story["articles"] >= 2 for story in listed)
    page = watched.page
    page.goto(watched.base + "/stories")
    assert page.locator("#stories tbody tr").count() == len(listed)
    page.click(f"#stories a[href='/stories/{listed[0]['id']}']")
    page.wait_for_selector("#story-articles")
    shown = page.locator("#story-articles > li").count()
    assert shown == listed[0]["articles"]
    story = api(server, f"/api/stories/{listed[0]['id']}")
    dates = [a["published"] for a in story["articles"] if a["published"]]
    assert dates == sorted(dates)
    assert page.locator("#story-events tbody tr").count() == len(story["events"])
    missing = httpx.get(server + "/stories/999999", timeout=30)
    assert missing.status_code == 404 and "no story" in missing.text
