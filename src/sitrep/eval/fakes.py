"""`sitrep eval events --format fakes`: each FA-KES article's main event (Syrian war, 15
outlets of every side; Abu Salem et al. 2019).

Every article reports one casualty event coded from the VDC database: governorate, the
perpetrator's class, the cause of death and the casualty counts; `label` 1 marks articles
whose account agrees with VDC. Sitrep analyses the article (title and text, dated by the
row's date) and its **main event** is the one with most fatalities (the most confident on a
tie). Scores, each over the articles where the gold says something:

- `in_syria`: some event of the article is placed in Syria;
- `governorate`: the main event's admin1 is the gold governorate (Damascus includes its
  countryside, as FA-KES folds them);
- `weapon`: the main event's sub-type is one the cause of death allows (shelling: air or
  artillery; explosion: IED, suicide bomb, grenade; shooting: clash or attack; …), over
  articles with a known cause;
- `perpetrator`: the main event's actor 1 is of the gold class, over articles with a known
  actor;
- `death_toll`: the main event's fatalities within 25 % of the gold dead (civilians plus
  non-civilians), over credible articles with a toll.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from sitrep.eval.coding import Coded, Run, code_article
from sitrep.eval.corpora import us_date
from sitrep.eval.matching import admin_key
from sitrep.settings import Settings

__all__ = ["GOVERNORATES", "PERPETRATORS", "WEAPONS", "evaluate", "perpetrator_class"]

GOVERNORATES: dict[str, frozenset[str]] = {
    "aleppo": frozenset({"halab", "aleppo"}),
    "damascus": frozenset({"dimashq", "rifdimashq", "damascus"}),
    "idlib": frozenset({"idlib"}),
    "deir ezzor": frozenset({"dayrzawr", "deirzor"}),
    "raqqa": frozenset({"raqqah", "raqqa"}),
    "homs": frozenset({"hims", "homs"}),
    "hasakeh": frozenset({"hasakah", "hasakeh"}),
    "hama": frozenset({"hamah", "hama"}),
    "daraa": frozenset({"dara", "daraa"}),
    "lattakia": frozenset({"ladhiqiyah", "latakia", "lattakia"}),
    "quneitra": frozenset({"qunaytirah", "quneitra"}),
    "tartous": frozenset({"tartus", "tartous"}),
}
WEAPONS: dict[str, frozenset[str]] = {
    "shelling": frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    "explosion": frozenset(
        {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Air/drone strike"}
    ),
    "chemical and toxic gases": frozenset({"Chemical weapon"}),
    "shooting": frozenset({"Armed clash", "Attack", "Excessive force against protesters"}),
    "execution": frozenset({"Attack"}),
}
# Words of an ACLED-style actor name that place it in a FA-KES perpetrator class.
PERPETRATORS: dict[str, tuple[str, ...]] = {
    "syrian government or russian troops": (
        "forces of syria",
        "government of syria",
        "forces of russia",
        "ndf",
        "tiger forces",
        "hezbollah",
        "forces of iran",
        "fatemiyoun",
        "zainabiyoun",
        "liwa al quds",
        "wagner",
    ),
    "the organization of the islamic state in iraq and the levant - isis": ("islamic state",),
    "international coalition forces": (
        "coalition",
        "united states",
        "united kingdom",
        "forces of france",
    ),
    "armed opposition groups": (
        "free syrian army",
        "syrian national army",
        "national front for liberation",
        "ahrar al sham",
        "jaysh al",
        "faylaq al rahman",
        "zenki",
        "rebels",
        "opposition",
        "levant front",
        "sultan murad",
        "hamza division",
        "forces of turkey",
    ),
    "self administration forces": ("syrian democratic forces", "ypg", "ypj", "asayish", "sdf"),
    "al-nusra front": ("nusra", "hayat tahrir", "hts", "fatah al sham"),
}


def perpetrator_class(actor: str | None) -> str | None:
    """The FA-KES class of an ACLED-style actor name, or None."""
    if not actor:
        return None
    name = actor.casefold().replace("-", " ").replace(":", " ")
    for label, words in PERPETRATORS.items():
        if any(word in name for word in words):
            return label
    return None


def _main(events: list[Coded]) -> Coded | None:
    return max(events, key=lambda e: (e.fatalities, e.confidence), default=None)


def _governorate(event: Coded) -> str | None:
    key = admin_key(event.admin1)
    return next((label for label, keys in GOVERNORATES.items() if key in keys), None)


def evaluate(
    path: Path, settings: Settings | None = None, details: list[dict] | None = None
) -> dict[str, object]:
    """Score each article's main coded event against its FA-KES record."""
    settings = (settings or Settings(workers=1)).model_copy(update={"forced_language": "en"})
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    run = Run()
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for number, row in enumerate(rows):
        ref = f"fakes:{number}"
        events = code_article(
            run,
            ref,
            row["article_content"],
            settings,
            title=row["article_title"] or None,
            published=us_date(row["date"]),
        )
        main = _main(events)
        outcome = _score(row, events, main)
        for name, ok in outcome.items():
            totals[name] += 1
            hits[name] += ok
        if details is not None:
            details.append(
                {
                    "ref": ref,
                    "gold": {k: row[k] for k in ("location", "actor", "cause_of_death")},
                    "main": main.__dict__ if main else None,
                    "right": outcome,
                }
            )
    result: dict[str, object] = {"articles": len(rows)}
    for name in ("in_syria", "governorate", "weapon", "perpetrator", "death_toll"):
        result[name] = round(hits[name] / totals[name], 4) if totals[name] else None
        result[f"n_{name}"] = totals[name]
    result["crashes"] = run.crashes
    return result


def _score(row: dict[str, str], events: list[Coded], main: Coded | None) -> dict[str, bool]:
    """Which of the article's measures the system got right (absent: not measured)."""
    outcome = {"in_syria": any(e.country == "SY" for e in events)}
    if row["location"].strip():
        outcome["governorate"] = main is not None and _governorate(main) == row["location"]
    cause = row["cause_of_death"].strip()
    if cause in WEAPONS:
        outcome["weapon"] = main is not None and main.sub_event_type in WEAPONS[cause]
    actor = row["actor"].strip()
    if actor in PERPETRATORS:
        outcome["perpetrator"] = main is not None and perpetrator_class(main.actor1) == actor
    dead = _count(row["nb_civilians"]) + _count(row["nb_noncivilians"])
    if row["label"].strip() == "1" and dead > 0:
        outcome["death_toll"] = main is not None and abs(main.fatalities - dead) <= 0.25 * dead
    return outcome


def _count(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0
