"""Calling the API in-process (httpx's ASGI transport) on a database, as the API tests do."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from sitrep.api import create_app

TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def get(db: Path, url: str, token: str | None = None, **kwargs) -> httpx.Response:
    return asyncio.run(_request(db, "GET", url, token, **kwargs))


def post(db: Path, url: str, token: str | None, **kwargs) -> httpx.Response:
    return asyncio.run(_request(db, "POST", url, token, **kwargs))


async def _request(db: Path, method: str, url: str, token: str | None, **kwargs):
    transport = httpx.ASGITransport(app=create_app(db, token))
    async with httpx.AsyncClient(transport=transport, base_url="http://sitrep") as client:
        return await client.request(method, url, **kwargs)
