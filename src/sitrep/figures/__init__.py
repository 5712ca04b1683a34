"""The figures stage: every count the text gives — killed, wounded, displaced, held,
fighters, troops — with its subject, category and the total it is part of.

Figures are facts of the text in their own right (an analyst compares what sources say
about the same toll), and the events stage reads them from the record for its fatalities.
`numbers` finds the numbers that are counts; `counts` decides what each counts. Words live
in `lang/<code>/numbers.json` and `figures.json`; a language without them gets none.
"""

from __future__ import annotations

from sitrep import lang
from sitrep.figures.counts import FigureDetail, fatalities, find_figure_details, find_figures
from sitrep.models import Analysis
from sitrep.settings import Settings

__all__ = [
    "PROVIDES",
    "REQUIRES",
    "FigureDetail",
    "fatalities",
    "find_figure_details",
    "find_figures",
    "run",
]

REQUIRES = ("article.text", "article.language", "sentences")
PROVIDES = ("figures",)


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `analysis.figures` for an article in a language with a figures lexicon."""
    del settings  # one signature for every stage
    language = lang.base(analysis.article.language)
    if language is None or lang.path(language, "figures.json") is None:
        return analysis
    analysis.figures = find_figures(analysis.article.text, language, analysis.sentences)
    return analysis
