"""The typed records that flow through Sitrep (DESIGN §3, "the data contract").

One `Analysis` is passed from stage to stage, the way every spaCy component takes a `Doc`
and returns it. Each stage fills its own field; a stage that is not built yet leaves its
list empty — never fake data. Character offsets (`start`, `end`) always refer to
`Analysis.article.text`, the cleaned text.

`Analysis.model_dump(mode="json")` is exactly what `sitrep analyze FILE --json` prints;
`sitrep schema` prints `Analysis.model_json_schema()`.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

Precision = Literal["day", "week", "month", "quarter", "year", "decade"]
DateOrigin = Literal["metadata", "text", "user", "unknown"]
EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]


class Record(BaseModel):
    """Base for every record: unknown keys are rejected so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")


class Span(Record):
    """A stretch of `article.text` with the exact characters it covers."""

    mention: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Problem(Record):
    """Something that went wrong for one article without stopping anything else.

    `code` is stable (see `sitrep.errors`), `stage` names where it happened.
    """

    code: str
    stage: str
    message: str


class Removed(Record):
    """A piece of the raw text that cleaning took out, kept so nothing disappears silently."""

    text: str
    reason: Literal["boilerplate", "metadata", "markup"]


class Published(Record):
    """The article's publication date and where it came from; `date` is null when unknown.

    `not_before` is a lower bound taken from the latest absolute date the text mentions;
    it is recorded as evidence, never used as the date itself.
    """

    date: str | None = None
    precision: Precision | None = None
    origin: DateOrigin = "unknown"
    not_before: str | None = None

    def day(self) -> datetime.date | None:
        """The publication date as a date (the first day of a month or year given coarser),
        or None when unknown or malformed: the anchor of relative dates."""
        if not self.date:
            return None
        try:
            return datetime.date.fromisoformat(self.date[:10])
        except ValueError:
            return None


class Sentence(Record):
    """One sentence of `article.text` (offsets only; the text is `article.text[start:end]`)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Paragraph(Record):
    """One paragraph of `article.text`: the text between two blank lines (offsets only).
    Stages look around an event's sentence for its place, date and sides up to here."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Article(Record):
    """The cleaned article: the text every offset refers to, plus its metadata."""

    id: str
    source: str
    title: str | None = None
    language: str | None = None
    published: Published = Field(default_factory=Published)
    text: str
    url: str | None = None
    site: str | None = None
    removed: list[Removed] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)

    def outlet(self) -> str:
        """Who published the article, as ACLED's `source` names it: the site, else the
        URL's host; never the file path it was read from (empty when nothing says)."""
        if self.site:
            return self.site
        host = urlsplit(self.url).hostname if self.url else None
        return host.removeprefix("www.") if host else ""


class Entity(Span):
    """A name the NER found (`sitrep.entities`): a person, place, organisation or other.

    `label` is Sitrep's (PER, LOC, ORG, MISC); `model_label` the model's own before any
    correction (OntoNotes GPE, NORP, PRODUCT … for English), kept because place finding
    reads it finer; null for a German place the model missed and the place list added.
    """

    label: Literal["PER", "LOC", "ORG", "MISC"]
    model_label: str | None = None


class Place(Span):
    """A place mention resolved against the gazetteer; unresolved ones keep `lat` null and
    say why in `reason` (curated places have coordinates but no `geonames_id`)."""

    geonames_id: int | None = None
    name: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    country: str | None = None
    admin1: str | None = None
    kind: str | None = None
    confidence: float | None = None
    reason: str | None = None


class TimeSpan(Span):
    """A temporal expression normalised to a TIMEX3 value and an earliest/latest range."""

    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None = None
    earliest: str | None = None
    latest: str | None = None
    precision: Precision | None = None


class Actor(Span):
    """An actor mention linked to the actor catalogue (`actor_id` null when unknown)."""

    actor_id: str | None = None
    name: str | None = None
    acled_inter: int | None = Field(default=None, ge=0, le=8)


class Figure(Span):
    """A count the text gives: killed, wounded, displaced, held, fighters, troops, …

    `value` is the point value (the low end of a range, 24 for "dozens"), `high` the top
    of a range, `qualifier` what the text hedges with ("about", "up to", "thousands"), and
    `part_of` the `start` of the total this figure is a part of ("21, including 18 …").
    """

    value: int | float | None = None
    category: str
    subject: str | None = None
    qualifier: str | None = None
    high: int | float | None = None
    part_of: int | None = None


class Location(Record):
    """Where an event happened, with ACLED's geo_precision (1 exact, 2 near, 3 region)."""

    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    geo_precision: int | None = Field(default=None, ge=1, le=3)
    admin1: str | None = None
    geonames_id: int | None = None


class DateRange(Record):
    """An event's date as a range; both ends null when the article cannot settle it."""

    earliest: str | None = None
    latest: str | None = None
    precision: Precision | None = None


class Evidence(Record):
    """Where in the text an event is reported: the sentence, the trigger word, and the
    spans each argument was taken from (null when the field came from elsewhere)."""

    sentence: tuple[int, int]
    trigger: tuple[int, int] | None = None
    actor1: tuple[int, int] | None = None
    actor2: tuple[int, int] | None = None
    location: tuple[int, int] | None = None
    date: tuple[int, int] | None = None
    fatalities: list[tuple[int, int]] = Field(default_factory=list)


class EventReview(Record):
    """The analyst's review in force for an event (`sitrep.reviews`): what was done, by
    whom and when, and the fields changed (with their new values)."""

    action: Literal["confirm", "correct", "reject"]
    reviewer: str
    at: str
    changes: dict[str, object] = Field(default_factory=dict)
    note: str | None = None


class Event(Record):
    """One conflict event in ACLED's taxonomy, every field traceable to `evidence`."""

    id: str
    event_type: EventType
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    location: Location | None = None
    date: DateRange = Field(default_factory=DateRange)
    fatalities: int | None = None
    background: bool = False
    confidence: float = Field(ge=0, le=1)
    evidence: list[Evidence] = Field(min_length=1)
    time_precision: int | None = Field(default=None, ge=1, le=3)
    inter1: int | None = Field(default=None, ge=0, le=8)
    inter2: int | None = Field(default=None, ge=0, le=8)
    assoc_actor_1: list[str] = Field(default_factory=list)
    assoc_actor_2: list[str] = Field(default_factory=list)
    review: EventReview | None = None  # set only on reviewed output, never in the analysis


class Document(Record):
    """One raw item as a source gave it, before cleaning: what `ingest` yields.

    `source` names the file or URL; `locator` the item inside it (a JSON Lines line, a CSV
    row) so that resuming a run can tell items of one file apart. Metadata fields hold what
    the source itself said (a CSV `date` column); HTML metadata is read in the clean stage.
    """

    source: str
    locator: str | None = None
    content: str
    format: Literal["text", "markdown", "html"] = "text"
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site: str | None = None  # the outlet the source named, when it did
    warnings: list[Problem] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """Where this item came from, unique within a run (file path plus item locator)."""
        return self.source if self.locator is None else f"{self.source}#{self.locator}"


class Skipped(Problem):
    """An input item that never became an article (unreadable, binary, too large, broken):
    a `Problem` of the ingest stage that also names the item.

    Kept on the run so the summary can say which item failed and why.
    """

    source: str
    stage: str = "ingest"


class Analysis(Record):
    """Everything Sitrep knows about one article — the JSON contract of DESIGN §3."""

    article: Article
    sentences: list[Sentence] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[TimeSpan] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    def paragraph_around(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the paragraph holding the span `start:end` (of the paragraphs
        it spans, when it crosses a break); the whole text before the text stage ran."""
        if not self.paragraphs:
            return 0, len(self.article.text)
        starts = [p.start for p in self.paragraphs]
        first = max(bisect_right(starts, start) - 1, 0)
        ends = [p.end for p in self.paragraphs]
        last = min(bisect_left(ends, end), len(ends) - 1)
        return self.paragraphs[first].start, self.paragraphs[last].end

    def warn(self, stage: str, code: str, message: str) -> None:
        """Record a per-article problem; the batch goes on."""
        self.article.warnings.append(Problem(code=code, stage=stage, message=message))
