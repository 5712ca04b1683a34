"""`sitrep serve`: the HTTP API over a database, on loopback unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._common import DEFAULT_DB, DbOption, err, require_db

__all__ = ["serve"]


def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (/api, OpenAPI at /openapi.json); writes need SITREP_TOKEN."""
    require_db(db)
    import uvicorn

    from sitrep.api import create_app

    token = os.environ.get("SITREP_TOKEN") or None
    mode = "writes with SITREP_TOKEN" if token else "read-only (set SITREP_TOKEN to allow writes)"
    err.print(f"Sitrep on http://{host}:{port}/api/events — {mode}; Ctrl-C stops it")
    uvicorn.run(create_app(db, token), host=host, port=port, log_level="warning")
