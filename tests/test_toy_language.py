"""Adding a language is adding a folder: a toy language built from one folder on
`SITREP_LANG_PATH` runs through the whole pipeline, as a user runs it (`sitrep analyze`).

The toy language is English with its own month names and its own word for killing, so
what the pipeline finds can only come from the toy folder: the same text read as English
gets neither the date nor the toll.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import lang

MONTHS = ["Frostmoon", "Thawmoon", "Seedmoon", "Rainmoon", "Bloommoon", "Sunmoon"]
MONTHS += ["Haymoon", "Grainmoon", "Fruitmoon", "Leafmoon", "Mistmoon", "Darkmoon"]
REPORT = (
    "On 3 Frostmoon 2019, militants shelled an army position in Tal Afar, "
    "unliving two soldiers, the army said."
)
SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def _toy_folder(root: Path) -> Path:
    """A copy of the English folder with toy months and a toy verb of killing (and no
    demonyms: the gazetteer index stays the one every other test uses)."""
    folder = root / "xx"
    shutil.copytree(lang.BUILT_IN / "en", folder, ignore=shutil.ignore_patterns("demonyms.tsv"))
    months = "\n".join(MONTHS) + "\n"
    (folder / "months.txt").write_text(months, encoding="utf-8")
    time_words = json.loads((folder / "time.json").read_text(encoding="utf-8"))
    time_words["months"] = {name.lower(): number for number, name in enumerate(MONTHS, 1)}
    time_words["case_sensitive"]["MONTH"] = []
    (folder / "time.json").write_text(json.dumps(time_words), encoding="utf-8")
    figures = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    figures["cues"]["killed"] = ["unliving", "unlived"]
    (folder / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    return folder


def _analyze(path: Path, language: str, lang_path: Path) -> dict:
    env = {**os.environ, "SITREP_LANG_PATH": str(lang_path)}
    result = subprocess.run(
        [*SITREP, "analyze", str(path), "--json", "--lang", language, "--date", "2019-01-05"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_toy_language_from_one_folder_runs_through_the_whole_pipeline(tmp_path: Path) -> None:
    _toy_folder(tmp_path / "languages")
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    toy = _analyze(report, "xx", tmp_path / "languages")
    assert toy["article"]["language"] == "xx"
    assert toy["sentences"] and toy["paragraphs"]
    dates = {t["mention"]: t["earliest"] for t in toy["times"]}
    assert dates.get("3 Frostmoon 2019") == "2019-01-03"
    assert [(p["mention"], p["name"]) for p in toy["places"]] == [("Tal Afar", "Tal Afar")]
    killed = [f for f in toy["figures"] if f["category"] == "killed"]
    assert [f["value"] for f in killed] == [2]
    [event] = toy["events"]
    assert event["sub_event_type"] == "Shelling/artillery/missile attack"
    assert event["fatalities"] == 2
    assert event["date"]["earliest"] == "2019-01-03"
    assert event["location"]["name"] == "Tal Afar" and event["location"]["country"] == "IQ"
    english = _analyze(report, "en", tmp_path / "languages")  # the words are the toy's own
    assert "3 Frostmoon 2019" not in {t["mention"] for t in english["times"]}
    assert not [f for f in english["figures"] if f["category"] == "killed"]
