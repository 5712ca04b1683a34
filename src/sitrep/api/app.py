"""The FastAPI application: routes under `/api`, one error shape, a token for writes, and
the workspace page (`sitrep.api.pages`)."""

from __future__ import annotations

import hmac
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from sitrep import __version__, search
from sitrep.api import pages
from sitrep.api.queries import (
    MAX_PAGE,
    Counts,
    EventsQuery,
    FilterQuery,
    coded_event,
    event_view,
)
from sitrep.errors import StoreError, UsageError
from sitrep.export import acled, geojson
from sitrep.export.views import article_view, event_summary, row_summary
from sitrep.models import Document
from sitrep.reviews import ReviewIn, reviewed_page
from sitrep.store import MapPoint, Store, is_server, open_store
from sitrep.stories.views import story_view
from sitrep.stories.views import summary as story_summary

__all__ = ["app_from_env", "create_app"]


class NewArticle(BaseModel):
    """An article to analyse and store."""

    text: str = Field(min_length=1, max_length=5_000_000)
    title: str | None = None
    date: str | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    url: str | None = None
    site: str | None = Field(default=None, max_length=500, description="The outlet.")
    source: str = Field(default="api", max_length=500)


def create_app(db: Path | str, token: str | None = None) -> FastAPI:
    """The API over the database at `db`; writes need `token` (none: writes refused)."""
    app = FastAPI(
        title="Sitrep",
        summary="Conflict events coded from news, each field with its evidence.",
        version=__version__,
        docs_url=None,  # FastAPI's docs page loads Swagger UI from a CDN; /docs is ours
        redoc_url=None,
    )
    local = threading.local()  # one connection per server thread, reused
    counts = Counts()

    @contextmanager
    def store() -> Iterator[Store]:
        if not is_server(db) and not Path(db).exists():
            raise HTTPException(503, f"no database at {db}; run `sitrep run PATH` first")
        opened = getattr(local, "store", None)
        try:
            if opened is None:
                opened = local.store = open_store(db)
            yield opened
        except StoreError as exc:  # the server restarted, the disk filled: say so, and
            local.store = None  # the next request connects afresh
            if opened is not None:
                with suppress(Exception):
                    opened.close()
            raise HTTPException(503, exc.message) from None

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}"
            for error in exc.errors()
        )
        return _error(request, 422, problems or "invalid request")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return _error(request, 500, f"internal error: {type(exc).__name__}")

    @app.get("/api/events", summary="Events matching the filters, one page")
    def events(
        query: Annotated[EventsQuery, Query()],
    ) -> Response:
        where, fmt, limit, offset = query.to_filter(), query.fmt, query.limit, query.offset
        with store() as opened:
            if fmt == "csv":
                page = reviewed_page(opened, opened.events(where, limit=limit, offset=offset))
                handle = io.StringIO()
                acled.write_events(page, handle)
                return Response(handle.getvalue(), media_type="text/csv; charset=utf-8")
            total = counts.total(opened, where)
            if fmt == "points":
                points = opened.points(where, limit=limit)
                return JSONResponse(
                    {"ok": True, "total": total, "fields": MapPoint._fields, "points": points}
                )
            rows = opened.events(where, limit=limit, offset=offset)
            reviews = opened.reviews_in_force([row.id for row in rows if row.review])
        if fmt == "geojson":
            features = [geojson.row_feature(row, reviews.get(row.id)) for row in rows]
            return JSONResponse({"type": "FeatureCollection", "total": total, "features": features})
        items = [row_summary(row, reviews.get(row.id)) for row in rows]
        return JSONResponse(
            {"ok": True, "total": total, "offset": offset, "limit": limit, "events": items}
        )

    @app.get("/api/events/{event_id}", summary="One event with its evidence and article")
    def event(event_id: str) -> dict[str, object]:
        with store() as opened:
            return event_view(opened, *coded_event(opened, event_id))

    @app.post(
        "/api/events/{event_id}/review",
        status_code=201,
        summary="Confirm, correct or reject an event (kept as a review, with history)",
    )
    def review(
        event_id: str,
        submitted: ReviewIn,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        _check_token(token, authorization)
        with store() as opened:
            analysis, machine = coded_event(opened, event_id)
            if not submitted.fits(machine):
                raise HTTPException(
                    422,
                    f"{submitted.changes.sub_event_type!r} is not a"
                    f" sub-event type of {machine.event_type!r}",
                )
            changes = submitted.changes.model_dump(mode="json", exclude_none=True)
            opened.add_review(
                event_id, submitted.action, submitted.reviewer, changes, submitted.note
            )
            return event_view(opened, analysis, machine)

    @app.get("/api/articles", summary="Stored articles, newest first")
    def articles(
        language: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, object]:
        with store() as opened:
            rows = opened.articles(limit=limit, language=language, offset=offset)
        return {"ok": True, "articles": [row.__dict__ for row in rows]}

    @app.get("/api/articles/{article_id}", summary="One article: the whole analysis")
    def article(article_id: str) -> dict[str, object]:
        with store() as opened:
            analysis = opened.analysis(article_id)
            sources = opened.sources(article_id) if analysis else []
        if analysis is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return {"ok": True, "sources": sources, "analysis": analysis.model_dump(mode="json")}

    @app.get("/api/summary", summary="Counts of the matching events by type, place, day")
    def summary(query: Annotated[FilterQuery, Query()]) -> dict[str, object]:
        with store() as opened:
            found = counts.summary(opened, query.to_filter())
        return {"ok": True, **asdict(found)}

    @app.get("/api/stories", summary="Stories: articles about the same development, latest first")
    def stories(
        min_articles: Annotated[int, Query(ge=1)] = 2,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, object]:
        with store() as opened:
            rows = opened.stories(limit=limit, offset=offset, min_articles=min_articles)
        return {"ok": True, "stories": [story_summary(row) for row in rows]}

    @app.get(
        "/api/stories/{story_id}",
        summary="One story: its articles in time order and every source's events",
    )
    def story(story_id: int) -> dict[str, object]:
        with store() as opened:
            view = story_view(opened, story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return {"ok": True, **view.as_dict()}

    @app.get(
        "/api/search",
        summary="Articles that have the words or mean the same in any language, best first",
    )
    def search_articles(
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=200,
                description="What to find: words (three letters or more, found anywhere in a"
                " word: 'anschlag' finds 'Selbstmordanschlag') and what they mean.",
            ),
        ],
        language: str | None = None,
        since: date | None = None,
        until: date | None = None,
        mode: Annotated[
            search.Mode,
            Query(
                description="words (full text), meaning (alike in any language) or both,"
                " fused into one ranking"
            ),
        ] = search.Mode.BOTH,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, object]:
        try:
            query = search.build(
                q,
                mode,
                language or None,
                since.isoformat() if since else None,
                until.isoformat() if until else None,
            )
        except UsageError as exc:
            raise HTTPException(422, f"q: {exc.message}") from None
        with store() as opened:
            total, hits = opened.search(query, limit=limit, offset=offset)
        return {"ok": True, "total": total, "hits": [asdict(hit) for hit in hits]}

    @app.get("/api/places", summary="Gazetteer places by name, or the nearest to a point")
    def places(
        q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
        lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> dict[str, object]:
        from sitrep.geo import lookup

        if q is not None:
            found = lookup.by_name(q, limit)
        elif lat is not None and lon is not None:
            found = lookup.nearest(lat, lon, limit)
        else:
            raise HTTPException(422, "give a name (q) or a point (lat and lon)")
        return {"ok": True, "places": [asdict(place) for place in found]}

    @app.post("/api/articles", status_code=201, summary="Analyse one article and store it")
    def analyse(
        new: NewArticle,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        _check_token(token, authorization)
        from sitrep import pipeline
        from sitrep.settings import Settings

        settings = Settings.from_env(workers=1)
        document = Document(
            source=new.source,
            content=new.text,
            title=new.title,
            date=new.date,
            url=new.url,
            site=new.site,
        )
        outcome = pipeline.analyze_one(document, settings)
        if outcome.analysis is None:
            message = outcome.problem.message if outcome.problem else "analysis failed"
            raise HTTPException(422, message)
        with store() as opened:
            run_id = opened.begin_run([new.source])
            status = opened.save_batch(run_id, [outcome])[outcome.item_key]
            opened.finish_run(run_id, "done", {"items": 1})
        analysis = outcome.analysis
        return {
            "ok": True,
            "status": status,
            "article": article_view(analysis),
            "events": [event_summary(event, analysis) for event in analysis.events],
        }

    pages.install(app, store, counts)

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown(rest: str) -> None:
        raise HTTPException(404, f"no such endpoint: /api/{rest}")

    return app


def app_from_env() -> FastAPI:
    """The app over `$SITREP_DB` with `$SITREP_TOKEN`: what each worker process of
    `sitrep serve --workers N` builds."""
    return create_app(os.environ["SITREP_DB"], os.environ.get("SITREP_TOKEN") or None)


def _error(request: Request, status: int, message: str) -> Response:
    """The one error shape of the API; a page gets the same message as HTML."""
    if pages.is_page(request.url.path):
        return pages.error_page(status, message)
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _check_token(expected: str | None, authorization: str | None) -> None:
    """Writes need `Authorization: Bearer <SITREP_TOKEN>`; without a configured token the
    server is read-only."""
    if not expected:
        raise HTTPException(403, "writes are disabled: start the server with SITREP_TOKEN set")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "a valid token is required: Authorization: Bearer <token>")
