"""`sitrep eval events --format case2021`: ACLED sub-event typing on CASE 2021 Task 2.

Each snippet is analysed as an undated English article; the system's answer is its most
confident event (none when it codes none). Scores:

- `weighted_f1`: F1 per ACLED sub-event type, averaged with the gold counts as weights,
  over the 25 ACLED classes — an event coded on a snippet outside ACLED (a disaster, a
  crime, diplomacy) is a false positive of the class it was given; the shared task's
  measure (best system 83.9 %);
- `detection`: share of ACLED snippets that get an event at all;
- `false_event_rate`: share of snippets outside ACLED that get one;
- `per_class` P/R/F1 and support, and the confusion pairs seen most.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from sitrep.eval.coding import Run, code_article
from sitrep.eval.common import PRF
from sitrep.settings import Settings

__all__ = ["CODES", "evaluate", "read_snippets"]

CODES: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
OUTSIDE = frozenset({"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"})


def read_snippets(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, gold code) rows of a CASE 2021 Task 2 TSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["id"], row["EventSnippet"], row["SubType"].strip()) for row in reader]


def evaluate(
    path: Path, settings: Settings | None = None, details: list[dict] | None = None
) -> dict[str, object]:
    """Score the most confident coded event of each snippet against its gold sub-type."""
    settings = (settings or Settings(workers=1)).model_copy(update={"forced_language": "en"})
    run = Run()
    per_class: dict[str, PRF] = {name: PRF() for name in CODES.values()}
    confusions: Counter[tuple[str, str]] = Counter()
    detected = outside_hits = n_acled = n_outside = 0
    for snippet_id, text, code in read_snippets(path):
        events = code_article(run, f"case2021:{snippet_id}", text, settings)
        best = max(events, key=lambda e: e.confidence, default=None)
        predicted = best.sub_event_type if best else None
        gold = CODES.get(code)
        if gold is None and code not in OUTSIDE:
            continue  # an unknown code: not scored
        if gold is not None:
            n_acled += 1
            detected += best is not None
            per_class[gold].n_gold += 1
        else:
            n_outside += 1
            outside_hits += best is not None
        if predicted in per_class:
            per_class[predicted].n_pred += 1
            per_class[predicted].tp += predicted == gold
        if predicted != gold:
            confusions[(gold or code, predicted or "none")] += 1
        if details is not None:
            details.append({"id": snippet_id, "gold": gold or code, "system": predicted})
    support = sum(score.n_gold for score in per_class.values())
    weighted = sum(s.f1 * s.n_gold for s in per_class.values()) / support if support else 0.0
    return {
        "snippets": n_acled + n_outside,
        "weighted_f1": round(weighted, 4),
        "detection": round(detected / n_acled, 4) if n_acled else None,
        "false_event_rate": round(outside_hits / n_outside, 4) if n_outside else None,
        "per_class": {
            name: {**score.as_dict(), "n": score.n_gold} for name, score in per_class.items()
        },
        "confusions": [
            {"gold": g, "system": s, "n": n} for (g, s), n in confusions.most_common(15)
        ],
        "crashes": run.crashes,
    }
