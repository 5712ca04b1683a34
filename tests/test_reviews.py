"""An analyst's reviews: stored as their own layer with history, the machine's analysis never
overwritten, and the reviewed values used by the API and by every export."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from apiclient import AUTH, TOKEN
from apiclient import get as _get
from apiclient import post as _post
from sitrep import pipeline
from sitrep.acled import SUB_EVENT_TYPES
from sitrep.settings import Settings
from sitrep.store import open_store

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


@pytest.fixture
def reviewed_db(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.db"
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    with open_store(path) as store:
        pipeline.run([str(seeds)], Settings(workers=1, batch_size=8), store)
    return path


def _export_csv(db: Path) -> list[dict[str, str]]:
    result = subprocess.run(
        [*SITREP, "export", "--db", str(db), "--format", "acled-csv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_reviews_correct_reject_and_keep_history(reviewed_db: Path) -> None:
    events = _get(reviewed_db, "/api/events").json()["events"]
    first, second = events[0]["id"], events[1]["id"]
    machine_fatalities = events[0]["fatalities"]
    correction = {
        "action": "correct",
        "reviewer": "analyst-1",
        "changes": {"fatalities": 7, "event_type": "Battles", "sub_event_type": "Armed clash"},
        "note": "toll from the ministry's later statement",
    }
    corrected = _post(
        reviewed_db, f"/api/events/{first}/review", TOKEN, json=correction, headers=AUTH
    )
    assert corrected.status_code == 201, corrected.text
    body = corrected.json()
    assert body["event"]["fatalities"] == 7 and body["event"]["sub_event_type"] == "Armed clash"
    assert body["event"]["review"]["reviewer"] == "analyst-1"
    assert body["machine"]["fatalities"] == machine_fatalities  # the machine's value is kept
    confirm = {"action": "confirm", "reviewer": "analyst-2"}
    again = _post(reviewed_db, f"/api/events/{first}/review", TOKEN, json=confirm, headers=AUTH)
    history = again.json()["reviews"]
    assert [item["action"] for item in history] == ["correct", "confirm"]
    assert again.json()["event"]["fatalities"] == machine_fatalities  # the latest is in force
    reject = {"action": "reject", "reviewer": "analyst-1", "note": "a claim, not an event"}
    _post(reviewed_db, f"/api/events/{second}/review", TOKEN, json=reject, headers=AUTH)
    page = _get(reviewed_db, "/api/events").json()
    listed = {e["id"]: e for e in page["events"]}
    assert second not in listed and listed[first]["review"]["action"] == "confirm"
    assert page["total"] == len(events) - 1  # the rejected event is not counted either
    shown = _get(reviewed_db, f"/api/events/{second}").json()
    assert shown["event"]["review"]["action"] == "reject"  # still visible on its own page
    with open_store(reviewed_db) as store:  # the machine's analysis is untouched
        analysis = store.analysis(events[0]["article_id"])
    assert analysis is not None
    assert next(e for e in analysis.events if e.id == first).fatalities == machine_fatalities


def test_reviews_reach_the_exports(reviewed_db: Path) -> None:
    events = _get(reviewed_db, "/api/events").json()["events"]
    first, second = events[0]["id"], events[1]["id"]
    change = {"action": "correct", "reviewer": "a", "changes": {"fatalities": 11}}
    _post(reviewed_db, f"/api/events/{first}/review", TOKEN, json=change, headers=AUTH)
    reject = {"action": "reject", "reviewer": "a"}
    _post(reviewed_db, f"/api/events/{second}/review", TOKEN, json=reject, headers=AUTH)
    rows = {row["event_id_cnty"].split("-", 1)[1]: row for row in _export_csv(reviewed_db)}
    assert rows[first]["fatalities"] == "11" and "reviewed: correct" in rows[first]["tags"]
    assert second not in rows
    page = _get(reviewed_db, "/api/events", params={"format": "csv"}).text
    api_rows = {r["event_id_cnty"].split("-", 1)[1]: r for r in csv.DictReader(io.StringIO(page))}
    assert api_rows[first]["fatalities"] == "11" and second not in api_rows
    geo = _get(reviewed_db, "/api/events", params={"format": "geojson"}).json()
    assert next(f for f in geo["features"] if f["id"] == first)["properties"]["review"] == "correct"


@pytest.mark.parametrize(
    ("review", "status"),
    [
        ({"action": "correct", "reviewer": "a"}, 422),  # a correction that changes nothing
        ({"action": "reject", "reviewer": "a", "changes": {"fatalities": 3}}, 422),
        ({"action": "correct", "reviewer": "a", "changes": {"event_type": "Picnic"}}, 422),
        (
            {
                "action": "correct",
                "reviewer": "a",
                "changes": {"event_type": "Riots", "sub_event_type": "Air/drone strike"},
            },
            422,
        ),
        ({"action": "correct", "reviewer": "a", "changes": {"fatalities": -1}}, 422),
        ({"action": "correct", "reviewer": "a", "changes": {"event_type": "Riots"}}, 422),
        ({"action": "approve", "reviewer": "a"}, 422),
        ({"action": "confirm", "reviewer": ""}, 422),
    ],
)
def test_reviews_bad_reviews_are_refused(reviewed_db: Path, review: dict, status: int) -> None:
    event_id = _get(reviewed_db, "/api/events").json()["events"][0]["id"]
    response = _post(
        reviewed_db, f"/api/events/{event_id}/review", TOKEN, json=review, headers=AUTH
    )
    assert response.status_code == status and response.json()["ok"] is False


def test_reviews_a_sub_type_alone_must_fit_the_events_type(reviewed_db: Path) -> None:
    event = _get(reviewed_db, "/api/events").json()["events"][0]
    kind = event["event_type"]
    other = next(sub for k, subs in SUB_EVENT_TYPES.items() if k != kind for sub in subs)
    review = {"action": "correct", "reviewer": "a", "changes": {"sub_event_type": other}}
    url = f"/api/events/{event['id']}/review"
    refused = _post(reviewed_db, url, TOKEN, json=review, headers=AUTH)
    assert refused.status_code == 422 and kind in refused.json()["error"]
    own = next(sub for sub in SUB_EVENT_TYPES[kind] if sub != event["sub_event_type"])
    review["changes"] = {"sub_event_type": own}
    accepted = _post(reviewed_db, url, TOKEN, json=review, headers=AUTH)
    assert accepted.status_code == 201 and accepted.json()["event"]["sub_event_type"] == own


def test_reviews_need_the_token_and_a_known_event(reviewed_db: Path) -> None:
    event_id = _get(reviewed_db, "/api/events").json()["events"][0]["id"]
    review = {"action": "confirm", "reviewer": "a"}
    assert (
        _post(reviewed_db, f"/api/events/{event_id}/review", None, json=review).status_code == 403
    )
    unknown = _post(reviewed_db, "/api/events/nope/review", TOKEN, json=review, headers=AUTH)
    assert unknown.status_code == 404 and json.loads(unknown.text)["status"] == 404
