"""`sitrep eval …`: score Sitrep on public benchmarks and the team's gold (one JSON object)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._common import DEFAULT_DATA, err, out, print_json, write_details
from sitrep.errors import Code, InputError, UsageError

__all__ = ["eval_app"]

eval_app = typer.Typer(help="Score Sitrep on public benchmarks (prints one JSON object).")

DataOption = Annotated[Path, typer.Option(help="Folder of the shared corpora the gold refers to.")]
CorporaOption = Annotated[Path, typer.Option(help="Folder of the shared corpora to search.")]


class TimeGold(StrEnum):
    TIMEML = "timeml"
    TIMEX2 = "timex2"


@eval_app.command("time")
def eval_time(
    path: Annotated[Path, typer.Argument(help="TimeML folder, or a WikiWarsDE-style folder.")],
    fmt: Annotated[TimeGold, typer.Option("--format", help="Gold format.")] = TimeGold.TIMEML,
) -> None:
    """Temporal tagging: strict/relaxed extraction P/R/F1 and value accuracy/F1 (TempEval-3)."""
    from sitrep.eval import time as scorer

    print_json(path, lambda: scorer.evaluate(path, fmt.value))


class GeoGold(StrEnum):
    LGL = "lgl"
    GEOVIRUS = "geovirus"


class GeoMode(StrEnum):
    RESOLVE = "resolve"
    END2END = "end2end"


@eval_app.command("geo")
def eval_geo(
    path: Annotated[Path, typer.Argument(help="LGL, TR-News or GeoVirus XML file.")],
    fmt: Annotated[
        GeoGold, typer.Option("--format", help="lgl (also TR-News) or geovirus.")
    ] = GeoGold.LGL,
    mode: Annotated[
        GeoMode, typer.Option("--mode", help="Gold mentions given, or from text.")
    ] = GeoMode.RESOLVE,
    output: Annotated[
        Path | None, typer.Option(help="Write per-mention results (JSON Lines) here.")
    ] = None,
) -> None:
    """Geoparsing: accuracy within 161 km, exact GeoNames, error km, AUC (+ P/R/F1 end2end)."""
    from sitrep.eval import geo as scorer

    details: list[dict] | None = [] if output is not None else None
    print_json(path, lambda: scorer.evaluate(path, fmt.value, mode.value, details))
    write_details(output, details)


@eval_app.command("conflict-places")
def eval_conflict_places(
    places: Annotated[
        Path, typer.Argument(help="Check list of places and spellings (TSV).")
    ] = Path("eval/conflict_places.tsv"),
    data: CorporaOption = DEFAULT_DATA,
    output: Annotated[
        Path | None, typer.Option(help="Write every occurrence's outcome (JSON Lines) here.")
    ] = None,
) -> None:
    """Towns of the war: the share of their occurrences in the corpora found within 30 km."""
    from sitrep.eval import conflict

    details: list[dict] | None = [] if output is not None else None
    print_json(places, lambda: conflict.check(places, data, details=details))
    write_details(output, details)


@eval_app.command("far-places")
def eval_far_places(
    checked: Annotated[
        Path, typer.Argument(help="Hand-checked sample of far places (TSV).")
    ] = Path("eval/far_places.tsv"),
    places: Annotated[
        Path, typer.Option(help="Check list of the war's towns: which articles to read.")
    ] = Path("eval/conflict_places.tsv"),
    data: CorporaOption = DEFAULT_DATA,
    sample: Annotated[
        int, typer.Option(help="Instead of scoring, write this many far places to check.")
    ] = 0,
    output: Annotated[
        Path | None, typer.Option(help="Where --sample writes (JSON Lines, with context).")
    ] = None,
) -> None:
    """Places resolved over 2,500 km from their article's country: how many, and the share
    wrong in the hand-checked sample."""
    from sitrep.eval import far_places

    if sample:
        if output is None:
            raise UsageError("--sample needs --output")
        write_details(output, far_places.sample(places, sample, data=data))
        return
    print_json(checked, lambda: far_places.score(checked, places, data))


class NerLanguage(StrEnum):
    DE = "de"
    EN = "en"


@eval_app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(help="GermEval TSV, WikiANN or CoNLL-2003 file.")],
    lang: Annotated[NerLanguage, typer.Option("--lang", help="Language of the file.")],
) -> None:
    """Named entities: P/R/F1 overall (PER, LOC, ORG; exact spans) and per label."""
    from sitrep.eval import ner as scorer

    print_json(path, lambda: scorer.evaluate(path, lang.value))


class EventsGold(StrEnum):
    SITREP = "sitrep"
    CASE2021 = "case2021"
    FAKES = "fakes"


class Split(StrEnum):
    DEV = "dev"
    TEST = "test"
    ALL = "all"


@eval_app.command("events")
def eval_events(
    path: Annotated[Path, typer.Argument(help="Gold JSONL, CASE 2021 TSV or FA-KES CSV.")],
    fmt: Annotated[
        EventsGold, typer.Option("--format", help="sitrep (own gold), case2021 or fakes.")
    ] = EventsGold.SITREP,
    split: Annotated[Split, typer.Option(help="Articles of the own gold to score.")] = Split.ALL,
    data: DataOption = DEFAULT_DATA,
    output: Annotated[
        Path | None, typer.Option(help="Write per-article results (JSON Lines) here.")
    ] = None,
) -> None:
    """Coded events: document-level P/R/F1 and fields (own gold), ACLED sub-type F1 (CASE
    2021), main event per article (FA-KES). A crash counts as a miss."""
    from sitrep.eval import case2021, fakes
    from sitrep.eval import events as own_gold

    details: list[dict] | None = [] if output is not None else None

    def score() -> object:
        if fmt is EventsGold.CASE2021:
            return case2021.evaluate(path, details=details)
        if fmt is EventsGold.FAKES:
            return fakes.evaluate(path, details=details)
        chosen = None if split is Split.ALL else split.value
        return own_gold.evaluate(path, data, chosen, details=details)

    print_json(path, score)
    write_details(output, details)


@eval_app.command("gate")
def eval_gate(
    baseline: Annotated[Path, typer.Option(help="Pinned subset and floors.")] = Path(
        "eval/baseline.json"
    ),
    gold: Annotated[Path, typer.Option(help="The gold the subset comes from.")] = Path(
        "eval/gold/events-dev.jsonl"
    ),
    data: DataOption = DEFAULT_DATA,
    update: Annotated[bool, typer.Option("--update", help="Raise the floors to today's.")] = False,
    allow_regression: Annotated[
        bool, typer.Option("--allow-regression", help="Let --update lower a floor.")
    ] = False,
    another_machine: Annotated[
        bool,
        typer.Option(
            "--another-machine",
            help="With --update: lower a floor to this machine's figure, never raise one "
            "(the floors must hold on every CPU CI may use).",
        ),
    ] = False,
) -> None:
    """The CI gate: score the pinned subset of the event gold against its floors."""
    from sitrep.eval import gate

    for path in (baseline, gold):
        if not path.exists():
            raise InputError(Code.UNREADABLE, f"{path}: no such file")
    if update:
        try:
            pinned = gate.update(baseline, gold, data, allow_regression, another_machine)
        except (ValueError, FileNotFoundError) as exc:
            raise UsageError(Code.BAD_SETTING, str(exc)) from None
        sys.stdout.write(json.dumps(pinned["floors"], indent=2) + "\n")
        return
    problems = gate.check(baseline, gold, data)
    for problem in problems:
        err.print(f"gate: {problem}")
    if problems:
        raise typer.Exit(1)
    out.print("gate: every figure at or above its floor")


class StoriesGold(StrEnum):
    SEMEVAL2022 = "semeval2022"
    FAKES = "fakes"


@eval_app.command("stories")
def eval_stories(
    path: Annotated[Path, typer.Argument(help="SemEval-2022 Task 8 CSV or FA-KES CSV.")],
    fmt: Annotated[
        StoriesGold, typer.Option("--format", help="semeval2022 (pairs) or fakes (grouping).")
    ] = StoriesGold.SEMEVAL2022,
    output: Annotated[
        Path | None, typer.Option(help="Write per-pair or per-article results (JSON Lines).")
    ] = None,
) -> None:
    """Stories: Pearson with annotators and same-story F1 (SemEval-2022 Task 8 pairs),
    same-event grouping P/R/F1 and B³ (FA-KES)."""
    from sitrep.eval import stories

    details: list[dict] | None = [] if output is not None else None
    scorer = stories.fakes if fmt is StoriesGold.FAKES else stories.semeval
    print_json(path, lambda: scorer(path, details=details))
    write_details(output, details)


@eval_app.command("search")
def eval_search(
    path: Annotated[Path, typer.Argument(help="SemEval-2022 Task 8 CSV (pairs with texts).")],
    output: Annotated[
        Path | None, typer.Option(help="Write each search's rank of its answer (JSON Lines).")
    ] = None,
) -> None:
    """Search: recall@20 and nDCG@10 of words, meaning and both, finding the other report
    of a story from one report's title; and across languages."""
    from sitrep.eval import search

    details: list[dict] | None = [] if output is not None else None
    print_json(path, lambda: search.evaluate(path, details=details))
    write_details(output, details)
