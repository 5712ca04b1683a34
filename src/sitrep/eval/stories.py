"""`sitrep eval stories`: how well Sitrep's article vectors tell the same story from
another, against people.

- `semeval2022`: SemEval-2022 Task 8 pairs (the English, German and German–English ones):
  Pearson between the vectors' cosine and the annotators' `Overall` (1 = same story, 4 =
  unrelated; the sign is turned so that higher agrees), overall and per language pair,
  and same-story classification (Overall ≤ 1.5) at a threshold chosen by 5-fold
  cross-validation: each fold is scored with the threshold that was best on the others.
- `fakes`: FA-KES articles grouped by `stories.grouping` with the event's date as the
  article's; articles of the same date, governorate and cause are one event. Pairwise
  P/R/F1 and B³ F1 (Bagga and Baldwin, 1998).
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

import numpy as np

from sitrep.errors import Code, InputError
from sitrep.eval.common import PRF
from sitrep.stories import grouping, vectors

LANGUAGES = {"en", "de"}
SAME_STORY = 1.5  # Overall at or under this: the same story
FOLDS = 5


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1]) if len(x) > 2 else 0.0


def _best_threshold(similarity: np.ndarray, same: np.ndarray) -> float:
    """The cut that maximises F1 of `similarity >= cut` against `same`."""
    best, best_f1 = 1.0, -1.0
    for cut in np.unique(similarity):
        chosen = similarity >= cut
        tp = int((chosen & same).sum())
        f1 = 2 * tp / (chosen.sum() + same.sum()) if chosen.sum() + same.sum() else 0.0
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best


def read_pairs(path: Path) -> list[dict[str, str]]:
    """The scored English, German and German–English pairs of a SemEval-2022 Task 8 CSV."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [
                row
                for row in csv.DictReader(handle)
                if {row["lang1"], row["lang2"]} <= LANGUAGES and row["Overall"]
            ]
    except (OSError, KeyError, UnicodeDecodeError) as exc:
        raise InputError(
            Code.INPUT_UNREADABLE, f"{path}: not a SemEval-2022 Task 8 CSV ({exc})"
        ) from None
    if not rows:
        raise InputError(Code.INPUT_UNREADABLE, f"{path}: no English or German pairs")
    return rows


def semeval(path: Path, details: list[dict] | None = None) -> dict[str, object]:
    """Pearson and same-story F1 on a SemEval-2022 Task 8 CSV."""
    rows = read_pairs(path)
    first = vectors.leads([row["text1"] for row in rows])
    second = vectors.leads([row["text2"] for row in rows])
    similarity = (first * second).sum(axis=1)
    overall = np.array([float(row["Overall"]) for row in rows])
    kinds = np.array(["-".join(sorted((row["lang1"], row["lang2"]))) for row in rows])
    same = overall <= SAME_STORY
    order = list(range(len(rows)))
    random.Random(13).shuffle(order)
    fold_of = np.zeros(len(rows), int)
    for rank, index in enumerate(order):
        fold_of[index] = rank % FOLDS
    predicted = np.zeros(len(rows), bool)
    for fold in range(FOLDS):
        held = fold_of == fold
        cut = _best_threshold(similarity[~held], same[~held])
        predicted[held] = similarity[held] >= cut
    score = PRF(int((predicted & same).sum()), int(predicted.sum()), int(same.sum()))
    if details is not None:
        for row, value, guess in zip(rows, similarity, predicted, strict=True):
            details.append(
                {
                    "pair_id": row["pair_id"],
                    "languages": f"{row['lang1']}-{row['lang2']}",
                    "overall": float(row["Overall"]),
                    "similarity": round(float(value), 4),
                    "same_story": bool(guess),
                }
            )
    return {
        "pairs": len(rows),
        "pearson": round(_pearson(similarity, -overall), 4),
        "pearson_by_languages": {
            kind: round(_pearson(similarity[kinds == kind], -overall[kinds == kind]), 4)
            for kind in sorted(set(kinds))
        },
        "same_story": {**score.as_dict(), "gold": int(same.sum()), "cross_validated": FOLDS},
        "threshold_on_all_pairs": round(_best_threshold(similarity, same), 4),
        "threshold_in_use": grouping.JOIN,
    }


def _fakes_date(value: str) -> str | None:
    """FA-KES's m/d/yy as YYYY-MM-DD."""
    try:
        month, day, year = (int(part) for part in value.split("/"))
    except ValueError:
        return None
    return f"{2000 + year if year < 100 else year:04d}-{month:02d}-{day:02d}"


def _b_cubed(gold: list[str], found: list[int]) -> tuple[float, float]:
    """B³ precision and recall: per item, the share of its found group that shares its
    gold group, and the share of its gold group found with it; averaged over items."""
    gold_members: dict[str, set[int]] = defaultdict(set)
    found_members: dict[int, set[int]] = defaultdict(set)
    for item, (truth, guess) in enumerate(zip(gold, found, strict=True)):
        gold_members[truth].add(item)
        found_members[guess].add(item)
    precision = recall = 0.0
    for truth, guess in zip(gold, found, strict=True):
        both = len(gold_members[truth] & found_members[guess])
        precision += both / len(found_members[guess])
        recall += both / len(gold_members[truth])
    return (precision / len(gold), recall / len(gold)) if gold else (0.0, 0.0)


def fakes(path: Path, details: list[dict] | None = None) -> dict[str, object]:
    """Same-event grouping of FA-KES articles: pairwise and B³ scores."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        events = [(row["date"], row["location"], row["cause_of_death"]) for row in rows]
        texts = [f"{row['article_title']}\n{row['article_content']}" for row in rows]
    except (OSError, KeyError, UnicodeDecodeError) as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{path}: not a FA-KES CSV ({exc})") from None
    leads = vectors.leads(texts)
    grouper = grouping.Grouper()
    found = [
        grouper.add(_fakes_date(row["date"]), vector)[0]
        for row, vector in zip(rows, leads, strict=True)
    ]
    gold = ["|".join(event) for event in events]
    pairs = PRF()
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            same_gold, same_found = gold[i] == gold[j], found[i] == found[j]
            pairs += PRF(int(same_gold and same_found), int(same_found), int(same_gold))
    precision, recall = _b_cubed(gold, found)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if details is not None:
        for row, story, event in zip(rows, found, gold, strict=True):
            details.append({"unit_id": row["unit_id"], "story": story, "event": event})
    return {
        "articles": len(rows),
        "events": len(set(gold)),
        "stories": len(set(found)),
        "pairwise": pairs.as_dict(),
        "b_cubed": {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)},
    }
