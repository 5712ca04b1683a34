"""The `sitrep` command as a user runs it: real subprocesses, real files, real database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.models import Analysis

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def sitrep(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SITREP, *args], capture_output=True, text=True, input=stdin, cwd=cwd, timeout=300
    )


def _analyze(path: Path, *extra: str) -> dict:
    result = sitrep("analyze", str(path), "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_analyze_german_article_with_trailer_date(seeds: Path) -> None:
    data = _analyze(seeds / "002_9d3f46580d6cf18e.txt")
    Analysis.model_validate(data)
    assert data["article"]["language"] == "de"
    assert data["article"]["published"] == {
        "date": "2021-12-31",
        "precision": "day",
        "origin": "text",
        "not_before": "2021-12-31",
    }
    friday = next(time for time in data["times"] if time["mention"] == "Freitag")
    assert (friday["value"], friday["precision"]) == ("2021-12-31", "day")


def test_cli_analyze_removes_the_boilerplate_of_003(seeds: Path) -> None:
    data = _analyze(seeds / "003_1de29ac0a172954b.txt")
    removed = [item["text"].strip() for item in data["article"]["removed"]]
    boilerplate = [
        "advertisements",
        "About rashed",
        "Schreibe einen Kommentar",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
    ]
    assert removed == boilerplate
    for line in boilerplate:
        assert line not in data["article"]["text"]


def test_cli_analyze_english_and_undated(seeds: Path) -> None:
    assert _analyze(seeds / "000_5eab4c28b670c610.txt")["article"]["language"] == "en"
    undated = _analyze(seeds / "001_024516dab5a9576a.txt")["article"]
    assert undated["published"]["date"] is None
    assert undated["published"]["origin"] == "unknown"
    assert "C003" in [warning["code"] for warning in undated["warnings"]]
    given = _analyze(seeds / "001_024516dab5a9576a.txt", "--date", "2017-11-05")["article"]
    assert given["published"] == {
        "date": "2017-11-05",
        "precision": "day",
        "origin": "user",
        "not_before": None,
    }


def test_cli_analyze_offsets_point_into_the_text(seeds: Path) -> None:
    data = _analyze(seeds / "004_6bfc888372da8f9f.txt")
    text = data["article"]["text"]
    sentences = [text[s["start"] : s["end"]] for s in data["sentences"]]
    assert sentences[0] == "„Kalifat“ endet in al-Bagouz"
    assert all(sentence == sentence.strip() and sentence for sentence in sentences)


def test_cli_analyze_reads_stdin_and_forced_language() -> None:
    result = sitrep("analyze", "-", "--json", "--lang", "de", stdin="Kämpfe dauern an.\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["language"] == "de"


def test_cli_contract_checker_accepts_the_output(seeds: Path) -> None:
    checker = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_contract.py"
    if not checker.exists():
        pytest.skip("../shared is not beside this checkout")
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, str(checker), *map(str, sorted(seeds.glob("*.txt")))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 of 5 files follow the contract" in result.stdout


def test_cli_run_articles_export(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = sitrep("run", str(seeds), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert (
        "5 items, 5 new articles, 0 duplicates, 0 near-duplicates, 0 already done, 0 failed"
        in result.stdout
    )
    assert "languages:         de 4, en 1" in result.stdout
    table = sitrep("articles", "--db", str(db))
    assert (
        table.returncode == 0 and "5 articles in" in table.stdout and "2021-12-31" in table.stdout
    )
    exported = sitrep("export", "--db", str(db), "--format", "jsonl")
    rows = [Analysis.model_validate_json(line) for line in exported.stdout.splitlines()]
    assert sorted(row.article.language for row in rows) == ["de", "de", "de", "de", "en"]
    every = sitrep("events", "--db", str(db), "--background")
    sure = sitrep("events", "--db", str(db), "--background", "--min-confidence", "0.9")
    assert every.returncode == sure.returncode == 0
    shown = [int(r.stdout.split(" events in")[0].split()[-1]) for r in (every, sure)]
    expected = sum(e.confidence >= 0.9 for row in rows for e in row.events)
    assert shown[0] == sum(len(row.events) for row in rows) > shown[1] == expected
    as_json = sitrep("events", "--db", str(db), "--format", "json")
    listed = [json.loads(line) for line in as_json.stdout.splitlines()]
    coded = {e.id: e for row in rows for e in row.events if not e.background}
    assert {item["id"] for item in listed} == set(coded)
    as_csv = sitrep("events", "--db", str(db), "--format", "csv")
    assert as_csv.stdout.splitlines()[0].startswith("event_id_cnty,event_date")
    assert len(as_csv.stdout.splitlines()) == len(listed) + 1
    event = next(e for e in coded.values() if e.evidence[0].location)
    show = sitrep("show", event.id, "--db", str(db))
    assert show.returncode == 0, show.stderr
    text = next(row for row in rows if event in row.events).article.text
    place = text[slice(*event.evidence[0].location)]
    assert f"[{place}]location" in show.stdout and event.sub_event_type in show.stdout
    missing = sitrep("show", "no-such-event", "--db", str(db))
    assert missing.returncode == 2 and "[U006]" in missing.stderr
    to_stdout = sitrep("export", "--db", str(db), "--format", "parquet")
    assert to_stdout.returncode == 2 and "--output" in to_stdout.stderr
    parquet = tmp_path / "events.parquet"
    written = sitrep("export", "--db", str(db), "--format", "parquet", "--output", str(parquet))
    assert written.returncode == 0 and f"wrote {len(listed)} records" in written.stderr
    found = sitrep("search", "Luftoperation", "--db", str(db), "--json")
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert found.returncode == 0 and hits and hits[0]["language"] == "de"
    too_short = sitrep("search", "IS", "--db", str(db), "--mode", "words")
    assert too_short.returncode == 2 and "[U001]" in too_short.stderr
    analysed = sitrep("analyze", str(seeds / "004_6bfc888372da8f9f.txt"))
    assert analysed.stdout.count("  event ") == len(
        next(r for r in rows if r.article.source.endswith("004_6bfc888372da8f9f.txt")).events
    )


def test_cli_run_exit_1_names_the_failed_items(seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text((seeds / "000_5eab4c28b670c610.txt").read_text())
    (tmp_path / "in" / "bad.txt").write_bytes(b"%PDF-1.4 binary")
    result = sitrep("run", str(tmp_path / "in"), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 1
    assert "1 new articles" in result.stdout
    assert "bad.txt: not text (PDF document)" in result.stdout


def test_cli_usage_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    bad_date = sitrep("analyze", "x.txt", "--date", "31.12.2021")
    assert bad_date.returncode == 2
    assert (
        bad_date.stderr.strip() == "error: [U003] --date '31.12.2021' is not a date like 2021-12-31"
    )
    no_db = sitrep("articles", "--db", str(tmp_path / "none.db"))
    assert no_db.returncode == 2 and "no database here" in no_db.stderr
    unknown = sitrep("nonsense")
    assert unknown.returncode == 2
    bad_lang = sitrep("analyze", "x.txt", "--lang", "german")
    assert bad_lang.returncode == 2 and "[U001]" in bad_lang.stderr
    for result in (bad_date, no_db, bad_lang):
        assert "Traceback" not in result.stderr


def test_cli_missing_input_is_one_line_with_exit_1(tmp_path: Path) -> None:
    result = sitrep("run", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("missing: no such file or directory")
    assert "Traceback" not in result.stderr
    debug = sitrep("--debug", "run", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db"))
    assert "Traceback" in debug.stderr


def test_cli_schema_is_the_contract_schema() -> None:
    result = sitrep("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Analysis"
    assert {"article", "places", "times", "actors", "figures", "events"} <= set(
        schema["properties"]
    )


def test_cli_starts_without_loading_the_pipeline() -> None:
    probe = "import sys, sitrep.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    heavy = {"spacy", "numpy", "onnxruntime", "sitrep.pipeline", "sitrep.models"}
    assert heavy.isdisjoint(loaded), sorted(heavy.intersection(loaded))
    version = sitrep("--version")
    assert version.returncode == 0 and version.stdout.strip() == "sitrep 0.1.0"


def test_cli_time_tags_the_article_text_of_a_page_not_its_markup(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Raid</title>"
        '<meta property="article:published_time" content="2019-03-02T10:00:00Z">'
        '<script>var d = "2001-01-01";</script></head><body><article>'
        "<p>Fighters attacked the village on Friday, residents said. The assault on the "
        "village lasted for three hours before the attackers withdrew to the desert.</p>"
        "<p>On 1 March 2019 the coalition said it had struck two positions near the town. "
        "Residents said the strikes hit an empty school and a market.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    result = sitrep("time", str(page), "--format", "json")
    assert result.returncode == 0, result.stderr
    spans = json.loads(result.stdout)
    values = {span["mention"]: span["value"] for span in spans}
    assert values.get("Friday") == "2019-03-01"  # anchored on the page's own date
    assert values.get("1 March 2019") == "2019-03-01"
    assert not any("2001" in text or "<" in text for text in values)
