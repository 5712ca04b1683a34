"""The FastAPI application: routes under `/api`, one error shape, a token for writes."""

from __future__ import annotations

import hmac
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from sitrep import __version__
from sitrep.export import acled, geojson
from sitrep.export.views import article_view, event_detail, event_summary, row_summary
from sitrep.models import Document
from sitrep.reviews import ReviewIn, apply, find_event, reviewed_page
from sitrep.store import EventFilter, Store, open_store
from sitrep.store.base import SORTS

__all__ = ["create_app"]

MAX_PAGE = 10_000  # a map draws every matching event in one request
SORT_PATTERN = "^-?(" + "|".join(SORTS) + ")$"


class NewArticle(BaseModel):
    """An article to analyse and store."""

    text: str = Field(min_length=1, max_length=5_000_000)
    title: str | None = None
    date: str | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    url: str | None = None
    source: str = Field(default="api", max_length=500)


def create_app(db: Path | str, token: str | None = None) -> FastAPI:
    """The API over the database at `db`; writes need `token` (none: writes refused)."""
    app = FastAPI(
        title="Sitrep",
        summary="Conflict events coded from news, each field with its evidence.",
        version=__version__,
        docs_url=None,  # FastAPI's pages load Swagger UI from a CDN; the spec is enough
        redoc_url=None,
    )
    path = Path(db)

    @contextmanager
    def store() -> Iterator[Store]:
        if not path.exists():
            raise HTTPException(503, f"no database at {path}; run `sitrep run PATH` first")
        with open_store(path) as opened:
            yield opened

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}"
            for error in exc.errors()
        )
        return _error(422, problems or "invalid request")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, f"internal error: {type(exc).__name__}")

    @app.get("/api/events", summary="Events matching the filters, one page")
    def events(
        where: Annotated[EventFilter, Depends(event_filter)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        fmt: Annotated[Literal["json", "geojson", "csv"], Query(alias="format")] = "json",
    ) -> Response:
        with store() as opened:
            if fmt == "csv":
                page = reviewed_page(opened, opened.events(where, limit=limit, offset=offset))
                handle = io.StringIO()
                acled.write_events(page, handle)
                return Response(handle.getvalue(), media_type="text/csv; charset=utf-8")
            total = opened.count_events(where)
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
            return _event_view(opened, event_id)

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
            article_id = opened.article_of(event_id)
            analysis = opened.analysis(article_id) if article_id else None
            machine = find_event(analysis, event_id) if analysis else None
            if machine is None:
                raise HTTPException(404, f"no event {event_id!r}")
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
            return _event_view(opened, event_id)

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
    def summary(where: Annotated[EventFilter, Depends(event_filter)]) -> dict[str, object]:
        with store() as opened:
            counts = opened.summarize(where)
        return {"ok": True, **asdict(counts)}

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
            source=new.source, content=new.text, title=new.title, date=new.date, url=new.url
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

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown(rest: str) -> None:
        raise HTTPException(404, f"no such endpoint: /api/{rest}")

    return app


def event_filter(
    event_type: Annotated[
        str | None, Query(alias="type", description="An event type or a sub-event type.")
    ] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    admin1: str | None = None,
    actor: Annotated[str | None, Query(description="Actor 1 or 2 contains this.")] = None,
    since: date | None = None,
    until: date | None = None,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
    background: Annotated[bool, Query(description="Include history told in passing.")] = False,
    language: str | None = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words in the evidence, place, actors or title."),
    ] = None,
    sort: Annotated[
        str, Query(pattern=SORT_PATTERN, description="A field, '-' first for descending.")
    ] = "date",
) -> EventFilter:
    """The event filters every list, map and count of the API takes (as query
    parameters)."""
    return EventFilter(
        event_type=event_type or None,
        country=country,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        actor=actor or None,
        background=background,
        min_confidence=min_confidence,
        language=language or None,
        admin1=admin1 or None,
        text=q or None,
        sort=sort,
    )


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _check_token(expected: str | None, authorization: str | None) -> None:
    """Writes need `Authorization: Bearer <SITREP_TOKEN>`; without a configured token the
    server is read-only."""
    if not expected:
        raise HTTPException(403, "writes are disabled: start the server with SITREP_TOKEN set")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "a valid token is required: Authorization: Bearer <token>")


def _event_view(opened: Store, event_id: str) -> dict[str, object]:
    """One event as reviewed, with the machine's own values and the review history (a
    rejected event is still shown here, marked by its review)."""
    article_id = opened.article_of(event_id)
    analysis = opened.analysis(article_id) if article_id else None
    machine = find_event(analysis, event_id) if analysis else None
    if analysis is None or machine is None:
        raise HTTPException(404, f"no event {event_id!r}")
    history = opened.reviews(event_id)
    shown = machine
    if history:
        shown = apply(machine, history[-1]) or machine.model_copy(update={"review": history[-1]})
    return {
        "ok": True,
        "event": event_detail(shown, analysis),
        "machine": event_summary(machine, analysis) if history else None,
        "reviews": [item.model_dump() for item in history],
    }
