"""`sitrep serve`: the HTTP API over a database, on loopback unless told otherwise."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._common import DEFAULT_DB, DbOption, err, require_db

__all__ = ["serve"]


def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (one per core for a team).")
    ] = 1,
) -> None:
    """Serve the workspace page (/) and the HTTP API (/api, OpenAPI at /openapi.json, docs
    at /docs); writes need SITREP_TOKEN."""
    require_db(db)
    import uvicorn

    from sitrep.store import is_server

    token = os.environ.get("SITREP_TOKEN") or None
    mode = "writes with SITREP_TOKEN" if token else "read-only (set SITREP_TOKEN to allow writes)"
    err.print(f"Sitrep on http://{host}:{port}/ — {mode}; Ctrl-C stops it")
    if workers == 1:
        from sitrep.api import create_app

        uvicorn.run(create_app(db, token), host=host, port=port, log_level="warning")
        return
    # Worker processes build their own app from the environment (uvicorn imports it).
    os.environ["SITREP_DB"] = db if is_server(db) else str(Path(db).resolve())
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "sitrep.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    Multiprocess(config, sockets=[_listener(host, port)]).run()


def _listener(host: str, port: int) -> socket.socket:
    """The listening socket the worker processes share, made with its protocol named:
    uvicorn's own leaves it 0, so accepted connections never get TCP_NODELAY and every
    keep-alive request after the first waits ~40 ms for a delayed ACK (uvicorn #3149)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        err.print(f"error: cannot listen on {host}:{port} ({exc.strerror})")
        raise typer.Exit(1) from None
    sock.set_inheritable(True)
    return sock
