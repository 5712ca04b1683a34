"""Geoparsing evaluation on LGL, TR-News (`lgl` format) and GeoVirus (`geovirus` format).

`evaluate(path, fmt, mode)` returns one flat dict (fractions 0–1, distances in km):

- `mode="resolve"`: the gold mentions are given; every gold toponym with coordinates counts.
  `acc161` share resolved within 161 km (an unresolved mention is a miss), `exact` share with
  the gold GeoNames id (only where the gold has one and so is comparable; GeoVirus links
  Wikipedia, so `exact` is null there), `mean_km` / `median_km` (an unresolved mention counts
  as 20,039 km, half the Earth's circumference), `auc`: area under the curve of the sorted
  log errors, normalised to 0–1 as in Gritta et al. 2019 — lower is better.
- `mode="end2end"`: toponyms are found in the raw text. `precision`/`recall`/`f1` over exact
  spans, `*_overlap` over overlapping spans, and the resolution figures over the gold mentions
  that a found mention overlaps (`n` counts those).
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sitrep.geo.resolve import great_circle_km
from sitrep.models import Place

__all__ = ["GoldArticle", "GoldToponym", "evaluate", "read_gold", "score_errors"]

MAX_KM = 20039.0


@dataclass
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonames_id: int | None


@dataclass
class GoldArticle:
    text: str
    toponyms: list[GoldToponym]


def _float(node: ET.Element | None) -> float | None:
    return float(node.text) if node is not None and node.text not in (None, "") else None


def _realign(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    """Offsets that really cover `phrase` (GeoVirus and parts of TR-News are off by one)."""
    if text[start:end] == phrase or not phrase:
        return start, end
    for shift in (-1, 1, -2, 2, -3, 3):
        if text[start + shift : start + shift + len(phrase)] == phrase:
            return start + shift, start + shift + len(phrase)
    found = text.find(phrase, max(0, start - 30))
    if found != -1 and found - start < 30:
        return found, found + len(phrase)
    return start, end


def read_gold(path: Path, fmt: Literal["lgl", "geovirus"]) -> list[GoldArticle]:
    """The articles of an LGL/TR-News or GeoVirus XML file with their gold toponyms."""
    root = ET.parse(path).getroot()
    articles: list[GoldArticle] = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        toponyms: list[GoldToponym] = []
        tag, container = ("toponym", "toponyms") if fmt == "lgl" else ("location", "locations")
        for node in article.iter(tag):
            start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
            if fmt == "lgl":
                gaz = node.find("gaztag")
                gid = (
                    int(gaz.get("geonameid")) if gaz is not None and gaz.get("geonameid") else None
                )
                lat = _float(gaz.find("lat")) if gaz is not None else None
                lon = _float(gaz.find("lon")) if gaz is not None else None
                phrase = node.findtext("phrase") or text[start:end]
            else:
                gid, lat, lon = None, _float(node.find("lat")), _float(node.find("lon"))
                phrase = node.findtext("name") or text[start:end]
            start, end = _realign(text, start, end, phrase)
            toponyms.append(GoldToponym(start, end, phrase, lat, lon, gid))
        del container
        articles.append(GoldArticle(text, toponyms))
    return articles


def score_errors(errors: list[float], exact: list[bool]) -> dict[str, float | int | None]:
    """`n`, `acc161`, `exact`, `mean_km`, `median_km`, `auc` from per-mention errors (km)."""
    n = len(errors)
    if not n:
        return {
            "n": 0,
            "acc161": None,
            "exact": None,
            "mean_km": None,
            "median_km": None,
            "auc": None,
        }
    ordered = sorted(errors)
    logs = [math.log(1 + e) / math.log(MAX_KM + 1) for e in ordered]
    pairs = range(n - 1)
    auc = sum((logs[i] + logs[i + 1]) / 2 for i in pairs) / (n - 1) if n > 1 else logs[0]
    return {
        "n": n,
        "acc161": round(sum(e <= 161 for e in errors) / n, 4),
        "exact": round(sum(exact) / len(exact), 4) if exact else None,
        "mean_km": round(statistics.fmean(errors), 1),
        "median_km": round(statistics.median(errors), 1),
        "auc": round(auc, 4),
    }


def _prf(hits: int, found: int, gold: int) -> tuple[float, float, float]:
    precision = hits / found if found else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def evaluate(
    path: Path,
    fmt: Literal["lgl", "geovirus"],
    mode: Literal["resolve", "end2end"] = "resolve",
    details: list[dict] | None = None,
) -> dict[str, float | int | None]:
    """Score the geo stage on one gold file; see the module docstring for the keys.
    `details` receives one record per gold toponym and per spurious place, to read errors."""
    from sitrep.geo import find_places, resolve_mentions

    errors: list[float] = []
    exact: list[bool] = []
    found_total = gold_total = exact_hits = overlap_found = overlap_gold = 0
    for number, article in enumerate(read_gold(Path(path), fmt)):
        if mode == "resolve":
            gold = [t for t in article.toponyms if t.lat is not None]
            try:
                places = resolve_mentions(article.text, [(t.start, t.end) for t in gold], "en")
            except Exception:  # a crash counts as a full miss, reported once in the figures
                places = [None] * len(gold)
            pairs = list(zip(gold, places, strict=True))
        else:
            gold_all = article.toponyms
            try:
                found = find_places(article.text, "en")
            except Exception:
                found = []
            found_total += len(found)
            gold_total += len(gold_all)
            spans = {(p.start, p.end) for p in found}
            exact_hits += sum((t.start, t.end) in spans for t in gold_all)
            overlap_found += sum(
                any(p.start < t.end and t.start < p.end for t in gold_all) for p in found
            )
            pairs = []
            for toponym in gold_all:
                match = next(
                    (p for p in found if p.start < toponym.end and toponym.start < p.end), None
                )
                if match is not None:
                    overlap_gold += 1
                    if toponym.lat is not None:
                        pairs.append((toponym, match))
        if details is not None and mode == "end2end":
            details.extend(_end2end_details(number, article, found))
        for toponym, place in pairs:
            if place is None or place.lat is None or place.lon is None:
                errors.append(MAX_KM)
            else:
                errors.append(great_circle_km(toponym.lat, toponym.lon, place.lat, place.lon))
            if details is not None and mode == "resolve":
                details.append(
                    {"article": number, "gold": toponym.phrase, "start": toponym.start}
                    | _resolved(toponym, place)
                )
            if toponym.geonames_id is not None:
                exact.append(place is not None and place.geonames_id == toponym.geonames_id)
    result = score_errors(errors, exact)
    if mode == "end2end":
        p, r, f = _prf(exact_hits, found_total, gold_total)
        po, ro = (
            round(overlap_found / found_total, 4) if found_total else 0.0,
            round(overlap_gold / gold_total, 4) if gold_total else 0.0,
        )
        fo = round(2 * po * ro / (po + ro), 4) if po + ro else 0.0
        result.update(
            precision=p, recall=r, f1=f, precision_overlap=po, recall_overlap=ro, f1_overlap=fo
        )
    return result


def _resolved(toponym: GoldToponym, place: Place | None) -> dict:
    """How far the place resolved for a gold toponym lies from the gold point."""
    if place is None or place.lat is None or place.lon is None or toponym.lat is None:
        return {"resolved": None, "km": None, "reason": place.reason if place else None}
    km = great_circle_km(toponym.lat, toponym.lon, place.lat, place.lon)
    return {"resolved": place.name, "country": place.country, "km": round(km, 1)}


def _end2end_details(number: int, article: GoldArticle, found: list[Place]) -> list[dict]:
    """Per gold toponym: found exactly, overlapping or missed (and how far off); then the
    places found where the gold has none."""
    out = []
    for toponym in article.toponyms:
        match = next((p for p in found if p.start < toponym.end and toponym.start < p.end), None)
        record = {"article": number, "gold": toponym.phrase, "start": toponym.start}
        if match is None:
            out.append(record | {"outcome": "missed"})
            continue
        exact = (match.start, match.end) == (toponym.start, toponym.end)
        outcome = "exact" if exact else "overlap"
        out.append(
            record | {"outcome": outcome, "found": match.mention} | _resolved(toponym, match)
        )
    for place in found:
        if not any(place.start < t.end and t.start < place.end for t in article.toponyms):
            out.append(
                {"article": number, "found": place.mention, "start": place.start}
                | {"outcome": "spurious", "resolved": place.name, "country": place.country}
            )
    return out


if __name__ == "__main__":  # python -m sitrep.eval.geo FILE lgl|geovirus resolve|end2end
    import json
    import sys

    print(json.dumps(evaluate(Path(sys.argv[1]), sys.argv[2], sys.argv[3])))  # type: ignore[arg-type]
