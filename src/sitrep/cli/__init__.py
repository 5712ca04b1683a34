"""The `sitrep` command: a thin layer over the Python API (`sitrep.pipeline`, `sitrep.store`).

Data goes to stdout, progress and messages to stderr. Errors are one line with a code,
never a traceback unless `--debug`. Exit codes: 0 ok, 1 some articles failed, 2 usage.
Each group of commands lives in its own module and loads the pipeline only when a command
runs, so `sitrep --help` and usage errors answer at once.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from sitrep.cli import analysis, browse, serve, stories
from sitrep.cli._common import err, log_to_stderr, state
from sitrep.cli.evaluate import eval_app
from sitrep.cli.places import gazetteer_app
from sitrep.errors import SitrepError

__all__ = ["app", "main"]

app = typer.Typer(
    help="Sitrep: turn multilingual news into a sourced record of what happened, where, when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command()(analysis.run)
app.command()(analysis.analyze)
app.command()(browse.articles)
app.command()(browse.export)
app.command()(browse.events)
app.command()(browse.show)
app.command()(browse.search)
app.command()(stories.stories)
app.command()(stories.story)
app.command("time")(analysis.time_command)
app.add_typer(eval_app, name="eval")
app.add_typer(gazetteer_app, name="gazetteer")
app.command()(browse.schema)
app.command()(serve.serve)


def _print_version(wanted: bool) -> None:
    if wanted:
        from sitrep import __version__

        sys.stdout.write(f"sitrep {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    del version  # answered by its callback
    state["debug"] = debug
    log_to_stderr(logging.DEBUG if debug else logging.INFO)


def main() -> None:
    """Entry point: run the app and turn errors into one line and an exit code."""
    try:
        app()
    except SitrepError as exc:
        if state["debug"]:
            raise
        err.print(f"error: {exc}")
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: say so in one line
        if state["debug"]:
            raise
        err.print(f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
        sys.exit(1)
