"""A tiny folder laid out like ../shared/data, for the yardsticks that read the corpora."""

from __future__ import annotations

import csv
from pathlib import Path


def guardian(tmp_path: Path, texts: list[tuple[str, str]]) -> Path:
    """A data folder whose Guardian corpus holds these (date, text) articles."""
    data = tmp_path / "data"
    (data / "corpus").mkdir(parents=True)
    with (data / "corpus" / "guardian_sdf_2019.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "text", "source"])
        writer.writerows([date, text, "guardian"] for date, text in texts)
    return data
