"""The workspace page: server-rendered HTML (Jinja2, autoescaped) with a little JavaScript
for the map, the timeline and the review form.

Routes: `/` (filters, map, timeline, events table), `/partials/events` (the table alone, for
the page to swap in when a filter changes), `/events/{id}` (one event with its evidence
marked in the article's text, and the review form), `/search` (articles by words, with
the passage that matches and their events), `/docs` (the API's OpenAPI description in
Swagger UI). Scripts and styles come from `sitrep/api/static` and the pinned
npm packages in `web/node_modules` (`/vendor/...`), never from a CDN, and every page is sent
with a Content-Security-Policy that allows nothing else: an article's own markup can never
run or load anything.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep import __version__, search
from sitrep.acled import EVENT_TYPES, SUB_EVENT_TYPES, country_name
from sitrep.api.queries import Counts, FilterQuery, coded_event, event_view
from sitrep.errors import UsageError
from sitrep.models import Event
from sitrep.store import EventFilter, SearchHit, Store
from sitrep.stories.views import story_view

__all__ = ["CSP", "assets_dir", "error_page", "install", "is_page"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
    " form-action 'self'"
)
PAGE_SIZE = 50
SORT = "-date"  # the page opens on the newest events, the events index's own order
# What the page loads from each npm package (web/package.json pins the versions).
VENDOR = {
    "leaflet": "leaflet/dist",
    "markercluster": "leaflet.markercluster/dist",
    "topojson": "topojson-client/dist",
    "world-atlas": "world-atlas",
    "swagger-ui": "swagger-ui-dist",
}
FIELDS = ("trigger", "actor1", "actor2", "location", "date", "fatalities")
SORTABLE = (
    ("date", "Date"),
    ("type", "Type"),
    ("location", "Place"),
    ("country", "Country"),
    ("fatalities", "Killed"),
    ("confidence", "Conf."),
)
FILTER_KEYS = (
    "type",
    "country",
    "admin1",
    "actor",
    "since",
    "until",
    "min_confidence",
    "background",
    "language",
    "q",
    "sort",
    "bbox",
)

_templates = Environment(
    loader=PackageLoader("sitrep.api", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.globals.update(
    country_name=country_name,
    version=__version__,
    type_index={kind: index for index, kind in enumerate(EVENT_TYPES)},
)
_templates.filters["web_url"] = lambda url: (
    url if str(url).startswith(("http://", "https://")) else None
)


def assets_dir() -> Path:
    """Where `npm ci` put the front-end packages: `$SITREP_WEB_ASSETS`, else the
    repository's `web/node_modules`."""
    chosen = os.environ.get("SITREP_WEB_ASSETS")
    return Path(chosen) if chosen else Path(__file__).resolve().parents[3] / "web" / "node_modules"


class SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response, as plain
    ASGI (Starlette's `BaseHTTPMiddleware` costs a task group per request)."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


def install(
    app: FastAPI,
    store: Callable[[], AbstractContextManager[Store]],
    counts: Counts,
) -> None:
    """Add the page routes, the static files and the security headers to `app`."""
    assets = assets_dir()
    for name, folder in VENDOR.items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=assets / folder, check_dir=False))
    app.mount("/static", StaticFiles(packages=[("sitrep.api", "static")]), name="static")
    missing = [name for name, folder in VENDOR.items() if not (assets / folder).is_dir()]

    app.add_middleware(SecurityHeaders)

    def render(name: str, **values: object) -> HTMLResponse:
        html = _templates.get_template(name).render(
            missing_assets=missing, default_sort=SORT, **values
        )
        return HTMLResponse(html)

    @app.get("/", include_in_schema=False)
    def workspace(request: Request) -> Response:
        given = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS}
        if any(value == "" for value in given.values()):  # a plain form sends empty fields
            kept = {k: v for k, v in given.items() if v != ""}
            return RedirectResponse("/?" + urlencode(kept), status_code=303)
        where = _filter_of(given)
        with store() as opened:
            table = _table(opened, counts, where, given, 0)
            everything = counts.summary(opened, EventFilter(background=True))
            shown = counts.summary(opened, where)
        return render(
            "workspace.html",
            table=table,
            given=given,
            codebook=SUB_EVENT_TYPES,
            everything=everything,
            shown=shown,
            vendor_ok=not missing,
        )

    @app.get("/partials/events", include_in_schema=False)
    def events_table(request: Request, offset: int = 0) -> HTMLResponse:
        given = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS and v != ""}
        where = _filter_of(given)
        with store() as opened:
            table = _table(opened, counts, where, given, max(offset, 0))
        return render("_events_table.html", table=table)

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        with store() as opened:
            analysis, machine = coded_event(opened, event_id)
            view = event_view(opened, analysis, machine)
        event = view["event"]
        others = [
            {"id": other.id, "label": _label(other.sub_event_type, _place(other))}
            for other in analysis.events
            if other.id != event_id
        ]
        return render(
            "event.html",
            view=view,
            event=event,
            others=others,
            text=marked_text(event),
            codebook=SUB_EVENT_TYPES,
            codebook_json=json.dumps(SUB_EVENT_TYPES),
            fields=FIELDS,
        )

    @app.get("/search", include_in_schema=False)
    def search_page(q: str = "", language: str = "", mode: str = "both") -> HTMLResponse:
        chosen = search.Mode(mode) if mode in {m.value for m in search.Mode} else search.Mode.BOTH
        total, found = 0, []
        with store() as opened:
            languages = list(counts.summary(opened, EventFilter(background=True)).by_language)
            try:
                query = search.build(q[:200], chosen, language or None) if q.strip() else None
            except UsageError:
                query = None
            if query is not None:
                total, hits = opened.search(query, limit=PAGE_SIZE)
                for hit in hits:  # their events from the index, not from the analyses
                    coded = [
                        {"id": row.id, "label": _label(row.sub_event_type, row.location)}
                        for row in opened.events(EventFilter(article_id=hit.article_id))
                    ]
                    found.append({**asdict(hit), "passage_html": _marked(hit), "coded": coded})
        return render(
            "search.html",
            q=q,
            language=language,
            languages=languages,
            mode=chosen.value,
            modes=list(search.Mode),
            total=total,
            hits=found,
        )

    @app.get("/stories", include_in_schema=False)
    def stories_page(min_articles: int = 2) -> HTMLResponse:
        wanted = max(min_articles, 1)
        with store() as opened:
            rows = opened.stories(limit=200, min_articles=wanted)
        return render("stories.html", stories=rows, min_articles=wanted)

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(story_id: int) -> HTMLResponse:
        with store() as opened:
            view = story_view(opened, story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return render("story.html", view=view)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return render("docs.html")


def _marked(hit: SearchHit) -> Markup:
    """A hit's passage as HTML, escaped, with the query's words in <mark>."""
    parts, at = [], 0
    for start, end in hit.marks:
        parts += [
            str(escape(hit.passage[at:start])),
            f"<mark>{escape(hit.passage[start:end])}</mark>",
        ]
        at = end
    parts.append(str(escape(hit.passage[at:])))
    return Markup("".join(parts))


def _place(event: Event) -> str | None:
    return event.location.name if event.location else None


def _label(sub_event_type: str, place: str | None) -> str:
    """How a list of events names one: "Air/drone strike, Raqqa"."""
    return f"{sub_event_type}, {place or 'place unknown'}"


def is_page(path: str) -> bool:
    """True for the routes that answer with HTML (their errors are pages too)."""
    return path == "/" or path.startswith(
        ("/events/", "/partials/", "/docs", "/search", "/stories")
    )


def error_page(status: int, message: str) -> HTMLResponse:
    """An error as a page, with the same message the API would give."""
    html = _templates.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _filter_of(given: dict[str, str]) -> EventFilter:
    """The filter a page's query string asks for, checked as the API checks it."""
    try:
        return FilterQuery.model_validate({"sort": SORT, **given}).to_filter()
    except ValidationError as exc:
        problems = [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(problems) from None


def _table(
    opened: Store, counts: Counts, where: EventFilter, given: dict[str, str], offset: int
) -> dict[str, object]:
    """What the events table shows: one page of rows, with sort and paging links."""
    total = counts.total(opened, where)
    rows = opened.events(where, limit=PAGE_SIZE, offset=offset)
    base = {k: v for k, v in given.items() if k != "sort"}
    current = given.get("sort", SORT)
    headers = []
    for key, label in SORTABLE:
        ascending = current != key
        headers.append(
            {
                "label": label,
                "query": urlencode({**base, "sort": key if ascending else f"-{key}"}),
                "order": "asc" if current == key else "desc" if current == f"-{key}" else "",
            }
        )

    def page(at: int) -> str:
        return urlencode({**given, "offset": at})

    return {
        "rows": rows,
        "total": total,
        "offset": offset,
        "end": offset + len(rows),
        "headers": headers,
        "previous": page(max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
        "next": page(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
    }


def marked_text(event: dict) -> Markup:
    """The article's text as HTML with the event's sentences highlighted and, inside
    them, the span of each field (trigger, actors, place, date, fatalities) marked in the
    colour of its field; every character of the article is escaped."""
    text: str = event["article"]["text"]
    marks: list[tuple[int, int, str]] = []
    for item in event["evidence"]:
        sentence = item["sentence"]
        marks.append((sentence["start"], sentence["end"], "evidence"))
        for name, span in item["spans"].items():
            marks.append((span["start"], span["end"], f"f-{name}"))
        for span in item["fatalities"]:
            marks.append((span["start"], span["end"], "f-fatalities"))
    cuts = sorted({0, len(text), *(p for s, e, _ in marks for p in (s, e))})
    parts: list[str] = []
    for start, end in pairwise(cuts):  # cuts are sorted and distinct
        classes = sorted({name for s, e, name in marks if s <= start and end <= e})
        piece = str(escape(text[start:end]))
        if classes:
            first = ' id="evidence"' if "evidence" in classes and start == marks[0][0] else ""
            piece = f'<span class="{" ".join(classes)}"{first}>{piece}</span>'
        parts.append(piece)
    return Markup("".join(parts))
