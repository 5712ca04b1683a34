"""The events gate (`sitrep eval gate`): the pinned subset of the event gold must reach its
floors on every CI run, and floors only ever hold for the gold they were measured on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitrep.eval import gate

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "eval" / "baseline.json"
GOLD = ROOT / "eval" / "gold" / "events-dev.jsonl"
DATA = ROOT.parent / "shared" / "data"


def test_eval_gate_subset_reaches_its_floors() -> None:
    """Seeds always (they ship with Sitrep); the shared articles where ../shared exists."""
    assert gate.check(BASELINE, GOLD, DATA) == []


def test_eval_gate_fails_on_a_gold_it_was_not_measured_on(tmp_path: Path) -> None:
    gold = tmp_path / "events-dev.jsonl"
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["events"] = []
    gold.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    (problem,) = gate.check(BASELINE, gold, DATA)
    assert "changed since the floors were set" in problem


def test_eval_gate_update_never_lowers_a_floor_silently(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    shutil.copy(BASELINE, baseline)
    pinned = json.loads(baseline.read_text(encoding="utf-8"))
    pinned["subset"] = [ref for ref in pinned["subset"] if ref.startswith("seed:")]
    pinned["floors"]["seeds"]["strict_f1"] = 1.0  # above anything the system reaches
    baseline.write_text(json.dumps(pinned), encoding="utf-8")
    with pytest.raises(ValueError, match="strict_f1"):
        gate.update(baseline, GOLD, DATA)
    updated = gate.update(baseline, GOLD, DATA, allow_regression=True)
    assert updated["floors"]["seeds"]["strict_f1"] < 1.0  # type: ignore[index]


def test_eval_gate_update_for_another_machine_only_lowers(tmp_path: Path) -> None:
    """A floor set on one CPU comes down to what another measures and none goes up: the
    floors then hold on both."""
    baseline = tmp_path / "baseline.json"
    shutil.copy(BASELINE, baseline)
    pinned = json.loads(baseline.read_text(encoding="utf-8"))
    pinned["subset"] = [ref for ref in pinned["subset"] if ref.startswith("seed:")]
    pinned["floors"]["seeds"]["strict_f1"] = 1.0  # above anything the system reaches
    pinned["floors"]["seeds"]["date"] = 0.0  # below anything it reaches
    baseline.write_text(json.dumps(pinned), encoding="utf-8")
    updated = gate.update(baseline, GOLD, DATA, allow_regression=True, another_machine=True)
    floors = updated["floors"]["seeds"]  # type: ignore[index]
    assert floors["strict_f1"] < 1.0 and floors["date"] == 0.0
    assert gate.check(baseline, GOLD, DATA) == []
