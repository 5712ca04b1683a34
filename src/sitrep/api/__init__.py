"""Sitrep's HTTP API (`sitrep serve`): events, articles and their evidence over a store.

Read-only by default and bound to loopback by the CLI; every write needs the token in
`SITREP_TOKEN`, compared in constant time. Every error, from a bad date to an unknown
route, has one shape: `{"ok": false, "error": "...", "status": 404}`. The OpenAPI
description is at `/openapi.json`.
"""

from sitrep.api.app import create_app

__all__ = ["create_app"]
